"""Reading a responses file and planning its import: the columns, each row checked and matched to
its respondent, and what importing it would create, update and remove. Writes nothing; the
import itself is ``issues.services.responses``."""

import datetime
import hashlib
import itertools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Literal

from django.utils import timezone

from issues.models import Answer, IssueSource, Question, Respondent
from issues.responses.spellings import Spellings
from wgec.documents.spreadsheets import (
    Progress,
    Row,
    Sheet,
    SpreadsheetError,
    date_order,
    normalise_header,
    parse_datetime,
    parse_yes_no,
    read_workbook,
)

ID = "Respondent ID"
SUBMITTED = "Submitted"
NAME = "Name"
ORGANISATION = "Organisation"
COUNTRY = "Country"
GROUP = "Stakeholder group"
CONSENT = "Consent to cite"
RESPONDENT_COLUMNS = [ID, SUBMITTED, NAME, ORGANISATION, COUNTRY, GROUP, CONSENT]
# Optional: when a file has them, they are imported too (absent, they are left as they are).
LANGUAGE = "Language"
ILLUSTRATIVE = "Illustrative"
REQUIRED_COLUMNS = [SUBMITTED, NAME, ORGANISATION, COUNTRY, GROUP, CONSENT]

# A header that looks like a question code must be one.
QUESTION_HEADER = re.compile(r"q\d+[a-z]?")

MAX_ID = 2**63 - 1  # the largest ID a database holds
BATCH = 500  # rows per query or bulk write (well below SQLite's limit on parameters)

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
ADDED, CHANGED, REMOVED = "added", "changed", "removed"


# The plan: what an import would do -----------------------------------------------------------


@dataclass(slots=True)  # one an answer a file sets or removes (126,000 at 100x)
class AnswerChange:
    """An answer the import adds, changes or removes. The plan holds no answer's new text: the
    import reads it again from the sheet as it writes (``issues.services.responses``)."""

    code: str
    kind: str  # ADDED, CHANGED or REMOVED
    old: str = ""  # the text removed (REMOVED)
    answer_id: int | None = None  # the answer changed or removed (CHANGED, REMOVED)


@dataclass(slots=True)
class FieldChange:
    column: str
    old: str
    new: str


@dataclass(slots=True)
class RowPlan:
    """What importing one row does to its respondent and their answers."""

    number: int
    action: str  # CREATE, UPDATE or UNCHANGED
    respondent: Respondent
    fields: list[FieldChange] = field(default_factory=list)
    answers: list[AnswerChange] = field(default_factory=list)

    @property
    def label(self) -> str:
        respondent = self.respondent
        who = respondent.name
        if respondent.organisation and respondent.organisation != respondent.name:
            who += f", {respondent.organisation}"
        return who

    def summary(self) -> str:
        parts = [
            f"{change.column}: {change.old or '(empty)'} → {change.new}" for change in self.fields
        ]
        for kind in (ADDED, CHANGED, REMOVED):
            codes = [change.code for change in self.answers if change.kind == kind]
            if codes:
                note = " (empty cell)" if kind == REMOVED else ""
                parts.append(
                    f"answer{'s' if len(codes) > 1 else ''} {kind}{note}: " + ", ".join(codes)
                )
        return "; ".join(parts)


@dataclass
class ResponsesPlan:
    """The outcome of reading a file: every row's plan, or every error. Nothing is written
    unless ``errors`` is empty."""

    rows: list[RowPlan] = field(default_factory=list)
    errors: list[SpreadsheetError] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    written: bool = False

    @property
    def counts(self) -> Counter:
        return Counter(row.action for row in self.rows)

    @property
    def answer_counts(self) -> Counter:
        return Counter(change.kind for row in self.rows for change in row.answers)

    def removals(self) -> list[tuple[RowPlan, AnswerChange]]:
        return [
            (row, change) for row in self.rows for change in row.answers if change.kind == REMOVED
        ]

    def digest(self) -> str:
        """A fingerprint of what the import would do, to tell whether a confirmed preview still
        holds."""
        text = "\n".join(f"{row.number} {row.action} {row.summary()}" for row in self.rows)
        return hashlib.sha256(text.encode()).hexdigest()

    def summary(self) -> str:
        counts, answers = self.counts, self.answer_counts
        return (
            f"{counts[CREATE]} created, {counts[UPDATE]} updated, {counts[UNCHANGED]} unchanged "
            f"(skipped); answers: {answers[ADDED]} added, {answers[CHANGED]} changed, "
            f"{answers[REMOVED]} removed."
        )


