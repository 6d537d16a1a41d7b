"""The compilations of responses the secretariat posts: by question and by respondent, as DOCX
(read like the published compilations) and XLSX (one row per answer or per respondent).

Every compilation reads ``Answer.objects.public()`` or ``Respondent.objects.public()`` through
the filters of its page; each builder collects its data once, then a formatter writes it. Files
are kept in media storage per state of the data, and large ones are built in the background.
"""

import datetime
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Prefetch, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy, ngettext

from issues.filters import AnswerFilter, RespondentFilter
from issues.models import Answer, Question, Respondent, Theme
from wgec.documents.direction import text_direction
from wgec.documents.docx import DocxWriter, docx_document
from wgec.documents.http import download
from wgec.documents.pdf import pdf_bytes
from wgec.documents.spreadsheets import xlsx_bytes
from wgec.languages import is_language
from wgec.models import StakeholderGroup

FORMATS = ("docx", "pdf", "xlsx")
KINDS = ("question", "respondent")

# A compilation of more answers than this is built by a background task, not in the request.
INLINE_LIMIT = 5_000
# The folder of media storage that keeps built compilations.
COMPILATIONS = "compilations"
# A background build not finished after this long is started again (its worker may have died).
PENDING_SECONDS = 600


def _filename(kind: str, fmt: str) -> str:
    return f"{settings.WGEC_GROUP_SHORT_NAME}-responses-by-{kind}.{fmt}"


def _answers(kind: str, params: QueryDict) -> QuerySet[Answer]:
    """The published answers a compilation holds, filtered as its page is."""
    if kind == "question":
        return AnswerFilter(params, queryset=Answer.objects.public()).qs
    respondents = RespondentFilter(params, queryset=Respondent.objects.public()).qs
    return Answer.objects.filter(respondent__in=respondents.values("pk"))


def compilation_language(fmt: str, language: str) -> str:
    """The language a compilation is written in: a document's fixed wording in the one asked
    for; a spreadsheet in English, whose headers and values other programs read."""
    return language if fmt != "xlsx" and is_language(language) else "en"


def compilation_bytes(*, kind: str, fmt: str, query: str, language: str = "en") -> bytes:
    """The compilation by question or by respondent, for the filters of ``query``, its fixed
    wording (headings, labels, dates) in ``language``."""
    params = QueryDict(query)
    with translation.override(compilation_language(fmt, language)):
        if kind == "question":
            return by_question(_answers(kind, params), fmt)
        respondents = RespondentFilter(params, queryset=Respondent.objects.public()).qs
        return by_respondent(respondents, fmt)


def data_stamp() -> str:
    """When the published data last changed (every change is recorded in the history), in one
    query: the latest history date of each model, as subqueries."""
    latest = {
        model._meta.model_name: Subquery(
            model.history.order_by("-history_date").values("history_date")[:1]
        )
        for model in (Respondent, Answer, Question, Theme, StakeholderGroup)
    }
    row = StakeholderGroup.objects.order_by().annotate(**latest).values(*latest).first()
    return repr(row)


def compilation_path(*, kind: str, fmt: str, query: str, stamp: str, language: str = "en") -> str:
    """Where the compilation of ``kind`` for the filters of ``query`` in ``language`` is kept for
    one state of the data: ``compilations/<kind>-<filters>-<language>-<state>.<fmt>``, hashed."""

    def digest(text: str) -> str:
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    language = compilation_language(fmt, language)
    return f"{COMPILATIONS}/{kind}-{digest(query)}-{language}-{digest(stamp)}.{fmt}"


def data_date() -> datetime.date | None:
    """The day the published responses last changed (the latest change in their history): the
    date a compilation bears, whenever it is built."""
    latest = {
        model._meta.model_name: Subquery(
            model.history.order_by("-history_date").values("history_date")[:1]
        )
        for model in (Respondent, Answer, Question)
    }
    row = Question.objects.order_by().annotate(**latest).values(*latest).first() or {}
    moments = [moment for moment in row.values() if moment is not None]
    return timezone.localdate(max(moments)) if moments else None


ILLUSTRATIVE_TEXT = gettext_lazy("Illustrative text")
ILLUSTRATIVE_NOTE = gettext_lazy(
    "Answers marked “Illustrative text” are invented for the demonstration: their respondents "
    "are fictional, and no answer is the view of any real person, government or organisation."
)
RECONSTRUCTED = gettext_lazy(
    "(reconstructed wording: the question's text was not found in the public record)"
)


