"""Every page carries an enforced Content Security Policy that lets no inline script run, and
the production settings pass Django's deployment checks."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


def _directives(header: str) -> dict[str, list[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


@pytest.mark.parametrize(
    ("persona", "path"),
    [
        ("client", "/"),
        ("client", "/issues/"),
        ("client", "/accounts/login/"),
        ("secretariat_client", "/admin/"),
        ("secretariat_client", "/admin/issues/issue/add/"),
        ("client", "/no-such-page/"),
    ],
)
def test_every_page_carries_an_enforced_policy_without_inline_scripts(request, persona, path):
    response = request.getfixturevalue(persona).get(path)
    assert "Content-Security-Policy-Report-Only" not in response.headers
    policy = _directives(response.headers["Content-Security-Policy"])
    # A nonce is added only to a page whose template asks for one ({{ csp_nonce }}).
    assert policy["script-src"][0] == "'self'"
    assert all(value.startswith("'nonce-") for value in policy["script-src"][1:])
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in policy["style-src"]


def test_production_settings_pass_the_deployment_checks():
    # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests for their own live server.
    unset = {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    env = {
        **clean,
        "DJANGO_SETTINGS_MODULE": "wgec.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SITE_URL": "https://wgec.example.org",
        "EMAIL_HOST": "smtp.example.org",
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
