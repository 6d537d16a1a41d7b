"""Responses files uploaded in the admin, kept in media storage and read and applied by
background tasks (``issues.services.response_uploads``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wgec.models import BackgroundImport


class ResponsesImport(BackgroundImport):
    """A responses file uploaded in the admin: stored in media storage (so that any app server
    or worker reaches it), read by a worker, which stores the preview (``preview``) and its
    progress, and applied by another once the secretariat confirms the preview.

    The stored file and the preview are deleted a day later (``manage.py purge_imports``); the
    record of who imported what stays."""

    class State(models.TextChoices):
        READING = "reading", _("Reading the file")
        READY = "ready", _("Ready to import")
        INVALID = "invalid", _("Has errors")
        APPLYING = "applying", _("Importing")
        APPLIED = "applied", _("Imported")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired (not confirmed within a day)")

    class DateOrder(models.TextChoices):
        DECIDE = "", _("As the dates decide (refused if they read both ways)")
        DAY_FIRST = "dmy", _("Day first (17/09/2013)")
        MONTH_FIRST = "mdy", _("Month first (9/17/2013, Google Forms in the United States)")

    file = models.FileField(upload_to="imports/responses/", blank=True, verbose_name=_("file"))
    date_order = models.CharField(
        max_length=3, choices=DateOrder, blank=True, default="", verbose_name=_("date order")
    )
    state = models.CharField(
        max_length=20, choices=State, default=State.READING, verbose_name=_("state")
    )
    # Of how many rows (0: not yet known).
    progress_total = models.PositiveIntegerField(default=0, verbose_name=_("rows in all"))

    class Meta(BackgroundImport.Meta):
        verbose_name = _("responses import")
        verbose_name_plural = _("responses imports")
