"""Reading one message: who sent it, to which of our addresses, whether a machine wrote it, its
new text (quoted text and signature cut away), its attachments, and the delivery status
notifications it carries. Nothing here writes; every reader tolerates malformed input."""

import email
import email.policy
import html
import re
from dataclasses import dataclass, field
from email import errors
from email.message import EmailMessage
from email.utils import getaddresses

import nh3
from mailparser_reply import EmailReplyParser

from wgec import mail_addresses

# The languages the quoted-text cutter knows among the group's (English, French, Spanish,
# Chinese); English headers ("On ... wrote:") are always recognised.
REPLY_LANGUAGES = ["en", "fr", "es", "zh"]

_AUTO_SUBJECT = re.compile(
    r"^\s*(auto(matic)?[ -]?(reply|response|answer)|auto:|out of (the )?office|absence|"
    r"r[ée]ponse automatique|respuesta autom[áa]tica|abwesenheit|自动回复)",
    re.IGNORECASE,
)
_MACHINE_LOCAL = re.compile(r"^(mailer-daemon|postmaster|no-?reply|bounces?)([+-].*)?$")


@dataclass
class Attachment:
    name: str
    data: bytes


@dataclass
class Status:
    """One recipient's block of an RFC 3464 delivery status notification."""

    recipient: str
    action: str
    status: str
    diagnostic: str

    @property
    def permanent(self) -> bool:
        return self.action == "failed" and self.status.startswith("5")


@dataclass
class Reading:
    message: EmailMessage
    message_id: str = ""
    sender: str = ""
    sender_count: int = 0
    subject: str = ""
    recipients: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)


def parse(raw: bytes) -> EmailMessage:
    return email.message_from_bytes(raw, policy=email.policy.default)


def header(message: EmailMessage, name: str) -> str:
    """A header as text ("" when absent or unreadable), on one line."""
    try:
        value = message.get(name)
    except Exception:  # a header the parser cannot make sense of is as good as absent
        return ""
    return " ".join(str(value).split()) if value is not None else ""


def _addresses(message: EmailMessage, *names: str) -> list[str]:
    values = []
    for name in names:
        try:
            values.extend(str(value) for value in message.get_all(name) or [])
        except Exception:  # noqa: S112 - an unreadable header holds no address we could use
            continue
    return [address.strip().lower() for _, address in getaddresses(values) if "@" in address]


def read(raw: bytes) -> Reading:
    message = parse(raw)
    senders = _addresses(message, "From")
    recipients = _addresses(message, "To", "Cc")
    ours = _addresses(
        message, "To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To"
    )
    tags = []
    for address in ours:
        tag = mail_addresses.tag_of(address)
        if tag is not None and tag not in tags:
            tags.append(tag)
    references = " ".join([header(message, "In-Reply-To"), header(message, "References")])
    return Reading(
        message=message,
        message_id=header(message, "Message-ID")[:300],
        sender=senders[0] if senders else "",
        sender_count=len(senders),
        subject=header(message, "Subject")[:300],
        recipients=recipients,
        tags=tags,
        references=re.findall(r"<[^<>\s]+>", references),
    )


def is_loop(reading: Reading) -> bool:
    """A message we sent ourselves, come back."""
    domain = mail_addresses.message_id_domain().lower()
    if reading.message_id.lower().rstrip(">").endswith(f"@{domain}"):
        return True
    loop = header(reading.message, "X-Loop").lower()
    return bool(loop) and mail_addresses.enabled() and loop == mail_addresses.tagged("loop")


def automatic_reason(reading: Reading) -> str:
    """Why the message was written by a machine (an auto-reply, a list, a bounce), or ""."""
    message = reading.message
    auto_submitted = header(message, "Auto-Submitted").lower()
    if auto_submitted and auto_submitted != "no":
        return f"Auto-Submitted: {auto_submitted}"
    precedence = header(message, "Precedence").lower()
    if precedence in {"bulk", "junk", "list", "auto_reply"}:
        return f"Precedence: {precedence}"
    for name in ("X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress", "List-Id"):
        if header(message, name):
            return f"{name} header"
    if _AUTO_SUBJECT.match(reading.subject):
        return "an automatic answer by its subject"
    return_path = header(message, "Return-Path")
    if return_path.replace(" ", "") == "<>":
        return "a null sender (Return-Path: <>)"
    local = reading.sender.partition("@")[0]
    if _MACHINE_LOCAL.match(local):
        return f"sent by {reading.sender}"
    return ""


