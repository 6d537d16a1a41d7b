"""The map's pages that are read far more than they change (the matrix and its grids, the gaps,
the open data files, the issue list with its filters, the mechanisms and a mechanism's page),
kept in Django's cache as the public pages are (``wgec/page_cache.py``), but keyed by the map's
own version token (``MapVersion``, changed by the database with every write to the map's tables
only: ``mechanisms/triggers.py``), so that an answer, a comment or a report sent does not empty
them.
"""

from collections.abc import Callable, Iterable

from django.http import HttpRequest

from mechanisms.models import MapVersion
from wgec.page_cache import Audience, cached_content, cached_part, query_key, version_token

__all__ = ["Audience", "map_version", "page_content_cached", "page_part_cached", "query_key"]


def map_version() -> str | None:
    """The map's current version token; None before the map's tables were first written."""
    return version_token(MapVersion)


def page_part_cached[T](
    request: HttpRequest,
    name: str,
    build: Callable[[], T],
    *,
    vary: Iterable[str] = (),
    audience: Audience = Audience.ANONYMOUS,
    keep: Callable[[T], bool] = lambda value: True,
) -> T:
    """``wgec.page_cache.cached_part`` under the map's version."""
    return cached_part(
        request,
        name,
        build,
        version=map_version,
        vary=vary,
        audience=audience,
        keep=keep,
    )


def page_content_cached(
    request: HttpRequest,
    template_name: str,
    context: Callable[[], dict],
    *,
    vary: Iterable[str] = (),
    audience: Audience = Audience.ANONYMOUS,
) -> str:
    """``wgec.page_cache.cached_content`` under the map's version."""
    return cached_content(
        request, template_name, context, version=map_version, vary=vary, audience=audience
    )
