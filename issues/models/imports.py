"""Responses files uploaded in the admin, kept in media storage and read and applied by
background tasks (``issues.services.response_uploads``)."""

from django.conf import settings
from django.db import models


class ResponsesImport(models.Model):
    """A responses file uploaded in the admin: stored in media storage (so that any app server
    or worker reaches it), read by a worker, which stores the preview (``preview``) and its
    progress, and applied by another once the secretariat confirms the preview.

    The stored file and the preview are deleted a day later (``manage.py purge_imports``); the
    record of who imported what stays."""

    class State(models.TextChoices):
        READING = "reading", "Reading the file"
        READY = "ready", "Ready to import"
        INVALID = "invalid", "Has errors"
        APPLYING = "applying", "Importing"
        APPLIED = "applied", "Imported"
        FAILED = "failed", "Failed"
        EXPIRED = "expired", "Expired (not confirmed within a day)"

    class DateOrder(models.TextChoices):
        DECIDE = "", "As the dates decide (refused if they read both ways)"
        DAY_FIRST = "dmy", "Day first (17/09/2013)"
        MONTH_FIRST = "mdy", "Month first (9/17/2013, Google Forms in the United States)"

    file = models.FileField(upload_to="imports/responses/", blank=True)
    filename = models.CharField(max_length=255)
    date_order = models.CharField(max_length=3, choices=DateOrder, blank=True, default="")
    state = models.CharField(max_length=20, choices=State, default=State.READING)
    # Progress of the worker: rows read or checked so far, and of how many (0: not yet known).
    progress = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    preview = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = "responses import"

    def __str__(self) -> str:
        return f"{self.filename} ({self.uploaded_at:%Y-%m-%d %H:%M})"

    @property
    def working(self) -> bool:
        return self.state in (self.State.READING, self.State.APPLYING)
