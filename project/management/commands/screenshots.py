import io
import logging
import os
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.testcases import LiveServerThread
from django.utils.translation import gettext

from project import screenshots
from project.local_logins import local_logins_ensure


class Command(BaseCommand):
    help = (
        "Pictures of every page (the site by each role that may see it, the admin) at 1280 and "
        "390 px into a folder (screenshots/, git-ignored), with an index.html to look through "
        "them. --demo serves the demo data from a new, empty SQLite database (make screenshots "
        "does this in a temporary folder); --url pictures a running server whose database is "
        "the one of DATABASE_URL."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--url",
            default=os.environ.get("SCREENSHOTS_URL", ""),
            help="A running server's address (default: SCREENSHOTS_URL).",
        )
        parser.add_argument(
            "--demo",
            action="store_true",
            help="Migrate a new, empty SQLite database, load the demo into it and serve it.",
        )
        parser.add_argument(
            "-o",
            "--out",
            default=str(Path(settings.BASE_DIR) / "screenshots"),
            help="Folder of the pictures (emptied first; default: screenshots/).",
        )
        parser.add_argument(
            "--only",
            default="",
            help="Only the pages whose path or name holds this text (e.g. admin, /issues/).",
        )
        parser.add_argument(
            "--chromium",
            default=shutil.which("chromium") or "/usr/bin/chromium",
            help="The Chromium to drive (Debian: apt-get install chromium).",
        )

    def handle(self, *args, url: str, demo: bool, out: str, only: str, chromium: str, **options):
        if bool(url) == demo:
            raise CommandError(
                gettext("Give either --demo or --url (or SCREENSHOTS_URL), not both.")
            )
        if url and not settings.DEBUG:
            # The local logins it signs in with are created in the database when missing.
            raise CommandError(
                gettext(
                    "--url signs in with the local logins of a development checkout: run it "
                    "with DEBUG on (make screenshots reads .env), against a development server."
                )
            )
        if not os.path.exists(chromium):
            raise CommandError(
                gettext("Chromium is missing at %(path)s: apt-get install chromium.")
                % {"path": chromium}
            )
        with tempfile.TemporaryDirectory(prefix="wgec-screenshots-") as scratch:
            if demo:
                self._demo_database()
                logins_path = Path(scratch) / "logins"
            else:
                logins_path = Path(settings.BASE_DIR) / ".local-logins"
            logins = {
                login.username: login.password for login in local_logins_ensure(path=logins_path)
            }
            shots = [
                shot for shot in screenshots.every_shot() if only in shot.path or only in shot.name
            ]
            if not shots:
                raise CommandError(gettext("No page matches “%(only)s”.") % {"only": only})
            folder = Path(out)
            if folder.exists():
                for old in [*folder.glob("*.png"), *folder.glob("index.html")]:
                    old.unlink()
            server = None
            if demo:
                # The pages refused to one role are tried by the next: not worth a traceback.
                logging.getLogger("django.request").setLevel(logging.ERROR)
                server = LiveServerThread("localhost", StaticFilesHandler, port=0)
                server.daemon = True
                server.start()
                server.is_ready.wait()
                if server.error:
                    raise CommandError(
                        gettext("The server did not start: %(error)s") % {"error": server.error}
                    )
                url = f"http://localhost:{server.port}"
            try:
                taken = screenshots.take(
                    base_url=url.rstrip("/"),
                    shots=shots,
                    logins=logins,
                    out=folder,
                    chromium=chromium,
                    say=self.stdout.write,
                )
            finally:
                if server is not None:
                    server.terminate()
        pictures = sum(len(files) for _, _, files in taken)
        self.stdout.write(
            self.style.SUCCESS(
                gettext(
                    "%(pictures)s pictures of %(pages)s pages in %(folder)s; look through %(index)s"
                )
                % {
                    "pictures": pictures,
                    "pages": len(taken),
                    "folder": folder,
                    "index": folder / "index.html",
                }
            )
        )

    def _demo_database(self) -> None:
        if connection.vendor != "sqlite":
            raise CommandError(
                gettext(
                    "--demo needs a new, empty SQLite database (make screenshots makes one); the "
                    "database of DATABASE_URL is %(vendor)s."
                )
                % {"vendor": connection.vendor}
            )
        if connection.introspection.table_names():
            raise CommandError(
                gettext(
                    "--demo needs a new, empty SQLite database; %(name)s already has tables. Use "
                    "--url to picture a running server instead."
                )
                % {"name": connection.settings_dict["NAME"]}
            )
        self.stdout.write(gettext("Loading the demo into a new database (a few minutes) ..."))
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_demo", stdout=io.StringIO())
