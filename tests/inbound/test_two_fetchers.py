"""Two fetchers reading the same mailbox at the same moment take each message exactly once: the
message's key is claimed in the database in the transaction that records what it became."""

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from inbound.fetching import fetch_mail
from inbound.models import InboundMessage
from issues.models import Comment
from tests.factories import IssueFactory, ParticipantFactory
from tests.inbound.conftest import deliver
from tests.inbound.conftest import mail as a_mail
from wgec import mail_addresses
from wgec.mail_addresses import ReplyKind

MESSAGES = 40


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent writers need a server database (CI runs the suite on PostgreSQL too)",
)
def test_two_fetchers_at_once_take_each_message_exactly_once(mailbox):
    member = ParticipantFactory(email="ana@members.example.net", correspondence_group=True)
    issue = IssueFactory()
    reply_to = mail_addresses.reply_address(
        kind=ReplyKind.ISSUE, object_id=issue.pk, email=member.email, today=timezone.localdate()
    )
    deliver(
        mailbox,
        *(a_mail(sender=member.email, to=reply_to, text=f"Point {n}.") for n in range(MESSAGES)),
    )
    start = threading.Barrier(2)
    results = []
    errors = []

    def fetcher():
        try:
            start.wait()
            results.append(fetch_mail())
        except Exception as error:  # reported below, with the test's failure
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=fetcher) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)

    assert errors == []
    assert sum(result.taken for result in results) == MESSAGES
    assert InboundMessage.objects.count() == MESSAGES
    assert sorted(Comment.objects.values_list("text", flat=True)) == sorted(
        f"Point {n}." for n in range(MESSAGES)
    )
