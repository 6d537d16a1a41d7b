"""Personas and shared fixtures.

Each persona is a logged-in client for one role of DESIGN.md: ``secretariat_client``,
``chair_client``, ``coordinator_client``, ``member_client``, ``observer_client``; the plain
``client`` fixture is anonymous.
"""

import datetime
import os
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone, translation

from tests.factories import ParticipantFactory, UserFactory
from wgec.models import Participant
from wgec.services import secretariat_user_create


@pytest.fixture(autouse=True, scope="session")
def _compiled_catalogues():
    """The message catalogues compiled as `make messages` compiles them, when a .po is newer
    than its .mo (a checkout tested without make): the pages in other languages need them."""
    for po in Path(__file__).resolve().parent.parent.glob("locale/*/LC_MESSAGES/*.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        # Written beside and renamed: parallel test workers never read half a file.
        handle, partial = tempfile.mkstemp(dir=po.parent, suffix=".mo-partial")
        os.close(handle)
        subprocess.run(["msgfmt", "--check-format", "-o", partial, str(po)], check=True)  # noqa: S603, S607
        os.replace(partial, mo)


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Production serves hashed file names from a manifest built by collectstatic; tests do not
    # run collectstatic.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashing is deliberately slow; tests create many accounts.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_language_left_active():
    # A request activates its visitor's language in the thread and leaves it there: each test
    # starts and ends with none active, as a command's process does (English, LANGUAGE_CODE).
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    # Background tasks run as they are enqueued; tests of the worker itself choose otherwise.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path):
    # Uploads (imports, documents) are kept in media storage: not in the checkout's media/.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A page served in another language leaves that language active on the thread (Django's
    LocaleMiddleware activates it and never deactivates it): the next test starts in English."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _map_version_at_each_write(request):
    """On PostgreSQL the map's and the public pages' versions change when a writing transaction
    commits (mechanisms/triggers.py, wgec/public_version.py). A test's transaction is rolled
    back, never committed: inside it, the versions change at each write instead, as they do on
    SQLite."""
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or (
        marker is not None and marker.kwargs.get("transaction", False)
    )
    if transactional or (marker is None and "db" not in request.fixturenames):
        return
    request.getfixturevalue("db")
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SET CONSTRAINTS mechanisms_map_version_bump, wgec_public_version_bump IMMEDIATE"
            )


@pytest.fixture
def today(monkeypatch) -> datetime.date:
    """The day the test started, held for the whole test: the app's ``timezone.localdate()``
    answers it, so that a test running across midnight reads one day (days left, late)."""
    day = timezone.localdate()
    clock = timezone.localdate

    def localdate(value=None, timezone=None):
        return day if value is None and timezone is None else clock(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    return day


@pytest.fixture
def secretariat_user(db):
    """A staff user with the Secretariat group's permissions, not a superuser."""
    return secretariat_user_create(
        username="secretariat", email="secretariat@example.org", password="s3cretariat-pass"
    )


def _participant_user(username: str, **participant):
    user = UserFactory(username=username)
    ParticipantFactory(user=user, name=username.replace("-", " ").title(), **participant)
    return user


@pytest.fixture
def chair_user(db):
    return _participant_user("the-chair", role=Participant.Role.CHAIR, correspondence_group=True)


@pytest.fixture
def coordinator_user(db):
    return _participant_user(
        "a-coordinator", role=Participant.Role.COORDINATOR, correspondence_group=True
    )


@pytest.fixture
def member_user(db):
    return _participant_user("a-member", correspondence_group=True)


@pytest.fixture
def observer_user(db):
    return _participant_user("an-observer", role=Participant.Role.OBSERVER)


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def secretariat_client(secretariat_user):
    return _client_for(secretariat_user)


@pytest.fixture
def chair_client(chair_user):
    return _client_for(chair_user)


@pytest.fixture
def coordinator_client(coordinator_user):
    return _client_for(coordinator_user)


@pytest.fixture
def member_client(member_user):
    return _client_for(member_user)


@pytest.fixture
def observer_client(observer_user):
    return _client_for(observer_user)
