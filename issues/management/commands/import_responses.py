"""python manage.py import_responses FILE [--dry-run]"""

from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from issues.services.response_uploads import responses_upload
from issues.services.responses import responses_import_file
from wgec.documents.spreadsheets import SpreadsheetError, check_size


class Command(BaseCommand):
    help = (
        "Import questionnaire responses from a CSV or XLSX file (columns: Respondent ID, "
        "Submitted, Name, Organisation, Country, Stakeholder group, Consent to cite, Q2a ... "
        "Q17). Rows with an ID update that respondent; others are matched on name, "
        "organisation and submission time. Nothing is written when any row is invalid."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report; write nothing."
        )
        parser.add_argument(
            "--date-order",
            choices=["dmy", "mdy"],
            help="How the file writes dates that fit both orders: dmy (17/09/2013) or mdy "
            "(9/17/2013, as Google Forms in the United States). Needed only when no date in "
            "the file decides.",
        )
        parser.add_argument(
            "--in-background",
            action="store_true",
            help="Store the file and have a worker (manage.py db_worker) read it; its preview "
            "is then confirmed in the admin, at the address printed.",
        )

    def handle(self, *args, file: Path, dry_run: bool, date_order: str | None, **options):
        if options["in_background"] and dry_run:
            raise CommandError(_("--dry-run and --in-background do not go together."))
        try:
            check_size(file.stat().st_size, file.name)
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(
                _("%(file)s: %(error)s.") % {"file": file, "error": error.strerror or error}
            ) from None
        except SpreadsheetError as error:
            raise CommandError(_("%(error)s Nothing was imported.") % {"error": error}) from None
        if options["in_background"]:
            upload = responses_upload(
                file=ContentFile(data), filename=file.name, date_order=date_order or "", user=None
            )
            address = reverse("admin:issues_respondent_import_preview", args=[upload.pk])
            self.stdout.write(
                _(
                    "Stored as import %(id)s for a worker to read; see its preview and confirm it "
                    "at %(address)s"
                )
                % {"id": upload.pk, "address": f"{settings.SITE_URL}{address}"}
            )
            return
        plan = responses_import_file(
            data=data, filename=file.name, dry_run=dry_run, order=date_order
        )
        if plan.errors:
            lines = [str(error) for error in plan.errors]
            raise CommandError(
                ngettext(
                    "%(file)s: %(count)s error; nothing was imported.",
                    "%(file)s: %(count)s errors; nothing was imported.",
                    len(lines),
                )
                % {"file": file.name, "count": len(lines)}
                + "\n"
                + "\n".join(lines)
            )
        for row in plan.rows:
            if row.action != "unchanged" and options["verbosity"] >= 2:
                self.stdout.write(
                    _("Row %(row)s: %(action)s %(label)s: %(summary)s")
                    % {
                        "row": row.number,
                        "action": row.action,
                        "label": row.label,
                        "summary": row.summary(),
                    }
                )
        for row, change in plan.removals():
            self.stdout.write(
                _("Row %(row)s: the answer of %(label)s to %(code)s is removed (empty cell).")
                % {"row": row.number, "label": row.label, "code": change.code}
            )
        if dry_run:
            self.stdout.write(
                _("Dry run, nothing written: would be %(summary)s") % {"summary": plan.summary()}
            )
        else:
            self.stdout.write(plan.summary())
