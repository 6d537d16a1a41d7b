"""python manage.py purge_imports [--in-background]"""

from django.conf import settings
from django.core.management.base import BaseCommand

from project.retention import imports_purge, imports_purge_task


class Command(BaseCommand):
    help = (
        "Delete the files uploaded for imports (responses, the map workbook) and their previews "
        "once they are older than IMPORT_KEEP_HOURS (default 24). Run it hourly (cron)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--in-background",
            action="store_true",
            help="queue the purge for a worker (manage.py db_worker) instead of running it here",
        )

    def handle(self, *args, in_background: bool, **options) -> None:
        if in_background:
            result = imports_purge_task.enqueue()
            self.stdout.write(f"Queued for a worker (task {result.id}).")
            return
        counts = imports_purge()
        self.stdout.write(
            f"Deleted {counts['files']} stored file{'s' if counts['files'] != 1 else ''} and "
            f"{counts['previews']} preview{'s' if counts['previews'] != 1 else ''} of imports "
            f"older than {settings.IMPORT_KEEP_HOURS} hours."
        )
