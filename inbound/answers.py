"""The one polite answer to a message that created nothing."""

from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import Promise

from wgec import mail_addresses


def refusal_send(
    *, to: str, subject: str, message_id: str, reason: str | Promise, language: str = "en"
) -> None:
    """Explain to ``to`` why their message created nothing, once the transaction commits. The
    answer is marked automatic (RFC 3834), so that auto-responders never answer it back. It is
    written in ``language``, a marked ``reason`` with it."""
    with translation.override(language):
        context = {
            "group_name": translation.gettext(settings.WGEC_GROUP_NAME),
            "site_url": settings.SITE_URL,
            "subject": subject,
            "reason": str(reason),
        }
        subject_line = render_to_string("inbound/email/refused_subject.txt", context)
        body = render_to_string("inbound/email/refused.txt", context)
    headers = {
        "Message-ID": make_msgid(domain=mail_addresses.message_id_domain()),
        "Auto-Submitted": "auto-replied",
        "X-Loop": mail_addresses.tagged("loop"),
    }
    if message_id:
        headers["In-Reply-To"] = message_id
        headers["References"] = message_id
    message = EmailMessage(
        subject=" ".join(subject_line.split()),
        body=str.__str__(body),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers,
    )
    transaction.on_commit(message.send)
