"""Many respondents at once, for query budgets and benchmarks: bulk-created (no history rows),
removed again with ``population_remove``."""

import datetime
import itertools

from issues.models import Answer, Issue, IssueSource, Question, Respondent
from wgec.models import StakeholderGroup

COUNTRIES = ["BR", "IN", "SA", "RU", "CN", "US", "GB", "KE", "ZA", "MX", "FR", "CH", "JP", "NG", ""]

ANSWER = (
    "Respondent {n} on {code}: broadband connectivity, the protection of children online, "
    "transboundary data flows and the harmonisation of cybersecurity policies deserve attention."
)


def population_create(size: int, *, answers_per_respondent: int | None = None) -> Respondent:
    """``size`` respondents (every second one consenting) answering the questionnaire; returns
    a consenting respondent whose answers raise issues (more of them as the size grows)."""
    groups = list(StakeholderGroup.objects.all())
    questions = list(Question.objects.all())[:answers_per_respondent]
    start = datetime.datetime(2013, 9, 1, tzinfo=datetime.UTC)
    respondents = Respondent.objects.bulk_create(
        [
            Respondent(
                name=f"Respondent {n:05d}",
                organisation=f"Organisation {n % 97}",
                country=COUNTRIES[n % len(COUNTRIES)],
                stakeholder_group=groups[n % len(groups)],
                submitted_at=start + datetime.timedelta(minutes=n),
                consent_to_cite=n % 2 == 0,
            )
            for n in range(size)
        ],
        batch_size=500,
    )
    Answer.objects.bulk_create(
        (
            Answer(
                respondent=respondent,
                question=question,
                text=ANSWER.format(n=n, code=question.code),
            )
            for (n, respondent), question in itertools.product(enumerate(respondents), questions)
        ),
        batch_size=1000,
    )
    cited = respondents[0]
    issues = Issue.objects.bulk_create(
        Issue(title=f"Issue {n}", state=Issue.State.WITHDRAWN) for n in range(min(size, 40))
    )
    answers = list(cited.answers.all())
    IssueSource.objects.bulk_create(
        IssueSource(issue=issue, answer=answers[n % len(answers)], excerpt="broadband connectivity")
        for n, issue in enumerate(issues)
    )
    return cited


def population_remove() -> None:
    """Remove everything population_create made (without signals: no history rows)."""
    for model in (IssueSource, Issue, Answer, Respondent):
        model.objects.all()._raw_delete(model.objects.db)
