"""The settings module reads the environment and refuses unsafe production set-ups.

Each case imports a copy of `wgec/settings.py` placed in a temporary folder, so that the folder
stands for the checkout: a development `.env` in the real checkout (written by `make run`) never
changes what these tests see, and a case can put its own `.env` beside the copy.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _settings(
    env: dict[str, str], *, dotenv: str | None = None, show: str = ""
) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "CACHE_URL", "DATABASE_POOL"}
    }
    code = "import django; from django.conf import settings; django.setup(); " + (
        f"print({show})"
        if show
        else "print(settings.DEBUG, settings.ALLOWED_HOSTS, settings.DATABASES['default']"
        "['ENGINE'], settings.MAILERS['default']['BACKEND'], 'SECRET_KEY=' + settings.SECRET_KEY)"
    )
    with tempfile.TemporaryDirectory() as checkout:
        package = Path(checkout) / "checkout_settings"
        package.mkdir()
        (package / "__init__.py").touch()
        shutil.copy(ROOT / "wgec" / "settings.py", package / "settings.py")
        if dotenv is not None:
            (Path(checkout) / ".env").write_text(dotenv)
        return subprocess.run(  # noqa: S603
            [sys.executable, "-c", code],
            cwd=checkout,
            env={
                **clean,
                "PYTHONPATH": os.pathsep.join([checkout, str(ROOT)]),
                "DJANGO_SETTINGS_MODULE": "checkout_settings.settings",
                **env,
            },
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


DEVELOPMENT_DOTENV = "# written by make run\nDEBUG=true\nSECRET_KEY=key-from-the-dotenv-file\n"


def test_a_development_dotenv_beside_the_settings_is_read():
    result = _settings({}, dotenv=DEVELOPMENT_DOTENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("True")
    assert "SECRET_KEY=key-from-the-dotenv-file" in result.stdout


def test_the_environment_wins_over_the_dotenv_file():
    result = _settings(
        {"DEBUG": "false", "SECRET_KEY": "key-from-the-environment"}, dotenv=DEVELOPMENT_DOTENV
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("False")
    assert "SECRET_KEY=key-from-the-environment" in result.stdout


def test_without_a_dotenv_file_debug_is_off_and_the_secret_key_required():
    # The same variables under another file name are not read: only `.env` beside the checkout.
    result = _settings({}, dotenv=None)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_the_development_dotenv_file_is_kept_out_of_version_control():
    ignored = subprocess.run(
        ["git", "check-ignore", "--quiet", ".env"],  # noqa: S607
        cwd=ROOT,
        check=False,
    )
    assert ignored.returncode == 0


CACHE = "settings.CACHES['default']['BACKEND'], settings.CACHES['default']['LOCATION']"


def test_the_cache_is_the_database_unless_a_redis_url_is_given():
    production = {"SECRET_KEY": "x" * 50}
    result = _settings(production, show=CACHE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.core.cache.backends.db.DatabaseCache", "wgec_cache"]
    result = _settings({**production, "CACHE_URL": "redis://127.0.0.1:6379/2"}, show=CACHE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.core.cache.backends.redis.RedisCache",
        "redis://127.0.0.1:6379/2",
    ]


def test_sessions_are_read_from_redis_when_the_cache_is_redis():
    production = {"SECRET_KEY": "x" * 50}
    result = _settings(production, show="settings.SESSION_ENGINE")
    assert result.stdout.split() == ["django.contrib.sessions.backends.db"]
    result = _settings(
        {**production, "CACHE_URL": "redis://127.0.0.1:6379/2"}, show="settings.SESSION_ENGINE"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.contrib.sessions.backends.cached_db"]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("memcached://127.0.0.1:11211", "CACHE_URL must be empty, db, or redis://"),
        ("redis://", "CACHE_URL must be empty, db, or redis://"),
        ("redis://127.0.0.1:six/0", "CACHE_URL's port is not a number"),
    ],
)
def test_a_cache_url_it_cannot_use_stops_the_start(url, message):
    result = _settings({"SECRET_KEY": "x" * 50, "CACHE_URL": url}, show=CACHE)
    assert result.returncode != 0
    assert message in result.stderr


def test_the_page_cache_time_must_be_a_number():
    result = _settings(
        {"SECRET_KEY": "x" * 50, "PAGE_CACHE_SECONDS": "a day"}, show="settings.PAGE_CACHE_SECONDS"
    )
    assert result.returncode != 0
    assert "PAGE_CACHE_SECONDS must be a whole number" in result.stderr


def test_the_connection_pool_is_psycopgs_on_postgresql_only():
    postgres = {"SECRET_KEY": "x" * 50, "DATABASE_URL": "postgres://wgec@db.internal:5432/wgec"}
    show = "settings.DATABASES['default']['CONN_MAX_AGE'], settings.DATABASES['default']['OPTIONS']"
    result = _settings({**postgres, "DATABASE_POOL": "true", "DATABASE_POOL_MAX": "20"}, show=show)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "0 {'pool': {'min_size': 2, 'max_size': 20, 'timeout': 10}}"
    result = _settings({**postgres, "DATABASE_POOL": "false"}, show=show)
    assert result.returncode == 0, result.stderr
    assert "pool" not in result.stdout
    sqlite = {"SECRET_KEY": "x" * 50, "DATABASE_URL": "sqlite:///wgec.sqlite3"}
    result = _settings({**sqlite, "DATABASE_POOL": "true"}, show=show)
    assert result.returncode != 0
    assert "DATABASE_POOL needs a PostgreSQL DATABASE_URL" in result.stderr


def test_server_side_cursors_can_be_turned_off_for_pgbouncer():
    show = "settings.DATABASES['default']['DISABLE_SERVER_SIDE_CURSORS']"
    env = {"SECRET_KEY": "x" * 50, "DATABASE_URL": "postgres://wgec@db.internal:5432/wgec"}
    assert _settings(env, show=show).stdout.strip() == "False"
    on = _settings({**env, "DATABASE_DISABLE_SERVER_SIDE_CURSORS": "true"}, show=show)
    assert on.stdout.strip() == "True", on.stderr


STORAGE = "__import__('django.core.files.storage', fromlist=['_']).storages['default']"
MEDIA_SHOW = ", ".join(
    [f"type({STORAGE}).__name__"]
    + [
        f"getattr({STORAGE}, {name!r}, None)"
        for name in (
            "bucket_name",
            "endpoint_url",
            "region_name",
            "location",
            "default_acl",
            "file_overwrite",
        )
    ]
    + [f"{STORAGE}.url('contributions/a.pdf')"]
)


def _media(env: dict[str, str]) -> subprocess.CompletedProcess:
    return _settings({"SECRET_KEY": "x" * 50, **env}, show=MEDIA_SHOW)


def test_media_stay_in_media_root_unless_a_bucket_is_given():
    result = _media({})
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("FileSystemStorage")


def test_a_bucket_keeps_media_private_on_s3_compatible_storage():
    result = _media(
        {
            "MEDIA_S3_BUCKET": "wgec-media",
            "MEDIA_S3_ENDPOINT_URL": "https://minio.example.org:9000",
            "MEDIA_S3_REGION": "eu-central-2",
            "MEDIA_S3_PREFIX": "/production/",
            "MEDIA_S3_ACCESS_KEY_ID": "wgec",
            "MEDIA_S3_SECRET_ACCESS_KEY": "secret-of-the-test",
            "MEDIA_S3_URL_EXPIRY": "120",
        }
    )
    assert result.returncode == 0, result.stderr
    kind, bucket, endpoint, region, prefix, acl, overwrite, url = result.stdout.split()
    assert (kind, bucket, endpoint, region, prefix) == (
        "S3Storage",
        "wgec-media",
        "https://minio.example.org:9000",
        "eu-central-2",
        "production",
    )
    # No ACL of their own (the bucket's private one), and an upload never replaces another.
    assert (acl, overwrite) == ("None", "False")
    # The only address of a document is signed, expires, and names the bucket in its path.
    assert url.startswith(
        "https://minio.example.org:9000/wgec-media/production/contributions/a.pdf?"
    )
    assert "X-Amz-Signature=" in url
    assert "X-Amz-Expires=120" in url


def test_without_its_own_keys_the_bucket_is_reached_with_boto3s_credentials():
    show = "settings.STORAGES['default']['OPTIONS']"
    result = _settings({"SECRET_KEY": "x" * 50, "MEDIA_S3_BUCKET": "wgec-media"}, show=show)
    assert result.returncode == 0, result.stderr
    assert "access_key" not in result.stdout
    assert "endpoint_url" not in result.stdout
    assert "'querystring_expire': 300" in result.stdout


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"MEDIA_S3_BUCKET": "wgec-media", "MEDIA_S3_ACCESS_KEY_ID": "wgec"},
            "MEDIA_S3_ACCESS_KEY_ID is set but MEDIA_S3_SECRET_ACCESS_KEY is not",
        ),
        (
            {"MEDIA_S3_BUCKET": "wgec-media", "MEDIA_S3_SECRET_ACCESS_KEY": "secret"},
            "MEDIA_S3_SECRET_ACCESS_KEY is set but MEDIA_S3_ACCESS_KEY_ID is not",
        ),
        (
            {"MEDIA_S3_ENDPOINT_URL": "https://minio.example.org", "MEDIA_S3_REGION": "x"},
            "MEDIA_S3_ENDPOINT_URL, MEDIA_S3_REGION set without MEDIA_S3_BUCKET",
        ),
        (
            {"MEDIA_S3_BUCKET": "wgec-media", "MEDIA_S3_ENDPOINT_URL": "minio.example.org"},
            "MEDIA_S3_ENDPOINT_URL must be an http(s) URL",
        ),
        (
            {"MEDIA_S3_BUCKET": "wgec-media", "MEDIA_S3_URL_EXPIRY": "0"},
            "MEDIA_S3_URL_EXPIRY must be seconds above 0",
        ),
    ],
)
def test_a_half_given_media_bucket_stops_the_start_naming_what_is_missing(env, message):
    result = _media(env)
    assert result.returncode != 0
    assert message in result.stderr
