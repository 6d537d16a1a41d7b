"""The formatters of update reports and of the mailing list's messages.

A report's body (text and HTML) is rendered from its composed content; each message wraps the
body for one recipient, with a personal unsubscribe link and the List-Unsubscribe headers.
Everything is rendered from the wording in force (``reports/wording.py``); a sent report renders
its messages from the wording frozen with it.
"""

import datetime
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
from django.utils.safestring import mark_safe

from reports.models import Deliverable, Delivery, DocumentFormat, Report, Subscriber
from reports.update import content_fingerprint, update_report_compose
from reports.wording import REPORT_EMAIL_TEMPLATES, Wording

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


def body_context(content: dict) -> dict:
    """What the body templates receive: the content, with its moments as dates again."""
    since = content.get("since")
    issued_on = content.get("issued_on")
    return {
        **site_context(),
        "report": content,
        "totals": content["totals"],
        "changes": content["changes"],
        "composed_at": datetime.datetime.fromisoformat(content["composed_at"]),
        "issued_on": datetime.date.fromisoformat(issued_on) if issued_on else None,
        "since": datetime.datetime.fromisoformat(since) if since else None,
        "report_url": absolute(reverse("reports:detail", args=[content["slug"]])),
        "documents": [
            {**document, "url": absolute(document["path"])}
            for document in content.get("documents", [])
        ],
    }


# Tags and attributes the published body may keep (it is shown inside the site's pages).
_BODY_ATTRIBUTES = {"*": {"class", "id", "scope", "colspan", "rowspan"}, "a": {"href"}}


@dataclass
class Composed:
    content: dict
    subject: str
    body_text: str
    body_html: str

    @property
    def fingerprint(self) -> str:
        return content_fingerprint(self.content)


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
                "label": label,
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
            wording.render("reports/report_body.html", context), attributes=_BODY_ATTRIBUTES
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
    message = EmailMultiAlternatives(
        subject=header_text(report.subject),
        body=wording.render("reports/email/report.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[formataddr((recipient.name, recipient.email))],
        headers=headers,
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
    return Recipient(delivery.email, header_text(delivery.name), delivery.to_chair, token)


# Subscription --------------------------------------------------------------------------------


def confirmation_token(subscriber: Subscriber) -> str:
    return signing.dumps({"s": subscriber.pk, "e": subscriber.email}, salt=CONFIRM_SALT)


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