def responses_read(data: bytes, filename: str, progress: Progress | None = None) -> Sheet:
    """The responses table of an uploaded file: its only sheet, or the one named Responses.

    The file type follows the content (an XLSX file is a zip archive), whatever its name says;
    the import limits (settings ``IMPORT_MAX_*``) are checked while reading. The rows are not
    kept: planning and importing read them again a batch at a time (``Sheet.iter_rows``), so
    that an import holds the answers of one batch of respondents, not of the whole file.
    """
    sheets = read_workbook(data, filename, progress=progress, keep_rows=False)
    named = [sheet for name, sheet in sheets.items() if normalise_header(name) == "responses"]
    sheet = named[0] if named else next(iter(sheets.values()), None)
    if sheet is None or not sheet.headers:
        raise SpreadsheetError("the file is empty: it has no header row.")
    return sheet


# Submission dates outside the exercise's plausible range are refused: before this, or later
# than the moment of the import.
EARLIEST_SUBMISSION = datetime.date(2000, 1, 1)


def responses_plan(sheet: Sheet, *, order: str | None = None) -> ResponsesPlan:
    """Check every row and work out what importing the sheet would do, writing nothing.

    ``order`` is the order of the day and month in the file's dates (``dmy`` or ``mdy``), for a
    file whose dates read both ways; otherwise the dates themselves decide (``date_order``).
    The rows are checked and matched BATCH at a time; the errors are listed in row order.
    """
    plan = ResponsesPlan()
    columns_missing = False
    try:
        sheet.require_columns(REQUIRED_COLUMNS)
    except SpreadsheetError as error:
        plan.errors.append(error)
        columns_missing = True
    by_code = {question.code.casefold(): question for question in Question.objects.all()}
    for header in sheet.headers:
        key = normalise_header(header)
        if not QUESTION_HEADER.fullmatch(key):
            continue
        question = by_code.get(key)
        if question is None:
            known = ", ".join(question.code for question in by_code.values())
            plan.errors.append(
                sheet.error(
                    f"“{header}” is not a question of the questionnaire (the questions are "
                    f"{known}).",
                    row=1,
                    column=header,
                )
            )
        else:
            plan.questions.append(question)
    if columns_missing:
        return plan
    try:
        order = date_order(sheet, SUBMITTED, sheet.iter_rows(), order)
    except SpreadsheetError as error:
        plan.errors.append(error)
        return plan
    has_id = sheet.has_column(ID)
    lookup = Spellings()
    matcher = _Matcher(sheet, plan)
    for rows in itertools.batched(sheet.iter_rows(), BATCH, strict=False):
        matcher.match([_parse_row(sheet, row, lookup, plan, has_id, order) for row in rows])
    plan.errors.sort(key=lambda error: error.row or 0)
    return plan


@dataclass(slots=True)
class _Parsed:
    number: int
    pk: int | None = None
    values: dict = field(default_factory=dict)
    answers: dict[int, str] = field(default_factory=dict)  # question id -> text ("" removes)
    ok: bool = True

    @property
    def natural_key(self) -> tuple:
        return (self.values["name"], self.values["organisation"], self.values["submitted_at"])


