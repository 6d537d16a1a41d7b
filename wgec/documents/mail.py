"""E-mails to people, from templates: ``<prefix>_subject.txt``, ``<prefix>.txt`` and
``<prefix>.html``, sent through Django's mail (MAILERS) once the transaction commits."""

from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from wgec import mail_addresses


def mail_send(
    *,
    template: str,
    context: dict,
    to: list[str],
    reply_about: tuple[mail_addresses.ReplyKind, int] | None = None,
    language: str = "en",
) -> None:
    """Send one message built from the templates named by ``template`` after commit.

    Nothing is sent when the transaction rolls back, so a failed change never tells anyone it
    happened. With ``reply_about`` (what an answer would be about), each recipient gets their own
    message with their personal reply address, so that a reply by mail becomes a comment. The
    message is written in ``language`` (its recipient's, see ``wgec.languages.user_language``).
    """
    to = [address for address in to if address]
    if not to:
        return
    with translation.override(language):
        context = {
            "site_url": settings.SITE_URL,
            "group_name": translation.gettext(settings.WGEC_GROUP_NAME),
            **context,
        }
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        # Plain text is not safe HTML: a plain str, so that a page showing it escapes it.
        text = str.__str__(render_to_string(f"{template}.txt", context))
        html = render_to_string(f"{template}.html", context)

    def one(recipients: list[str], reply_to: str) -> EmailMultiAlternatives:
        message = EmailMultiAlternatives(
            subject,
            text,
            settings.DEFAULT_FROM_EMAIL,
            recipients,
            headers={"Message-ID": make_msgid(domain=mail_addresses.message_id_domain())},
            reply_to=[reply_to] if reply_to else None,
        )
        message.attach_alternative(html, "text/html")
        return message

    def send() -> None:
        if reply_about is None or not mail_addresses.enabled():
            one(to, "").send()
            return
        kind, object_id = reply_about
        today = timezone.localdate()
        for address in to:
            reply_to = mail_addresses.reply_address(
                kind=kind, object_id=object_id, email=address, today=today
            )
            one([address], reply_to).send()

    transaction.on_commit(send)
