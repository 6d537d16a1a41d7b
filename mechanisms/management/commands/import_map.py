from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mechanisms.map_workbook.imports import map_import_apply, map_import_plan, map_import_upload
from wgec.documents.spreadsheets import SpreadsheetError, check_size


class Command(BaseCommand):
    help = (
        "Import an edited map workbook (.xlsx) or its CSV tables. Prints what is created, "
        "updated, removed and left alone; writes nothing when any row is in error or with "
        "--dry-run."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("files", nargs="+", help="map.xlsx, or map-*.csv files")
        parser.add_argument("--dry-run", action="store_true", help="show the changes only")
        parser.add_argument(
            "--in-background",
            action="store_true",
            help="store the files and have a worker (manage.py db_worker) read them; the "
            "preview is then confirmed in the admin, at the address printed",
        )

    def handle(self, *args, files: list[str], dry_run: bool, **options) -> None:
        contents = []
        for name in files:
            path = Path(name)
            if not path.is_file():
                raise CommandError(_("%(file)s: no such file.") % {"file": name})
            try:
                check_size(path.stat().st_size, path.name)
            except SpreadsheetError as error:
                raise CommandError(
                    _("%(error)s Nothing was imported.") % {"error": error}
                ) from None
            contents.append((path.name, path.read_bytes()))
        if options["in_background"]:
            if dry_run:
                raise CommandError(_("--dry-run and --in-background do not go together."))
            upload = map_import_upload(files=contents, user=None)
            address = reverse("admin:issues_issue_map_import_preview", args=[upload.pk])
            self.stdout.write(
                _(
                    "Stored as import %(id)s for a worker to read; see its preview and confirm it "
                    "at %(address)s"
                )
                % {"id": upload.pk, "address": f"{settings.SITE_URL}{address}"}
            )
            return
        plan = map_import_plan(contents)
        if not plan.ok:
            for error in plan.errors:
                self.stderr.write(str(error))
            raise CommandError(
                ngettext(
                    "%(count)s error; nothing was imported.",
                    "%(count)s errors; nothing was imported.",
                    len(plan.errors),
                )
                % {"count": len(plan.errors)}
            )
        for change in plan.changes:
            self._show(change)
        for line in plan.summary_lines():
            self.stdout.write(line)
        if dry_run:
            self.stdout.write(_("Dry run: nothing was written."))
            return
        if not plan.changed:
            self.stdout.write(_("Nothing to change."))
            return
        map_import_apply(plan, reason=f"map import from {', '.join(plan.sources)}")
        self.stdout.write(self.style.SUCCESS(_("Imported.")))

    def _show(self, change) -> None:
        where = _("row %(row)s") % {"row": change.row} if change.row else _("not in the file")
        self.stdout.write(f"{change.sheet}, {where}: {change.subject} {change.action}")
        for column, old, new in change.changes:
            self.stdout.write(f"    {column}: {old!r} -> {new!r}")
