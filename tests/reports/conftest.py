"""Fixtures of the reports tests: tasks run at once, files in a temporary folder, and a real SMTP
server on loopback (aiosmtpd) that can be told to fail."""

import asyncio
import socket
from dataclasses import dataclass, field
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from consensus.models import ConsensusItem
from issues.models import Issue
from tests.factories import (
    ClusterFactory,
    ConsensusItemFactory,
    CoverageFactory,
    DeliverableFactory,
    GapFactory,
    IssueFactory,
    MechanismFactory,
    OptionFactory,
    OptionSupportFactory,
    ParticipantFactory,
    StakeholderGroupFactory,
)
from wgec.models import Participant

IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _reports_settings(settings, tmp_path):
    settings.TASKS = IMMEDIATE_TASKS
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REPORTS_RETRY_DELAYS = [0, 0]


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: bytes

    @property
    def message(self):
        return message_from_bytes(self.data, policy=policy.default)


@dataclass
class SMTPHandler:
    """Accepts everything unless told otherwise.

    ``reject``: addresses refused for good (550); ``busy``: address -> how many times RCPT is
    refused for now (451); ``drop``: addresses whose message is taken and then the connection
    is cut before the server answers, so the client cannot know it arrived.
    """

    received: list[Received] = field(default_factory=list)
    reject: set[str] = field(default_factory=set)
    busy: dict[str, int] = field(default_factory=dict)
    drop: set[str] = field(default_factory=set)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.reject:
            return "550 5.1.1 No such mailbox"
        if self.busy.get(address, 0) > 0:
            self.busy[address] -= 1
            return "451 4.3.2 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content)
        )
        if set(envelope.rcpt_tos) & self.drop:
            server.transport.close()
            await asyncio.sleep(0.2)
        return "250 Message accepted"

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.recipients]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1, and the site's mail configured to use it."""
    handler = SMTPHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 5},
        }
    }
    yield handler
    controller.stop()


def committed(work):
    """Run ``work`` and then what it left for after the commit (tasks it queued), as a real
    request would; tests run inside a transaction that never commits."""
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        result = work()
    return result


@pytest.fixture
def small_map(db):
    """A small map for the documents: two clusters, issues with and without coverage, gaps, a
    withdrawn issue, an item referred with its options and support, two participants."""
    DeliverableFactory(
        slug="final-document", kind="final_document", title="Final document of the CG"
    )
    DeliverableFactory(
        slug="initial-output", kind="initial_output", title="Initial output of the CG"
    )
    security = ClusterFactory(slug="security")
    cyber = IssueFactory(title="Cybercrime", cluster=security, description="Crime online.")
    coe = MechanismFactory(name="Council of Europe", acronym="CoE")
    CoverageFactory(issue=cyber, mechanism=coe, status="partly", evidence="=Budapest Convention")
    GapFactory(issue=cyber, type="capacity", description="Few experts.", recommendation="Train.")
    IssueFactory(title="Spam", cluster=security, description="Unsolicited mail.")
    IssueFactory(title="Withdrawn one", cluster=security, state=Issue.State.WITHDRAWN)
    item = ConsensusItemFactory(
        issue=IssueFactory(title="Net neutrality", cluster=ClusterFactory(slug="infrastructure")),
        state=ConsensusItem.State.REFERRED,
        referred_on="2014-01-28",
        summary="Whether net neutrality is an international public policy issue.",
    )
    option = OptionFactory(item=item, label="A", text="[Keep it on the map.]")
    OptionFactory(item=item, label="B", text="[Leave it to national regulators.]")
    OptionSupportFactory(
        option=option,
        participant=ParticipantFactory(name="Benedicto Fonseca", honorific="Mr.", country="BR"),
    )
    ParticipantFactory(
        name="Joy Liddicoat",
        stakeholder_group=StakeholderGroupFactory(slug="civil-society"),
        role=Participant.Role.COORDINATOR,
    )
