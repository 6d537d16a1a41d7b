"""The admin as the secretariat meets it: the exercise's models in sections, in the order the
work goes, the rest under Settings; the sidebar in the same order; breadcrumbs on the pages
that are no model's list."""

import re

import pytest
from django.contrib import admin
from django.urls import reverse

from project.admin_site import SECTIONS, SecretariatAdminSite
from tests import factories

pytestmark = pytest.mark.django_db


def _sections(html: str) -> list[tuple[str, list[str]]]:
    """The index's sections as the page shows them: each caption and its models' names."""
    found = []
    for caption, body in re.findall(
        r'<caption>\s*<a [^>]*class="section">([^<]+)</a>\s*</caption>(.*?)</table>', html, re.S
    ):
        names = re.findall(r'<th scope="row" id="[^"]+">\s*(?:<a [^>]*>)?([^<]+?)\s*<', body)
        found.append((caption.strip(), [name.strip() for name in names]))
    return found


def _breadcrumbs(html: str) -> list[str]:
    crumbs = re.search(r'<ol class="breadcrumbs">(.*?)</ol>', html, re.S)
    assert crumbs, "the page keeps the admin's breadcrumbs"
    return [
        re.sub(r"<[^>]+>", "", item).strip()
        for item in re.findall(r"<li[^>]*>(.*?)</li>", crumbs.group(1), re.S)
    ]


def test_the_admin_site_is_the_secretariats():
    assert isinstance(admin.site._wrapped, SecretariatAdminSite)


def test_the_index_lists_the_exercise_in_its_order_then_the_settings(client, secretariat_user):
    client.force_login(secretariat_user)
    with_queries = client.get(reverse("admin:index"))
    sections = _sections(with_queries.content.decode())
    assert [name for name, _ in sections] == [
        "1. Responses",
        "2. Issues",
        "3. Mechanisms and coverage",
        "4. Consensus",
        "5. Deliverables and the mailing list",
        "6. The working group",
        "Settings",
    ]
    models = dict(sections)
    assert models["1. Responses"] == [
        "Themes",
        "Questions",
        "Respondents",
        "Answers",
        "Import responses",
    ]
    assert models["2. Issues"][0] == "Issues"
    assert models["3. Mechanisms and coverage"][:3] == ["Mechanisms", "Coverage", "Gaps"]
    assert models["3. Mechanisms and coverage"][-1] == "Import a map workbook"
    assert models["4. Consensus"][0] == "Proposals"
    assert models["5. Deliverables and the mailing list"][:2] == ["Deliverables", "Reports"]
    assert "Subscribers" in models["5. Deliverables and the mailing list"]
    assert models["Settings"][:2] == ["Users", "Groups"]
    assert "Task results" in [name.capitalize() for name in models["Settings"]]


def test_every_registered_model_is_listed_once(client, django_user_model):
    superuser = django_user_model.objects.create_superuser("root", "root@example.org", "x")
    client.force_login(superuser)
    listed = [
        name
        for _, names in _sections(client.get(reverse("admin:index")).content.decode())
        for name in names
    ]
    expected = {str(model._meta.verbose_name_plural).capitalize() for model in admin.site._registry}
    assert len(listed) == len(set(listed))
    assert {name.capitalize() for name in listed} >= expected
    # Each label a section names is a registered model or one of its pages.
    registered = {model._meta.label for model in admin.site._registry}
    for section in SECTIONS:
        for label in section.entries:
            assert label in registered or "import" in label, label


def test_the_sidebar_follows_the_sections(client, secretariat_user):
    client.force_login(secretariat_user)
    html = client.get(reverse("admin:issues_respondent_changelist")).content.decode()
    sidebar = html[html.index('id="nav-sidebar"') :]
    captions = re.findall(r'class="section">([^<]+)</a>', sidebar)
    assert captions[:2] == ["1. Responses", "2. Issues"]
    assert captions[-1] == "Settings"


def test_the_index_and_a_section_keep_a_query_budget(
    client, secretariat_user, django_assert_max_num_queries
):
    client.force_login(secretariat_user)
    factories.IssueFactory.create_batch(5)
    with django_assert_max_num_queries(10):
        client.get(reverse("admin:index"))
    with django_assert_max_num_queries(6):
        client.get(reverse("admin:section", kwargs={"slug": "issues"}))


def test_a_section_has_its_own_page(client, secretariat_user):
    client.force_login(secretariat_user)
    response = client.get(reverse("admin:section", kwargs={"slug": "mechanisms"}))
    html = response.content.decode()
    assert [name for name, _ in _sections(html)] == ["3. Mechanisms and coverage"]
    assert '<li aria-current="page">' in html
    assert client.get("/admin/section/nowhere/").status_code == 404


def test_a_rooms_page_lists_its_models_in_the_sections_order(client, secretariat_user):
    client.force_login(secretariat_user)
    html = client.get(reverse("admin:app_list", kwargs={"app_label": "issues"})).content.decode()
    (_, names), *_ = _sections(html)
    assert names[:4] == ["Themes", "Questions", "Respondents", "Answers"]


def test_a_user_without_import_permission_is_not_offered_the_import(client):
    user = factories.UserFactory(username="viewer", is_staff=True)
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="view_respondent"))
    client.force_login(user)
    sections = dict(_sections(client.get(reverse("admin:index")).content.decode()))
    assert sections == {"1. Responses": ["Respondents"]}


@pytest.mark.parametrize(
    ("url_name", "trail"),
    [
        (
            "admin:issues_respondent_import",
            ["Home", "Questionnaire and issues", "Respondents", "Import responses"],
        ),
        (
            "admin:issues_issue_map_import",
            ["Home", "Questionnaire and issues", "Issues", "Import a map workbook"],
        ),
    ],
)
def test_import_pages_have_the_admins_breadcrumbs(client, secretariat_user, url_name, trail):
    client.force_login(secretariat_user)
    html = client.get(reverse(url_name)).content.decode()
    crumbs = re.search(r'<ol class="breadcrumbs">(.*?)</ol>', html, re.S)
    assert crumbs, "the page keeps the admin's breadcrumbs"
    items = re.findall(r"<li[^>]*>(.*?)</li>", crumbs.group(1), re.S)
    assert [re.sub(r"<[^>]+>", "", item).strip() for item in items] == trail
    # Every step but the page itself is a link; the page is marked current.
    assert items[-1].strip() == trail[-1]
    assert all("<a href=" in item for item in items[:-1])
    assert '<li aria-current="page">' in crumbs.group(1)


def test_the_merge_page_has_the_admins_breadcrumbs(client, secretariat_user):
    client.force_login(secretariat_user)
    issues = [factories.IssueFactory(), factories.IssueFactory()]
    response = client.post(
        reverse("admin:issues_issue_changelist"),
        {"action": "merge_issues", "_selected_action": [issue.pk for issue in issues]},
    )
    assert _breadcrumbs(response.content.decode()) == [
        "Home",
        "Questionnaire and issues",
        "Issues",
        "Merge issues",
    ]
