"""Read the mailbox: replies become comments, contributions and bounces are recorded."""

import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils.translation import gettext as _

from inbound.fetching import MailboxError, fetch_mail


class Command(BaseCommand):
    help = (
        "Take the messages of the mailbox (INBOUND_IMAP_URL) not yet handled: replies become "
        "comments, contributions wait for the secretariat, bounces are recorded on their "
        "deliveries, everything else gets at most one polite answer. With --once, read the "
        "mailbox once and stop; otherwise read it every INBOUND_POLL_SECONDS until stopped."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--once", action="store_true", help="read the mailbox once and stop")
        parser.add_argument(
            "--limit", type=int, default=None, help="take at most this many messages per reading"
        )

    def handle(self, *args, once: bool, limit: int | None, **options) -> None:
        if limit is not None and limit < 1:
            raise CommandError(_("--limit must be 1 or more."))
        if once:
            self._read(limit, fatal=True)
            return
        stopping = []
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stopping.append(True))
        configured = bool(settings.INBOUND_IMAP["host"])
        if not configured:
            # Beside `make run` without a mailbox: say so once and stay, so that the other
            # processes of the Procfile are not stopped with this one.
            self.stdout.write(_("No mailbox is configured (INBOUND_IMAP_URL): not reading mail."))
        while not stopping:
            if configured:
                self._read(limit, fatal=False)
            close_old_connections()
            deadline = time.monotonic() + settings.INBOUND_POLL_SECONDS
            while not stopping and time.monotonic() < deadline:
                time.sleep(0.5)

    def _read(self, limit: int | None, *, fatal: bool) -> None:
        try:
            result = fetch_mail(limit=limit)
        except MailboxError as error:
            if fatal:
                raise CommandError(str(error)) from None
            self.stderr.write(str(error))
            return
        except OSError as error:  # the server went away mid-way: try again at the next poll
            message = _("The mailbox could not be read: %(error)s") % {"error": error}
            if fatal:
                raise CommandError(message) from None
            self.stderr.write(message)
            return
        self.stdout.write(str(result))