def question_heading(question: Question) -> str:
    """A question as the compilations head it, its wording said reconstructed when it is."""
    text = f"{question.code}. {question.text}"
    return f"{text} {RECONSTRUCTED}" if question.reconstructed else text


def compilation_keep(path: str, content: bytes) -> None:
    """Keep a built compilation, and delete those it supersedes: the same compilation for
    earlier states of the data, which no request asks for any more. Media storage then holds one
    file per compilation and set of filters, however often the data changes."""
    if not default_storage.exists(path):
        default_storage.save(path, ContentFile(content))
    name = path.removeprefix(f"{COMPILATIONS}/")
    stem, _, fmt = name.rpartition(".")
    same_filters = stem.rpartition("-")[0] + "-"
    _, files = default_storage.listdir(COMPILATIONS)
    for other in files:
        if other != name and other.startswith(same_filters) and other.endswith(f".{fmt}"):
            default_storage.delete(f"{COMPILATIONS}/{other}")


def compilation_response(request: HttpRequest, *, kind: str, fmt: str) -> HttpResponse:
    """Download a compilation, built once per state of the data and kept in media storage.

    A small one is built in the request; a large one by the ``compilation_build`` task, while
    the visitor sees a page that reloads itself until the file is ready.
    """
    if fmt not in FORMATS or kind not in KINDS:
        raise Http404("No such compilation.")
    params = request.GET.copy()
    params.pop("page", None)
    # The document's language: the one asked for, else the page's (as the final document's).
    language = params.pop("language", [""])[-1]
    if not is_language(language):
        language = getattr(request, "LANGUAGE_CODE", "en")
    language = compilation_language(fmt, language)
    query = urlencode(sorted(params.lists()), doseq=True)
    path = compilation_path(kind=kind, fmt=fmt, query=query, stamp=data_stamp(), language=language)
    try:
        with default_storage.open(path, "rb") as handle:
            return download(handle.read(), _filename(kind, fmt))
    except FileNotFoundError:  # not built yet, or replaced by a newer state since the stamp
        pass
    count = _answers(kind, params).count()
    if count <= INLINE_LIMIT:
        content = compilation_bytes(kind=kind, fmt=fmt, query=query, language=language)
        compilation_keep(path, content)
        return download(content, _filename(kind, fmt))
    pending = f"{path}.pending"
    stale = (
        default_storage.exists(pending)
        and (timezone.now() - default_storage.get_modified_time(pending)).total_seconds()
        > PENDING_SECONDS
    )
    if stale:
        default_storage.delete(pending)
    if not default_storage.exists(pending):
        default_storage.save(pending, ContentFile(b""))
        from issues.tasks import compilation_build

        compilation_build.enqueue(kind=kind, fmt=fmt, query=query, path=path, language=language)
    context = {"kind": kind, "fmt": fmt.upper(), "count": count}
    return render(request, "issues/compilation_pending.html", context, status=202)


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
    return str(region.label) if region else ""


def _questions() -> list[Question]:
    return list(Question.objects.select_related("theme"))


def _intro_text(count: int, kind: str, day: datetime.date | None) -> str:
    if kind == "question":
        text = ngettext(
            "This compilation reproduces the answers, question by question, of the %(count)s "
            "respondent to the questionnaire who agreed to be cited, as submitted.",
            "This compilation reproduces the answers, question by question, of the %(count)s "
            "respondents to the questionnaire who agreed to be cited, as submitted.",
            count,
        )
    else:
        text = ngettext(
            "This compilation reproduces the responses, respondent by respondent, of the "
            "%(count)s respondent to the questionnaire who agreed to be cited, as submitted.",
            "This compilation reproduces the responses, respondent by respondent, of the "
            "%(count)s respondents to the questionnaire who agreed to be cited, as submitted.",
            count,
        )
    parts = [
        text % {"count": count},
        gettext("The responses of those who did not agree are used only in aggregate."),
    ]
    if day:
        parts.append(
            gettext("It shows the responses as they stood on %(day)s.")
            % {"day": date_format(day, "DATE_FORMAT")}
        )
    return " ".join(parts)


