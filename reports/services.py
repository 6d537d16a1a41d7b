"""Writes of the reports app. Views, the admin, commands and tasks call these.

Sending a report: ``report_send`` freezes the report and records one pending delivery per
address (the Chair first, then the mailing list) in one transaction; the sending task then
claims deliveries in small batches (``deliveries_claim``), each claim a short transaction that
moves rows from pending to sending with ``SELECT ... FOR UPDATE SKIP LOCKED`` on PostgreSQL, so
that two workers never take the same row. Every delivery ends sent, failed, or — when nobody
can know whether the server took the message — needing attention, which only a person resends.
"""

import datetime
import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Case, CharField, DateTimeField, F, Min, Q, Value, When
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django_tasks_db.utils import is_locked_database_exception
from simple_history.utils import bulk_create_with_history

from reports.models import (
    Deliverable,
    Delivery,
    DocumentExport,
    DocumentFormat,
    Report,
    Subscriber,
    SymbolPattern,
    symbol_format,
)
from reports.rendering import CONFIRM_SALT, Composed, report_compose
from reports.update import previous_report
from reports.wording import REPORT_EMAIL_TEMPLATES, current_sources
from wgec.documents.history import end_of_day
from wgec.models import Participant
from wgec.versions import ReadVersion, version_check

CONFIRMATION_INTERVAL = datetime.timedelta(hours=1)
CONFIRMATION_MAX_AGE = datetime.timedelta(days=7)


class ReportError(Exception):
    """A report cannot be saved or sent as asked; the message says why, for the user."""


class StalePreview(ReportError):
    pass


class IssueDateError(ReportError):
    """The date of issue cannot be used (after today, or before the previous report's)."""


# The calendar -------------------------------------------------------------------------------


def issue_date_check(
    *, deliverable: Deliverable, issued_on: datetime.date, now: datetime.datetime
) -> None:
    """A date of issue must not be after today, nor before the previous report's."""
    today = timezone.localdate(now)
    if issued_on > today:
        raise IssueDateError(
            gettext("The date of issue, %(day)s, is after today (%(today)s).")
            % {
                "day": date_format(issued_on, "DATE_FORMAT"),
                "today": date_format(today, "DATE_FORMAT"),
            }
        )
    previous = previous_report(deliverable)
    if previous is not None and previous.issued_on and issued_on < previous.issued_on:
        raise IssueDateError(
            gettext(
                "The date of issue, %(day)s, is before that of the previous report, "
                "“%(previous)s” (%(previous_day)s)."
            )
            % {
                "day": date_format(issued_on, "DATE_FORMAT"),
                "previous": previous.deliverable,
                "previous_day": date_format(previous.issued_on, "DATE_FORMAT"),
            }
        )


def issue_moment(*, issued_on: datetime.date, now: datetime.datetime) -> datetime.datetime:
    """The moment a report dated ``issued_on`` and sent ``now`` shows the map at."""
    return min(now, end_of_day(issued_on))


def symbol_for(*, deliverable: Deliverable, issued_on: datetime.date) -> str:
    """The symbol the deliverable's documents get when issued on that day: the secretariat's
    pattern with the year of issue and the next number of that year ("" when unsymbolled)."""
    pattern = SymbolPattern.current()
    if not deliverable.has_documents or not pattern:
        return ""
    issued = Report.objects.sent().filter(issued_on__year=issued_on.year).exclude(symbol="")
    return symbol_format(pattern, year=issued_on.year, number=issued.count() + 1)


def report_preview(
    *,
    deliverable: Deliverable,
    introduction: str,
    issued_on: datetime.date,
    illustrative: bool = False,
    now: datetime.datetime | None = None,
) -> Composed:
    """The report as sending it now, dated ``issued_on``, would compose it."""
    now = now or timezone.now()
    moment = issue_moment(issued_on=issued_on, now=now)
    return report_compose(
        deliverable=deliverable,
        introduction=introduction,
        issued_on=issued_on,
        moment=None if moment >= now else moment,
        symbol=symbol_for(deliverable=deliverable, issued_on=issued_on),
        illustrative=illustrative,
        now=now,
    )


# Drafts and sending --------------------------------------------------------------------------


