"""The one settings module of wgec, driven by the environment.

Every value a deployment changes comes from an environment variable (see the README). The
helpers below fail loudly on a value they cannot read, and production (DEBUG off, the default)
refuses to start without a SECRET_KEY.
"""

import os
from pathlib import Path
from urllib.parse import SplitResult, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _
from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent

# A development checkout's `.env` (written by `make run`, git-ignored: DEBUG on and a generated
# SECRET_KEY), so that manage.py commands typed by hand need nothing exported. A variable already
# in the environment always wins over the file; without the file nothing changes (DEBUG off,
# SECRET_KEY required), which is how a deployment runs.
DOTENV_PATH = BASE_DIR / ".env"
if DOTENV_PATH.is_file():
    load_dotenv(DOTENV_PATH, override=False, interpolate=False)

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


def url_parts(name: str, url: str, schemes: set[str], form: str) -> SplitResult:
    """``url``, the value of the variable ``name``, split; refused unless its scheme is one of
    ``schemes`` and it names a host (``form`` says what it should look like)."""
    parts = urlsplit(url)
    if parts.scheme not in schemes or not parts.hostname:
        raise ImproperlyConfigured(f"{name} must be {form}, not {url!r}.")
    return parts


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (DEBUG is off, so this is treated "
            "as production)."
        )
    SECRET_KEY = "insecure-local-development-key-never-use-in-production"  # noqa: S105

SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
_site = url_parts("SITE_URL", SITE_URL, {"http", "https"}, "an http(s) URL")

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS",
    ["127.0.0.1", "localhost", "[::1]", _site.hostname] if DEBUG else [_site.hostname],
)
CSRF_TRUSTED_ORIGINS = [f"{_site.scheme}://{_site.netloc}"]

INSTALLED_APPS = [
    # django.contrib.admin, with the secretariat's site (the models in the exercise's order).
    "project.admin_site.SecretariatAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_countries",
    "django_filters",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "wgec",
    "issues",
    "mechanisms",
    "consensus",
    "reports",
    "inbound",
    "project",
]

MIDDLEWARE = [
    # /healthz, for load balancers: answered before the Host header is checked.
    "project.errors.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language of the page: the visitor's cookie (set by the language menu), else the
    # browser's Accept-Language, else English. URLs carry no language, so that the links of
    # e-mails and documents stay valid in every language.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # The public pages anonymous visitors are given whole from the page cache, before who is
    # signed in, the messages and the layout are looked at (wgec/page_cache.py).
    "wgec.page_cache.WholePageMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A signed-in person's language, chosen once and kept in their profile, wins over the
    # browser's (applied from the session their login started).
    "wgec.languages.ProfileLanguageMiddleware",
    # A path with NUL or another control character is answered 400 before any view reads it;
    # an admin page's record ID its model cannot hold is a 404.
    "project.errors.PathCheckMiddleware",
    "project.errors.AdminIdCheckMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # The public pages signed-in members, observers, coordinators and the Chair are given whole
    # for their role from the page cache, their name and CSRF token written in, once who they
    # are, their messages and their language are known (wgec/page_cache.py).
    "wgec.page_cache.RoleWholePageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "project.urls"
WSGI_APPLICATION = "wgec.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "project.context_processors.site",
            ],
            # Counts in each language's form ({{ count|intcomma }}) in every template.
            "builtins": ["django.contrib.humanize.templatetags.humanize"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes (server and task worker) share the file: wait for locks rather than
    # failing, and take the write lock at the start of a transaction.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

# PostgreSQL through psycopg's connection pool (DATABASE_POOL): each process keeps between
# DATABASE_POOL_MIN and DATABASE_POOL_MAX connections open and lends them to requests, instead of
# one connection per thread kept for DATABASE_CONN_MAX_AGE seconds (which the pool replaces).
if env_bool("DATABASE_POOL", False):
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_POOL needs a PostgreSQL DATABASE_URL.")
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env_int("DATABASE_POOL_MIN", 2),
        "max_size": env_int("DATABASE_POOL_MAX", 10),
        "timeout": env_int("DATABASE_POOL_TIMEOUT", 10),
    }