def _intro(
    writer: DocxWriter, count: int, kind: str, day: datetime.date | None, illustrative: bool
) -> None:
    writer.paragraph(_intro_text(count, kind, day), italic=True)
    if illustrative:
        writer.paragraph(str(ILLUSTRATIVE_NOTE), bold=True)


def by_question(answers: QuerySet[Answer], fmt: str) -> bytes:
    questions = _questions()
    grouped: dict[int, list[Answer]] = defaultdict(list)
    for answer in answers.select_related("respondent__stakeholder_group").by_respondent_name():
        grouped[answer.question_id].append(answer)
    sections = [(question, grouped[question.pk]) for question in questions]
    if fmt == "xlsx":
        return _by_question_xlsx(sections)
    if fmt == "pdf":
        return _by_question_pdf(sections)
    return _by_question_docx(sections)


def _by_question_docx(sections: list[tuple[Question, list[Answer]]]) -> bytes:
    day = data_date()
    writer = DocxWriter(
        docx_document(
            title=gettext("Responses to the questionnaire, by question"),
            subtitle=gettext("Compilation of the responses, question by question"),
            date=day,
        )
    )
    respondents = {answer.respondent_id for _, answers in sections for answer in answers}
    illustrative = any(answer.respondent.illustrative for _, rows in sections for answer in rows)
    _intro(writer, len(respondents), "question", day, illustrative)
    theme = None
    for question, answers in sections:
        if question.theme_id != getattr(theme, "pk", None):
            theme = question.theme
            writer.heading(f"{theme.letter}. {theme.title}", 1)
        writer.heading(question_heading(question), 2)
        if not answers:
            writer.paragraph(gettext("No published answer."), italic=True)
        for answer in answers:
            writer.paragraph(_who(answer.respondent), bold=True)
            if answer.respondent.illustrative:
                writer.paragraph(f"{ILLUSTRATIVE_TEXT}:", italic=True)
            writer.text(answer.text, language=answer.respondent.language)
    return writer.close()


@dataclass
class CompiledText:
    """A text as a compilation prints it: its lines, each with the direction its script
    runs."""

    lines: list[tuple[str, str]]  # (line, "rtl" or "ltr")

    @classmethod
    def of(cls, text: str, language: str = "") -> "CompiledText":
        parts = [part.strip() for part in (text or "").split("\n") if part.strip()]
        return cls([(part, text_direction(part, language)) for part in parts])


def _by_question_pdf(sections: list[tuple[Question, list[Answer]]]) -> bytes:
    day = data_date()
    respondents = {answer.respondent_id for _, answers in sections for answer in answers}
    illustrative = any(answer.respondent.illustrative for _, rows in sections for answer in rows)
    themes = []
    for question, answers in sections:
        if not themes or themes[-1][0].pk != question.theme_id:
            themes.append((question.theme, []))
        themes[-1][1].append(
            (
                question_heading(question),
                [
                    (
                        _who(answer.respondent),
                        answer.respondent.illustrative,
                        CompiledText.of(answer.text, answer.respondent.language),
                    )
                    for answer in answers
                ],
            )
        )
    return pdf_bytes(
        "issues/compilation_by_question_document.html",
        {
            "title": gettext("Responses to the questionnaire, by question"),
            "subtitle": gettext("Compilation of the responses, question by question"),
            "date": day,
            "intro": _intro_text(len(respondents), "question", day),
            "illustrative_note": str(ILLUSTRATIVE_NOTE) if illustrative else "",
            "illustrative_text": str(ILLUSTRATIVE_TEXT),
            "themes": themes,
        },
    )


def _by_question_xlsx(sections: list[tuple[Question, list[Answer]]]) -> bytes:
    headers = ["Question", "Respondent ID", "Respondent", "Organisation", "Stakeholder group",
               "Country", "UN regional group", "Answer", "Illustrative"]  # fmt: skip
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
            str(ILLUSTRATIVE_TEXT) if answer.respondent.illustrative else "",
        ]
        for question, answers in sections
        for answer in answers
    )
    counts = {question.pk: len(answers) for question, answers in sections}
    questions = [question for question, _ in sections]
    return xlsx_bytes([_questions_sheet(questions, counts), ("Answers", headers, rows)])


