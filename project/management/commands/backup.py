from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from project.backup import BackupError, backup_write


class Command(BaseCommand):
    help = (
        "Write one backup file: the database of DATABASE_URL (SQLite or PostgreSQL) and the "
        "media files. Prints the file's path last."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "-o", "--output", type=Path, help="the file (default: backups/wgec-VENDOR-TIME.tar.gz)"
        )

    def handle(self, *args, output: Path | None, **options) -> None:
        try:
            path = backup_write(path=output)
        except BackupError as error:
            raise CommandError(_("No backup written: %(error)s") % {"error": error}) from None
        self.stdout.write(
            _("Backup written (%(size)s bytes):") % {"size": f"{path.stat().st_size:,}"}
        )
        self.stdout.write(str(path.resolve()))