# Behind PgBouncer in transaction pooling mode a server-side cursor (what ``.iterator()`` uses)
# may lose its connection between two fetches: DATABASE_DISABLE_SERVER_SIDE_CURSORS turns them off.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env_bool(
    "DATABASE_DISABLE_SERVER_SIDE_CURSORS", False
)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The six official languages of the United Nations, English the source of the catalogues in
# locale/ (compiled by `make messages`, which `make install` and `make test` run).
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("ar", _("Arabic")),
    ("zh-hans", _("Chinese")),
    ("en", _("English")),
    ("fr", _("French")),
    ("ru", _("Russian")),
    ("es", _("Spanish")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English dates as the UN writes them (British usage); the other languages keep Django's formats.
FORMAT_MODULE_PATH = ["wgec.formats"]
LANGUAGE_COOKIE_NAME = "wgec_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/Zurich"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "media")
MEDIA_URL = "media/"
# Media on S3-compatible object storage (AWS S3, MinIO, Ceph ...) instead of MEDIA_ROOT, one
# store for every app server and worker. Documents stay private: wgec serves them through its
# own views, which check who may read them; objects get no ACL of their own (they keep the
# bucket's, which must be private) and any address of one is signed and expires.
MEDIA_S3_BUCKET = env_str("MEDIA_S3_BUCKET")
_MEDIA_S3_OTHERS = [
    "MEDIA_S3_ENDPOINT_URL",
    "MEDIA_S3_REGION",
    "MEDIA_S3_PREFIX",
    "MEDIA_S3_ACCESS_KEY_ID",
    "MEDIA_S3_SECRET_ACCESS_KEY",
    "MEDIA_S3_URL_EXPIRY",
]
if MEDIA_S3_BUCKET:
    _expiry = env_int("MEDIA_S3_URL_EXPIRY", 300)
    if _expiry <= 0:
        raise ImproperlyConfigured(f"MEDIA_S3_URL_EXPIRY must be seconds above 0, not {_expiry}.")
    _media_s3: dict[str, object] = {
        "bucket_name": MEDIA_S3_BUCKET,
        "region_name": env_str("MEDIA_S3_REGION") or None,
        "location": env_str("MEDIA_S3_PREFIX").strip("/"),
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": _expiry,
        # A new upload never replaces a file of the same name, as on a local disk.
        "file_overwrite": False,
        "signature_version": "s3v4",
    }
    _endpoint = env_str("MEDIA_S3_ENDPOINT_URL")
    if _endpoint:
        url_parts("MEDIA_S3_ENDPOINT_URL", _endpoint, {"http", "https"}, "an http(s) URL")
        # MinIO and Ceph name the bucket in the path unless set up for bucket host names.
        _media_s3 |= {"endpoint_url": _endpoint, "addressing_style": "path"}
    # Without this pair boto3 finds the credentials itself: AWS_ACCESS_KEY_ID and
    # AWS_SECRET_ACCESS_KEY, a profile, or the role of the machine.
    _key_pair = ["MEDIA_S3_ACCESS_KEY_ID", "MEDIA_S3_SECRET_ACCESS_KEY"]
    _given = [name for name in _key_pair if env_str(name)]
    if len(_given) == 1:
        _missing = next(name for name in _key_pair if name not in _given)
        raise ImproperlyConfigured(
            f"{_given[0]} is set but {_missing} is not: set both, or neither to let boto3 find "
            "the credentials (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile, a role)."
        )
    if _given:
        _media_s3 |= {
            "access_key": env_str("MEDIA_S3_ACCESS_KEY_ID"),
            "secret_key": env_str("MEDIA_S3_SECRET_ACCESS_KEY"),
        }
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _media_s3}
elif _stray := [name for name in _MEDIA_S3_OTHERS if env_str(name)]:
    raise ImproperlyConfigured(
        f"{', '.join(_stray)} set without MEDIA_S3_BUCKET: set MEDIA_S3_BUCKET to keep media "
        "in that bucket, or unset them to keep media in MEDIA_ROOT."
    )
# Documents attached to contributions: the largest accepted, in megabytes.
CONTRIBUTION_DOCUMENT_MAX_MB = env_int("CONTRIBUTION_DOCUMENT_MAX_MB", 10)

# Imported spreadsheets (responses, the map workbook): the limits checked while a file is read
# (wgec/documents/spreadsheets.py), and how long an import's stored file and preview are kept.
IMPORT_MAX_MB = env_int("IMPORT_MAX_MB", 50)
IMPORT_MAX_UNPACKED_MB = env_int("IMPORT_MAX_UNPACKED_MB", 500)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 300_000)
IMPORT_MAX_COLUMNS = env_int("IMPORT_MAX_COLUMNS", 500)
IMPORT_MAX_CELL_CHARS = env_int("IMPORT_MAX_CELL_CHARS", 32_767)
IMPORT_KEEP_HOURS = env_int("IMPORT_KEEP_HOURS", 24)

