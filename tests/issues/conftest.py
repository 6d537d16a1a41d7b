"""The questionnaire of the demo (groups, themes, questions) without its respondents, for tests
that import or publish responses."""

import tomllib

import pytest
from django.conf import settings

from issues.models import Question, Theme
from wgec.models import StakeholderGroup


def _questionnaire() -> dict[str, Question]:
    fixtures = settings.BASE_DIR / "fixtures"
    groups = tomllib.loads((fixtures / "wgec.toml").read_text())["stakeholder_groups"]
    for position, row in enumerate(groups, start=1):
        StakeholderGroup.objects.get_or_create(
            slug=row["slug"], defaults={"name": row["name"], "position": position}
        )
    data = tomllib.loads((fixtures / "questionnaire.toml").read_text())
    themes = {
        row["letter"]: Theme.objects.get_or_create(
            letter=row["letter"], defaults={"title": row["title"]}
        )[0]
        for row in data["themes"]
    }
    return {
        row["code"]: Question.objects.get_or_create(
            code=row["code"],
            defaults={
                "number": row["number"],
                "part": row.get("part", ""),
                "text": row["text"],
                "theme": themes[row["theme"]],
                "reconstructed": row.get("reconstructed", False),
            },
        )[0]
        for row in data["questions"]
    }


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploaded files, import previews and built compilations go to a fresh folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def questionnaire(db) -> dict[str, Question]:
    """The five stakeholder groups, the five themes and the 18 questions (Q2a ... Q17)."""
    return _questionnaire()
