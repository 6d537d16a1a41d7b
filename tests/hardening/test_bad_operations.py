"""The operations area's share of the bad-input corpus (tests/files/bad/operations/cases.json):
names and addresses that reach the sending path, concurrent subscriptions, login attempts, files
given to restore, and deliverable slugs given to send_report. Each input goes through the real
path; each test asserts the message and that nothing else was written."""

import gzip
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import DataError, connection, transaction
from django.test import Client
from django.urls import reverse

from project.backup import BackupError, backup_restore
from reports import services
from reports.models import Delivery, Report, Subscriber
from reports.sending import report_deliver
from tests.factories import PASSWORD, DeliverableFactory, UserFactory
from tests.reports.conftest import smtp_server  # noqa: F401 - the real SMTP server fixture
from wgec.services import email_verified_ensure

pytestmark = pytest.mark.django_db

CASES = json.loads((Path(__file__).parents[1] / "files/bad/operations/cases.json").read_text())


def _value(value):
    if isinstance(value, dict):
        return value["repeat"] * value["times"]
    return value


def _cases(section: str):
    return [pytest.param(case, id=case["id"]) for case in CASES[section]]


@pytest.fixture(autouse=True)
def _immediate_tasks(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REPORTS_RETRY_DELAYS = [0, 0]


def _report_to(*subscribers: tuple[str, str]) -> Report:
    for email, name in subscribers:
        Subscriber.objects.create(email=email, name=name, state="subscribed")
    return services.report_send(deliverable=DeliverableFactory(slug="update-1"), introduction="")


# Names and addresses on the sending path -------------------------------------------------------


@pytest.mark.parametrize("case", _cases("names_on_the_send_path"))
def test_a_hostile_name_never_adds_a_header_or_a_recipient(case, smtp_server):  # noqa: F811
    name = _value(case["name"])[:200]
    if "\x00" in name and connection.vendor == "postgresql":
        # PostgreSQL refuses to store a NUL: such a name never reaches the sending path there.
        with pytest.raises(DataError, match="cannot contain NUL"), transaction.atomic():
            Subscriber.objects.create(email="eve@example.org", name=name, state="subscribed")
        return
    report = _report_to(("eve@example.org", name), ("ana@example.org", "Ana"))
    counts = report_deliver(report_id=report.pk)
    assert counts["sent"] == 2 and counts["sending"] == 0 and counts["pending"] == 0
    [received] = smtp_server.to("eve@example.org")
    assert received.recipients == ["eve@example.org"]
    message = received.message
    assert message["Bcc"] is None and message["X-Injected"] is None
    assert message.get_all("Subject") == [report.subject]
    [to] = message["To"].addresses
    assert to.addr_spec == "eve@example.org"
    assert not any(ch in to.display_name for ch in "\r\n\x00\u2028\u2029\x85")
    assert smtp_server.to("victim@example.org") == []
    assert len(smtp_server.received) == 2


@pytest.mark.parametrize("case", _cases("addresses_on_the_send_path"))
def test_a_bad_address_fails_on_its_own_delivery_and_the_others_go(case, smtp_server):  # noqa: F811
    email = case["email"].lower()
    if case.get("refuse"):
        smtp_server.reject.add(email)
    report = _report_to(("ana@example.org", "Ana"), (email, "Bad"), ("ben@example.org", "Ben"))
    counts = report_deliver(report_id=report.pk)
    bad = report.deliveries.get(email=email)
    assert bad.state == Delivery.State.FAILED
    assert case["error"] in bad.last_error
    assert counts["sent"] == 2 and counts["sending"] == 0
    assert sorted(r.recipients[0] for r in smtp_server.received) == [
        "ana@example.org",
        "ben@example.org",
    ]


# Concurrent subscriptions (the race simulated: each request's check saw no row) ------------------


@pytest.mark.parametrize("case", _cases("concurrent_subscriptions"))
def test_concurrent_subscriptions_of_one_address_make_one_subscriber(case, monkeypatch):
    select_for_update = Subscriber.objects.select_for_update
    checks = {"n": 0}

    def each_request_checked_before_the_others_inserted(*args, **kwargs):
        checks["n"] += 1
        if checks["n"] % 2 == 1:  # the check of each request, before any insert was visible
            return Subscriber.objects.none()
        return select_for_update(*args, **kwargs)

    monkeypatch.setattr(
        Subscriber.objects, "select_for_update", each_request_checked_before_the_others_inserted
    )
    for email in case["emails"]:
        services.subscription_request(email=email, name="Ana")
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["ana@example.org"]


# Login attempts ---------------------------------------------------------------------------------


@pytest.fixture
def chair_account():
    user = UserFactory(username="peter.major", email="chair@example.org")
    email_verified_ensure(user)
    return user


@pytest.mark.parametrize("case", _cases("login_attempts"))
def test_a_hostile_login_is_refused_with_a_message(case, chair_account):
    users = get_user_model().objects.count()
    response = Client(REMOTE_ADDR="203.0.113.9").post(
        reverse("account_login"),
        {"login": _value(case["login"]), "password": _value(case["password"])},
    )
    assert response.status_code == 200
    assert case["message"] in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated
    assert get_user_model().objects.count() == users


@pytest.mark.parametrize("case", _cases("stranger_failures_before_the_chair"))
def test_a_strangers_failures_never_lock_the_chair_out_from_the_chairs_address(case, chair_account):
    stranger = Client(REMOTE_ADDR="203.0.113.9")
    for login in case["logins"]:
        stranger.post(reverse("account_login"), {"login": login, "password": "wrong"})
    refused = stranger.post(
        reverse("account_login"), {"login": "peter.major", "password": PASSWORD}
    )
    assert "Too many failed login attempts" in refused.content.decode()
    chair = Client(REMOTE_ADDR="198.51.100.7").post(
        reverse("account_login"), {"login": "chair@example.org", "password": PASSWORD}
    )
    assert chair.status_code == 302 and chair.wsgi_request.user == chair_account


# Files given to restore -------------------------------------------------------------------------


def _restore_file(case: dict, tmp_path: Path) -> Path:
    path = tmp_path / f"{case['id']}.tar.gz"
    if "bytes" in case:
        path.write_bytes(case["bytes"].encode())
    elif "gzip_of" in case:
        path.write_bytes(gzip.compress(b'{"format": 1}' * 10)[: case["truncate"]])
    else:
        with tarfile.open(path, "w:gz") as archive:
            for name, text in case.get("members", {}).items():
                info = tarfile.TarInfo(name)
                info.size = len(text.encode())
                archive.addfile(info, io.BytesIO(text.encode()))
            if "symlink" in case:
                info = tarfile.TarInfo(case["symlink"][0])
                info.type = tarfile.SYMTYPE
                info.linkname = case["symlink"][1]
                archive.addfile(info)
    return path


@pytest.mark.parametrize("case", _cases("restore_files"))
def test_a_bad_backup_file_is_refused_and_nothing_is_restored(case, tmp_path, settings):
    settings.MEDIA_ROOT.mkdir(parents=True)
    (settings.MEDIA_ROOT / "kept.txt").write_text("kept")
    target = tmp_path / "target.sqlite3"
    database = {**connection.settings_dict, "ENGINE": "django.db.backends.sqlite3"}
    database["NAME"] = str(target)
    with pytest.raises(BackupError) as raised:
        backup_restore(path=_restore_file(case, tmp_path), database=database)
    assert case["error"] in str(raised.value)
    assert not target.exists()
    assert [p.name for p in settings.MEDIA_ROOT.iterdir()] == ["kept.txt"]
    assert not (tmp_path.parent / "escaped.txt").exists()


# Slugs given to send_report ---------------------------------------------------------------------


@pytest.mark.parametrize("case", _cases("send_report_slugs"))
def test_send_report_names_a_bad_slug_and_writes_nothing(case):
    DeliverableFactory(slug="update-1")
    slug = _value(case["slug"])
    with pytest.raises(CommandError, match="The deliverables are: update-1"):
        call_command("send_report", slug, stdout=io.StringIO())
    assert not Report.objects.exists() and not Delivery.objects.exists()
