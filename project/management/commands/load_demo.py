from django.core.management.base import BaseCommand, CommandError

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
            raise CommandError(f"Demo data not loaded: {error}") from error
        if result.already_present:
            self.stdout.write(
                "The database already holds the exercise: nothing changed. (To start again from "
                "the demo data, use an empty database: delete db.sqlite3 and run make run.)"
            )
            return
        self.stdout.write("Created:")
        for line in result.lines():
            self.stdout.write(f"  {line}")
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