def _questions_sheet(questions: list[Question], counts: dict[int, int]):
    """The sheet listing the questions with their theme and number of published answers."""
    return (
        "Questions",
        ["Question", "Theme", "Text", "Published answers"],
        [
            [
                question.code,
                f"{question.theme.letter}. {question.theme.title}",
                f"{question.text} {RECONSTRUCTED}" if question.reconstructed else question.text,
                counts.get(question.pk, 0),
            ]  # fmt: skip
            for question in questions
        ],
    )


def by_respondent(respondents: QuerySet[Respondent], fmt: str) -> bytes:
    questions = _questions()
    people = list(
        respondents.select_related("stakeholder_group")
        .prefetch_related(
            Prefetch(
                "answers", queryset=Answer.objects.order_by("question__number", "question__part")
            ),
            "cosigners",
        )
        .order_by("name", "pk")
    )
    if fmt == "xlsx":
        return _by_respondent_xlsx(people, questions)
    if fmt == "pdf":
        return _by_respondent_pdf(people, questions)
    return _by_respondent_docx(people, questions)


def _by_respondent_docx(people: Iterable[Respondent], questions: list[Question]) -> bytes:
    day = data_date()
    writer = DocxWriter(
        docx_document(
            title=gettext("Responses to the questionnaire, by respondent"),
            subtitle=gettext("Compilation of the responses, respondent by respondent"),
            date=day,
        )
    )
    people = list(people)
    illustrative = any(respondent.illustrative for respondent in people)
    _intro(writer, len(people), "respondent", day, illustrative)
    by_pk = {question.pk: question for question in questions}
    for respondent in people:
        writer.heading(respondent.name, 1)
        writer.paragraph(_details(respondent), italic=True)
        answers = list(respondent.answers.all())
        if not answers:
            writer.paragraph(gettext("No answer."), italic=True)
        for answer in answers:
            question = by_pk[answer.question_id]
            writer.paragraph(question_heading(question), bold=True)
            writer.text(answer.text, language=respondent.language)
    return writer.close()


def _details(respondent: Respondent) -> str:
    """What the compilation by respondent says under a respondent's name."""
    details = [respondent.organisation] if respondent.shows_organisation else []
    details.append(respondent.stakeholder_group.name)
    if respondent.country:
        details.append(respondent.country.name)
    submitted = date_format(timezone.localtime(respondent.submitted_at).date(), "DATE_FORMAT")
    details.append(gettext("submitted %(day)s") % {"day": submitted})
    cosigners = [cosigner.name for cosigner in respondent.cosigners.all()]
    if cosigners:
        details.append(gettext("joint submission with %(names)s") % {"names": "; ".join(cosigners)})
    if respondent.illustrative:
        details.append(str(ILLUSTRATIVE_TEXT))
    return " · ".join(details)


def _by_respondent_pdf(people: Iterable[Respondent], questions: list[Question]) -> bytes:
    day = data_date()
    people = list(people)
    by_pk = {question.pk: question for question in questions}
    return pdf_bytes(
        "issues/compilation_by_respondent_document.html",
        {
            "title": gettext("Responses to the questionnaire, by respondent"),
            "subtitle": gettext("Compilation of the responses, respondent by respondent"),
            "date": day,
            "intro": _intro_text(len(people), "respondent", day),
            "illustrative_note": (
                str(ILLUSTRATIVE_NOTE) if any(person.illustrative for person in people) else ""
            ),
            "respondents": [
                (
                    respondent.name,
                    _details(respondent),
                    [
                        (
                            question_heading(by_pk[answer.question_id]),
                            CompiledText.of(answer.text, respondent.language),
                        )
                        for answer in respondent.answers.all()
                    ],
                )
                for respondent in people
            ],
        },
    )


def _by_respondent_xlsx(people: Iterable[Respondent], questions: list[Question]) -> bytes:
    headers = [
        *("Respondent ID", "Respondent", "Organisation", "Stakeholder group", "Country"),
        *("UN regional group", "Submitted", "Illustrative", "Co-signers"),
        *(question.code for question in questions),
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
                str(ILLUSTRATIVE_TEXT) if respondent.illustrative else "",
                "; ".join(cosigner.name for cosigner in respondent.cosigners.all()),
                *(texts.get(question.pk, "") for question in questions),
            ]

    counts: dict[int, int] = defaultdict(int)
    for respondent in people:
        for answer in respondent.answers.all():
            counts[answer.question_id] += 1
    return xlsx_bytes([_questions_sheet(questions, counts), ("Respondents", headers, rows())])
