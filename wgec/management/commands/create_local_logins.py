from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from wgec.services import local_login_ensure


class Command(BaseCommand):
    help = (
        "Create the local administrator of a development checkout (once) and print its login. "
        "The password is kept in .local-logins, outside version control."
    )

    def handle(self, *args, **options) -> None:
        path = Path(settings.BASE_DIR) / ".local-logins"
        username, password, created = local_login_ensure(path=path)
        verb = "Created" if created else "Local"
        self.stdout.write(
            self.style.SUCCESS(f"{verb} admin login: {username} / {password}")
            + f"  (admin at {settings.SITE_URL}/admin/)"
        )
