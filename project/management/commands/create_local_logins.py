from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from project.local_logins import local_logins_ensure


class Command(BaseCommand):
    help = (
        "Create the local logins of a development checkout (once), one for each role, and print "
        "them. Passwords are kept in .local-logins, outside version control."
    )

    def handle(self, *args, **options) -> None:
        path = Path(settings.BASE_DIR) / ".local-logins"
        logins = local_logins_ensure(path=path)
        self.stdout.write(
            _("Local logins (user name, password; log in at %(address)s):")
            % {"address": f"{settings.SITE_URL}/accounts/login/"}
        )
        for login in logins:
            who = (
                _("as %(participant)s") % {"participant": login.participant}
                if login.participant
                else _("the admin too")
            )
            line = f"  {login.role:<28} {login.username:<12} {login.password:<18} ({who})"
            self.stdout.write(self.style.SUCCESS(line) if login.created else line)
