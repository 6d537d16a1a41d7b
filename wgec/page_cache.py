"""Parts of the public pages that are the same for many visitors, kept in Django's
cache (``CACHES``: the database or Redis) until what they show changes.

A part is keyed by a version token that the database changes with every write to the tables
the part reads, in the writing transaction (the public pages' ``PublicVersion``,
``wgec/public_version.py``; the map's pages use the map's, ``mechanisms/page_cache.py``), so a
change shows at once: the next request reads the new token and builds the part again. The key
also holds the language and the day (a page may count days to a deadline). Only what is the
same for every visitor is cached (the page's content, never its header, which shows who is
signed in, nor its CSRF or CSP values, nor messages), and only for the visitors it is the same
for (``Audience``): anonymous visitors, unless a caller says the part is the same for everyone
or for every visitor of one role, as most of the content members and observers read is. What
is the person's own (their comments' edit links, a form with its CSRF token) is never in a
shared part. The cache failing (Redis down) costs the time of building the part, never the
page.

For anonymous visitors the pages whose views say so (``served_whole``) are kept whole as well,
by ``WholePageMiddleware``, and served before the rest of the request's handling (who is
signed in, messages, the page's layout): the visitor's own CSRF token is written into the page
as it is served. The views that show nothing of the person but the layout's header say so too
(``served_whole(roles=True)``): ``RoleWholePageMiddleware`` keeps their pages whole for each
role and serves a signed-in member, observer, coordinator or the Chair their role's page with
their own name and CSRF token written in, once who they are is known. A page with a section of
the person's own (an issue's comments, with the edit links of theirs) is given whole to those
who have nothing of their own on it, and built for the others (``served_whole(built_for=...)``).
"""

import hashlib
import logging
import re
from collections.abc import Callable, Iterable
from enum import StrEnum

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connection
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import Resolver404, ResolverMatch, resolve
from django.utils import timezone
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.translation import get_language

from wgec.models import PublicVersion
from wgec.roles import Role, role_of

logger = logging.getLogger(__name__)


def version_token(model: type[Model]) -> str | None:
    """The token of a version's one row (``PublicVersion``, the map's ``MapVersion``); None
    before its tables were first written. Read by a fixed SQL statement: it is read on every
    request for a cached page, where the ORM's building of the query would be a tenth of the
    time a page kept whole takes."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {table} WHERE id = 1")  # noqa: S608 - a model's table
        row = cursor.fetchone()
    return row[0] if row else None


def public_version() -> str | None:
    """The public pages' current version token; None before their tables were first written."""
    return version_token(PublicVersion)


class Audience(StrEnum):
    """Who shares a cached part: the visitors for whom it is the same."""

    # Anonymous visitors only; anyone signed in gets the part built afresh.
    ANONYMOUS = "anonymous"
    # Every visitor of one role (anonymous, observer, member, coordinator, chair): the part shows
    # controls of some roles (a coordinator's link, a member's way to propose), never anything
    # of the person. The secretariat's staff accounts get it built afresh: one may speak as a
    # participant and another not, and their permissions differ.
    ROLE = "role"
    # Every visitor alike, signed in or not.
    EVERYONE = "everyone"


def audience_key(request: HttpRequest, audience: Audience) -> str | None:
    """The part of a cache key that names the visitor's audience; None when the visitor shares
    the part with no one (it is built afresh). The role is read once per request
    (``role_of`` keeps it on the user)."""
    if audience == Audience.EVERYONE:
        return "everyone"
    signed_in = request.user.is_authenticated
    if audience == Audience.ANONYMOUS:
        return None if signed_in else "anonymous"
    role = role_of(request.user)
    if role == Role.SECRETARIAT or (signed_in and role == Role.ANONYMOUS):
        return None
    return f"role:{role.value}"


def cached_part[T](
    request: HttpRequest,
    name: str,
    build: Callable[[], T],
    *,
    version: Callable[[], str | None] = public_version,
    vary: Iterable[str] = (),
    audience: Audience = Audience.ANONYMOUS,
    keep: Callable[[T], bool] = lambda value: True,
) -> T:
    """What ``build()`` returns for the records as they are now, from the cache when it holds
    it under ``version()``'s token.

    ``vary`` lists what else the part depends on (a record, a page number); the language of
    the request, the day and the visitor's audience are always part of the key: ``audience``
    says who shares the part (``Audience``; by default anonymous visitors only, signed-in ones
    getting a fresh build). A value for which ``keep`` is false (too large) is returned without
    being cached."""
    seconds = settings.PAGE_CACHE_SECONDS
    if seconds <= 0:
        return build()
    shared_by = audience_key(request, audience)
    if shared_by is None:
        return build()
    token = version()
    if token is None:
        return build()
    # The page around this part may be kept whole for anonymous visitors (WholePageMiddleware):
    # it is built from the records of a version.
    request.page_cache_built_from_version = True
    key = _key("wgec:page:", name, token, shared_by, *vary)
    try:
        found = cache.get(key)
    except Exception:
        logger.exception("The page cache could not be read; the page is built afresh.")
        return build()
    if found is not None:
        return found
    value = build()
    if not keep(value):
        return value
    try:
        cache.set(key, value, seconds)
    except Exception:
        logger.exception("The page cache could not be written; the page was built afresh.")
    return value


