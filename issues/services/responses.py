"""Importing questionnaire responses from a spreadsheet (CSV or XLSX).

The columns are those of DESIGN.md: ``Respondent ID``, ``Submitted``, ``Name``,
``Organisation``, ``Country``, ``Stakeholder group``, ``Consent to cite``, then one column per
question code (``Q2a`` ... ``Q17``). One row is one respondent with all their answers, and that
is the unit that is created, updated or left alone:

- a row with a Respondent ID updates that respondent (an unknown ID is an error);
- a row without one is matched on its natural key (name, organisation, submitted), which the
  database keeps unique, and updated, or else created;
- the file is authoritative for the columns it has: in a question column, a filled cell sets the
  respondent's answer and an **empty cell removes it** (the preview lists every removal); a
  question whose column is absent is left alone, as are the language and demo flags, which the
  file does not carry;
- an empty consent cell means No: without a clear Yes nobody is cited;
- a respondent whose values and answers are those of the file is not saved at all, so that
  importing the same file twice changes nothing and adds nothing to the change history.

Every error is collected, each naming the row and the column, and nothing is written when there
is any. The admin import (``issues/resources.py``), ``manage.py import_responses`` and the
background task all call ``responses_import``.
"""

import datetime
import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePath

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_countries import countries
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from issues.models import Answer, IssueSource, Question, Respondent
from wgec.documents.spreadsheets import (
    Row,
    Sheet,
    SpreadsheetError,
    normalise_header,
    parse_datetime,
    parse_yes_no,
    read_workbook,
)
from wgec.models import StakeholderGroup

ID = "Respondent ID"
SUBMITTED = "Submitted"
NAME = "Name"
ORGANISATION = "Organisation"
COUNTRY = "Country"
GROUP = "Stakeholder group"
CONSENT = "Consent to cite"
RESPONDENT_COLUMNS = [ID, SUBMITTED, NAME, ORGANISATION, COUNTRY, GROUP, CONSENT]
REQUIRED_COLUMNS = [SUBMITTED, NAME, ORGANISATION, COUNTRY, GROUP, CONSENT]

# A header that looks like a question code must be one.
QUESTION_HEADER = re.compile(r"q\d+[a-z]?")

BATCH = 500  # rows per query or bulk write (well below SQLite's limit on parameters)

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
ADDED, CHANGED, REMOVED = "added", "changed", "removed"


# Reading values as people write them ----------------------------------------------------------