def _parse_row(
    sheet: Sheet, row: Row, lookup: Spellings, plan: ResponsesPlan, has_id: bool, order: str
):
    parsed = _Parsed(number=row.number)

    def fail(column: str, message: str) -> None:
        parsed.ok = False
        plan.errors.append(sheet.error(message, row=row, column=column))

    if has_id and row.text(ID):
        try:
            parsed.pk = int(row.text(ID))
            if not 0 < parsed.pk <= MAX_ID:
                raise ValueError
        except ValueError:
            fail(ID, f"“{row.text(ID)}” is not a respondent ID (a whole number from an export).")
    name, organisation = row.text(NAME), row.text(ORGANISATION)
    if not name:
        fail(NAME, "a name is required (write the respondent's or submission's name).")
    elif len(name) > 300:
        fail(NAME, f"the name is {len(name)} characters long; at most 300 fit.")
    if len(organisation) > 500:
        fail(ORGANISATION, f"the organisation is {len(organisation)} characters; at most 500 fit.")
    values: dict = {"name": name, "organisation": organisation}
    try:
        values["country"] = lookup.country(row.text(COUNTRY))
    except ValueError as error:
        fail(COUNTRY, str(error))
    group_text = row.text(GROUP)
    if not group_text:
        fail(GROUP, "a stakeholder group is required.")
    else:
        try:
            values["stakeholder_group"] = lookup.group(group_text)
        except ValueError as error:
            fail(GROUP, str(error))
    try:
        submitted = parse_datetime(row[SUBMITTED], order)
        values["submitted_at"] = submitted.replace(microsecond=0) + datetime.timedelta(
            seconds=round(submitted.microsecond / 1e6)
        )
    except ValueError as error:
        fail(SUBMITTED, str(error).replace("a date is required", "the submission date is required"))
    else:
        shown = timezone.localtime(submitted).strftime("%Y-%m-%d")
        if timezone.localtime(submitted).date() < EARLIEST_SUBMISSION:
            fail(
                SUBMITTED,
                f"the submission date {shown} is before {EARLIEST_SUBMISSION:%Y}; check the "
                "date (and its order of day and month).",
            )
        elif submitted > timezone.now():
            fail(SUBMITTED, f"the submission date {shown} is in the future; check the date.")
    try:
        values["consent_to_cite"] = parse_yes_no(row[CONSENT])
    except ValueError as error:
        fail(CONSENT, f"{error} Write Yes or No.")
    if sheet.has_column(LANGUAGE):
        language = row.text(LANGUAGE)
        if len(language) > 10:
            fail(LANGUAGE, f"“{language[:20]}” is not a language code (en, fr, es, zh ...).")
        values["language"] = language
    if sheet.has_column(ILLUSTRATIVE):
        try:
            values["illustrative"] = bool(row.text(ILLUSTRATIVE)) and parse_yes_no(
                row[ILLUSTRATIVE]
            )
        except ValueError as error:
            fail(ILLUSTRATIVE, f"{error} Write Yes or No.")
    parsed.values = values
    for question in plan.questions:
        parsed.answers[question.pk] = row.text(question.code)
    return parsed


class _Matcher:
    """Finds each valid row's respondent and works out the changes, a batch of rows at a time;
    what must hold across the file (a respondent, or a name, organisation and submission time,
    in one row only) is remembered from batch to batch."""

    def __init__(self, sheet: Sheet, plan: ResponsesPlan) -> None:
        self.sheet, self.plan = sheet, plan
        self.seen_ids: dict[int, int] = {}
        self.seen_keys: dict[tuple, int] = {}
        self.codes = {question.pk: question.code for question in plan.questions}

    def match(self, parsed: list[_Parsed]) -> None:
        valid = [item for item in parsed if item.ok]
        if not valid:
            return
        by_id = Respondent.objects.in_bulk(sorted({item.pk for item in valid if item.pk}))
        names = sorted({item.values["name"] for item in valid})
        by_key = {
            (respondent.name, respondent.organisation, respondent.submitted_at): respondent
            for respondent in Respondent.objects.filter(name__in=names)
        }
        matched = [
            (item, respondent)
            for item in valid
            if (respondent := self._respondent(item, by_id, by_key)) is not False
        ]
        existing: dict[int, dict[int, tuple[int, str]]] = defaultdict(dict)
        respondent_ids = [respondent.pk for _, respondent in matched if respondent is not None]
        if respondent_ids:
            for pk, respondent_id, question_id, text in Answer.objects.filter(
                respondent_id__in=respondent_ids
            ).values_list("pk", "respondent_id", "question_id", "text"):
                existing[respondent_id][question_id] = (pk, text)
        planned = []
        for item, respondent in matched:
            answers = existing.get(respondent.pk, {}) if respondent else {}
            planned.append((item, _row_plan(item, respondent, answers, self.codes)))
        self.plan.rows.extend(row for _, row in planned)
        self._check_sources(planned)

    def _respondent(
        self, item: _Parsed, by_id: dict[int, Respondent], by_key: dict[tuple, Respondent]
    ) -> Respondent | None | Literal[False]:
        """The row's respondent, None for a new one, or False after an error."""
        number, key = item.number, item.natural_key
        seen_ids, seen_keys = self.seen_ids, self.seen_keys
        respondent = None
        if item.pk:
            respondent = by_id.get(item.pk)
            if respondent is None:
                return self._error(
                    f"there is no respondent with ID {item.pk} (leave the cell empty to add "
                    "a new respondent).",
                    number,
                    ID,
                )
            if item.pk in seen_ids:
                return self._error(
                    f"respondent {item.pk} is already in row {seen_ids[item.pk]}.", number, ID
                )
            seen_ids[item.pk] = number
            holder = by_key.get(key)
            if holder is not None and holder.pk != respondent.pk:
                return self._error(
                    f"respondent {holder.pk} already has this name, organisation and "
                    "submission time.",
                    number,
                    NAME,
                )
        else:
            respondent = by_key.get(key)
            if respondent is not None and respondent.pk in seen_ids:
                return self._error(
                    f"this is respondent {respondent.pk}, already in row "
                    f"{seen_ids[respondent.pk]}.",
                    number,
                    NAME,
                )
            if respondent is not None:
                seen_ids[respondent.pk] = number
        if key in seen_keys:
            return self._error(
                f"row {seen_keys[key]} has the same name, organisation and submission time.",
                number,
                NAME,
            )
        seen_keys[key] = number
        return respondent

    def _error(self, message: str, number: int, column: str) -> Literal[False]:
        self.plan.errors.append(self.sheet.error(message, row=number, column=column))
        return False

    def _check_sources(self, planned: list[tuple[_Parsed, RowPlan]]) -> None:
        """An answer that an issue cites keeps the cited passage: the import may not remove it
        or rewrite it without the excerpt (the sources of the issue map would be lost)."""
        question_ids = {code: pk for pk, code in self.codes.items()}
        touched: dict[int, tuple[RowPlan, AnswerChange, str]] = {}
        for item, row in planned:
            for change in row.answers:
                if change.kind in (CHANGED, REMOVED):
                    text = item.answers[question_ids[change.code]]
                    touched[change.answer_id] = (row, change, text)
        if not touched:
            return
        sources = IssueSource.objects.filter(answer_id__in=sorted(touched))
        for source in sources.select_related("issue"):
            row, change, text = touched[source.answer_id]
            if change.kind == REMOVED:
                message = (
                    f"the cell is empty, but this answer is the source of the issue "
                    f"“{source.issue}”: keep the answer, or remove the source in the admin first."
                )
            elif not source.quotes(text):
                message = (
                    f"the new text no longer contains the passage quoted as the source of the "
                    f"issue “{source.issue}” (“{source.excerpt[:80]}”): keep that passage, or "
                    "change the source in the admin first."
                )
            else:
                continue
            self._error(message, row.number, change.code)


