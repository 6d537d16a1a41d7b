"""The version check itself: what it reads and how it holds against saves at the same moment."""

import threading
import time

import pytest
from django.db import connection, transaction

from issues.models import Issue
from tests.factories import IssueFactory
from wgec.versions import ReadVersion, StaleVersion, changes_since, version_check, version_of


@pytest.mark.django_db
def test_changes_since_name_the_last_author_of_each_field_and_skip_fields_changed_back():
    issue = IssueFactory(title="Spam", description="Old.")
    read = version_of(issue)
    issue.title = "Spam and phishing"
    issue.save()
    issue.description = "New."
    issue.save()
    issue.title = "Spam"  # back to the value read: nothing lost
    issue.save()

    changes = changes_since(issue, read, ["title", "description"])

    assert [(c.field, c.read, c.now) for c in changes] == [("Description", "Old.", "New.")]
    assert changes[0].by == "the application"


def _wait_until_a_session_waits_for_a_lock() -> None:
    for _ in range(3000):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            if cursor.fetchone()[0]:
                return
        time.sleep(0.01)  # polling for the other session; nothing is asserted on time
    raise AssertionError("the second save never waited for the first one's lock")


@pytest.mark.django_db(transaction=True)
def test_two_saves_read_at_the_same_version_at_once_the_second_waits_and_is_refused():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no row locks; production runs on PostgreSQL")
    issue = IssueFactory(title="Spam")
    read = ReadVersion(version_of(issue), ("title",))
    first_holds_the_lock = threading.Event()
    outcome: dict[str, object] = {}

    def save(name: str, title: str) -> None:
        try:
            with transaction.atomic():
                if name == "second":
                    first_holds_the_lock.wait()
                current = Issue.objects.get(pk=issue.pk)
                version_check(current, read)
                if name == "first":
                    first_holds_the_lock.set()
                    _wait_until_a_session_waits_for_a_lock()
                current.title = title
                current.save()
            outcome[name] = "saved"
        except StaleVersion as error:
            outcome[name] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=("first", "First")),
        threading.Thread(target=save, args=("second", "Second")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcome["first"] == "saved"
    assert isinstance(outcome["second"], StaleVersion)
    assert "Title: you read “Spam”, now “First”" in " ".join(outcome["second"].messages)
    assert Issue.objects.get(pk=issue.pk).title == "First"
