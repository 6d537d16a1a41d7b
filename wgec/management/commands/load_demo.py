from django.core.management.base import BaseCommand, CommandError

from wgec.demo import DemoDataError, demo_load


class Command(BaseCommand):
    help = "Load the demo data of the 2013-14 exercise (idempotent: a second run changes nothing)."

    def handle(self, *args, **options) -> None:
        try:
            result = demo_load()
        except DemoDataError as error:
            raise CommandError(f"Demo data not loaded: {error}") from error
        for line in result.lines():
            self.stdout.write(line)
        if result.changed:
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        else:
            self.stdout.write("Demo data already up to date; nothing changed.")