def query_key(request: HttpRequest) -> str:
    """The request's query string in a fixed order: a part of a cache key for a page whose
    content depends on its filters and page number (the key is hashed: any length will do)."""
    return urlencode(
        sorted((key, value) for key, values in request.GET.lists() for value in values)
    )


def cached_content(
    request: HttpRequest,
    template_name: str,
    context: Callable[[], dict],
    *,
    version: Callable[[], str | None] = public_version,
    vary: Iterable[str] = (),
    audience: Audience = Audience.ANONYMOUS,
) -> str:
    """The ``content`` partial of ``template_name`` (``{% partialdef content %}``) rendered with
    ``context()``, from the cache when it holds it for the visitor's ``audience``; the page's
    template shows it as ``{{ content }}`` in its layout, which is drawn for each visitor. A
    partial shared by signed-in visitors must hold no form with a CSRF token and nothing of the
    person (``Audience``)."""
    return cached_part(
        request,
        template_name,
        lambda: render_to_string(f"{template_name}#content", context(), request=request),
        version=version,
        vary=vary,
        audience=audience,
    )


def _key(prefix: str, *parts: str) -> str:
    """A cache key of ``parts``, the language of the request and the day."""
    day = timezone.localdate().isoformat()
    joined = "\x1f".join([*parts, get_language() or "", day])
    return prefix + hashlib.sha256(joined.encode()).hexdigest()


def served_whole(
    view: Callable | None = None,
    *,
    roles: bool = False,
    built_for: Callable[..., bool] | None = None,
):
    """Marks a view whose page, for an anonymous visitor, depends only on its address, its
    language, the day and the records of the public pages (the map's included): the page cache
    keeps it whole for them (``WholePageMiddleware``). The view must build its content through
    ``cached_part`` or ``cached_content``, and show no per-visitor value but the CSRF token.

    With ``roles``, the page is kept whole for each role as well (``RoleWholePageMiddleware``):
    the view's content must be shared by every visitor of a role (``Audience.ROLE`` or
    ``EVERYONE``) and it must show nothing of the person but the layout's header, whose name is
    written in for each. A page with a section of the person's own (an issue's comments with
    the edit links of theirs) or one some people must see live (a coordinator's delivery
    progress) names ``built_for``: called with the request and the address's arguments, it says
    whether this person's page is built for them (they wrote a comment there; they follow the
    sending); the others of their role get the page kept whole, the same for each of them."""

    def mark(view: Callable) -> Callable:
        view.page_cache_whole = True
        view.page_cache_whole_roles = roles
        view.page_cache_built_for = built_for
        return view

    return mark(view) if view is not None else mark


# ``{% csrf_token %}``'s input (its value a masked token), and what stands for it in a page kept
# whole: a form's token is the visitor's own, written in as the page is served.
_CSRF_INPUT = re.compile(rb'(<input type="hidden" name="csrfmiddlewaretoken" value=")[^"]*(")')
_CSRF_STAND_IN = b"\\1\x00csrf-token\x00\\2"
_CSRF_MARK = b"\x00csrf-token\x00"
# The name of who is signed in, in the layout's header (templates/base.html), and what stands
# for it in a page kept whole for a role: each visitor's own is written in as it is served.
_WHO = re.compile(rb'(<a class="who" href="[^"]*">)([^<]*)( <span class="role">)')
_WHO_STAND_IN = b"\\1\x00who\x00\\3"
_WHO_MARK = b"\x00who\x00"
# A page larger than this is not kept whole (its content part still is).
WHOLE_PAGE_MAX_BYTES = 4 * 2**20
# Headers the middleware around this one writes for each response.
_OUTER_HEADERS = frozenset({"content-length", "content-language", "vary"})


class WholePageMiddleware:
    """Serves an anonymous visitor a page kept whole, before who is signed in, the messages and
    the layout are looked at: two reads (the public pages' version and the cache) instead of the
    view's and the layout's.

    Only GET and HEAD requests without a session or messages cookie (so anonymous, with nothing
    waiting to be shown to them) for a view marked ``served_whole``; a page is kept when it is a
    200 response built from a version's records (``cached_part``) for a visitor still anonymous,
    with no message queued and no cookie of its own. It is keyed by the public pages' version
    read before the page was built (every table the map's pages read is among the public
    pages' tables: a change to any of them empties it), the scheme, host, address with its
    query, the language and the day. Sits after the CSRF middleware, which reads the visitor's
    CSRF cookie and sets it on the way out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _may_serve(request):
            return self.get_response(request)
        return _whole_page(request, self.get_response, "anonymous")


class RoleWholePageMiddleware:
    """Serves a signed-in member, observer, coordinator or the Chair their role's page kept
    whole, with their own name in its header and their own CSRF token in its forms: the reads
    of who they are (their session, their user), then the public pages' version and the cache,
    instead of the view's and the layout's.

    Only GET and HEAD requests for a view marked ``served_whole(roles=True)``, by someone whose
    role shares the page cache's parts (``Audience.ROLE``: never the secretariat's staff, who
    get every page built) and who has no message waiting; a page is kept when it is a 200
    response built from a version's records for a visitor still of that role, with no message
    queued and no cookie of its own, whose header names them once and whose page does not name
    them anywhere else, and, for a view that names its ``built_for`` check, only for someone
    it does not build the page for. Keyed as ``WholePageMiddleware``'s pages, and by the
    role. Sits after the messages and the language of the person's profile are known."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        shared_by = _role_may_serve(request)
        if shared_by is None:
            return self.get_response(request)
        return _whole_page(request, self.get_response, shared_by)


