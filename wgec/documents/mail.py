"""E-mails to people, from templates: ``<prefix>_subject.txt``, ``<prefix>.txt`` and
``<prefix>.html``, sent through Django's mail (MAILERS) once the transaction commits."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string


def mail_send(*, template: str, context: dict, to: list[str]) -> None:
    """Send one message built from the templates named by ``template`` after commit.

    Nothing is sent when the transaction rolls back, so a failed change never tells anyone it
    happened.
    """
    to = [address for address in to if address]
    if not to:
        return
    context = {"site_url": settings.SITE_URL, "group_name": settings.WGEC_GROUP_NAME, **context}
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    # Plain text is not safe HTML: a plain str, so that a page showing it escapes it.
    text = str.__str__(render_to_string(f"{template}.txt", context))
    html = render_to_string(f"{template}.html", context)

    def send() -> None:
        message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, to)
        message.attach_alternative(html, "text/html")
        message.send()

    transaction.on_commit(send)
