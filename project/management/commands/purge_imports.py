"""python manage.py purge_imports [--in-background]"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
            self.stdout.write(_("Queued for a worker (task %(task)s).") % {"task": result.id})
            return
        counts = imports_purge()
        files = ngettext("%(count)s stored file", "%(count)s stored files", counts["files"])
        previews = ngettext("%(count)s preview", "%(count)s previews", counts["previews"])
        self.stdout.write(
            _("Deleted %(files)s and %(previews)s of imports older than %(hours)s hours.")
            % {
                "files": files % {"count": counts["files"]},
                "previews": previews % {"count": counts["previews"]},
                "hours": settings.IMPORT_KEEP_HOURS,
            }
        )
