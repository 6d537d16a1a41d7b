"""The map's pages that are read far more than they change (the matrix and its grids, the gaps,
the open data files, the issue list with its filters, the mechanisms and a mechanism's page),
kept in Django's cache (``CACHES``: the database or Redis).

A cached part is keyed by the map's version token (``MapVersion``, changed by the database
with every write to the map's tables, in the writing transaction), so a change shows at once:
the next request reads the new token and builds the part again. Only what is the same for every
visitor is cached (the page's content, never its header, which shows who is signed in, nor its
CSRF or CSP values), and only for anonymous visitors unless a caller says the part is the same
for everyone. The cache failing (Redis down) costs the time of building the part, never the
page.
"""

import hashlib
import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.http import urlencode
from django.utils.translation import get_language

from mechanisms.models import MapVersion

logger = logging.getLogger(__name__)


def map_version() -> str | None:
    """The map's current version token; None before the map's tables were first written."""
    return MapVersion.objects.filter(pk=1).values_list("token", flat=True).first()


def page_part_cached[T](
    request: HttpRequest,
    name: str,
    build: Callable[[], T],
    *,
    vary: Iterable[str] = (),
    everyone: bool = False,
    keep: Callable[[T], bool] = lambda value: True,
) -> T:
    """What ``build()`` returns for the map as it is now, from the cache when it holds it.

    ``vary`` lists what else the part depends on (a cluster, a page number); the language of
    the request is always part of the key. Signed-in visitors get a fresh build unless
    ``everyone`` says the part is the same for them. A value for which ``keep`` is false (too
    large) is returned without being cached."""
    seconds = settings.PAGE_CACHE_SECONDS
    if seconds <= 0 or (not everyone and request.user.is_authenticated):
        return build()
    version = map_version()
    if version is None:
        return build()
    parts = ["map", name, version, get_language() or "", *vary]
    key = "wgec:page:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
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


def page_content_cached(
    request: HttpRequest,
    template_name: str,
    context: Callable[[], dict],
    *,
    vary: Iterable[str] = (),
) -> str:
    """The ``content`` partial of ``template_name`` (``{% partialdef content %}``) rendered with
    ``context()``, from the cache when it holds it for the map as it is now; the page's
    template shows it as ``{{ content }}`` in its layout, which is drawn for each visitor."""
    return page_part_cached(
        request,
        template_name,
        lambda: render_to_string(f"{template_name}#content", context(), request=request),
        vary=vary,
    )
