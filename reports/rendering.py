"""The formatters of update reports and of the mailing list's messages.

A report's body (text and HTML) is rendered from its composed content; each message wraps the
body for one recipient, with a personal unsubscribe link and the List-Unsubscribe headers.
Everything is rendered from the wording in force (``reports/wording.py``); a sent report renders
its messages from the wording frozen with it.
"""

import datetime
import email.policy
import email.utils
import re
import unicodedata
from dataclasses import dataclass
from email import quoprimime
from email.utils import formataddr, make_msgid
from urllib.parse import urlsplit

import nh3
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.timezone import get_current_timezone
from django.utils.translation import gettext, ngettext

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


def _cluster_change_words(key: str, count: int) -> str:
    words = {
        "issues_added": lambda: ngettext("%(count)s issue added", "%(count)s issues added", count),
        "issues_merged": lambda: ngettext(
            "%(count)s wording merged", "%(count)s wordings merged", count
        ),
        "issues_withdrawn": lambda: ngettext(
            "%(count)s issue withdrawn", "%(count)s issues withdrawn", count
        ),
        "coverage": lambda: ngettext(
            "%(count)s coverage status", "%(count)s coverage statuses", count
        ),
        "gaps": lambda: ngettext("%(count)s gap", "%(count)s gaps", count),
    }
    return words[key]() % {"count": count}


_CLUSTER_CHANGE_KEYS = ["issues_added", "issues_merged", "issues_withdrawn", "coverage", "gaps"]


def _cluster_changes(rows: list[dict]) -> list[dict]:
    """Each cluster's changes in words, in the active language, kinds without a change left
    out ("3 issues added; 13 coverage statuses")."""
    return [
        {
            **row,
            "parts": [
                _cluster_change_words(key, row[key]) for key in _CLUSTER_CHANGE_KEYS if row.get(key)
            ],
        }
        for row in rows
    ]


def _date_range(start: datetime.date, end: datetime.date | None) -> str:
    """ "7 January 2014", "24 to 28 February 2014" ... in the active language (its own form
    of each day)."""
    if end is None or end == start:
        return date_format(start, "DATE_FORMAT")
    if translation.get_language() == "en":  # the UN's English shares the month and the year
        if (start.year, start.month) == (end.year, end.month):
            return f"{start.day} to {end.day} {end:%B %Y}"
        if start.year == end.year:
            return f"{start.day} {start:%B} to {end.day} {end:%B %Y}"
    return gettext("%(start)s to %(end)s") % {
        "start": date_format(start, "DATE_FORMAT"),
        "end": date_format(end, "DATE_FORMAT"),
    }


def _names(names: list[str]) -> str:
    """ "A", "A and B", "A, B and C" (the active language's "and")."""
    if len(names) < 2:
        return "".join(names)
    return gettext("%(names)s and %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}


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
    now: datetime.datetime,
) -> Composed:
    """The report as it would be sent: dated ``issued_on``, the map as of ``moment`` (None: as
    it stands ``now``, the moment of composing, which the caller names); content, subject, and
    body as text and HTML."""
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
    subject, body_text, body_html = _report_texts(content)
    return Composed(content=content, subject=subject, body_text=body_text, body_html=body_html)


def _report_texts(content: dict) -> tuple[str, str, str]:
    """The report's subject and body as text and HTML, in the active language, from its
    composed content (the coordinators' introduction and the map's text as written)."""
    wording = Wording.load([*BODY_TEMPLATES, "reports/email/report_subject.txt"])
    context = body_context(content)
    return (
        wording.line("reports/email/report_subject.txt", context),
        wording.render("reports/report_body.txt", context).strip(),
        nh3.clean(
            wording.render("reports/report_body.html", context),
            attributes=_BODY_ATTRIBUTES,
            filter_style_properties=_BODY_STYLES,
        ),
    )


@dataclass
class ReportTexts:
    """A sent report's subject and bodies in one language: English as frozen when it was sent,
    another language rendered from its frozen content."""

    subject: str
    body_text: str
    body_html: str


