"""Parts of the public pages that are the same for every anonymous visitor, kept in Django's
cache (``CACHES``: the database or Redis) until what they show changes.

A part is keyed by a version token that the database changes with every write to the tables
the part reads, in the writing transaction (the public pages' ``PublicVersion``,
``wgec/public_version.py``; the map's pages use the map's, ``mechanisms/page_cache.py``), so a
change shows at once: the next request reads the new token and builds the part again. The key
also holds the language and the day (a page may count days to a deadline). Only what is the
same for every visitor is cached (the page's content, never its header, which shows who is
signed in, nor its CSRF or CSP values, nor messages), and only for anonymous visitors unless a
caller says the part is the same for everyone. The cache failing (Redis down) costs the time
of building the part, never the page.
"""

import hashlib
import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language

from wgec.models import PublicVersion

logger = logging.getLogger(__name__)


def public_version() -> str | None:
    """The public pages' current version token; None before their tables were first written."""
    return PublicVersion.objects.filter(pk=1).values_list("token", flat=True).first()


def cached_part[T](
    request: HttpRequest,
    name: str,
    build: Callable[[], T],
    *,
    version: Callable[[], str | None] = public_version,
    vary: Iterable[str] = (),
    everyone: bool = False,
    keep: Callable[[T], bool] = lambda value: True,
) -> T:
    """What ``build()`` returns for the records as they are now, from the cache when it holds
    it under ``version()``'s token.

    ``vary`` lists what else the part depends on (a record, a page number); the language of
    the request and the day are always part of the key. Signed-in visitors get a fresh build
    unless ``everyone`` says the part is the same for them. A value for which ``keep`` is false
    (too large) is returned without being cached."""
    seconds = settings.PAGE_CACHE_SECONDS
    if seconds <= 0 or (not everyone and request.user.is_authenticated):
        return build()
    token = version()
    if token is None:
        return build()
    day = timezone.localdate().isoformat()
    parts = [name, token, get_language() or "", day, *vary]
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


def cached_content(
    request: HttpRequest,
    template_name: str,
    context: Callable[[], dict],
    *,
    version: Callable[[], str | None] = public_version,
    vary: Iterable[str] = (),
) -> str:
    """The ``content`` partial of ``template_name`` (``{% partialdef content %}``) rendered with
    ``context()``, from the cache when it holds it; the page's template shows it as
    ``{{ content }}`` in its layout, which is drawn for each visitor."""
    return cached_part(
        request,
        template_name,
        lambda: render_to_string(f"{template_name}#content", context(), request=request),
        version=version,
        vary=vary,
    )
