"""Reading the mailbox over IMAP (``INBOUND_IMAP``): each message not yet handled is taken
(``services.message_take``), then flagged handled and, with ``INBOUND_DONE_FOLDER``, moved.

The database, not the flag, is what makes a message taken once: its key (mailbox, UIDVALIDITY,
UID) is claimed in the transaction that records what it became. The flag only spares the next
search; a fetcher that dies between the two finds the key taken and just flags the message.
"""

import logging
import ssl
from dataclasses import dataclass, field

from django.conf import settings
from imapclient import IMAPClient

from inbound.models import InboundMessage
from inbound.services import message_take

logger = logging.getLogger(__name__)

HANDLED = b"$WgecHandled"
# Messages fetched per IMAP command.
BATCH = 50


class MailboxError(Exception):
    """The mailbox cannot be reached or read; the message says which setting to look at."""


@dataclass
class FetchResult:
    taken: int = 0
    skipped: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        parts = ", ".join(f"{n} {outcome}" for outcome, n in sorted(self.outcomes.items()))
        return f"{self.taken} taken ({parts or 'none'}), {self.skipped} already taken elsewhere"


def mailbox_name(config: dict) -> str:
    return f"{config['user']}@{config['host']}:{config['port']}/{config['folder']}"


def connect(config: dict) -> IMAPClient:
    if not config.get("host"):
        raise MailboxError(
            "No mailbox is configured: set INBOUND_IMAP_URL (or INBOUND_IMAP_HOST, "
            "INBOUND_IMAP_USER and INBOUND_IMAP_PASSWORD)."
        )
    try:
        client = IMAPClient(
            config["host"],
            port=config["port"],
            ssl=config["tls"],
            ssl_context=ssl.create_default_context() if config["tls"] else None,
            timeout=60,
        )
        client.login(config["user"], config["password"])
    except Exception as error:
        raise MailboxError(
            f"Cannot log in to {mailbox_name(config)}: {type(error).__name__}: {error}"
        ) from None
    return client


def fetch_mail(*, config: dict | None = None, limit: int | None = None) -> FetchResult:
    """Take every message of the mailbox not yet handled (at most ``limit``)."""
    config = config or settings.INBOUND_IMAP
    result = FetchResult()
    client = connect(config)
    try:
        info = client.select_folder(config["folder"])
        uidvalidity = int(info[b"UIDVALIDITY"])
        mailbox = mailbox_name(config)
        uids = sorted(client.search(["NOT", "KEYWORD", HANDLED.decode()]))
        if limit is not None:
            uids = uids[:limit]
        max_bytes = settings.INBOUND_MAX_MB * 2**20
        for start in range(0, len(uids), BATCH):
            batch = uids[start : start + BATCH]
            taken_before = set(
                InboundMessage.objects.filter(
                    mailbox=mailbox, uidvalidity=uidvalidity, uid__in=batch
                ).values_list("uid", flat=True)
            )
            sizes = {
                uid: int(data.get(b"RFC822.SIZE", 0))
                for uid, data in client.fetch(batch, ["RFC822.SIZE"]).items()
            }
            readable = [
                uid for uid in batch if uid not in taken_before and sizes.get(uid, 0) <= max_bytes
            ]
            bodies = client.fetch(readable, ["BODY.PEEK[]"]) if readable else {}
            for uid in batch:
                if uid in sizes and uid not in taken_before:
                    raw = bodies.get(uid, {}).get(b"BODY[]") if uid in readable else None
                    record = message_take(
                        mailbox=mailbox,
                        uidvalidity=uidvalidity,
                        uid=uid,
                        raw=raw,
                        size=sizes[uid],
                    )
                    if record is None:
                        result.skipped += 1
                    else:
                        result.taken += 1
                        result.outcomes[record.outcome] = result.outcomes.get(record.outcome, 0) + 1
            done = [uid for uid in batch if uid in sizes]
            if done:
                client.add_flags(done, [HANDLED, b"\\Seen"])
                if settings.INBOUND_DONE_FOLDER:
                    _move(client, done, settings.INBOUND_DONE_FOLDER)
    finally:
        try:
            client.logout()
        except Exception:  # the connection may be gone already; nothing is lost
            logger.debug("IMAP logout failed", exc_info=True)
    return result


def _move(client: IMAPClient, uids: list[int], folder: str) -> None:
    if not client.folder_exists(folder):
        client.create_folder(folder)
    if client.has_capability("MOVE"):
        client.move(uids, folder)
    else:
        client.copy(uids, folder)
        client.delete_messages(uids)
        client.expunge(uids) if client.has_capability("UIDPLUS") else client.expunge()
