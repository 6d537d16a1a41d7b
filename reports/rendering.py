"""The formatters of update reports and of the mailing list's messages.

A report's body (text and HTML) is rendered from its composed content; each message wraps the
body for one recipient, with a personal unsubscribe link and the List-Unsubscribe headers.
Everything is rendered from the wording in force (``reports/wording.py``); a sent report renders
its messages from the wording frozen with it.
"""

import datetime
import email.policy
import re
import unicodedata
from dataclasses import dataclass
from email.utils import formataddr, make_msgid
from urllib.parse import urlsplit

import nh3
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from reports.models import Deliverable, Delivery, DocumentFormat, Report, Subscriber
from reports.update import content_fingerprint, update_report_compose
from reports.wording import REPORT_EMAIL_TEMPLATES, Wording
from wgec import mail_addresses
from wgec.languages import english

BODY_TEMPLATES = ["reports/report_body.txt", "reports/report_body.html"]
CONFIRM_TEMPLATES = [
    "reports/email/confirm_subject.txt",
    "reports/email/confirm.txt",
    "reports/email/confirm.html",
]
CONFIRM_SALT = "reports.subscription-confirm"


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def site_context() -> dict:
    return {
        "group_name": settings.WGEC_GROUP_NAME,
        "group_short_name": settings.WGEC_GROUP_SHORT_NAME,
        "site_url": settings.SITE_URL,
    }


# The report's body ---------------------------------------------------------------------------

# Entries of each kind of change the message details; the rest are counted, and listed on the
# report's changes page, which the message links to.
DETAIL_LIMIT = 5


def dated_rows(rows: list[dict], *keys: str) -> list[dict]:
    """The rows with their ISO dates (``keys``) as dates, for the templates' date filter."""
    return [
        {
            **row,
            **{
                key: datetime.date.fromisoformat(row[key])
                for key in keys
                if isinstance(row.get(key), str)
            },
        }
        for row in rows
    ]


_CLUSTER_CHANGE_WORDS = [
    ("issues_added", "issue added", "issues added"),
    ("issues_merged", "wording merged", "wordings merged"),
    ("issues_withdrawn", "issue withdrawn", "issues withdrawn"),
    ("coverage", "coverage status", "coverage statuses"),
    ("gaps", "gap", "gaps"),
]


def _cluster_changes(rows: list[dict]) -> list[dict]:
    """Each cluster's changes in words, kinds without a change left out ("3 issues added;
    13 coverage statuses")."""
    return [
        {
            **row,
            "parts": [
                f"{row[key]} {one if row[key] == 1 else many}"
                for key, one, many in _CLUSTER_CHANGE_WORDS
                if row.get(key)
            ],
        }
        for row in rows
    ]


def _date_range(start: datetime.date, end: datetime.date | None) -> str:
    """ "7 January 2014", "24 to 28 February 2014", "30 January to 2 February 2014"."""
    if end is None or end == start:
        return f"{start.day} {start:%B %Y}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day} to {end.day} {end:%B %Y}"
    if start.year == end.year:
        return f"{start.day} {start:%B} to {end.day} {end:%B %Y}"
    return f"{start.day} {start:%B %Y} to {end.day} {end:%B %Y}"


