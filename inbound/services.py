"""What a message taken from the mailbox becomes: a comment, a reply to a report, a
contribution, a bounce recorded on its delivery, or nothing with (at most) one polite answer.

``message_take`` is the one entry: it claims the message's key and records what it became in
one transaction, so that each message is handled exactly once whoever fetches it.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from consensus.models import Proposal
from inbound import answers, reading
from inbound.models import InboundMessage, ReportReply
from issues.models import Issue
from issues.services.comments import comment_post
from reports.models import Delivery, Report
from reports.services import delivery_bounce_record
from wgec import mail_addresses
from wgec.documents.markdown import MARKDOWN_MAX_CHARS
from wgec.languages import is_language
from wgec.mail_addresses import ReplyKind, TagError
from wgec.models import Contribution, Participant, Profile
from wgec.roles import Role, role_of
from wgec.services import contribution_submit

logger = logging.getLogger(__name__)

Outcome = InboundMessage.Outcome

# Unknown senders are told at most once in this long.
ANSWER_INTERVAL = datetime.timedelta(days=1)


@dataclass
class Refusal(Exception):
    """The message creates nothing: ``reason`` is recorded; ``answer`` says whether the sender
    may be told (a machine never is)."""

    reason: str | Promise  # a reason the sender is told is marked, and told in their language
    answer: bool = True
    outcome: str = Outcome.REFUSED


def message_take(
    *,
    mailbox: str,
    uidvalidity: int,
    uid: int,
    raw: bytes | None,
    size: int,
    now: datetime.datetime | None = None,
) -> InboundMessage | None:
    """Handle one message of the mailbox, exactly once: None when its key (mailbox,
    UIDVALIDITY, UID) was taken before. ``raw`` is None for a message too large to read."""
    now = now or timezone.now()
    key = {"mailbox": mailbox, "uidvalidity": uidvalidity, "uid": uid}
    try:
        with transaction.atomic():
            # Claimed first: a second fetcher's insert of the same key waits for this
            # transaction, then fails, and leaves the message to us.
            record = InboundMessage.objects.create(
                **key, size=size, taken_at=now, outcome=Outcome.FAILED
            )
            _handle(record, raw, now)
            record.save()
            return record
    except IntegrityError:
        if InboundMessage.objects.filter(**key).exists():
            return None
        logger.exception("Message %s of %s could not be recorded", uid, mailbox)
        error = "it could not be recorded (a database constraint refused it)"
    except Exception as exc:  # never let one message stop the fetcher: record it and go on
        logger.exception("Message %s of %s could not be handled", uid, mailbox)
        error = f"{type(exc).__name__}: {exc}"[:1000]
    try:
        return InboundMessage.objects.create(
            **key, size=size, taken_at=now, outcome=Outcome.FAILED, reason=error
        )
    except IntegrityError:
        return None


def _handle(record: InboundMessage, raw: bytes | None, now: datetime.datetime) -> None:
    if raw is None:
        record.outcome = Outcome.REFUSED
        record.reason = f"larger than {settings.INBOUND_MAX_MB} MB: not read"
        return
    try:
        message = reading.read(raw)
    except Exception as error:  # the parser gave up on this message: malformed MIME
        record.outcome = Outcome.FAILED
        record.reason = f"malformed message: {type(error).__name__}: {error}"[:1000]
        return
    record.message_id = message.message_id
    record.sender = message.sender[:254]
    record.subject = message.subject
    try:
        _route(record, message, now)
    except Refusal as refusal:
        record.outcome = refusal.outcome
        with translation.override("en"):  # the record is the secretariat's, in English
            record.reason = str(refusal.reason)
        if refusal.answer and refusal.outcome == Outcome.REFUSED:
            _answer(record, message, refusal.reason, now)


def _route(record: InboundMessage, message: reading.Reading, now: datetime.datetime) -> None:
    if reading.is_loop(message):
        raise Refusal("a message of this site come back (loop)", False, Outcome.IGNORED)
    bounce = [tag for tag in message.tags if mail_addresses.bounce_tag_read(tag) is not None]
    statuses, returned_ids = reading.delivery_statuses(message.message)
    if bounce or statuses:
        _bounce(record, message, bounce, statuses, returned_ids, now)
        return
    automatic = reading.automatic_reason(message)
    if automatic:
        raise Refusal(f"written by a machine ({automatic})", False, Outcome.IGNORED)
    if len(message.recipients) > settings.INBOUND_MAX_RECIPIENTS:
        raise Refusal(
            f"addressed to {len(message.recipients)} recipients "
            f"(at most {settings.INBOUND_MAX_RECIPIENTS})",
            False,
        )
    if message.sender_count != 1:
        raise Refusal("it does not name one sender", False)
    if reading.failed_authentication(message):
        raise Refusal("the receiving server found its sender forged (DMARC)", False)
    author = _member(message.sender)
    tag = CONTRIBUTE if _is_contribution(message) else _reply_tag(message)
    if tag == CONTRIBUTE:
        record.contribution = _contribute(author, message)
        record.outcome = Outcome.CONTRIBUTION
        return
    text = _reply_text(message)
    if isinstance(tag, mail_addresses.ReplyTag):
        if tag.kind == ReplyKind.REPORT:
            report = Report.objects.sent().filter(pk=tag.object_id).first()
            if report is None:
                raise Refusal(_("the update report it answers no longer exists"))
            _reply_to_report(record, author, report, message, text)
            return
        issue = _issue_for(tag)
        record.comment = _comment(author, issue, text)
        record.outcome = Outcome.COMMENT
        return
    report = _report_referenced(message)
    if report is None:
        raise Refusal(
            _(
                "it does not answer a message of this site: reply to an update report or a "
                "notification, or write to the contributions address with documents attached"
            )
        )
    _reply_to_report(record, author, report, message, text)


CONTRIBUTE = "contribute"


def _is_contribution(message: reading.Reading) -> bool:
    tag = settings.INBOUND_CONTRIBUTION_TAG.lower()
    return mail_addresses.CONTRIBUTE_TAG in message.tags or bool(
        tag and reading.clean_subject(message.subject).lower().startswith(tag)
    )


def _reply_tag(message: reading.Reading) -> mail_addresses.ReplyTag | None:
    """The reply tag the message was sent to; a tag that is not good is refused with why."""
    problem = ""
    for tag in message.tags:
        if not tag:
            continue
        try:
            return mail_addresses.reply_tag_read(
                tag, sender=message.sender, today=timezone.localdate()
            )
        except TagError as error:
            problem = str(error)
    if problem:
        raise Refusal(problem)
    return None


def _member(address: str) -> Participant:
    """The correspondence-group member who owns the address (as the site would let them
    comment when signed in)."""
    participant = (
        Participant.objects.select_related("user")
        .filter(Q(email__iexact=address) | Q(user__email__iexact=address))
        .order_by("pk")
        .first()
    )
    if participant is None:
        raise Refusal(_("its address is not known to this site"))
    if participant.user_id is not None:
        allowed = role_of(participant.user) >= Role.MEMBER
    else:
        allowed = participant.correspondence_group or participant.role in (
            Participant.Role.CHAIR,
            Participant.Role.COORDINATOR,
        )
    if not allowed:
        raise Refusal(_("only members of the correspondence group may comment"))
    return participant


def _reply_text(message: reading.Reading) -> str:
    try:
        text = reading.new_text(message.message)
    except reading.UnreadableText as error:
        raise Refusal(str(error)) from None
    if not text:
        raise Refusal(_("it holds no text of its own above the quoted message"))
    if len(text) > MARKDOWN_MAX_CHARS:
        raise Refusal(
            format_lazy(_("its text is longer than {count} characters"), count=MARKDOWN_MAX_CHARS)
        )
    return text


def _issue_for(tag: mail_addresses.ReplyTag) -> Issue:
    if tag.kind == ReplyKind.PROPOSAL:
        proposal = Proposal.objects.select_related("issue").filter(pk=tag.object_id).first()
        if proposal is None or proposal.issue is None:
            raise Refusal(_("the proposal it answers concerns no issue a comment could go under"))
        issue = proposal.issue
    else:
        issue = Issue.objects.filter(pk=tag.object_id).first()
        if issue is None:
            raise Refusal(_("the issue it answers no longer exists"))
    if issue.state == Issue.State.MERGED and issue.merged_into_id:
        issue = Issue.objects.get(pk=issue.merged_into_id)
    return issue


def _comment(author: Participant, issue: Issue, text: str):
    try:
        with transaction.atomic():
            return comment_post(issue=issue, author=author, text=text, by_email=True)
    except ValidationError as error:
        raise Refusal(" ".join(error.messages)) from None


def _reply_to_report(
    record: InboundMessage,
    author: Participant,
    report: Report,
    message: reading.Reading,
    text: str,
) -> None:
    reply = ReportReply(
        report=report,
        author=author,
        subject=reading.clean_subject(message.subject)[:300],
        text=text,
    )
    try:
        reply.full_clean()
    except ValidationError as error:
        raise Refusal(" ".join(error.messages)) from None
    reply.save()
    record.report_reply = reply
    record.outcome = Outcome.REPORT_REPLY


def _report_referenced(message: reading.Reading) -> Report | None:
    """The report a reply without our reply address answers, by its References: one of the
    deliveries to the sender."""
    if not message.references:
        return None
    delivery = (
        Delivery.objects.filter(
            message_id__in=message.references[-20:],
            email=message.sender,
            report__sent_at__isnull=False,
        )
        .select_related("report")
        .first()
    )
    return delivery.report if delivery else None


def _contribute(author: Participant, message: reading.Reading) -> Contribution:
    files = reading.attachments(message.message)
    if not files:
        raise Refusal(_("a contribution by e-mail needs its documents attached"))
    title = reading.clean_subject(message.subject)
    tag = settings.INBOUND_CONTRIBUTION_TAG
    if tag and title.lower().startswith(tag.lower()):
        title = title[len(tag) :]
    title = " ".join(title.split())[:300] or f"Contribution by e-mail from {author.display_name}"
    try:
        text = reading.new_text(message.message)[:MARKDOWN_MAX_CHARS] or "Sent by e-mail."
    except reading.UnreadableText as error:
        raise Refusal(str(error)) from None
    uploads = [SimpleUploadedFile(attachment.name[:200], attachment.data) for attachment in files]
    try:
        with transaction.atomic():
            return contribution_submit(
                author=author,
                title=title,
                kind=Contribution.Kind.OTHER,
                text=text,
                documents=uploads,
                user=author.user,
            )
    except ValidationError as error:
        raise Refusal(" ".join(error.messages)) from None


def _bounce(
    record: InboundMessage,
    message: reading.Reading,
    tags: list[str],
    statuses: list[reading.Status],
    returned_ids: list[str],
    now: datetime.datetime,
) -> None:
    delivery = None
    for tag in tags:
        delivery_id = mail_addresses.bounce_tag_read(tag)
        delivery = Delivery.objects.filter(pk=delivery_id).first()
        if delivery:
            break
    if delivery is None and returned_ids:
        delivery = Delivery.objects.filter(message_id__in=returned_ids).first()
    if delivery is None:
        raise Refusal("a bounce that matches no delivery", False, Outcome.IGNORED)
    if not statuses:
        raise Refusal(
            f"a bounce for {delivery} without a delivery status to read", False, Outcome.IGNORED
        )
    status = next((s for s in statuses if s.recipient == delivery.email), statuses[0])
    if status.action not in ("failed", "delayed"):
        raise Refusal(
            f"a delivery status for {delivery}: {status.action or 'no action'}",
            False,
            Outcome.IGNORED,
        )
    suspended = delivery_bounce_record(
        delivery=delivery,
        permanent=status.permanent,
        status=status.status,
        diagnostic=status.diagnostic,
        now=now,
    )
    record.delivery = delivery
    record.outcome = Outcome.BOUNCE
    record.reason = (
        f"{'permanent' if status.permanent else 'temporary'} {status.status} for {delivery.email}"
        + ("; the address was suspended from the list" if suspended else "")
    )


def _answer(
    record: InboundMessage, message: reading.Reading, reason: str | Promise, now: datetime.datetime
) -> None:
    """Tell the sender why nothing came of their message: at most once a day per address."""
    sender = message.sender
    if not sender or mail_addresses.tag_of(sender) is not None:
        return  # never answer ourselves
    if InboundMessage.objects.answered_since(sender, now - ANSWER_INTERVAL).exists():
        return
    record.answered_at = now
    answers.refusal_send(
        to=sender,
        subject=message.subject,
        message_id=message.message_id,
        reason=reason,
        language=_sender_language(message),
    )


def _sender_language(message: reading.Reading) -> str:
    """The language to answer in: the one the sender chose in their profile, else that of the
    update report they answered (as it was sent to them), else English."""
    sender = message.sender
    chosen = (
        Profile.objects.filter(
            Q(user__email__iexact=sender) | Q(user__participant__email__iexact=sender)
        )
        .order_by("user_id")
        .values_list("language", flat=True)
        .first()
    )
    if is_language(chosen):
        return chosen
    if message.references:
        answered = (
            Delivery.objects.filter(message_id__in=message.references)
            .values_list("language", flat=True)
            .first()
        )
        if is_language(answered):
            return answered
    return "en"