def _key(text: str) -> str:
    """A loose spelling key: no case, accents, punctuation or leading "the"."""
    text = unicodedata.normalize("NFKD", str(text).casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = text.replace("&", " and ").replace("organiz", "organis")
    text = re.sub(r"[\W_]+", " ", text).strip()
    return re.sub(r"^the ", "", text)


GROUP_ALIASES: dict[str, list[str]] = {
    "governments": [
        "government",
        "gouvernement",
        "gouvernements",
        "gobierno",
        "gobiernos",
        "gov",
        "govt",
        "member state",
        "member states",
        "state",
        "states",
    ],
    "private-sector": [
        "business",
        "businesses",
        "business sector",
        "business private sector",
        "private sector business",
        "business and private sector",
        "industry",
        "private",
        "secteur prive",
        "sector privado",
    ],
    "civil-society": [
        "civil society organisation",
        "civil society organisations",
        "cso",
        "csos",
        "ngo",
        "ngos",
        "non governmental organisation",
        "non governmental organisations",
        "societe civile",
        "sociedad civil",
    ],
    "technical-academic": [
        "academia",
        "academic",
        "academic community",
        "technical",
        "technical community",
        "technical and academic community",
        "academic and technical community",
        "technical and academic communities",
        "academic and technical communities",
        "academic technical",
        "technical academic",
        "academia technical community",
        "communaute technique",
        "communaute technique et universitaire",
        "comunidad tecnica",
        "comunidad tecnica y academica",
    ],
    "intergovernmental": [
        "igo",
        "igos",
        "io",
        "international organisation",
        "international organisations",
        "intergovernmental organisation",
        "intergovernmental organisations",
        "intergovernmental and international organisation",
        "intergovernmental and international organisations",
        "igo international organisation",
        "organisation internationale",
        "organisations internationales",
        "organizacion internacional",
        "organizaciones internacionales",
    ],
}

COUNTRY_ALIASES: dict[str, str] = {
    # The names and abbreviations people write that are not ISO codes or django-countries
    # names; accents, case and punctuation do not matter (see _key).
    "usa": "US",
    "u s": "US",
    "u s a": "US",
    "united states": "US",
    "america": "US",
    "uk": "GB",
    "u k": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "russia": "RU",
    "iran islamic republic of": "IR",
    "islamic republic of iran": "IR",
    "korea republic of": "KR",
    "republic of korea": "KR",
    "korea rep": "KR",
    "south korea": "KR",
    "korea democratic people s republic of": "KP",
    "democratic people s republic of korea": "KP",
    "north korea": "KP",
    "dprk": "KP",
    "cote d ivoire": "CI",
    "ivory coast": "CI",
    "drc": "CD",
    "dr congo": "CD",
    "democratic republic of congo": "CD",
    "democratic republic of the congo": "CD",
    "congo democratic republic of the": "CD",
    "republic of the congo": "CG",
    "republic of congo": "CG",
    "congo brazzaville": "CG",
    "laos": "LA",
    "lao pdr": "LA",
    "former yugoslav republic of macedonia": "MK",
    "fyrom": "MK",
    "republic of moldova": "MD",
    "moldova republic of": "MD",
    "czechia": "CZ",
    "holland": "NL",
    "vatican": "VA",
    "holy see": "VA",
    "palestine": "PS",
    "state of palestine": "PS",
    "burma": "MM",
    "east timor": "TL",
    "cape verde": "CV",
    "cabo verde": "CV",
    "swaziland": "SZ",
    "eswatini": "SZ",
    "turkiye": "TR",
    "brunei": "BN",
    "syria": "SY",
    "syrian arab republic": "SY",
    "tanzania": "TZ",
    "united republic of tanzania": "TZ",
    "venezuela bolivarian republic of": "VE",
    "bolivarian republic of venezuela": "VE",
    "bolivia plurinational state of": "BO",
    "plurinational state of bolivia": "BO",
    "micronesia federated states of": "FM",
    "uae": "AE",
    "emirates": "AE",
    "ksa": "SA",
    "kingdom of saudi arabia": "SA",
    "gambia": "GM",
    "bahamas": "BS",
    "viet nam": "VN",
    "st kitts and nevis": "KN",
    "st lucia": "LC",
    "st vincent and the grenadines": "VC",
}


class Spellings:
    """Stakeholder groups and countries by the names people give them."""

    def __init__(self) -> None:
        self.groups: dict[str, StakeholderGroup] = {}
        by_slug = {group.slug: group for group in StakeholderGroup.objects.all()}
        for slug, aliases in GROUP_ALIASES.items():
            if slug in by_slug:
                for alias in aliases:
                    self.groups[_key(alias)] = by_slug[slug]
        for group in by_slug.values():  # the names of the database win over the aliases
            self.groups[_key(group.slug)] = group
            self.groups[_key(group.name)] = group
        self.countries = {_key(name): code for code, name in countries}
        self.countries.update(COUNTRY_ALIASES)

    def group(self, text: str) -> StakeholderGroup:
        group = self.groups.get(_key(text))
        if group is None:
            names = "; ".join(sorted({group.name for group in self.groups.values()}))
            raise ValueError(f"“{text}” is not a stakeholder group (write one of: {names}).")
        return group

    def country(self, text: str) -> str:
        """An ISO 3166-1 alpha-2 code, from a code (alpha-2, alpha-3, numeric) or a name."""
        if not text:
            return ""
        if len(text) <= 3 and text.strip().isalnum() and text.upper() not in {"UK"}:
            code = countries.alpha2(text.strip())
            if code:
                return code
        key = _key(text)
        code = self.countries.get(key) or countries.by_name(text)
        if not code and "," in text:
            # "Korea, Republic of" and the like, as UN lists invert them.
            head, _, tail = text.partition(",")
            code = self.countries.get(_key(f"{tail} {head}")) or countries.by_name(
                f"{tail.strip()} {head.strip()}"
            )
        if not code:
            raise ValueError(
                f"“{text}” is not a country (write its name or ISO code, e.g. “Brazil” or "
                "“BR”; leave the cell empty when there is none)."
            )
        return code


# The plan: what an import would do -----------------------------------------------------------


@dataclass
class AnswerChange:
    code: str
    kind: str  # ADDED, CHANGED or REMOVED
    old: str = ""
    new: str = ""


@dataclass
class FieldChange:
    column: str
    old: str
    new: str


@dataclass
class RowPlan:
    """What importing one row does to its respondent and their answers."""

    number: int
    action: str  # CREATE, UPDATE or UNCHANGED
    respondent: Respondent
    fields: list[FieldChange] = field(default_factory=list)
    answers: list[AnswerChange] = field(default_factory=list)
    # Filled while planning; used when writing.
    answer_texts: dict[int, str] = field(default_factory=dict, repr=False)
    existing: dict[int, tuple[int, str]] = field(default_factory=dict, repr=False)

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


def responses_read(data: bytes, filename: str) -> Sheet:
    """The responses table of an uploaded file: its only sheet, or the one named Responses.

    The file type follows the content (an XLSX file is a zip archive), whatever its name says.
    """
    if data.startswith(b"PK\x03\x04"):
        filename = f"{PurePath(filename).stem or 'responses'}.xlsx"
    elif PurePath(filename).suffix.lower() not in {".csv", ".xlsx", ".xlsm"}:
        filename = f"{PurePath(filename).stem or 'responses'}.csv"
    sheets = read_workbook(data, filename)
    named = [sheet for name, sheet in sheets.items() if normalise_header(name) == "responses"]
    sheet = named[0] if named else next(iter(sheets.values()), None)
    if sheet is None or not sheet.headers:
        raise SpreadsheetError("the file is empty: it has no header row.")
    return sheet


def responses_plan(sheet: Sheet) -> ResponsesPlan:
    """Check every row and work out what importing the sheet would do, writing nothing."""
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
    has_id = sheet.has_column(ID)
    lookup = Spellings()
    parsed = [_parse_row(sheet, row, lookup, plan, has_id) for row in sheet.rows]
    _match(sheet, parsed, plan)
    return plan


@dataclass
class _Parsed:
    row: Row
    pk: int | None = None
    values: dict = field(default_factory=dict)
    answers: dict[int, str] = field(default_factory=dict)  # question id -> text ("" removes)
    ok: bool = True

    @property
    def natural_key(self) -> tuple:
        return (self.values["name"], self.values["organisation"], self.values["submitted_at"])


def _parse_row(sheet: Sheet, row: Row, lookup: Spellings, plan: ResponsesPlan, has_id: bool):
    parsed = _Parsed(row=row)

    def fail(column: str, message: str) -> None:
        parsed.ok = False
        plan.errors.append(sheet.error(message, row=row, column=column))

    if has_id and row.text(ID):
        try:
            parsed.pk = int(row.text(ID))
            if parsed.pk <= 0:
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
        submitted = parse_datetime(row[SUBMITTED])
        values["submitted_at"] = submitted.replace(microsecond=0) + datetime.timedelta(
            seconds=round(submitted.microsecond / 1e6)
        )
    except ValueError as error:
        fail(SUBMITTED, str(error).replace("a date is required", "the submission date is required"))
    try:
        values["consent_to_cite"] = parse_yes_no(row[CONSENT])
    except ValueError as error:
        fail(CONSENT, f"{error} Write Yes or No.")
    parsed.values = values
    for question in plan.questions:
        parsed.answers[question.pk] = row.text(question.code)
    return parsed


def _chunks[T](items: list[T], size: int = BATCH) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _match(sheet: Sheet, parsed: list[_Parsed], plan: ResponsesPlan) -> None:
    """Find each valid row's respondent and work out the changes."""
    valid = [item for item in parsed if item.ok]
    ids = sorted({item.pk for item in valid if item.pk})
    by_id: dict[int, Respondent] = {}
    for chunk in _chunks(ids):
        by_id.update(Respondent.objects.in_bulk(chunk))
    names = sorted({item.values["name"] for item in valid})
    by_key: dict[tuple, Respondent] = {}
    for chunk in _chunks(names):
        for respondent in Respondent.objects.filter(name__in=chunk):
            by_key[(respondent.name, respondent.organisation, respondent.submitted_at)] = respondent

    seen_ids: dict[int, int] = {}
    seen_keys: dict[tuple, int] = {}
    matched: list[tuple[_Parsed, Respondent | None]] = []
    for item in valid:
        number = item.row.number
        key = item.natural_key
        respondent = None
        if item.pk:
            respondent = by_id.get(item.pk)
            if respondent is None:
                plan.errors.append(
                    sheet.error(
                        f"there is no respondent with ID {item.pk} (leave the cell empty to add "
                        "a new respondent).",
                        row=item.row,
                        column=ID,
                    )
                )
                continue
            if item.pk in seen_ids:
                plan.errors.append(
                    sheet.error(
                        f"respondent {item.pk} is already in row {seen_ids[item.pk]}.",
                        row=item.row,
                        column=ID,
                    )
                )
                continue
            seen_ids[item.pk] = number
            holder = by_key.get(key)
            if holder is not None and holder.pk != respondent.pk:
                plan.errors.append(
                    sheet.error(
                        f"respondent {holder.pk} already has this name, organisation and "
                        "submission time.",
                        row=item.row,
                        column=NAME,
                    )
                )
                continue
        else:
            respondent = by_key.get(key)
            if respondent is not None and respondent.pk in seen_ids:
                plan.errors.append(
                    sheet.error(
                        f"this is respondent {respondent.pk}, already in row "
                        f"{seen_ids[respondent.pk]}.",
                        row=item.row,
                        column=NAME,
                    )
                )
                continue
            if respondent is not None:
                seen_ids[respondent.pk] = number
        if key in seen_keys:
            plan.errors.append(
                sheet.error(
                    f"row {seen_keys[key]} has the same name, organisation and submission time.",
                    row=item.row,
                    column=NAME,
                )
            )
            continue
        seen_keys[key] = number
        matched.append((item, respondent))

    existing_answers: dict[int, dict[int, tuple[int, str]]] = defaultdict(dict)
    respondent_ids = [respondent.pk for _, respondent in matched if respondent is not None]
    for chunk in _chunks(respondent_ids):
        for pk, respondent_id, question_id, text in Answer.objects.filter(
            respondent_id__in=chunk
        ).values_list("pk", "respondent_id", "question_id", "text"):
            existing_answers[respondent_id][question_id] = (pk, text)

    codes = {question.pk: question.code for question in plan.questions}
    for item, respondent in matched:
        plan.rows.append(
            _row_plan(
                item,
                respondent,
                existing_answers.get(respondent.pk, {}) if respondent else {},
                codes,
            )
        )
    _check_sources(sheet, plan)


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
        )
        row = RowPlan(number=item.row.number, action=CREATE, respondent=respondent)
    else:
        row = RowPlan(number=item.row.number, action=UNCHANGED, respondent=respondent)
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
        ]:
            if old == new:
                continue
            shown_old = _shown(name, respondent)
            setattr(respondent, name, values[name])
            row.fields.append(FieldChange(column, shown_old, _shown(name, respondent)))
    row.existing = existing
    for question_id, text in item.answers.items():
        old = existing.get(question_id)
        if text:
            row.answer_texts[question_id] = text
            if old is None:
                row.answers.append(AnswerChange(codes[question_id], ADDED, new=text))
            elif old[1] != text:
                row.answers.append(AnswerChange(codes[question_id], CHANGED, old=old[1], new=text))
        elif old is not None:
            row.answers.append(AnswerChange(codes[question_id], REMOVED, old=old[1]))
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
    if name == "consent_to_cite":
        return "Yes" if respondent.consent_to_cite else "No"
    return str(getattr(respondent, name))


