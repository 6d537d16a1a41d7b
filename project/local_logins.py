"""The local logins of a development checkout: one for each role, linked to participants of the
demo data, created once by ``manage.py create_local_logins``."""

import secrets
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from wgec.models import Participant
from wgec.services import email_verified_ensure, secretariat_user_create

# Local logins of a development checkout, one for each role, linked to demo participants.
LOCAL_LOGINS = [
    # (username, role shown, participant of the demo data or None for the secretariat)
    ("admin", "secretariat", None),
    ("chair", "Chair", "Peter Major"),
    ("coordinator", "coordinator", "Phil Rushton"),
    ("member", "correspondence-group member", "Benedicto Fonseca"),
    ("observer", "observer", "Jeffie Kaine"),
]


@dataclass
class LocalLogin:
    username: str
    password: str
    role: str
    participant: str
    created: bool


def _read_local_passwords(path: Path) -> dict[str, str]:
    """``username password`` lines; a file of one bare line is the admin's (older checkouts)."""
    if not path.exists():
        return {}
    passwords = {}
    for line in path.read_text().splitlines():
        parts = line.split()
        if len(parts) == 1:
            passwords.setdefault("admin", parts[0])
        elif len(parts) == 2:
            passwords[parts[0]] = parts[1]
    return passwords


@transaction.atomic
def local_logins_ensure(*, path: Path) -> list[LocalLogin]:
    """The local logins of a development checkout, one per role, created once.

    Passwords are generated once and kept in ``path`` (outside version control), so that a second
    run prints the same logins and changes nothing. Participants missing from the data (demo not
    loaded) are skipped.
    """

    user_model = get_user_model()
    passwords = _read_local_passwords(path)
    logins = []
    for username, role, name in LOCAL_LOGINS:
        participant = None
        if name is not None:
            participant = Participant.objects.filter(name=name).first()
            if participant is None:
                continue
        password = passwords.get(username) or secrets.token_urlsafe(12)
        user = user_model.objects.filter(username=username).first()
        created = user is None
        if participant is not None and participant.user_id not in (None, getattr(user, "pk", None)):
            continue  # the participant has an account of their own
        email = participant.email if participant and participant.email else f"{username}@localhost"
        if user is None:
            if participant is None:
                user = secretariat_user_create(
                    username=username, email=email, password=password, superuser=True
                )
            else:
                user = user_model.objects.create_user(
                    username=username, email=email, password=password
                )
        elif not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
            created = True
        if participant is not None and participant.user_id is None:
            participant.user = user
            participant.save(update_fields=["user"])
        email_verified_ensure(user)
        passwords[username] = password
        logins.append(
            LocalLogin(username, password, role, participant.name if participant else "", created)
        )
    path.write_text("".join(f"{name} {password}\n" for name, password in passwords.items()))
    path.chmod(0o600)
    return logins
