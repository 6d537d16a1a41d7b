from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from project.demo import DemoDataError, demo_load


class Command(BaseCommand):
    help = (
        "Load the demo data of the 2013-14 exercise into an empty database (a second run "
        "changes nothing)."
    )

    def handle(self, *args, **options) -> None:
        try:
            result = demo_load()
        except DemoDataError as error:
            raise CommandError(_("Demo data not loaded: %(error)s") % {"error": error}) from error
        if result.already_present:
            self.stdout.write(
                _(
                    "The database already holds the exercise: nothing changed. (To start again "
                    "from the demo data, use an empty database: delete db.sqlite3 and run make "
                    "run.)"
                )
            )
            return
        self.stdout.write(_("Created:"))
        for line in result.lines():
            self.stdout.write(f"  {line}")
        self.stdout.write(self.style.SUCCESS(_("Demo data loaded.")))