def _check_sources(sheet: Sheet, plan: ResponsesPlan) -> None:
    """An answer that an issue cites keeps the cited passage: the import may not remove it or
    rewrite it without the excerpt (the sources of the issue map would be lost)."""
    touched: dict[int, tuple[RowPlan, AnswerChange]] = {}
    question_ids = {question.code: question.pk for question in plan.questions}
    for row in plan.rows:
        for change in row.answers:
            if change.kind in (CHANGED, REMOVED):
                answer_id = row.existing[question_ids[change.code]][0]
                touched[answer_id] = (row, change)
    if not touched:
        return
    for chunk in _chunks(sorted(touched)):
        for source in IssueSource.objects.filter(answer_id__in=chunk).select_related("issue"):
            row, change = touched[source.answer_id]
            if change.kind == REMOVED:
                plan.errors.append(
                    sheet.error(
                        f"the cell is empty, but this answer is the source of the issue "
                        f"“{source.issue}”: keep the answer, or remove the source in the admin "
                        "first.",
                        row=row.number,
                        column=change.code,
                    )
                )
            elif not source.quotes(change.new):
                plan.errors.append(
                    sheet.error(
                        f"the new text no longer contains the passage quoted as the source of "
                        f"the issue “{source.issue}” (“{source.excerpt[:80]}”): keep that "
                        "passage, or change the source in the admin first.",
                        row=row.number,
                        column=change.code,
                    )
                )
    plan.errors.sort(key=lambda error: error.row or 0)