@transaction.atomic
def report_draft_save(
    *,
    deliverable: Deliverable,
    introduction: str,
    issued_on: datetime.date | None = None,
    user=None,
    read: ReadVersion | None = None,
) -> Report:
    """Keep the introduction (and the date of issue) of a report not yet sent; the deliverable
    becomes a draft. Refused (``StaleVersion``) if the draft was saved since the version
    ``read``."""
    deliverable = Deliverable.objects.select_for_update().get(pk=deliverable.pk)
    if deliverable.state == Deliverable.State.SENT:
        raise ReportError(
            gettext("“%(deliverable)s” was sent on %(day)s.")
            % {"deliverable": deliverable, "day": date_format(deliverable.sent_on, "DATE_FORMAT")}
        )
    version_check(Report.objects.filter(deliverable=deliverable).first(), read)
    report, _ = Report.objects.get_or_create(deliverable=deliverable)
    report.introduction = introduction.strip()
    report.issued_on = issued_on
    report.save()
    if deliverable.state == Deliverable.State.UPCOMING:
        deliverable.state = Deliverable.State.DRAFT
        deliverable.save(update_fields=["state"])
    return report


@transaction.atomic
def report_send(
    *,
    deliverable: Deliverable,
    introduction: str,
    issued_on: datetime.date | None = None,
    fingerprint: str | None = None,
    user=None,
    now: datetime.datetime | None = None,
    illustrative: bool = False,
    read: ReadVersion | None = None,
) -> Report:
    """Compose the report, dated ``issued_on`` (default: today), freeze it, publish it and
    queue its deliveries.

    The report and its documents show the map as it stood at the end of the date of issue (or
    now, for today), and the changes since the previous report's moment; documents get their
    symbol from the secretariat's pattern. With ``fingerprint`` (what the sender previewed),
    refuse when the map changed since the preview: the sender sends what they saw; with
    ``read``, refuse (``StaleVersion``) when the draft was saved since the sender read it.
    Sending starts when the transaction commits.
    """
    now = now or timezone.now()
    issued_on = issued_on or timezone.localdate(now)
    deliverable = Deliverable.objects.select_for_update().get(pk=deliverable.pk)
    if deliverable.state == Deliverable.State.SENT:
        raise ReportError(
            gettext("“%(deliverable)s” was already sent on %(day)s.")
            % {"deliverable": deliverable, "day": date_format(deliverable.sent_on, "DATE_FORMAT")}
        )
    version_check(Report.objects.filter(deliverable=deliverable).first(), read)
    issue_date_check(deliverable=deliverable, issued_on=issued_on, now=now)
    moment = issue_moment(issued_on=issued_on, now=now)
    symbol = symbol_for(deliverable=deliverable, issued_on=issued_on)
    composed = report_compose(
        deliverable=deliverable,
        introduction=introduction,
        issued_on=issued_on,
        moment=None if moment >= now else moment,
        symbol=symbol,
        illustrative=illustrative,
        now=now,
    )
    if fingerprint is not None and fingerprint != composed.fingerprint:
        raise StalePreview(
            gettext(
                "The map changed since your preview. Read the new preview below, then send again."
            )
        )
    report, _ = Report.objects.get_or_create(deliverable=deliverable)
    since = composed.content["since"]
    report.introduction = introduction.strip()
    report.subject = composed.subject
    report.content = composed.content
    report.body_text = composed.body_text
    report.body_html = composed.body_html
    report.email_templates = current_sources(REPORT_EMAIL_TEMPLATES)
    report.since = datetime.datetime.fromisoformat(since) if since else None
    report.composed_at = moment
    report.issued_on = issued_on
    report.symbol = symbol
    report.illustrative = illustrative
    report.sent_at = now
    report.sent_by = user if user is not None and user.is_authenticated else None
    report.save()
    deliverable.state = Deliverable.State.SENT
    deliverable.sent_at = now
    deliverable.save(update_fields=["state", "sent_at"])
    mailing_list_sync_participants()
    deliveries_create(report=report)
    if deliverable.has_documents:
        DocumentExport.objects.bulk_create(
            [
                DocumentExport(
                    deliverable=deliverable,
                    format=value,
                    frozen=True,
                    requested_by=(report.sent_by),
                )
                for value in DocumentFormat.values
            ]
        )
    transaction.on_commit(lambda: report_sending_enqueue(report=report))
    return report


def report_sending_enqueue(*, report: Report, run_after: datetime.datetime | None = None):
    """Queue the sending task of a sent report (again); safe to do while another one runs."""
    from reports.tasks import report_deliver_task

    task = report_deliver_task
    if run_after is not None:
        task = task.using(run_after=run_after)
    result = task.enqueue(report.pk)
    Report.objects.filter(pk=report.pk).update(task_id=str(result.id))
    return result


