"""A private Dovecot (Debian's dovecot-imapd) for the mail tests and the mail benchmark:
started on a free loopback port with its own configuration in a temporary folder (the
configuration verified in NOTES.md), never the system's service."""

import contextlib
import itertools
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from imapclient import IMAPClient

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
# Mailboxes made ready for one test run (one per test).
USERS = 500

CONFIG = """\
protocols = imap
listen = 127.0.0.1
base_dir = {dir}/run
state_dir = {dir}/state
log_path = {dir}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
default_internal_user = dovenull
default_login_user = dovenull
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {dir}/passwd
}}
userdb {{
  driver = static
  args = uid=mail gid=mail home={dir}/home/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
}}
service anvil {{
  chroot =
}}
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Dovecot:
    dir: Path
    port: int
    users: itertools.count = field(default_factory=lambda: itertools.count(1))

    def mailbox(self) -> dict:
        """A new, empty mailbox: the settings INBOUND_IMAP takes."""
        user = f"inbox{next(self.users)}@example.org"
        return {
            "host": "127.0.0.1",
            "port": self.port,
            "user": user,
            "password": "inbox-pass",
            "tls": False,
            "folder": "INBOX",
        }


@contextlib.contextmanager
def running_dovecot() -> Iterator[Dovecot]:
    """A private Dovecot on a free loopback port, stopped and removed afterwards."""
    if not Path(DOVECOT).exists():
        raise RuntimeError("Dovecot is missing: install dovecot-imapd (.ci/system-packages).")
    folder = Path(tempfile.mkdtemp(prefix="wgec-dovecot-"))
    folder.chmod(0o755)
    for sub in ("run", "state", "home"):
        (folder / sub).mkdir()
    # The users are written before the server starts: Dovecot may not see a passwd file
    # changed within the second it last read it.
    (folder / "passwd").write_text(
        "".join(f"inbox{n}@example.org:{{PLAIN}}inbox-pass\n" for n in range(1, USERS + 1))
    )
    (folder / "passwd").chmod(0o644)
    shutil.chown(folder / "home", "mail", "mail")
    port = _free_port()
    (folder / "dovecot.conf").write_text(CONFIG.format(dir=folder, port=port))
    subprocess.run([DOVECOT, "-c", str(folder / "dovecot.conf")], check=True)  # noqa: S603
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                log = (folder / "dovecot.log").read_text(errors="replace")
                raise RuntimeError(f"Dovecot did not start:\n{log}") from None
            time.sleep(0.1)
    try:
        yield Dovecot(folder, port)
    finally:
        _stop(folder)


def _stop(folder: Path) -> None:
    pid = int((folder / "run" / "master.pid").read_text())
    os.kill(pid, signal.SIGTERM)
    for _ in range(100):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    shutil.rmtree(folder, ignore_errors=True)


def imap(config: dict) -> IMAPClient:
    client = IMAPClient(config["host"], port=config["port"], ssl=False, timeout=30)
    client.login(config["user"], config["password"])
    return client


def deliver(config: dict, *messages) -> None:
    """Put messages (EmailMessage or bytes) in the mailbox's INBOX, as the mail server would."""
    client = imap(config)
    try:
        for message in messages:
            raw = message if isinstance(message, bytes) else message.as_bytes()
            client.append("INBOX", raw)
    finally:
        client.logout()
