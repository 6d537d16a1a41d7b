"""The addresses of the one mailbox wgec reads (``INBOUND_ADDRESS``), plus-addressed.

A message that invites an answer carries a personal reply address: ``wgec+TAG@example.org``
where the tag names what is answered (a report, an issue, a proposal), the day it was issued,
and a signature binding both to the recipient's address. A reply is taken only from that
address and while the tag is fresh (``INBOUND_REPLY_DAYS``); a tag changed by hand no longer
matches its signature. Tags hold only lower-case letters, digits and hyphens, which survive
mail servers that change the case of local parts, and stay far below the 64 characters a local
part may have.

Bounces come back to a VERP address per delivery (``wgec+b-ID-SIGNATURE@example.org``), and
contributions to ``wgec+contribute@example.org``.
"""

import base64
import datetime
import re
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

_EPOCH = datetime.date(2000, 1, 1)
_SALT = "wgec.mail_addresses"
CONTRIBUTE_TAG = "contribute"


class ReplyKind(StrEnum):
    REPORT = "r"
    ISSUE = "i"
    PROPOSAL = "p"


class TagError(ValueError):
    """A tag that is not ours, or no longer good: the message says which, for the answer."""


@dataclass(frozen=True)
class ReplyTag:
    kind: ReplyKind
    object_id: int
    issued_on: datetime.date


def _b36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if not number:
            return out


def _signature(payload: str, email: str) -> str:
    digest = salted_hmac(_SALT, f"{payload}|{email.strip().lower()}", algorithm="sha256").digest()
    return base64.b32encode(digest).decode()[:16].lower()


def _split(address: str) -> tuple[str, str]:
    local, _, domain = address.strip().lower().rpartition("@")
    return local, domain


def enabled() -> bool:
    return bool(settings.INBOUND_ADDRESS)


def tagged(tag: str) -> str:
    local, domain = _split(settings.INBOUND_ADDRESS)
    return f"{local}+{tag}@{domain}"


def reply_address(*, kind: ReplyKind, object_id: int, email: str, today: datetime.date) -> str:
    """The personal reply address of ``email`` for a message about one object ("" when wgec
    reads no mailbox)."""
    if not enabled():
        return ""
    payload = f"{kind.value}{_b36(object_id)}-{_b36((today - _EPOCH).days)}"
    return tagged(f"{payload}-{_signature(payload, email)}")


def bounce_address(*, delivery_id: int) -> str:
    """The envelope sender of one delivery: its bounces name the delivery (VERP)."""
    if not enabled():
        return ""
    payload = f"b-{_b36(delivery_id)}"
    return tagged(f"{payload}-{_signature(payload, '')}")


def contribute_address() -> str:
    return tagged(CONTRIBUTE_TAG) if enabled() else ""


def tag_of(address: str) -> str | None:
    """The tag of one of our plus-addresses ("" for the plain address), None for another."""
    if not enabled():
        return None
    local, domain = _split(address)
    base_local, base_domain = _split(settings.INBOUND_ADDRESS)
    if domain != base_domain:
        return None
    if local == base_local:
        return ""
    prefix = f"{base_local}+"
    return local[len(prefix) :] if local.startswith(prefix) else None


_REPLY = re.compile(r"^([rip])([0-9a-z]{1,13})-([0-9a-z]{1,6})-([a-z2-7]{16})$")
_BOUNCE = re.compile(r"^b-([0-9a-z]{1,13})-([a-z2-7]{16})$")


def reply_tag_read(tag: str, *, sender: str, today: datetime.date) -> ReplyTag:
    """The reply tag ``tag`` as sent to ``sender``; ``TagError`` when it is not a reply tag,
    was not sent to that address (or was altered), or is too old."""
    match = _REPLY.match(tag)
    if not match:
        raise TagError("The address it was sent to is not a reply address of this site.")
    kind, object_id, day, signature = match.groups()
    payload = f"{kind}{object_id}-{day}"
    if not constant_time_compare(signature, _signature(payload, sender)):
        raise TagError(
            "The reply address it was sent to was not given to the address it came from."
        )
    issued_on = _EPOCH + datetime.timedelta(days=int(day, 36))
    if (today - issued_on).days > settings.INBOUND_REPLY_DAYS:
        raise TagError(
            f"The reply address it was sent to is more than {settings.INBOUND_REPLY_DAYS} days old."
        )
    return ReplyTag(ReplyKind(kind), int(object_id, 36), issued_on)


def bounce_tag_read(tag: str) -> int | None:
    """The delivery a VERP tag names, or None."""
    match = _BOUNCE.match(tag)
    if not match:
        return None
    delivery, signature = match.groups()
    if not constant_time_compare(signature, _signature(f"b-{delivery}", "")):
        return None
    return int(delivery, 36)


def message_id_domain() -> str:
    """The domain of the Message-IDs wgec makes: a message bearing it came from us (a loop)."""
    from urllib.parse import urlsplit

    return urlsplit(settings.SITE_URL).hostname or "localhost"
