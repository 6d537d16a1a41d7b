"""Write the final document (or the initial output) to a file; the format follows its name."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.final import document_deliverable
from reports.formats import UnknownFormat, final_document_bytes, format_of
from reports.models import Deliverable


class Command(BaseCommand):
    help = (
        "Write the final document from the map as it stands: .docx or .pdf (the document), "
        ".xlsx (the map workbook with the referred items and the participants) or .csv (one "
        "table of the map)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("-o", "--output", required=True, help="file to write, e.g. final.docx")
        parser.add_argument(
            "--deliverable",
            help="the document's deliverable, e.g. initial-output (default: the final document)",
        )

    def handle(self, *, output: str, deliverable: str | None, **options) -> None:
        try:
            format = format_of(output)
        except UnknownFormat as error:
            raise CommandError(str(error)) from None
        path = Path(output)
        if not path.parent.is_dir():
            raise CommandError(f"The folder {path.parent} does not exist.")
        try:
            issued_as = document_deliverable(deliverable)
        except Deliverable.DoesNotExist:
            raise CommandError(f"No deliverable “{deliverable}”.") from None
        content = final_document_bytes(deliverable=issued_as, format=format)
        # Written whole or not at all: a failure above leaves no partial file behind.
        temporary = path.with_name(f".{path.name}.part")
        temporary.write_bytes(content)
        temporary.replace(path)
        self.stdout.write(f"Wrote {path} ({format.upper()}, {len(content):,} bytes): {issued_as}.")
