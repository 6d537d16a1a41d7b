"""The compilations of responses the secretariat posts: by question and by respondent, as DOCX
(read like the published compilations) and XLSX (one row per answer or per respondent).

Callers pass querysets already limited to what may be published (``Answer.objects.public()``,
``Respondent.objects.public()``); each builder collects its data once, then a formatter writes
it.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpResponse
from django.utils import timezone
from docx.document import Document

from issues.models import Answer, Question, Respondent
from wgec.documents import docx_bytes, docx_document, download, xml_safe
from wgec.spreadsheets import xlsx_bytes

FORMATS = ("docx", "xlsx")


def _filename(kind: str, fmt: str) -> str:
    return f"{settings.WGEC_GROUP_SHORT_NAME}-responses-by-{kind}.{fmt}"


def _who(respondent: Respondent) -> str:
    """Name, organisation (stakeholder group, country), as the compilations cite respondents."""
    text = respondent.name
    if respondent.shows_organisation:
        text += f", {respondent.organisation}"
    details = [respondent.stakeholder_group.name]
    if respondent.country:
        details.append(respondent.country.name)
    return f"{text} ({', '.join(details)})"


def _region(respondent: Respondent) -> str:
    region = respondent.regional_group
    return region.label if region else ""


def _add_text(document: Document, text: str) -> None:
    """An answer as paragraphs, as its author wrote them."""
    for paragraph in [part.strip() for part in text.split("\n") if part.strip()] or [""]:
        document.add_paragraph(xml_safe(paragraph))


def _questions() -> list[Question]:
    return list(Question.objects.select_related("theme"))


def _intro(document: Document, count: int, unit: str) -> None:
    document.add_paragraph(
        f"This compilation reproduces the {unit} of the {count} respondent"
        f"{'s' if count != 1 else ''} to the questionnaire who agreed to be cited, as submitted. "
        "The responses of those who did not agree are used only in aggregate. Issued "
        f"{timezone.localdate():%-d %B %Y}."
    ).runs[0].italic = True


def by_question(answers: QuerySet[Answer], fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404("No such format.")
    questions = _questions()
    grouped: dict[int, list[Answer]] = defaultdict(list)
    for answer in answers.select_related("respondent__stakeholder_group").by_respondent_name():
        grouped[answer.question_id].append(answer)
    sections = [(question, grouped[question.pk]) for question in questions]
    if fmt == "xlsx":
        return download(_by_question_xlsx(sections), _filename("question", fmt))
    return download(_by_question_docx(sections), _filename("question", fmt))


def _by_question_docx(sections: list[tuple[Question, list[Answer]]]) -> bytes:
    document = docx_document(
        title="Responses to the questionnaire, by question",
        subtitle="Compilation of the responses, question by question",
        date=timezone.localdate(),
    )
    respondents = {answer.respondent_id for _, answers in sections for answer in answers}
    _intro(document, len(respondents), "answers, question by question,")
    theme = None
    for question, answers in sections:
        if question.theme_id != getattr(theme, "pk", None):
            theme = question.theme
            document.add_heading(xml_safe(f"{theme.letter}. {theme.title}"), level=1)
        document.add_heading(xml_safe(f"{question.code}. {question.text}"), level=2)
        if not answers:
            document.add_paragraph("No published answer.").runs[0].italic = True
        for answer in answers:
            document.add_paragraph().add_run(xml_safe(_who(answer.respondent))).bold = True
            _add_text(document, answer.text)
    return docx_bytes(document)


def _by_question_xlsx(sections: list[tuple[Question, list[Answer]]]) -> bytes:
    headers = ["Question", "Respondent ID", "Respondent", "Organisation", "Stakeholder group",
               "Country", "UN regional group", "Answer"]  # fmt: skip
    rows = (
        [
            question.code,
            answer.respondent_id,
            answer.respondent.name,
            answer.respondent.organisation,
            answer.respondent.stakeholder_group.name,
            answer.respondent.country.name if answer.respondent.country else "",
            _region(answer.respondent),
            answer.text,
        ]
        for question, answers in sections
        for answer in answers
    )
    return xlsx_bytes([_questions_sheet(sections), ("Answers", headers, rows)])


def _questions_sheet(sections: list[tuple[Question, list[Answer]]]):
    return (
        "Questions",
        ["Question", "Theme", "Text", "Published answers"],
        [
            [
                question.code,
                f"{question.theme.letter}. {question.theme.title}",
                question.text,
                len(answers),
            ]  # fmt: skip
            for question, answers in sections
        ],
    )


def by_respondent(respondents: QuerySet[Respondent], fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404("No such format.")
    questions = _questions()
    people = list(
        respondents.select_related("stakeholder_group")
        .prefetch_related(
            Prefetch(
                "answers", queryset=Answer.objects.order_by("question__number", "question__part")
            )
        )
        .order_by("name", "pk")
    )
    if fmt == "xlsx":
        return download(_by_respondent_xlsx(people, questions), _filename("respondent", fmt))
    return download(_by_respondent_docx(people, questions), _filename("respondent", fmt))


def _by_respondent_docx(people: Iterable[Respondent], questions: list[Question]) -> bytes:
    document = docx_document(
        title="Responses to the questionnaire, by respondent",
        subtitle="Compilation of the responses, respondent by respondent",
        date=timezone.localdate(),
    )
    people = list(people)
    _intro(document, len(people), "responses, respondent by respondent,")
    by_pk = {question.pk: question for question in questions}
    for respondent in people:
        document.add_heading(xml_safe(respondent.name), level=1)
        details = [respondent.organisation] if respondent.shows_organisation else []
        details.append(respondent.stakeholder_group.name)
        if respondent.country:
            details.append(respondent.country.name)
        details.append(f"submitted {timezone.localtime(respondent.submitted_at):%-d %B %Y}")
        document.add_paragraph(xml_safe(" · ".join(details))).runs[0].italic = True
        answers = list(respondent.answers.all())
        if not answers:
            document.add_paragraph("No answer.").runs[0].italic = True
        for answer in answers:
            question = by_pk[answer.question_id]
            document.add_paragraph().add_run(
                xml_safe(f"{question.code}. {question.text}")
            ).bold = True
            _add_text(document, answer.text)
    return docx_bytes(document)


def _by_respondent_xlsx(people: Iterable[Respondent], questions: list[Question]) -> bytes:
    headers = [
        *("Respondent ID", "Respondent", "Organisation", "Stakeholder group", "Country"),
        *("UN regional group", "Submitted", *(question.code for question in questions)),
    ]
    people = list(people)

    def rows():
        for respondent in people:
            texts = {answer.question_id: answer.text for answer in respondent.answers.all()}
            yield [
                respondent.pk,
                respondent.name,
                respondent.organisation,
                respondent.stakeholder_group.name,
                respondent.country.name if respondent.country else "",
                _region(respondent),
                respondent.submitted_at,
                *(texts.get(question.pk, "") for question in questions),
            ]

    counts: dict[int, int] = defaultdict(int)
    for respondent in people:
        for answer in respondent.answers.all():
            counts[answer.question_id] += 1
    questions_sheet = (
        "Questions",
        ["Question", "Theme", "Text", "Published answers"],
        [
            [
                question.code,
                f"{question.theme.letter}. {question.theme.title}",
                question.text,
                counts[question.pk],
            ]  # fmt: skip
            for question in questions
        ],
    )
    return xlsx_bytes([questions_sheet, ("Respondents", headers, rows())])
