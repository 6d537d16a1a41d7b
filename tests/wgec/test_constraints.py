import datetime

import pytest
from django.db import IntegrityError, transaction

from reports.models import Deliverable
from tests.factories import (
    AttendanceFactory,
    DeliverableFactory,
    MeetingFactory,
    ParticipantFactory,
)
from wgec.models import Participant

pytestmark = pytest.mark.django_db


def refused(write) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


def test_participant_attends_a_meeting_once():
    attendance = AttendanceFactory()
    refused(
        lambda: AttendanceFactory(participant=attendance.participant, meeting=attendance.meeting)
    )


def test_participant_email_is_unique_ignoring_case():
    ParticipantFactory(email="Joy@example.org")
    refused(lambda: ParticipantFactory(email="joy@EXAMPLE.org"))
    # Many participants have no e-mail on record.
    ParticipantFactory(email="")
    ParticipantFactory(email="")


def test_participant_role_stays_within_its_choices():
    participant = ParticipantFactory()
    refused(lambda: Participant.objects.filter(pk=participant.pk).update(role="president"))


def test_meeting_ends_after_it_starts():
    refused(
        lambda: MeetingFactory(
            start_date=datetime.date(2014, 2, 28), end_date=datetime.date(2014, 2, 24)
        )
    )


def test_meeting_number_is_unique():
    MeetingFactory(number=2)
    refused(
        lambda: MeetingFactory._meta.model.objects.create(
            number=2,
            title="Again",
            start_date=datetime.date(2013, 11, 6),
            end_date=datetime.date(2013, 11, 8),
            venue="Geneva",
        )
    )


def test_deliverable_is_sent_exactly_when_it_has_a_sending_time():
    deliverable = DeliverableFactory()
    refused(lambda: Deliverable.objects.filter(pk=deliverable.pk).update(state="sent"))
    refused(
        lambda: Deliverable.objects.filter(pk=deliverable.pk).update(
            sent_at=datetime.datetime(2013, 11, 30, tzinfo=datetime.UTC)
        )
    )


def test_deliverable_slug_is_unique():
    DeliverableFactory(slug="update-1")
    refused(
        lambda: Deliverable.objects.create(
            slug="update-1",
            kind="update_report",
            title="Twice",
            due_date=datetime.date(2013, 11, 30),
        )
    )