def failed_authentication(reading: Reading) -> bool:
    """The receiving server found the sender's domain forged (DMARC)."""
    results = " ".join(
        str(value) for value in reading.message.get_all("Authentication-Results") or []
    ).lower()
    return "dmarc=fail" in results


def delivery_statuses(message: EmailMessage) -> tuple[list[Status], list[str]]:
    """The recipients' statuses of a delivery status notification (RFC 3464), and the
    Message-IDs of the returned message; ([], []) for any other message."""
    if message.get_content_type() != "multipart/report":
        return [], []
    statuses: list[Status] = []
    message_ids: list[str] = []
    for part in message.walk():
        kind = part.get_content_type()
        if kind == "message/delivery-status":
            for block in part.get_payload() or []:
                if not isinstance(block, email.message.Message):
                    continue
                recipient = str(block.get("Final-Recipient") or block.get("Original-Recipient"))
                if not block.get("Action"):
                    continue
                statuses.append(
                    Status(
                        recipient=recipient.rpartition(";")[2].strip().lower()[:254],
                        action=str(block.get("Action", "")).strip().lower(),
                        status=str(block.get("Status", "")).strip()[:20],
                        diagnostic=" ".join(str(block.get("Diagnostic-Code", "")).split()),
                    )
                )
        elif kind in ("message/rfc822", "text/rfc822-headers"):
            if kind == "message/rfc822":
                payload = part.get_payload()
                returned = payload[0] if isinstance(payload, list) and payload else None
            else:
                returned = parse(part.get_content().encode("utf-8", "replace"))
            if returned is not None:
                found = header(returned, "Message-ID")
                if found:
                    message_ids.append(found)
    return statuses, message_ids


class UnreadableText(ValueError):
    """The text part is malformed (a wrong encoding, an unknown character set)."""


_UNREADABLE_DEFECTS = (
    errors.InvalidBase64CharactersDefect,
    errors.InvalidBase64PaddingDefect,
    errors.InvalidBase64LengthDefect,
    errors.UndecodableBytesDefect,
)

_BLOCK_END = re.compile(r"(?i)<\s*(br|/p|/div|/li|/tr|/h[1-6]|/blockquote)\b[^>]*>")


def html_text(markup: str) -> str:
    """The text of an HTML part: every tag dropped (scripts and styles with their content),
    block ends kept as line breaks, entities read."""
    markup = _BLOCK_END.sub("\n", markup)
    cleaned = nh3.clean(markup, tags=set(), clean_content_tags={"script", "style", "head", "title"})
    return html.unescape(cleaned)


def body_text(message: EmailMessage) -> str:
    """The message's text: its plain part, else its HTML part as text."""
    try:
        part = message.get_body(preferencelist=("plain", "html"))
    except Exception:  # a structure the parser cannot walk has no body to offer
        return ""
    if part is None:
        return ""
    try:
        text = part.get_content()
    except (LookupError, ValueError, AssertionError) as error:  # unknown charset, bad encoding
        raise UnreadableText(f"its text cannot be read ({type(error).__name__})") from None
    broken = [
        type(defect).__name__ for defect in part.defects if isinstance(defect, _UNREADABLE_DEFECTS)
    ]
    if broken:
        raise UnreadableText(f"its text cannot be read ({', '.join(broken)})")
    if not isinstance(text, str):
        return ""
    if part.get_content_type() == "text/html":
        text = html_text(text)
    return text.replace("\r\n", "\n").replace("\x00", "")


def new_text(message: EmailMessage) -> str:
    """What the sender wrote: the quoted text and the signature cut away."""
    text = body_text(message)
    if not text.strip():
        return ""
    parsed = EmailReplyParser(languages=REPLY_LANGUAGES).read(text)
    if parsed.replies:
        text = parsed.replies[0].body or parsed.replies[0].content or ""
    return "\n".join(line.rstrip() for line in text.strip().splitlines()).strip()


def attachments(message: EmailMessage) -> list[Attachment]:
    found = []
    for part in message.iter_attachments():
        name = part.get_filename() or ""
        if not name:
            continue
        data = part.get_payload(decode=True) or b""
        found.append(Attachment(name=name.replace("/", "_").replace("\\", "_"), data=data))
    return found


def clean_subject(subject: str) -> str:
    return re.sub(r"^\s*((re|fwd?|aw|tr|rv|回复)\s*:\s*)+", "", subject, flags=re.IGNORECASE)