def _chosen_languages() -> dict[str, str]:
    """The language each participant who signed in chose in their profile, by their address
    (lower case): it wins over the language they subscribed in."""
    rows = (
        Participant.objects.exclude(email="")
        .exclude(user__profile__language="")
        .filter(user__profile__isnull=False)
        .values_list("email", "user__profile__language")
    )
    return {email.lower(): language for email, language in rows}


def deliveries_create(*, report: Report) -> int:
    """One pending delivery per address: the Chair (addressed as such), then the list; each in
    its reader's language (their profile's, else the one they subscribed in, else English)."""
    rows: dict[str, Delivery] = {}
    subscribers = {
        email: (pk, language)
        for pk, email, language in Subscriber.objects.values_list("pk", "email", "language")
    }
    chosen = _chosen_languages()
    chairs = Participant.objects.filter(role=Participant.Role.CHAIR).exclude(email="")
    for chair in chairs.order_by("pk"):
        email = chair.email.lower()
        pk, language = subscribers.get(email, (None, "en"))
        rows[email] = Delivery(
            report=report,
            email=email,
            name=chair.display_name,
            subscriber_id=pk,
            to_chair=True,
            language=chosen.get(email, language),
        )
    subscribed = (
        Subscriber.objects.subscribed()
        .order_by("pk")
        .values_list("pk", "email", "name", "language")
    )
    for pk, email, name, language in subscribed.iterator(chunk_size=5000):
        if email not in rows:
            rows[email] = Delivery(
                report=report,
                email=email,
                name=name,
                subscriber_id=pk,
                language=chosen.get(email, language),
            )
    created = Delivery.objects.bulk_create(rows.values(), batch_size=2000, ignore_conflicts=True)
    return len(created)


@transaction.atomic
def mailing_list_sync_participants() -> int:
    """Put every participant with an e-mail address on the mailing list, once.

    An address already on the list keeps its state (someone who unsubscribed stays so) and is
    linked to the participant; a participant whose address changed has it changed on the list.
    """
    by_email = {
        email: (pk, participant_id)
        for pk, email, participant_id in Subscriber.objects.values_list(
            "pk", "email", "participant_id"
        )
    }
    by_participant = {
        participant_id: (pk, email)
        for email, (pk, participant_id) in by_email.items()
        if participant_id
    }
    now = timezone.now()
    new = []
    for participant in Participant.objects.exclude(email="").order_by("pk"):
        email = participant.email.lower()
        linked = by_participant.get(participant.pk)
        if email in by_email:
            pk, participant_id = by_email[email]
            if participant_id is None and linked is None:
                Subscriber.objects.filter(pk=pk).update(participant=participant)
            continue
        if linked is not None:
            Subscriber.objects.filter(pk=linked[0]).update(email=email)
            continue
        new.append(
            Subscriber(
                email=email,
                name=participant.display_name,
                participant=participant,
                state=Subscriber.State.SUBSCRIBED,
                confirmed_at=now,
            )
        )
    if new:
        bulk_create_with_history(new, Subscriber, batch_size=1000)
    return len(new)


# Claiming and recording deliveries -----------------------------------------------------------


def deliveries_claim(
    *, report_id: int, worker: str, limit: int | None = None, now: datetime.datetime | None = None
) -> list[Delivery]:
    """Take up to ``limit`` pending deliveries of a report for this worker.

    A short transaction: the rows are locked (skipping rows another worker holds) and moved to
    sending with this claim's token, so no other claimer can take them.
    """
    now = now or timezone.now()
    limit = limit or settings.REPORTS_CLAIM_BATCH
    token = f"{worker[:31]}:{uuid.uuid4().hex}"
    for attempt in range(20):
        try:
            return _claim(report_id, token, limit, now)
        except OperationalError as error:
            # SQLite answers "locked" instead of waiting when another process holds the lock.
            if not is_locked_database_exception(error) or attempt == 19:
                raise
            time.sleep(0.05 * (attempt + 1))
    return []


# A claim's lease is renewed before a message unless it was renewed this recently.
LEASE_RENEWED_WITHIN = datetime.timedelta(seconds=5)


