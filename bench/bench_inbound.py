"""Mail coming in: 1,000 replies waiting in a real mailbox (a private Dovecot), fetched and
turned into comments by fetch_mail.

100 members each answer 10 issues from their personal reply addresses; the messages are put in
the mailbox first (not timed), then one reading of the mailbox is timed: fetching over IMAP,
reading each message, cutting the quoted text, recording the comment, and flagging the message.
"""

import datetime

from django.test.utils import override_settings
from django.utils import timezone

from bench.common import Figure, timed
from inbound.fetching import fetch_mail
from inbound.models import InboundMessage
from issues.models import Cluster, Comment, Issue
from tests.inbound.conftest import mail
from tests.inbound.dovecot import imap, running_dovecot
from wgec import mail_addresses
from wgec.models import Participant, StakeholderGroup

MEMBERS = 100
ISSUES = 10
QUOTED = "\n".join(f"> line {n} of the notification that is answered" for n in range(40))


def _messages(today: datetime.date) -> list[bytes]:
    group = StakeholderGroup.objects.create(slug="governments", name="Governments")
    cluster = Cluster.objects.create(slug="bench", name="Bench", position=1)
    issues = [
        Issue.objects.create(title=f"Issue {n}", cluster=cluster, description="For the bench.")
        for n in range(ISSUES)
    ]
    members = Participant.objects.bulk_create(
        Participant(
            name=f"Member {n}",
            email=f"member{n}@members.example.net",
            stakeholder_group=group,
            correspondence_group=True,
        )
        for n in range(MEMBERS)
    )
    messages = []
    for member in members:
        for issue in issues:
            to = mail_addresses.reply_address(
                kind=mail_addresses.ReplyKind.ISSUE,
                object_id=issue.pk,
                email=member.email,
                today=today,
            )
            text = (
                f"{member.name} agrees that {issue.title} belongs on the map.\n\n"
                f"On 7 January 2014, WGEC <wgec@example.org> wrote:\n{QUOTED}\n"
            )
            messages.append(mail(sender=member.email, to=to, text=text).as_bytes())
    return messages


def run() -> list[Figure]:
    with running_dovecot() as server:
        config = server.mailbox()
        with override_settings(
            INBOUND_IMAP=config,
            INBOUND_ADDRESS="wgec@example.org",
            INBOUND_DONE_FOLDER="",
            MAILERS={"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}},
        ):
            messages = _messages(timezone.localdate())
            client = imap(config)
            for raw in messages:
                client.append("INBOX", raw)
            client.logout()
            seconds, result = timed(fetch_mail)
    comments = Comment.objects.filter(by_email=True).count()
    assert result.taken == len(messages), result
    assert comments == len(messages), (
        comments,
        InboundMessage.objects.exclude(outcome="comment").values_list("reason", flat=True)[:3],
    )
    return [
        Figure(
            f"{len(messages):,} replies waiting: fetched and turned into comments",
            seconds,
            "s",
        ),
        Figure("the same, per second", len(messages) / seconds, "messages/s"),
    ]