def _names(names: list[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 2 else names)


def body_context(content: dict) -> dict:
    """What the body templates receive: the content, with its moments as dates again."""
    since = content.get("since")
    issued_on = content.get("issued_on")
    changes = content["changes"]
    open_items = content.get("open_items") or {"count": 0, "items": []}
    proposals = content.get("proposals") or {"count": 0, "by_kind": [], "items": []}
    return {
        **site_context(),
        "report": content,
        "totals": content["totals"],
        "progress": content.get("progress"),
        "progress_rows": (
            [*content["progress"]["clusters"], content["progress"]["total"]]
            if content.get("progress")
            else []
        ),
        "changes": {
            **changes,
            "decisions": {
                **changes["decisions"],
                "items": dated_rows(changes["decisions"]["items"], "decided_on"),
            },
        },
        "detail_limit": DETAIL_LIMIT,
        "detail_slice": f":{DETAIL_LIMIT}",
        "minus_detail": -DETAIL_LIMIT,
        "changes_url": absolute(reverse("reports:changes", args=[content["slug"]])),
        "open_items": {**open_items, "items": dated_rows(open_items["items"], "referred_on")},
        "open_items_rest": -len(open_items["items"]),
        "referrals_url": absolute(reverse("issues:referrals")),
        "proposals": {**proposals, "items": dated_rows(proposals["items"], "proposed_on")},
        "deadlines": [
            {**row, "when": _date_range(row["date"], row["end_date"])}
            for row in dated_rows(content.get("deadlines", []), "date", "end_date")
        ],
        "changes_by_cluster": _cluster_changes(content.get("changes_by_cluster", [])),
        "coordinators": _names(content.get("coordinators", [])),
        "composed_at": datetime.datetime.fromisoformat(content["composed_at"]),
        "issued_on": datetime.date.fromisoformat(issued_on) if issued_on else None,
        "since": datetime.datetime.fromisoformat(since) if since else None,
        "report_url": absolute(reverse("reports:detail", args=[content["slug"]])),
        "documents": [
            {**document, "url": absolute(document["path"])}
            for document in content.get("documents", [])
        ],
    }


# Tags and attributes the published body may keep (it is shown inside the site's pages and
# mailed): the charts are tables with widths and colours as attributes and inline styles,
# which mail clients keep (no script, no external image, no style sheet).
_BODY_ATTRIBUTES = {
    "*": {"class", "id", "scope", "colspan", "rowspan", "style", "align", "valign"},
    "a": {"href"},
    "table": {"width", "cellpadding", "cellspacing", "border", "role"},
    "td": {"width", "height", "bgcolor"},
}
_BODY_STYLES = {
    "background-color",
    "border-collapse",
    "border-top",
    "color",
    "font-size",
    "font-weight",
    "height",
    "line-height",
    "min-width",
    "padding",
    "text-align",
    "width",
}


@dataclass
class Composed:
    content: dict
    subject: str
    body_text: str
    body_html: str

    @property
    def fingerprint(self) -> str:
        return content_fingerprint(self.content)


@english
def report_compose(
    *,
    deliverable: Deliverable,
    introduction: str,
    issued_on: datetime.date | None = None,
    moment: datetime.datetime | None = None,
    symbol: str = "",
    illustrative: bool = False,
    now: datetime.datetime | None = None,
) -> Composed:
    """The report as it would be sent: dated ``issued_on``, the map as of ``moment`` (None:
    now); content, subject, and body as text and HTML."""
    content = update_report_compose(
        deliverable=deliverable,
        introduction=introduction,
        issued_on=issued_on,
        moment=moment,
        now=now,
    )
    content["symbol"] = symbol
    content["illustrative"] = illustrative
    if deliverable.has_documents:
        content["documents"] = [
            {
                "format": value,
                "label": str(label),
                "path": reverse("reports:document", args=[deliverable.slug, value]),
            }
            for value, label in DocumentFormat.choices
        ]
    wording = Wording.load([*BODY_TEMPLATES, "reports/email/report_subject.txt"])
    context = body_context(content)
    return Composed(
        content=content,
        subject=wording.line("reports/email/report_subject.txt", context),
        body_text=wording.render("reports/report_body.txt", context).strip(),
        body_html=nh3.clean(
            wording.render("reports/report_body.html", context),
            attributes=_BODY_ATTRIBUTES,
            filter_style_properties=_BODY_STYLES,
        ),
    )


# Messages ------------------------------------------------------------------------------------


def unsubscribe_url(token: str) -> str:
    return absolute(reverse("reports:unsubscribe", args=[token]))


def list_id() -> str:
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"{settings.WGEC_GROUP_SHORT_NAME} correspondence group <reports.{host}>"


@dataclass
class Recipient:
    email: str
    name: str
    to_chair: bool
    token: str
    delivery_id: int | None = None


def report_message_context(report: Report, recipient: Recipient) -> dict:
    return {
        **site_context(),
        "subject": report.subject,
        "report": report.content,
        "body_text": report.body_text,
        "body_html": mark_safe(report.body_html),  # noqa: S308 - sanitised with nh3 when frozen
        "report_url": absolute(reverse("reports:detail", args=[report.deliverable.slug])),
        "recipient_name": recipient.name,
        "recipient_email": recipient.email,
        "to_chair": recipient.to_chair,
        "unsubscribe_url": unsubscribe_url(recipient.token) if recipient.token else "",
        "subscribe_url": absolute(reverse("reports:subscribe")),
    }


def report_wording(report: Report) -> Wording:
    """The e-mail wording frozen with a sent report (the wording in force for a draft)."""
    if report.email_templates:
        return Wording(dict(report.email_templates))
    return Wording.load(REPORT_EMAIL_TEMPLATES)


class ListMessage(EmailMultiAlternatives):
    """A message of the mailing list whose headers are never folded into encoded words.

    The standard policies fold a header longer than 78 characters, and one without white space
    to fold at (a ``List-Unsubscribe`` URL with its token) becomes RFC 2047 encoded words,
    which mail clients do not read as a URL: their unsubscribe button would not appear.
    Lines up to 998 characters are what RFC 5322 allows.
    """

    def message(self, *, policy=email.policy.default):
        return super().message(policy=policy.clone(max_line_length=998))


@english
def report_message(
    report: Report, recipient: Recipient, wording: Wording | None = None
) -> EmailMultiAlternatives:
    """One message: the report to one person, addressed to them alone."""
    wording = wording or report_wording(report)
    context = report_message_context(report, recipient)
    headers = {
        "Message-ID": make_msgid(domain=urlsplit(settings.SITE_URL).hostname or "localhost"),
        "List-Id": list_id(),
    }
    if recipient.token:
        headers["List-Unsubscribe"] = f"<{context['unsubscribe_url']}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    # With a mailbox to read, a reply comes back to the recipient's own reply address (it
    # becomes a reply to the report) and a bounce to the delivery's own envelope sender.
    reply_to = mail_addresses.reply_address(
        kind=mail_addresses.ReplyKind.REPORT,
        object_id=report.pk,
        email=recipient.email,
        today=timezone.localdate(),
    )
    envelope = settings.DEFAULT_FROM_EMAIL
    if recipient.delivery_id is not None and mail_addresses.enabled():
        headers["From"] = settings.DEFAULT_FROM_EMAIL
        envelope = mail_addresses.bounce_address(delivery_id=recipient.delivery_id)
    context["reply_by_email"] = bool(reply_to)
    message = ListMessage(
        subject=header_text(report.subject),
        body=wording.render("reports/email/report.txt", context),
        from_email=envelope,
        to=[formataddr((recipient.name, recipient.email))],
        headers=headers,
        reply_to=[reply_to] if reply_to else None,
    )
    message.attach_alternative(wording.render("reports/email/report.html", context), "text/html")
    return message


_HEADER_BREAKS = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")


def header_text(text: str) -> str:
    """A name as it may stand in a header: line breaks and other control characters, which
    could end the header and start another, become spaces; invisible format characters (the
    right-to-left override that makes a name read as an address) go; and a name never passes
    for an RFC 2047 encoded word, which a mail program would decode into anything."""
    text = _HEADER_BREAKS.sub(" ", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf"))
    return " ".join(text.replace("=?", "= ?").split())


def delivery_recipient(delivery: Delivery, token: str) -> Recipient:
    return Recipient(
        delivery.email, header_text(delivery.name), delivery.to_chair, token, delivery.pk
    )


# Subscription --------------------------------------------------------------------------------


def confirmation_token(subscriber: Subscriber) -> str:
    return signing.dumps({"s": subscriber.pk, "e": subscriber.email}, salt=CONFIRM_SALT)


@english
def confirmation_message(subscriber: Subscriber) -> EmailMultiAlternatives:
    wording = Wording.load(CONFIRM_TEMPLATES)
    context = {
        **site_context(),
        "email": subscriber.email,
        "name": subscriber.name,
        "confirm_url": absolute(
            reverse("reports:subscribe-confirm", args=[confirmation_token(subscriber)])
        ),
    }
    message = EmailMultiAlternatives(
        subject=wording.line("reports/email/confirm_subject.txt", context),
        body=wording.render("reports/email/confirm.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[formataddr((header_text(subscriber.name), subscriber.email))],
    )
    message.attach_alternative(wording.render("reports/email/confirm.html", context), "text/html")
    return message