def report_texts(report: Report, language: str = "en") -> ReportTexts:
    """The report in ``language``: as frozen in English, else rendered from its frozen content
    with the body's wording in force (the secretariat's, else the shipped templates, whose words
    the catalogues translate)."""
    if language == "en" or not report.content:
        return ReportTexts(report.subject, report.body_text, report.body_html)
    with translation.override(language):
        return ReportTexts(*_report_texts(report.content))


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
    language: str = "en"  # of the message: the recipient's


def report_message_context(
    report: Report, recipient: Recipient, texts: ReportTexts | None = None
) -> dict:
    """The context of a report's message (``texts``: the report in the recipient's language,
    rendered once for all of them)."""
    texts = texts or report_texts(report, recipient.language)
    return {
        **site_context(),
        "group_name": translation.gettext(settings.WGEC_GROUP_NAME),
        "subject": texts.subject,
        "report": report.content,
        "body_text": texts.body_text,
        "body_html": mark_safe(texts.body_html),  # noqa: S308 - sanitised with nh3
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

    def smtp_bytes(self) -> bytes:
        """The message as sent over SMTP."""
        return self.message(policy=email.policy.SMTP).as_bytes()


# Markers of the bodies in a message built without them (``_PreparedMessage``): ASCII words no
# text contains, which the email package writes as they are.
_TEXT_MARK, _HTML_MARK = "wgecPreparedTextBody0f6c", "wgecPreparedHtmlBody0f6c"


# As the email package writes a body (``email.contentmanager``): lines of at most 998 bytes
# (the list's policy) as they are, 7bit when ASCII, 8bit otherwise; a longer line makes the
# whole body quoted-printable, each line encoded on its own.
_LINE_LIMIT = 998


@dataclass
class _EncodedBody:
    """A body's lines, written once; the lines that speak of the recipient (their name,
    address or unsubscribe link) are written again for each message."""

    lines: list[str]  # the rendered lines, with placeholders
    written: list[bytes | None]  # each line in UTF-8, or None where a placeholder stands
    _quoted: list[str | None] | None = None  # the same as quoted-printable, when first needed

    @classmethod
    def of(cls, text: str, placeholders: list[str]) -> "_EncodedBody":
        # Split where the email package splits: the UTF-8 bytes at line breaks.
        lines = [line.decode("utf-8") for line in text.encode("utf-8").splitlines()]
        return cls(
            lines,
            [
                None if any(p in line for p in placeholders) else line.encode("utf-8")
                for line in lines
            ],
        )

    def for_recipient(self, values: dict[str, str]) -> tuple[str, bytes]:
        """The transfer encoding and the written body, with ``values`` for the placeholders."""
        own = [
            _substituted(line, values).encode("utf-8") if written is None else None
            for line, written in zip(self.lines, self.written, strict=True)
        ]
        lines = [
            line if line is not None else written
            for line, written in zip(own, self.written, strict=True)
        ]
        if max((len(line) for line in lines), default=0) <= _LINE_LIMIT:
            body = b"".join(line + b"\r\n" for line in lines)
            return ("7bit" if body.isascii() else "8bit"), body
        if self._quoted is None:
            self._quoted = [None if w is None else _qp_line(w) for w in self.written]
        return "quoted-printable", "".join(
            (quoted if quoted is not None else _qp_line(line)) + "\r\n"
            for line, quoted in zip(lines, self._quoted, strict=True)
        ).encode("ascii")


def _qp_line(line: bytes) -> str:
    # The quoted-printable encoder works on bytes written as Latin-1 characters.
    return quoprimime.body_encode(line.decode("latin-1"), _LINE_LIMIT, eol="\r\n")


def _substituted(text: str, values: dict[str, str]) -> str:
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    return text


# A marked part: its transfer encoding, the part's other headers, and the marker as its body.
_MARK_PART = re.compile(
    rb"Content-Transfer-Encoding: 7bit\r\n((?:[^\r\n]+\r\n)*)\r\n"
    rb"(wgecPrepared(?:Text|Html)Body0f6c)\r\n"
)


_TO = "wgecto5e1b@example.invalid"
_MESSAGE_ID = "<wgecmessage5e1b@example.invalid>"
_POLICY = email.policy.SMTP.clone(max_line_length=998)  # as ListMessage writes for SMTP
_DATE_LINE = re.compile(rb"\r\nDate: [^\r\n]*\r\n")


class _Skeleton:
    """A kind of recipient's message as the email package writes it for SMTP, built once with
    markers for the bodies and placeholders for the recipient's address, the date and the
    message ID: each message puts its own in (the address folded by the same policy)."""

    def __init__(self, *, subject: str, token: bool) -> None:
        headers = {"Message-ID": _MESSAGE_ID, "List-Id": list_id()}
        if token:
            headers["List-Unsubscribe"] = f"<{unsubscribe_url(_TOKEN)}>"
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        marked = ListMessage(
            subject=subject,
            body=_TEXT_MARK,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[_TO],
            headers=headers,
        )
        marked.attach_alternative(_HTML_MARK, "text/html")
        self.data = marked.smtp_bytes()
        boundary = re.search(rb'boundary="([^"]+)"', self.data)
        self.boundary = boundary.group(1) if boundary else b""
        self.usable = bool(
            self.boundary
            and self.data.count(f"To: {_TO}\r\n".encode()) == 1
            and len(_DATE_LINE.findall(self.data)) == 1
            and len(_MARK_PART.findall(self.data)) == 2
        )

    def write(self, message: "_PreparedMessage") -> bytes | None:
        """The message's bytes, or None when this skeleton cannot hold it (an address the
        email package would rewrite, a body holding the boundary)."""
        # An address outside ASCII is rewritten by Django (IDNA): written the usual way.
        if not self.usable or not message.values[0][_EMAIL].isascii():
            return None
        written = message.written()
        if any(self.boundary in body for _, body in written.values()):
            return None
        # As Django dates a message: now, in UTC unless EMAIL_USE_LOCALTIME.
        zone = get_current_timezone() if settings.EMAIL_USE_LOCALTIME else datetime.UTC
        date = f"\r\nDate: {email.utils.format_datetime(datetime.datetime.now(zone))}\r\n"
        to = ", ".join(message.to)
        data = self.data.replace(f"To: {_TO}\r\n".encode(), _POLICY.fold_binary("To", to), 1)
        data = _DATE_LINE.sub(lambda _: date.encode("ascii"), data, count=1)
        data = data.replace(_MESSAGE_ID.encode(), message.extra_headers["Message-ID"].encode(), 1)
        if message.token:
            data = data.replace(_TOKEN.encode(), message.token.encode(), 1)

        def body(match: re.Match) -> bytes:
            cte, content = written[match.group(2).decode("ascii")]
            return b"Content-Transfer-Encoding: %s\r\n%s\r\n%s" % (
                cte.encode("ascii"),
                match.group(1),
                content,
            )

        return _MARK_PART.sub(body, data)


class _PreparedMessage(ListMessage):
    """A message whose bodies were rendered and written once for every recipient of a report;
    written for SMTP from its kind's skeleton, so that the email package writes nothing for
    it (but its address)."""

    def __init__(
        self, *args, skeleton: _Skeleton, bodies: tuple, values: tuple, token: str, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.skeleton, self.bodies, self.values, self.token = skeleton, bodies, values, token

    def written(self) -> dict[str, tuple[str, bytes]]:
        """Each body's transfer encoding and bytes, by its marker."""
        (text, html), (values, escaped) = self.bodies, self.values
        return {_TEXT_MARK: text.for_recipient(values), _HTML_MARK: html.for_recipient(escaped)}

    def smtp_bytes(self) -> bytes:
        data = self.skeleton.write(self)
        return data if data is not None else super().smtp_bytes()


# Placeholders of what differs from one recipient to the next, rendered into the bodies once.
_NAME, _EMAIL, _TOKEN = (
    "wgecRecipientName5e1b",
    "wgecRecipient5e1b@example.invalid",
    "wgecToken5e1b",
)
_OTHER = {
    _NAME: "wgecOtherName9c2d",
    _EMAIL: "wgecOther9c2d@example.invalid",
    _TOKEN: "wgecOther9c2d",
}


class ReportMessages:
    """A report's messages to each recipient of the list, with what they share rendered once.

    The bodies (the report, some 70 KB as text and HTML) are the same for everyone but for the
    greeting and the unsubscribe link: they are rendered once for each kind of recipient (the
    Chair or not, named or not, with an unsubscribe link or not) with placeholders, encoded
    once, and each message puts its recipient's values in. Before a kind is used, rendering it
    for two sets of placeholders must agree (the wording treats the values as opaque text), and
    its first message must equal one rendered the usual way; a wording that does anything else
    with them (a filter that changes a name) is rendered for every message, as before.
    """

    def __init__(self, report: Report, wording: Wording | None = None) -> None:
        self.report = report
        self.wording = wording or report_wording(report)
        self._kinds: dict[tuple[str, bool, bool, bool], tuple | None] = {}
        self._texts: dict[str, ReportTexts] = {}

    def texts(self, language: str) -> ReportTexts:
        """The report in ``language``, rendered once for the run."""
        if language not in self._texts:
            self._texts[language] = report_texts(self.report, language)
        return self._texts[language]

    def message(self, recipient: Recipient, *, written_on: datetime.date) -> EmailMultiAlternatives:
        """The message to ``recipient``, written on ``written_on`` (``report_message``)."""
        with translation.override(recipient.language):
            return self._message(recipient, written_on)

    def _message(self, recipient: Recipient, written_on: datetime.date) -> EmailMultiAlternatives:
        texts = self.texts(recipient.language)
        if mail_addresses.enabled():
            # Each message carries its recipient's own reply address and envelope sender:
            # rendered the usual way.
            return report_message(
                self.report, recipient, self.wording, texts, written_on=written_on
            )
        kind = (recipient.language, recipient.to_chair, bool(recipient.name), bool(recipient.token))
        if kind not in self._kinds:
            self._kinds[kind] = self._prepare(recipient, written_on)
        prepared = self._kinds[kind]
        if prepared is None:
            return report_message(
                self.report, recipient, self.wording, texts, written_on=written_on
            )
        return self._build(prepared, recipient)

    def _bodies(self, recipient: Recipient) -> tuple[str, str]:
        context = report_message_context(self.report, recipient, self.texts(recipient.language))
        return (
            self.wording.render("reports/email/report.txt", context),
            self.wording.render("reports/email/report.html", context),
        )

    def _prepare(self, recipient: Recipient, written_on: datetime.date) -> tuple | None:
        def stand_in(values: dict[str, str]) -> Recipient:
            return Recipient(
                values[_EMAIL],
                values[_NAME] if recipient.name else "",
                recipient.to_chair,
                values[_TOKEN] if recipient.token else "",
                language=recipient.language,
            )

        texts = self.texts(recipient.language)
        same = {key: key for key in _OTHER}
        text, html = self._bodies(stand_in(same))
        other_text, other_html = self._bodies(stand_in(_OTHER))
        if _substituted(text, _OTHER) != other_text or _substituted(html, _OTHER) != other_html:
            return None
        placeholders = list(_OTHER)
        prepared = (
            text,
            html,
            _EncodedBody.of(text, placeholders),
            _EncodedBody.of(html, placeholders),
            _Skeleton(subject=header_text(texts.subject), token=bool(recipient.token)),
        )
        usual = report_message(self.report, recipient, self.wording, texts, written_on=written_on)
        built = self._build(prepared, recipient)
        if (built.body, built.alternatives) != (usual.body, usual.alternatives):
            return None
        return prepared

    def _build(self, prepared: tuple, recipient: Recipient) -> EmailMultiAlternatives:
        text, html, encoded_text, encoded_html, skeleton = prepared
        values = {_NAME: recipient.name, _EMAIL: recipient.email, _TOKEN: recipient.token}
        escaped = {key: str(conditional_escape(value)) for key, value in values.items()}
        headers = _list_headers(recipient)
        message = _PreparedMessage(
            subject=header_text(self.texts(recipient.language).subject),
            body=_substituted(text, values),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[formataddr((recipient.name, recipient.email))],
            headers=headers,
            skeleton=skeleton,
            bodies=(encoded_text, encoded_html),
            values=(values, escaped),
            token=recipient.token,
        )
        message.attach_alternative(_substituted(html, escaped), "text/html")
        return message


def _list_headers(recipient: Recipient) -> dict[str, str]:
    headers = {
        "Message-ID": make_msgid(domain=urlsplit(settings.SITE_URL).hostname or "localhost"),
        "List-Id": list_id(),
    }
    if recipient.token:
        headers["List-Unsubscribe"] = f"<{unsubscribe_url(recipient.token)}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return headers


def report_message(
    report: Report,
    recipient: Recipient,
    wording: Wording | None = None,
    texts: ReportTexts | None = None,
    *,
    written_on: datetime.date,
) -> EmailMultiAlternatives:
    """One message: the report to one person, addressed to them alone, in their language.
    ``written_on`` is the day the message is written, from which its reply address's validity
    counts: the day it is sent, or for a preview the day it would be, or for a sent message
    shown again the day it went. The caller names it: no clock is read for it here."""
    with translation.override(recipient.language):
        return _report_message(report, recipient, wording, texts, written_on)


def _report_message(
    report: Report,
    recipient: Recipient,
    wording: Wording | None,
    texts: ReportTexts | None,
    written_on: datetime.date,
) -> EmailMultiAlternatives:
    wording = wording or report_wording(report)
    texts = texts or report_texts(report, recipient.language)
    context = report_message_context(report, recipient, texts)
    headers = _list_headers(recipient)
    # With a mailbox to read, a reply comes back to the recipient's own reply address (it
    # becomes a reply to the report) and a bounce to the delivery's own envelope sender. A
    # report being composed, previewed before it is written, has no address yet: its preview
    # says a reply may be sent, as the message will.
    reply_to = ""
    if report.pk is not None:
        reply_to = mail_addresses.reply_address(
            kind=mail_addresses.ReplyKind.REPORT,
            object_id=report.pk,
            email=recipient.email,
            # The day the message is written, from which the reply address's validity
            # (INBOUND_REPLY_DAYS) counts: a moment of sending, not the exercise's date.
            today=written_on,
        )
    envelope = settings.DEFAULT_FROM_EMAIL
    if recipient.delivery_id is not None and mail_addresses.enabled():
        headers["From"] = settings.DEFAULT_FROM_EMAIL
        envelope = mail_addresses.bounce_address(delivery_id=recipient.delivery_id)
    context["reply_by_email"] = mail_addresses.enabled()
    message = ListMessage(
        subject=header_text(texts.subject),
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
        delivery.email,
        header_text(delivery.name),
        delivery.to_chair,
        token,
        delivery.pk,
        language=delivery.language,
    )


# Subscription --------------------------------------------------------------------------------


def confirmation_token(subscriber: Subscriber) -> str:
    return signing.dumps({"s": subscriber.pk, "e": subscriber.email}, salt=CONFIRM_SALT)


def confirmation_message(subscriber: Subscriber) -> EmailMultiAlternatives:
    """The message asking an address to confirm its subscription, in the language of the page
    it subscribed from."""
    with translation.override(subscriber.language or "en"):
        return _confirmation_message(subscriber)


def _confirmation_message(subscriber: Subscriber) -> EmailMultiAlternatives:
    wording = Wording.load(CONFIRM_TEMPLATES)
    context = {
        **site_context(),
        "group_name": translation.gettext(settings.WGEC_GROUP_NAME),
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