# Mail: SMTP when EMAIL_HOST is set; otherwise messages are written to the console.
_smtp = {
    "host": env_str("EMAIL_HOST"),
    "port": env_int("EMAIL_PORT", 25),
    "username": env_str("EMAIL_HOST_USER"),
    "password": env_str("EMAIL_HOST_PASSWORD"),
    "use_tls": env_bool("EMAIL_USE_TLS", False),
    # Every step of an SMTP conversation (connecting, each command) gives up after this many
    # seconds, so that a server that does not answer never holds a sending worker.
    "timeout": env_int("EMAIL_TIMEOUT", 10),
}
MAILERS = {
    "default": (
        {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": _smtp}
        if _smtp["host"]
        else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    )
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "wgec@localhost")

# Sending reports (reports/sending.py): the waits before each retry of a temporary SMTP failure
# (seconds; the number of retries is their count), how many deliveries a worker claims at once,
# and the lease of a claim in seconds: renewed while its batch is sent, so that the deliveries of
# a worker that died are taken back within it. Longer than one message can take (a handful of
# SMTP steps, each bounded by EMAIL_TIMEOUT). A batch is begun in one write and its messages sent
# recorded in one: a worker that dies mid-batch leaves up to a batch of addresses needing a
# person's decision (half a second of sending at a hundred messages a second); a smaller batch
# leaves fewer and writes more often.
REPORTS_RETRY_DELAYS = [60, 300, 1800]
REPORTS_CLAIM_BATCH = 50
REPORTS_LEASE_SECONDS = 60
SERVER_EMAIL = DEFAULT_FROM_EMAIL


# Mail coming in (inbound/): the one mailbox wgec reads over IMAP, either as one URL
# (imaps://USER:PASSWORD@HOST:993/INBOX; imap:// is plain text, for a server on loopback) or as
# separate variables. INBOUND_ADDRESS is that mailbox's address: replies, contributions and
# bounces reach it plus-addressed (wgec+TAG@example.org); empty, nothing invites a reply.
def _imap_config() -> dict:
    from urllib.parse import unquote

    url = env_str("INBOUND_IMAP_URL")
    if url:
        parts = url_parts(
            "INBOUND_IMAP_URL", url, {"imap", "imaps"}, "imaps://USER:PASSWORD@HOST[:PORT][/FOLDER]"
        )
        try:
            port = parts.port
        except ValueError:
            raise ImproperlyConfigured("INBOUND_IMAP_URL's port is not a number.") from None
        tls = parts.scheme == "imaps"
        return {
            "host": parts.hostname,
            "port": port or (993 if tls else 143),
            "user": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "tls": tls,
            "folder": unquote(parts.path.lstrip("/")) or "INBOX",
        }
    tls = env_bool("INBOUND_IMAP_TLS", True)
    return {
        "host": env_str("INBOUND_IMAP_HOST"),
        "port": env_int("INBOUND_IMAP_PORT", 993 if tls else 143),
        "user": env_str("INBOUND_IMAP_USER"),
        "password": os.environ.get("INBOUND_IMAP_PASSWORD", ""),
        "tls": tls,
        "folder": env_str("INBOUND_IMAP_FOLDER", "INBOX"),
    }


INBOUND_IMAP = _imap_config()
INBOUND_ADDRESS = env_str("INBOUND_ADDRESS").lower()
if INBOUND_ADDRESS and (INBOUND_ADDRESS.count("@") != 1 or "+" in INBOUND_ADDRESS):
    raise ImproperlyConfigured(
        f"INBOUND_ADDRESS must be one plain address (no +tag), not {INBOUND_ADDRESS!r}."
    )
# Handled messages are flagged; with a folder named here they are also moved into it.
INBOUND_DONE_FOLDER = env_str("INBOUND_DONE_FOLDER")
INBOUND_POLL_SECONDS = env_int("INBOUND_POLL_SECONDS", 60)
# A message larger than this is refused unread; one with more recipients is refused.
INBOUND_MAX_MB = env_int("INBOUND_MAX_MB", 25)
INBOUND_MAX_RECIPIENTS = env_int("INBOUND_MAX_RECIPIENTS", 100)
# How long the reply address of a message stays good, in days.
INBOUND_REPLY_DAYS = env_int("INBOUND_REPLY_DAYS", 180)
# A subject starting with this tag (any case) makes a message a contribution, like a message
# to the +contribute address.
INBOUND_CONTRIBUTION_TAG = env_str("INBOUND_CONTRIBUTION_TAG", "[contribution]")

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# Accounts (django-allauth): sign-up with a confirmed e-mail address, login by e-mail or user
# name, password reset. Failed logins are throttled by allauth's rate limits, which count in the
# cache below (the database or Redis), so that every app server sees the same counts. Both
# backends load a signed-in person's participant record with their user (wgec/auth_backends.py).
AUTHENTICATION_BACKENDS = [
    "wgec.auth_backends.ModelBackend",
    "wgec.auth_backends.AccountBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "wgec:account"
ACCOUNT_ADAPTER = "wgec.accounts.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "wgec.accounts.CheckedLoginForm",
    "signup": "wgec.accounts.CheckedSignupForm",
    "reset_password": "wgec.accounts.CheckedResetPasswordForm",
}
ACCOUNT_LOGIN_METHODS = {"email", "username"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_CONFIRMATION_AUTHENTICATED_REDIRECT_URL = "wgec:join"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{_site.hostname}] "
# Failed logins: at most 10 a minute from one address, and 5 in 5 minutes for one account from
# one address (the key is made in wgec/accounts.py), so that nobody can lock another person out.
# Requests to join the mailing list (each sends an e-mail): at most 30 an hour from one address,
# enough for a meeting room behind one router.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/300s/key", "subscribe": "30/h/ip"}
# Behind load balancers or reverse proxies, how many of them append to X-Forwarded-For: the
# throttles then count the visitor's address, not the last proxy's.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
ACCOUNT_PRESERVE_USERNAME_CASING = False


def _cache_config(url: str) -> dict:
    """CACHE_URL: empty or ``db`` for the database's cache table (``manage.py
    createcachetable``), or ``redis://HOST:PORT/DB`` (``rediss://`` over TLS) for Redis, which
    every app server must share."""
    if url in {"", "db"}:
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "wgec_cache"}
    parts = url_parts("CACHE_URL", url, {"redis", "rediss"}, "empty, db, or redis://HOST:PORT/DB")
    try:
        parts.port  # noqa: B018 - checked for its error
    except ValueError:
        raise ImproperlyConfigured("CACHE_URL's port is not a number.") from None
    return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}