def _row_plan(
    item: _Parsed,
    respondent: Respondent | None,
    existing: dict[int, tuple[int, str]],
    codes: dict[int, str],
) -> RowPlan:
    values = item.values
    if respondent is None:
        respondent = Respondent(
            name=values["name"],
            organisation=values["organisation"],
            country=values["country"],
            stakeholder_group=values["stakeholder_group"],
            submitted_at=values["submitted_at"],
            consent_to_cite=values["consent_to_cite"],
            language=values.get("language", ""),
            illustrative=values.get("illustrative", False),
        )
        row = RowPlan(number=item.number, action=CREATE, respondent=respondent)
    else:
        row = RowPlan(number=item.number, action=UNCHANGED, respondent=respondent)
        for column, name, old, new in [
            (NAME, "name", respondent.name, values["name"]),
            (ORGANISATION, "organisation", respondent.organisation, values["organisation"]),
            (COUNTRY, "country", respondent.country.code or "", values["country"]),
            (
                GROUP,
                "stakeholder_group",
                respondent.stakeholder_group_id,
                values["stakeholder_group"].pk,
            ),
            (SUBMITTED, "submitted_at", respondent.submitted_at, values["submitted_at"]),
            (CONSENT, "consent_to_cite", respondent.consent_to_cite, values["consent_to_cite"]),
            *(
                [(LANGUAGE, "language", respondent.language, values["language"])]
                if "language" in values
                else []
            ),
            *(
                [(ILLUSTRATIVE, "illustrative", respondent.illustrative, values["illustrative"])]
                if "illustrative" in values
                else []
            ),
        ]:
            if old == new:
                continue
            shown_old = _shown(name, respondent)
            setattr(respondent, name, values[name])
            row.fields.append(FieldChange(column, shown_old, _shown(name, respondent)))
    for question_id, text in item.answers.items():
        old = existing.get(question_id)
        if text:
            if old is None:
                row.answers.append(AnswerChange(codes[question_id], ADDED))
            elif old[1] != text:
                row.answers.append(AnswerChange(codes[question_id], CHANGED, answer_id=old[0]))
        elif old is not None:
            row.answers.append(AnswerChange(codes[question_id], REMOVED, old[1], old[0]))
    if row.action == UNCHANGED and (row.fields or row.answers):
        row.action = UPDATE
    return row


def _shown(name: str, respondent: Respondent) -> str:
    if name == "country":
        return respondent.country.name if respondent.country else ""
    if name == "stakeholder_group":
        return respondent.stakeholder_group.name
    if name == "submitted_at":
        return timezone.localtime(respondent.submitted_at).strftime("%Y-%m-%d %H:%M:%S")
    if name in ("consent_to_cite", "illustrative"):
        return "Yes" if getattr(respondent, name) else "No"
    return str(getattr(respondent, name))
