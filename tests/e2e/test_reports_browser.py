import pytest
from django.test import Client
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_coordinator_previews_writes_an_introduction_sends_and_sees_the_frozen_page(
    page, live_server, coordinator_user, settings, mailoutbox
):
    from issues.models import Issue
    from reports.models import Subscriber
    from tests.factories import DeliverableFactory, IssueFactory, ParticipantFactory
    from wgec.models import Participant

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    ParticipantFactory(name="Peter Major", role=Participant.Role.CHAIR, email="chair@example.org")
    Subscriber.objects.create(email="ana@example.org", state="subscribed")
    DeliverableFactory(slug="update-1", title="First update report to the WGEC Chair")
    IssueFactory(title="Cybercrime")
    client = Client()
    client.force_login(coordinator_user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )

    page.goto("/reports/")
    page.get_by_role("link", name="Preview and send").click()
    expect(page.locator("#preview-subject")).to_have_text(
        "[WGEC] First update report to the WGEC Chair"
    )
    page.fill("textarea[name=introduction]", "The correspondence group reviewed the map by e-mail.")
    page.get_by_role("button", name="Update the preview").click()
    preview = page.frame_locator("iframe.mail-preview")
    expect(preview.locator("body")).to_contain_text("Dear Chair,")
    expect(preview.locator("body")).to_contain_text("reviewed the map by e-mail")
    page.get_by_role("button", name="Send to the Chair and the mailing list").click()

    expect(page.locator("h1")).to_have_text("First update report to the WGEC Chair")
    expect(page.locator("#progress")).to_be_visible()
    expect(page.locator("#count-sent")).to_have_text("3")  # the Chair, Ana and the coordinator
    expect(page.locator("#count-pending")).to_have_text("0")
    expect(page.locator("article.report")).to_contain_text("reviewed the map by e-mail")
    expect(page.locator("article.report")).to_contain_text("Cybercrime")
    assert sorted(message.to[0].split("<")[-1].rstrip(">") for message in mailoutbox)[0] == (
        "ana@example.org"
    )

    Issue.objects.filter(title="Cybercrime").update(title="Renamed after sending")
    page.reload()
    expect(page.locator("article.report")).to_contain_text("Cybercrime")
    expect(page.locator("article.report")).not_to_contain_text("Renamed after sending")
    page.goto("/reports/")
    expect(page.locator("#archive + ul")).to_contain_text("First update report to the WGEC Chair")
