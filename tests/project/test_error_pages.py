"""The pages people meet when something is wrong (in the site's layout, with a way back) and
the load balancers' health check (database and cache, never cached)."""

import json

import pytest
from django.core.cache import cache
from django.urls import path

from project.urls import handler500
from project.urls import urlpatterns as site_patterns

pytestmark = pytest.mark.django_db


def _boom(request):
    raise RuntimeError("a bug")


urlpatterns = [*site_patterns, path("boom/", _boom)]
handler500 = handler500  # noqa: PLW0127 - this module serves as the URLconf below


@pytest.fixture
def failing_site(settings, client):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False
    return client


def _way_back(page: str) -> bool:
    return '<header class="site-header">' in page and '<a href="/">The home page' in page


def test_a_missing_page_is_a_404_in_the_sites_layout_with_a_way_back(client):
    response = client.get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in page
    assert _way_back(page)


def test_a_forbidden_page_is_a_403_in_the_sites_layout_with_a_way_back(observer_client):
    response = observer_client.get("/reports/dashboard/")
    page = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Not allowed</h1>" in page
    assert _way_back(page)


def test_a_server_error_is_a_500_in_the_sites_layout_with_a_way_back(failing_site):
    response = failing_site.get("/boom/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Something went wrong</h1>" in page
    assert _way_back(page)


def test_a_server_error_whose_layout_fails_still_gives_a_page(failing_site, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the database is down")

    monkeypatch.setattr("project.errors.render", broken)
    response = failing_site.get("/boom/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Something went wrong</h1>" in page
    assert '<a href="/">The home page of the exercise</a>' in page


def test_the_health_check_answers_for_database_and_cache_and_is_never_cached(client):
    response = client.get("/healthz", HTTP_HOST="10.0.0.5")  # a load balancer, by address
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


def test_the_health_check_is_a_503_naming_what_fails(client, monkeypatch):
    monkeypatch.setattr(cache, "get", lambda key, default=None: None)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content) == {
        "status": "failing",
        "database": "ok",
        "cache": "failing: RuntimeError",
    }


@pytest.mark.parametrize(
    "path", ["/questions/Q2%00/", "/themes/%00/", "/reports/unsubscribe/a%1Bb/"]
)
def test_a_control_character_in_the_path_is_a_400_naming_it(client, path):
    response = client.get(path)
    page = response.content.decode()
    assert response.status_code == 400
    assert "<h1>Bad request</h1>" in page
    assert _way_back(page)


@pytest.mark.parametrize("object_id", ["²", "1e3", "%25", "-1", "99999999999999999999999"])
def test_an_admin_record_id_its_key_cannot_hold_is_a_404(secretariat_client, object_id):
    for page in ("change", "history", "delete"):
        response = secretariat_client.get(f"/admin/wgec/stakeholdergroup/{object_id}/{page}/")
        assert response.status_code == 404, page


def test_an_empty_to_field_of_the_admin_is_a_400(secretariat_client):
    from tests.factories import StakeholderGroupFactory

    group = StakeholderGroupFactory()
    response = secretariat_client.get(
        f"/admin/wgec/stakeholdergroup/{group.pk}/change/", {"_to_field": ""}
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("target", "location"),
    [
        ("<script>", "%3Cscript%3E"),  # a relative address, encoded; never a view name
        ("wgec:join", "/admin/"),
        ("/issues/\r\nX: y", "/admin/"),
        ("//evil.example", "/admin/"),
        ("/issues/", "/issues/"),
    ],
)
def test_the_admin_login_sends_the_secretariat_only_to_a_safe_address(
    secretariat_client, target, location
):
    response = secretariat_client.get("/admin/login/", {"next": target})
    assert response.status_code == 302
    assert response["Location"] == location