def _lease(now: datetime.datetime) -> datetime.datetime:
    return now + datetime.timedelta(seconds=settings.REPORTS_LEASE_SECONDS)


def _claim(report_id: int, token: str, limit: int, now: datetime.datetime) -> list[Delivery]:
    with transaction.atomic():
        ids = list(
            Delivery.objects.claimable(now)
            .filter(report_id=report_id)
            .order_by("-to_chair", "pk")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:limit]
        )
        if ids:
            # Claimable again in the update keeps the claim exclusive on databases without row
            # locks too.
            Delivery.objects.claimable(now).filter(pk__in=ids).update(
                state=Delivery.State.SENDING,
                claimed_at=now,
                claimed_by=token,
                lease_until=_lease(now),
                started_at=None,
            )
    # Read even when nothing new was claimed: a claim tried again because this read found the
    # table locked has already taken its deliveries under the same token.
    return list(
        Delivery.objects.filter(report_id=report_id, state=Delivery.State.SENDING, claimed_by=token)
        .select_related("subscriber")
        .order_by("-to_chair", "pk")
    )


def deliveries_start(
    *, deliveries: list[Delivery], now: datetime.datetime | None = None
) -> list[Delivery]:
    """Record in one write that the sending of a claimed batch begins, and renew its lease.

    Written before the batch's first message goes, so that a worker that dies while sending
    leaves every delivery of the batch begun: when the lease runs out, the sweep of stale claims
    (``deliveries_mark_stale``) makes each of them ``attention``, never sent again by itself.
    That is the price of one write a batch instead of one a message: after a crash, up to a
    batch of addresses (``REPORTS_CLAIM_BATCH``), some of them never sent, wait for a person's
    decision. A worker that stops in an orderly way (an error, the server gone) records what it
    sent and gives back what it had not begun (``deliveries_sent``, ``deliveries_release``).

    Returns the deliveries started: those whose claim was lost (its lease ran out and another
    worker took them) are not, and must not be sent.
    """
    if not deliveries:
        return []
    now = now or timezone.now()
    token = deliveries[0].claimed_by
    ids = [delivery.pk for delivery in deliveries]
    mine = Delivery.objects.filter(
        report_id=deliveries[0].report_id,
        state=Delivery.State.SENDING,
        claimed_by=token,
        pk__in=ids,
        started_at__isnull=True,
        lease_until__gte=now,
    )
    count = mine.update(started_at=now, attempts=F("attempts") + 1, lease_until=_lease(now))
    if count == len(ids):
        started = deliveries
    else:  # some were lost to another worker: only those this write began are sent
        begun = set(
            Delivery.objects.filter(
                pk__in=ids, state=Delivery.State.SENDING, claimed_by=token, started_at=now
            ).values_list("pk", flat=True)
        )
        started = [delivery for delivery in deliveries if delivery.pk in begun]
    for delivery in started:
        delivery.attempts += 1
        delivery.started_at = now
        delivery.lease_until = _lease(now)
    return started


def claim_renew(*, report_id: int, token: str, now: datetime.datetime | None = None) -> bool:
    """Renew the lease of a claim still being sent; False when it had run out (the claim is lost:
    what remains of it must not be sent)."""
    now = now or timezone.now()
    # By report and state first: the claim index finds the few deliveries being sent, where
    # the token alone would be looked for among every delivery of every report.
    return bool(
        Delivery.objects.filter(
            report_id=report_id,
            state=Delivery.State.SENDING,
            claimed_by=token,
            lease_until__gte=now,
        ).update(lease_until=_lease(now))
    )


def deliveries_release(*, token: str, unsent: list[int] = ()) -> int:
    """Give back the deliveries of a claim that were not sent (a run that stops): those whose
    sending had not begun, and those of ``unsent``, begun with their batch but whose message was
    certainly never handed to the server (the attempt is not counted)."""
    released = Delivery.objects.filter(
        claimed_by=token, state=Delivery.State.SENDING, started_at__isnull=True
    ).update(state=Delivery.State.PENDING, claimed_by="", lease_until=None)
    if unsent:
        released += Delivery.objects.filter(
            pk__in=unsent, claimed_by=token, state=Delivery.State.SENDING
        ).update(
            state=Delivery.State.PENDING,
            claimed_by="",
            lease_until=None,
            started_at=None,
            attempts=Greatest(F("attempts") - 1, 0),
        )
    return released


@dataclass(frozen=True)
class Sent:
    delivery_id: int
    message_id: str
    sent_at: datetime.datetime


