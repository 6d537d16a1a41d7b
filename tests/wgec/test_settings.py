"""The settings module reads the environment and refuses unsafe production set-ups."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _settings(env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    code = (
        "import django; from django.conf import settings; django.setup(); "
        "print(settings.DEBUG, settings.ALLOWED_HOSTS, settings.DATABASES['default']['ENGINE'], "
        "settings.MAILERS['default']['BACKEND'])"
    )
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "wgec.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _settings({})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_is_off_unless_set():
    result = _settings({"SECRET_KEY": "x" * 50, "SITE_URL": "https://wgec.example.org"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("False ['wgec.example.org']")


def test_debug_runs_without_a_secret_key_for_local_work():
    result = _settings({"DEBUG": "true"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("True")


def test_unreadable_boolean_is_an_error_naming_the_variable():
    result = _settings({"DEBUG": "perhaps"})
    assert result.returncode != 0
    assert "DEBUG must be true or false, not 'perhaps'" in result.stderr


def test_database_url_selects_postgresql_and_email_host_selects_smtp():
    result = _settings(
        {
            "SECRET_KEY": "x" * 50,
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/wgec",
            "EMAIL_HOST": "smtp.example.org",
        }
    )
    assert result.returncode == 0, result.stderr
    assert "django.db.backends.postgresql" in result.stdout
    assert "smtp.EmailBackend" in result.stdout


def test_email_port_must_be_a_number():
    result = _settings({"SECRET_KEY": "x" * 50, "EMAIL_PORT": "twenty-five"})
    assert result.returncode != 0
    assert "EMAIL_PORT must be a whole number" in result.stderr
