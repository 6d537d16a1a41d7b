"""The import format, written: every respondent with their ID and answers, so that the file can
be edited and imported back unchanged (the secretariat's round trip)."""

from django.utils import timezone

from issues.models import Question, Respondent
from issues.responses.plan import ILLUSTRATIVE, LANGUAGE, RESPONDENT_COLUMNS


def responses_table(respondents=None) -> tuple[list[str], list[list]]:
    """Headers and rows of the import format, for the given respondents (default: all), with
    their IDs, so that the file can be edited and imported back unchanged."""
    questions = list(Question.objects.all())
    if respondents is None:
        respondents = Respondent.objects.all()
    respondents = (
        respondents.select_related("stakeholder_group").prefetch_related("answers").order_by("pk")
    )
    headers = [
        *RESPONDENT_COLUMNS,
        LANGUAGE,
        ILLUSTRATIVE,
        *(question.code for question in questions),
    ]
    rows = []
    for respondent in respondents:
        texts = {answer.question_id: answer.text for answer in respondent.answers.all()}
        rows.append(
            [
                respondent.pk,
                timezone.localtime(respondent.submitted_at).replace(tzinfo=None),
                respondent.name,
                respondent.organisation,
                respondent.country.code if respondent.country else "",
                respondent.stakeholder_group.name,
                respondent.consent_to_cite,
                respondent.language,
                # Invented demonstration answers say so wherever they go (and import back).
                "Yes" if respondent.illustrative else "No",
                *(texts.get(question.pk, "") for question in questions),
            ]
        )
    return headers, rows