def deliveries_sent(*, sent: list[Sent]) -> int:
    """Record in one write the deliveries a batch sent, each with its moment and Message-ID."""
    if not sent:
        return 0
    return Delivery.objects.filter(
        pk__in=[record.delivery_id for record in sent], state=Delivery.State.SENDING
    ).update(
        state=Delivery.State.SENT,
        sent_at=Case(
            *(When(pk=record.delivery_id, then=Value(record.sent_at)) for record in sent),
            output_field=DateTimeField(),
        ),
        message_id=Case(
            *(When(pk=record.delivery_id, then=Value(record.message_id)) for record in sent),
            output_field=CharField(),
        ),
        last_error="",
    )


def delivery_failed(*, delivery: Delivery, error: str, temporary: bool) -> str:
    """Record a failure: a temporary one is retried later until the retries are used up."""
    delays = settings.REPORTS_RETRY_DELAYS
    if temporary and delivery.attempts <= len(delays):
        delay = datetime.timedelta(seconds=delays[max(delivery.attempts, 1) - 1])
        state = Delivery.State.PENDING
        available_at = timezone.now() + delay
    else:
        state = Delivery.State.FAILED
        available_at = delivery.available_at
        if temporary:
            error = f"{error} (gave up after {delivery.attempts} attempts)"
    Delivery.objects.filter(pk=delivery.pk, state=Delivery.State.SENDING).update(
        state=state,
        available_at=available_at,
        last_error=error[:2000],
        claimed_by="",
        lease_until=None,
        started_at=None,
    )
    return state


def delivery_postpone(*, delivery: Delivery, error: str) -> None:
    """The server could not be used: nothing was sent; try again after the first retry delay,
    without using up one of the delivery's retries."""
    delay = datetime.timedelta(seconds=(settings.REPORTS_RETRY_DELAYS or [60])[0])
    Delivery.objects.filter(pk=delivery.pk, state=Delivery.State.SENDING).update(
        state=Delivery.State.PENDING,
        attempts=F("attempts") - 1,
        available_at=timezone.now() + delay,
        last_error=error[:2000],
        claimed_by="",
        lease_until=None,
        started_at=None,
    )


def delivery_unknown(*, delivery: Delivery, error: str) -> None:
    """The server may or may not have taken the message: never resent without a person."""
    Delivery.objects.filter(pk=delivery.pk, state=Delivery.State.SENDING).update(
        state=Delivery.State.ATTENTION,
        last_error=f"{error} — the message may have been delivered; resend it only deliberately."[
            :2000
        ],
    )


def deliveries_mark_stale(*, report_id: int, now: datetime.datetime | None = None) -> int:
    """Deliveries whose worker died while sending them need a person: mark them so.

    Only those whose SMTP conversation had begun: the others are taken back by the next claim.
    """
    now = now or timezone.now()
    expired = Q(lease_until__lt=now) | Q(
        lease_until__isnull=True,
        claimed_at__lt=now - datetime.timedelta(seconds=settings.REPORTS_LEASE_SECONDS),
    )
    return (
        Delivery.objects.filter(report_id=report_id, state=Delivery.State.SENDING)
        .filter(expired)
        .exclude(started_at__isnull=True, lease_until__isnull=False)
        .update(
            state=Delivery.State.ATTENTION,
            last_error="Its worker stopped while sending it (the lease of its claim ran out): "
            "the message may have been delivered; resend it only deliberately.",
        )
    )


def next_retry_at(*, report_id: int) -> datetime.datetime | None:
    return Delivery.objects.filter(report_id=report_id, state=Delivery.State.PENDING).aggregate(
        at=Min("available_at")
    )["at"]


@transaction.atomic
def deliveries_resend(*, deliveries, user=None) -> int:
    """Send again, deliberately, deliveries that failed or need attention."""
    resendable = [Delivery.State.FAILED, Delivery.State.ATTENTION]
    rows = list(
        Delivery.objects.filter(pk__in=[d.pk for d in deliveries], state__in=resendable)
        .select_for_update()
        .values_list("pk", "report_id")
    )
    if not rows:
        return 0
    Delivery.objects.filter(pk__in=[pk for pk, _ in rows]).update(
        state=Delivery.State.PENDING,
        attempts=0,
        available_at=timezone.now(),
        claimed_by="",
        lease_until=None,
        started_at=None,
        last_error="",
    )
    for report in Report.objects.filter(pk__in={report_id for _, report_id in rows}):
        transaction.on_commit(lambda report=report: report_sending_enqueue(report=report))
    return len(rows)


