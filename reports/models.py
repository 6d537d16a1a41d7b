"""The correspondence group's deliverables and their schedule."""

import datetime

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from wgec.models import choices_check


class DeliverableQuerySet(models.QuerySet):
    def pending(self) -> "DeliverableQuerySet":
        return self.exclude(state=Deliverable.State.SENT)


class DeliverableKind(models.TextChoices):
    UPDATE_REPORT = "update_report", "Update report"
    INITIAL_OUTPUT = "initial_output", "Initial output"
    FINAL_DOCUMENT = "final_document", "Final document"


class DeliverableState(models.TextChoices):
    UPCOMING = "upcoming", "Upcoming"
    DRAFT = "draft", "Draft"
    SENT = "sent", "Sent"


class Deliverable(models.Model):
    Kind = DeliverableKind

    State = DeliverableState

    slug = models.SlugField(unique=True, help_text="For example: update-1, final-document.")
    kind = models.CharField(max_length=20, choices=Kind)
    title = models.CharField(max_length=300)
    due_date = models.DateField()
    state = models.CharField(max_length=20, choices=State, default=State.UPCOMING)
    sent_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    objects = DeliverableQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "slug"]
        constraints = [
            choices_check("kind", DeliverableKind, "deliverable_kind_valid"),
            choices_check("state", DeliverableState, "deliverable_state_valid"),
            models.CheckConstraint(
                condition=(Q(state="sent") & Q(sent_at__isnull=False))
                | (~Q(state="sent") & Q(sent_at__isnull=True)),
                name="deliverable_sent_iff_sent_at",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_late(self, today: datetime.date) -> bool:
        return self.state != self.State.SENT and today > self.due_date

    def days_left(self, today: datetime.date) -> int:
        return (self.due_date - today).days
