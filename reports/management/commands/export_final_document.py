"""Write the final document (or the initial output) to a file; the format follows its name."""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reports.final import (
    DOCUMENT_LANGUAGES,
    DocumentDateError,
    UnknownLanguage,
    document_deliverable,
    document_issue,
    document_language,
)
from reports.formats import UnknownFormat, final_document_bytes, format_of
from reports.models import Deliverable, DocumentExport


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--date {value}: give the date as YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = (
        "Write the final document (or another deliverable's document): .docx or .pdf (the "
        "document), .xlsx (the map workbook with the referred items and the participants) or "
        ".csv (one table of the map). A deliverable already issued is written exactly as issued "
        "(its date, its symbol, the map as it stood then); --date prepares it as of another "
        "date. --language writes its fixed wording (headings, annexes, table headers, the date of "
        "issue) in another of the six official languages."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("-o", "--output", required=True, help="file to write, e.g. final.docx")
        parser.add_argument(
            "--deliverable",
            help="the document's deliverable, e.g. initial-output (default: the final document)",
        )
        parser.add_argument(
            "--date",
            help="prepare the document from the map as it stood on this date (YYYY-MM-DD) "
            "instead of as issued (or as it stands, dated the day of its last recorded change)",
        )
        parser.add_argument(
            "--language",
            default="en",
            help=f"the language of the document's fixed wording: {', '.join(DOCUMENT_LANGUAGES)} "
            "(default: en; the map's text stays as it was written; a CSV is English data)",
        )

    def handle(
        self,
        *,
        output: str,
        deliverable: str | None,
        date: str | None,
        language: str = "en",
        **options,
    ):
        try:
            format = format_of(output)
            language = document_language(language)
        except (UnknownFormat, UnknownLanguage) as error:
            raise CommandError(str(error)) from None
        path = Path(output)
        if not path.parent.is_dir():
            raise CommandError(f"The folder {path.parent} does not exist.")
        day = _date(date) if date else None
        try:
            issued_as = document_deliverable(deliverable)
        except Deliverable.DoesNotExist:
            slugs = ", ".join(Deliverable.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(
                f"No deliverable “{deliverable}”. The deliverables are: {slugs}."
            ) from None
        try:
            # The moment of this run is the moment the document is prepared.
            issue = document_issue(issued_as, date=day, now=timezone.now())
        except DocumentDateError as error:
            raise CommandError(str(error)) from None
        # The frozen files of an issued deliverable are its English ones.
        content = self._frozen(issue, format) if language == "en" or format == "csv" else None
        if content is None:
            content = final_document_bytes(issue=issue, format=format, language=language)
        # Written whole or not at all: a failure above leaves no partial file behind.
        temporary = path.with_name(f".{path.name}.part")
        temporary.write_bytes(content)
        temporary.replace(path)
        if issue.issued:
            how = f"as issued on {issue.date:%-d %B %Y}" + (
                f" ({issue.symbol})" if issue.symbol else ""
            )
        else:
            how = f"prepared as of {issue.date:%-d %B %Y}"
        self.stdout.write(
            f"Wrote {path} ({format.upper()}, {len(content):,} bytes, {language}): {issued_as}, "
            f"{how}."
        )

    def _frozen(self, issue, format: str) -> bytes | None:
        """The file frozen when the deliverable was issued, if it was built."""
        if not issue.issued:
            return None
        export = DocumentExport.objects.filter(
            deliverable=issue.deliverable,
            format=format,
            frozen=True,
            state=DocumentExport.State.DONE,
        ).first()
        if export is None or not export.file:
            return None
        try:
            with export.file.open("rb") as handle:
                return handle.read()
        except FileNotFoundError:
            return None
