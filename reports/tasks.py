"""Background work of the reports app (Django tasks, run by the django-tasks-db worker)."""

from django.core.mail import mailers
from django.tasks import task

from reports import services
from reports.models import Subscriber
from reports.rendering import confirmation_message


@task()
def report_deliver_task(report_id: int) -> dict:
    """Send a report's pending deliveries; safe to run in several workers at once."""
    from reports.sending import report_deliver

    return report_deliver(report_id=report_id)


@task()
def confirmation_send_task(subscriber_id: int) -> bool:
    """Send the double opt-in confirmation to an address that asked to subscribe."""
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None or subscriber.state == Subscriber.State.SUBSCRIBED:
        return False
    mailers.default.send_messages([confirmation_message(subscriber)])
    return True


@task()
def document_export_task(export_id: int) -> bool:
    """Prepare a requested document."""
    return services.document_export_build(export_id=export_id) is not None
