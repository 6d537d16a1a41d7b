"""`make screenshots` pictures every page: each named URL pattern is pictured or left out with a
reason, the admin's lists all, and the pictures come at both widths."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib import admin
from django.core.management import CommandError, call_command
from django.urls import reverse

from issues.models import Issue
from mechanisms.models import Mechanism
from project import screenshots
from project.admin_site import SECTIONS, SETTINGS
from tests import factories


def test_every_named_url_pattern_is_pictured_or_left_out_with_a_reason():
    names = dict(screenshots.site_url_names())
    sampled = screenshots.sampled_names()
    unplaced = [
        name
        for name, parameters in names.items()
        if parameters and name not in sampled and name not in screenshots.SKIPPED
    ]
    assert unplaced == [], "give these a sample in project/screenshots.py or a reason to skip"
    # Neither list names a pattern that is gone, nor one pattern twice.
    assert set(screenshots.SKIPPED) <= set(names)
    assert sampled <= set(names)
    assert not sampled & set(screenshots.SKIPPED)
    assert not any(name.startswith("admin:") for name in names)  # the admin has its own list


@pytest.mark.django_db
def test_the_pages_are_every_page_without_parameters_and_the_admins():
    factories.CoverageFactory()
    factories.MeetingFactory()
    shots = screenshots.every_shot()
    paths = {shot.path for shot in shots}
    for name, parameters in screenshots.site_url_names():
        if not parameters and name not in screenshots.SKIPPED:
            assert reverse(name) in paths, name
    assert reverse("issues:detail", args=[Issue.objects.get().pk]) in paths
    assert "/accounts/login/" in paths and "/issues/download.csv" not in paths
    # The home page by every role, the admin as the secretariat.
    assert {shot.role for shot in shots if shot.path == "/"} == set(screenshots.ROLES)
    for section in (*SECTIONS, SETTINGS):
        assert reverse("admin:section", kwargs={"slug": section.slug}) in paths
    for model in admin.site._registry:
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        assert reverse(f"{info}_changelist") in paths
    mechanism = Mechanism.objects.get()
    assert reverse("admin:mechanisms_mechanism_change", args=[mechanism.pk]) in paths
    assert len({shot.name for shot in shots}) == len(shots)  # one file name each


@pytest.mark.django_db
def test_the_demo_is_never_loaded_into_a_database_in_use(tmp_path, django_user_model):
    factories.IssueFactory()
    with pytest.raises(CommandError, match="new, empty SQLite database"):
        call_command("screenshots", demo=True, out=str(tmp_path), chromium="/bin/true")
    with pytest.raises(CommandError, match="either --demo or --url"):
        call_command("screenshots", out=str(tmp_path), url="", chromium="/bin/true")
    # Never the local logins in a deployment's database.
    with pytest.raises(CommandError, match="DEBUG on"):
        call_command("screenshots", out=str(tmp_path), url="http://x", chromium="/bin/true")
    assert not django_user_model.objects.filter(username="admin").exists()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_pages_are_pictured_at_both_widths_by_who_may_see_them(live_server, tmp_path):
    from tests.e2e.conftest import CHROMIUM
    from wgec.services import secretariat_user_create

    secretariat_user_create(
        username="admin", email="admin@example.org", password="adm1n-pass", superuser=True
    )
    shots = [
        screenshots.Shot("home", "/"),
        screenshots.Shot("dashboard", reverse("reports:dashboard")),  # coordinators only
        screenshots.Shot("admin", reverse("admin:index"), "admin", fixed_role=True),
    ]
    # In a thread of its own: the browser tests' session keeps Playwright's loop running in
    # this one, and `make screenshots` starts its own Playwright.
    with ThreadPoolExecutor(max_workers=1) as pool:
        taken = pool.submit(
            screenshots.take,
            base_url=live_server.url,
            shots=shots,
            logins={"admin": "adm1n-pass"},
            out=tmp_path,
            chromium=CHROMIUM,
            say=lambda line: None,
        ).result()
    assert [(shot.name, role) for shot, role, _ in taken] == [
        ("home", None),
        ("dashboard", "admin"),  # the first role allowed: the secretariat, the only login here
        ("admin", "admin"),
    ]
    for _, _, files in taken:
        assert [screenshots.png_size(path)[0] for path in files] == list(screenshots.WIDTHS)
    index = (tmp_path / "index.html").read_text()
    assert "001-home.1280.png" in index and "003-admin.390.png" in index
