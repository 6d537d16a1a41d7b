from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

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
            raise CommandError(f"Nothing restored: {error}") from None
        self.stdout.write(
            f"Restored the {result.vendor} database taken at {result.taken_at} and "
            f"{result.media_files} media file(s) from {file}."
        )
        if result.previous_media:
            self.stdout.write(
                f"The media folder that was in place is kept as {result.previous_media}."
            )
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Migrated to this release.")