CACHES = {"default": _cache_config(env_str("CACHE_URL"))}
# With Redis, a signed-in person's session is read from the cache and written to both (Django's
# cached_db sessions): a database query fewer on each of their requests. With the database's
# cache it would only move that query to the cache table.
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# The public pages read far more than they change (the matrix, the gaps, the open data files, an
# issue's page, the responses, the reports) are cached, by role where needed, until what they
# show changes (wgec/page_cache.py, mechanisms/page_cache.py), at most this many seconds (0: not
# cached); open data files larger than OPEN_DATA_CACHE_MAX_MB are not.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 24 * 3600)
OPEN_DATA_CACHE_MAX_MB = env_int("OPEN_DATA_CACHE_MAX_MB", 8)

COUNTRIES_FIRST = []

SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content Security Policy on every response, enforced (Django's own middleware): scripts and
# style sheets only from the site itself (a script of a template needs the request's nonce,
# ``{{ csp_nonce }}``), never inline; inline style *attributes* are allowed because the site's
# bars set their widths from data and the e-mail previews carry the inline styles mail clients
# need; no plug-ins, no framing, forms post only to the site.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "style-src-attr": [CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
if _site.scheme == "https" and not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # HTTPS only: plain HTTP is redirected (except the load balancer's health check, which
    # probes the app server directly), and browsers are told to remember it for a year. The
    # subdomains are those of the site's own host name.
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    # Marks the header as fit for the browsers' preload list; nothing is listed until someone
    # submits the domain at hstspreload.org.
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "pikepdf": {"level": "WARNING"},
    },
}

# The name of the group whose work the site serves, shown in the header and documents.
WGEC_GROUP_NAME = "Working Group on Enhanced Cooperation"
WGEC_GROUP_SHORT_NAME = "WGEC"

# How many parts of a long PDF (the final document) Typst typesets at once, each in a process of
# its own: one a core, at most two (a part holds up to about 300 MiB while it is typeset, so two
# keep the whole export under 1 GiB).
WGEC_TYPESET_WORKERS = max(1, min(env_int("WGEC_TYPESET_WORKERS", os.cpu_count() or 1), 2))