# Writing ---------------------------------------------------------------------------------------


def responses_import(
    *, sheet: Sheet, dry_run: bool = False, user=None, previewed: str | None = None
) -> ResponsesPlan:
    """Import a responses sheet: every row, or (on any error, or a dry run) nothing.

    Returns the plan; ``plan.errors`` lists every problem, each naming its row and column, and
    ``plan.written`` tells whether the database was changed. With ``previewed`` (the digest of
    a plan shown to the user), nothing is written unless the plan is still the same.
    """
    plan = responses_plan(sheet)
    if previewed and not plan.errors and plan.digest() != previewed:
        plan.errors.append(
            SpreadsheetError(
                "the responses were changed by someone else since the preview, so the file "
                "would no longer do what the preview showed; nothing was written. Upload the "
                "file again to see the new preview."
            )
        )
    if plan.errors or dry_run or not any(row.action != UNCHANGED for row in plan.rows):
        return plan
    try:
        _apply(plan, user=user)
    except IntegrityError:
        # Another import or an edit in the admin changed the same respondents meanwhile.
        plan.errors.append(
            SpreadsheetError(
                "the responses changed while the file was being imported; nothing was written. "
                "Import the file again."
            )
        )
        return plan
    plan.written = True
    return plan


@transaction.atomic
def _apply(plan: ResponsesPlan, *, user) -> None:
    now = timezone.now()
    history = {"default_user": user, "default_date": now, "batch_size": BATCH}
    created = [row.respondent for row in plan.rows if row.action == CREATE]
    updated = [row.respondent for row in plan.rows if row.action == UPDATE and row.fields]
    if created:
        bulk_create_with_history(created, Respondent, **history)
    if updated:
        fields = ["name", "organisation", "country", "stakeholder_group", "submitted_at"]
        bulk_update_with_history(
            updated, Respondent, fields=[*fields, "consent_to_cite"], **history
        )
    new_answers: list[Answer] = []
    changed_answers: list[Answer] = []
    removed_answers: list[Answer] = []
    question_ids = {question.code: question.pk for question in plan.questions}
    for row in plan.rows:
        for change in row.answers:
            question_id = question_ids[change.code]
            if change.kind == ADDED:
                new_answers.append(
                    Answer(respondent=row.respondent, question_id=question_id, text=change.new)
                )
                continue
            pk = row.existing[question_id][0]
            answer = Answer(
                pk=pk,
                respondent=row.respondent,
                question_id=question_id,
                text=change.new or change.old,
            )
            (changed_answers if change.kind == CHANGED else removed_answers).append(answer)
    if new_answers:
        bulk_create_with_history(new_answers, Answer, **history)
    if changed_answers:
        bulk_update_with_history(changed_answers, Answer, fields=["text"], **history)
    for answer in removed_answers:
        # One by one, so that the change history records each removal and who made it.
        answer._history_user = user
        answer.delete()


def responses_import_file(
    *, data: bytes, filename: str, dry_run: bool = False, user=None, previewed: str | None = None
) -> ResponsesPlan:
    """Read a file and import it; an unreadable file is an error of the plan."""
    try:
        sheet = responses_read(data, filename)
    except SpreadsheetError as error:
        return ResponsesPlan(errors=[error])
    return responses_import(sheet=sheet, dry_run=dry_run, user=user, previewed=previewed)


# The same columns, written: the secretariat's round trip ---------------------------------------


def responses_table(respondents=None) -> tuple[list[str], list[list]]:
    """Headers and rows of the import format, for the given respondents (default: all), with
    their IDs, so that the file can be edited and imported back unchanged."""
    questions = list(Question.objects.all())
    if respondents is None:
        respondents = Respondent.objects.all()
    respondents = (
        respondents.select_related("stakeholder_group").prefetch_related("answers").order_by("pk")
    )
    headers = [*RESPONDENT_COLUMNS, *(question.code for question in questions)]
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
                *(texts.get(question.pk, "") for question in questions),
            ]
        )
    return headers, rows
