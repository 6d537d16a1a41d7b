from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from project.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Replace the database of DATABASE_URL (empty or migrated) and the media files with those "
        "of a backup file written by the backup command, then migrate to this release."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="a backup file (.tar.gz)")

    def handle(self, *args, file: Path, **options) -> None:
        try:
            result = backup_restore(path=file)
        except BackupError as error:
            raise CommandError(_("Nothing restored: %(error)s") % {"error": error}) from None
        self.stdout.write(
            _(
                "Restored the %(vendor)s database taken at %(taken_at)s and %(count)s media "
                "file(s) from %(file)s."
            )
            % {
                "vendor": result.vendor,
                "taken_at": result.taken_at,
                "count": result.media_files,
                "file": file,
            }
        )
        if result.previous_media:
            self.stdout.write(
                _("The media folder that was in place is kept as %(folder)s.")
                % {"folder": result.previous_media}
            )
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(_("Migrated to this release."))