def report_resume(*, report: Report) -> None:
    """Queue the sending task again (after a worker stopped, or to hurry retries)."""
    if not report.is_sent:
        raise ReportError(gettext("The report has not been sent."))
    Delivery.objects.filter(report=report, state=Delivery.State.PENDING).update(
        available_at=timezone.now()
    )
    report_sending_enqueue(report=report)


# The mailing list ----------------------------------------------------------------------------


class SubscriptionError(Exception):
    pass


@dataclass
class SubscriptionRequest:
    subscriber: Subscriber
    confirmation_queued: bool


@transaction.atomic
def subscription_request(
    *, email: str, name: str = "", language: str = "en", now: datetime.datetime | None = None
) -> SubscriptionRequest:
    """Ask to join the list: a confirmation goes to the address, at most once an hour, in
    ``language`` (that of the page the visitor asked from; the list's messages follow it).

    Nothing changes for an address already subscribed, and the caller tells the visitor the
    same thing in every case, so the form reveals nobody's subscription.
    """
    now = now or timezone.now()
    email = email.strip().lower()
    subscriber = Subscriber.objects.select_for_update().filter(email=email).first()
    if subscriber is None:
        try:
            with transaction.atomic():  # a savepoint: a lost race leaves this transaction usable
                subscriber = Subscriber.objects.create(
                    email=email, name=name.strip()[:200], language=language
                )
        except IntegrityError:
            # The same address asked at the same moment from another request, which created
            # it: go on with that row (its lock waits for the other request to finish).
            subscriber = Subscriber.objects.select_for_update().get(email=email)
    if subscriber.state == Subscriber.State.SUBSCRIBED:
        return SubscriptionRequest(subscriber, False)
    sent = subscriber.confirmation_sent_at
    if sent is not None and now - sent < CONFIRMATION_INTERVAL:
        return SubscriptionRequest(subscriber, False)
    subscriber.confirmation_sent_at = now
    subscriber.language = language  # asked again: from the page they read now
    if name.strip() and not subscriber.name:
        subscriber.name = name.strip()[:200]
    subscriber.save(update_fields=["confirmation_sent_at", "name", "language"])

    def enqueue() -> None:
        from reports.tasks import confirmation_send_task

        confirmation_send_task.enqueue(subscriber.pk)

    transaction.on_commit(enqueue)
    return SubscriptionRequest(subscriber, True)


def subscriber_for_confirmation(*, token: str) -> Subscriber:
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRMATION_MAX_AGE.total_seconds())
    except signing.SignatureExpired:
        raise SubscriptionError(
            gettext("This confirmation link has expired. Subscribe again to receive a new one.")
        ) from None
    except signing.BadSignature:
        raise SubscriptionError(gettext("This confirmation link is not valid.")) from None
    subscriber = Subscriber.objects.filter(pk=data.get("s"), email=data.get("e")).first()
    if subscriber is None:
        raise SubscriptionError(gettext("This confirmation link is not valid."))
    return subscriber


@transaction.atomic
def subscription_confirm(*, token: str) -> Subscriber:
    """The owner of the address confirmed: they are on the list."""
    subscriber = subscriber_for_confirmation(token=token)
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.state != Subscriber.State.SUBSCRIBED:
        subscriber.state = Subscriber.State.SUBSCRIBED
        subscriber.confirmed_at = timezone.now()
        subscriber.unsubscribed_at = None
        subscriber.suspended_at = None
        subscriber.suspended_reason = ""
        subscriber.save(
            update_fields=[
                "state",
                "confirmed_at",
                "unsubscribed_at",
                "suspended_at",
                "suspended_reason",
            ]
        )
    return subscriber


@transaction.atomic
def subscriber_unsubscribe(*, subscriber: Subscriber) -> Subscriber:
    """Off the list; messages not yet sent to the address are dropped (not the Chair's)."""
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.state != Subscriber.State.UNSUBSCRIBED:
        subscriber.state = Subscriber.State.UNSUBSCRIBED
        subscriber.unsubscribed_at = timezone.now()
        subscriber.save(update_fields=["state", "unsubscribed_at"])
    Delivery.objects.filter(
        subscriber=subscriber, state=Delivery.State.PENDING, to_chair=False
    ).delete()
    return subscriber