def _whole_page(
    request: HttpRequest, get_response: Callable[[HttpRequest], HttpResponse], shared_by: str
) -> HttpResponse:
    """The page kept whole for ``shared_by`` (an ``audience_key``), else the page built and
    kept when it may be."""
    token = public_version()
    if token is None:
        return get_response(request)
    key = _key(
        "wgec:whole:",
        token,
        shared_by,
        request.scheme,
        request.get_host(),
        request.get_full_path(),
    )
    try:
        kept = cache.get(key)
    except Exception:
        logger.exception("The page cache could not be read; the page is built afresh.")
        return get_response(request)
    if kept is not None:
        return _served(request, *kept, person=shared_by != "anonymous")
    response = get_response(request)
    content = _keepable(request, response, shared_by)
    if content is not None:
        headers = [
            (name, value) for name, value in response.items() if name.lower() not in _OUTER_HEADERS
        ]
        try:
            cache.set(key, (content, headers), settings.PAGE_CACHE_SECONDS)
        except Exception:
            logger.exception("The page cache could not be written; the page was built afresh.")
    return response


def _may_serve(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD") or settings.PAGE_CACHE_SECONDS <= 0:
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies:
        return False
    return _view_flag(request, "page_cache_whole")


def _role_may_serve(request: HttpRequest) -> str | None:
    """The audience key of the role whose kept page this request may get, else None."""
    if request.method not in ("GET", "HEAD") or settings.PAGE_CACHE_SECONDS <= 0:
        return None
    # No session, no one signed in: a visitor without one (most requests) costs nothing here.
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return None
    match = _resolved(request)
    if match is None or not getattr(match.func, "page_cache_whole_roles", False):
        return None
    if not request.user.is_authenticated:
        return None
    # A message waiting to be shown (counted, not read: it stays for the page built instead).
    messages = getattr(request, "_messages", None)
    if messages is None or len(messages):
        return None
    shared_by = audience_key(request, Audience.ROLE)
    if shared_by is None:
        return None
    # A page with something of the person's own on it (their comments) is built for them.
    built_for = getattr(match.func, "page_cache_built_for", None)
    if built_for is not None and built_for(request, *match.args, **match.kwargs):
        return None
    return shared_by


def _resolved(request: HttpRequest) -> ResolverMatch | None:
    try:
        return resolve(request.path_info)
    except Resolver404:
        return None


def _view_flag(request: HttpRequest, flag: str) -> bool:
    match = _resolved(request)
    return match is not None and getattr(match.func, flag, False)


def _keepable(request: HttpRequest, response: HttpResponse, shared_by: str) -> bytes | None:
    """The response's content as it is kept for ``shared_by`` (each visitor's own values
    replaced by marks), or None when it may not be kept."""
    if (
        request.method != "GET"
        or response.status_code != 200
        or response.streaming
        or response.cookies
        or not getattr(request, "page_cache_built_from_version", False)
        or len(response.content) > WHOLE_PAGE_MAX_BYTES
    ):
        return None
    # A message added while the page was built was shown on it.
    messages = getattr(request, "_messages", None)
    if messages is not None and messages.added_new:
        return None
    content = _CSRF_INPUT.sub(_CSRF_STAND_IN, response.content)
    if shared_by == "anonymous":
        return None if request.user.is_authenticated else content
    # Still of the role the page is kept for, and named in its header, once, and nowhere else.
    if not request.user.is_authenticated or audience_key(request, Audience.ROLE) != shared_by:
        return None
    name = escape(request.user.get_username()).encode()
    found = _WHO.findall(content)
    if len(found) != 1 or found[0][1] != name:
        return None
    content = _WHO.sub(_WHO_STAND_IN, content)
    if re.search(rb"(?<![\w-])" + re.escape(name) + rb"(?![\w-])", content):
        return None
    return content


def _served(
    request: HttpRequest, content: bytes, headers: list[tuple[str, str]], *, person: bool
) -> HttpResponse:
    """The kept page with the visitor's own CSRF token and, on a role's page (``person``), their
    own name written in."""
    if _CSRF_MARK in content:
        content = content.replace(_CSRF_MARK, get_token(request).encode())
    if person:
        content = content.replace(_WHO_MARK, escape(request.user.get_username()).encode())
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    return response