# Bounces -------------------------------------------------------------------------------------

# Permanent bounces (of different reports) after which an address is taken off the list.
SUSPEND_AFTER_PERMANENT_BOUNCES = 2


@transaction.atomic
def delivery_bounce_record(
    *,
    delivery: Delivery,
    permanent: bool,
    status: str,
    diagnostic: str,
    now: datetime.datetime | None = None,
) -> Subscriber | None:
    """Record a delivery status notification on its delivery. The address's second delivery
    that bounced permanently suspends it from the list, the bounces given as the reason; the
    suspended subscriber is returned (None when nothing was suspended)."""
    now = now or timezone.now()
    delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
    # A later permanent bounce is never overwritten by a temporary one for the same delivery.
    if not (delivery.bounce_permanent and not permanent):
        delivery.bounced_at = now
        delivery.bounce_permanent = permanent
        delivery.bounce_status = status[:20]
        delivery.bounce_diagnostic = diagnostic[:2000]
        delivery.save(
            update_fields=["bounced_at", "bounce_permanent", "bounce_status", "bounce_diagnostic"]
        )
    if not permanent:
        return None
    subscriber = Subscriber.objects.select_for_update().filter(email=delivery.email).first()
    if subscriber is None or subscriber.state != Subscriber.State.SUBSCRIBED:
        return None
    bounced = list(
        Delivery.objects.filter(email=delivery.email, bounce_permanent=True)
        .select_related("report__deliverable")
        .order_by("bounced_at")
    )
    if len(bounced) < SUSPEND_AFTER_PERMANENT_BOUNCES:
        return None
    subscriber.state = Subscriber.State.SUSPENDED
    subscriber.suspended_at = now
    subscriber.suspended_reason = "\n".join(
        f"{row.report} ({row.bounced_at:%Y-%m-%d}): {row.bounce_status} "
        f"{row.bounce_diagnostic[:300]}".strip()
        for row in bounced
    )
    subscriber._history_user = None
    subscriber.save(update_fields=["state", "suspended_at", "suspended_reason"])
    # Reports still queued for the address are not sent (the Chair's always are).
    Delivery.objects.filter(
        subscriber=subscriber, state=Delivery.State.PENDING, to_chair=False
    ).delete()
    return subscriber


# Documents -----------------------------------------------------------------------------------


def document_export_request(
    *, deliverable: Deliverable, format: str, user=None, language: str = "en"
) -> DocumentExport:
    """Prepare the document in the background, its fixed wording in ``language``; the export
    shows its progress."""
    if format not in DocumentFormat.values:
        raise ReportError(gettext("Unknown format “%(format)s”.") % {"format": format})
    if language not in dict(settings.LANGUAGES):
        raise ReportError(gettext("Unknown language “%(language)s”.") % {"language": language})
    export = DocumentExport.objects.create(
        deliverable=deliverable,
        format=format,
        language=language,
        requested_by=user if user is not None and user.is_authenticated else None,
    )

    def enqueue() -> None:
        from reports.tasks import document_export_task

        document_export_task.enqueue(export.pk)

    transaction.on_commit(enqueue)
    return export


def document_export_build(*, export_id: int) -> DocumentExport | None:
    """Build one export, if nobody else is building it. Returns it, or None if taken."""
    from django.core.files.base import ContentFile

    from reports.final import document_issue
    from reports.formats import final_document_bytes

    taken = DocumentExport.objects.filter(pk=export_id, state=DocumentExport.State.PENDING).update(
        state=DocumentExport.State.RUNNING
    )
    if not taken:
        return None
    export = DocumentExport.objects.select_related("deliverable").get(pk=export_id)
    try:
        # Prepared as of the moment it was asked for (an issued document: as issued).
        issue = document_issue(export.deliverable, now=export.created_at)
        content = final_document_bytes(issue=issue, format=export.format, language=export.language)
    except Exception as error:
        export.state = DocumentExport.State.FAILED
        export.error = f"{type(error).__name__}: {error}"
        export.finished_at = timezone.now()
        export.save(update_fields=["state", "error", "finished_at"])
        raise
    export.file.save(export.filename, ContentFile(content), save=False)
    export.state = DocumentExport.State.DONE
    export.finished_at = timezone.now()
    export.save(update_fields=["file", "state", "finished_at"])
    return export
