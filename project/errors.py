"""The pages people meet when something is wrong, in the site's layout with a way back, and
the health check of the load balancers."""

import logging
import secrets

from django.contrib.admin.utils import unquote
from django.core.cache import cache
from django.core.exceptions import BadRequest, ValidationError
from django.db import connection, models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_safe

from wgec.text_checks import MAX_ID, control_character_problem

logger = logging.getLogger(__name__)

# What is left when even the site's layout cannot be drawn (its navigation reads the database).
BARE_500 = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Something went wrong'
    "</title></head><body><h1>Something went wrong</h1><p>The page could not be shown because "
    "of an error on our side; the error has been recorded. Please try again in a minute.</p>"
    '<p><a href="/">The home page of the exercise</a></p></body></html>'
)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page in the site's layout; a bare page if the layout itself fails."""
    try:
        return render(request, "500.html", status=500)
    except Exception:
        logger.exception("The 500 page could not be drawn in the site's layout.")
        return HttpResponseServerError(BARE_500)


HEALTH_PATH = "/healthz"


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _cache() -> str:
    key, value = "wgec:healthz", secrets.token_hex(8)
    cache.set(key, value, timeout=30)
    if cache.get(key) != value:
        raise RuntimeError("the cache did not return what was just stored")
    return "ok"


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database and the cache answer, else 503 naming what failed."""
    checks, healthy = {}, True
    for name, check in (("database", _database), ("cache", _cache)):
        try:
            checks[name] = check()
        except Exception as error:
            logger.exception("Health check: the %s failed.", name)
            checks[name] = f"failing: {type(error).__name__}"
            healthy = False
    return JsonResponse(
        {"status": "ok" if healthy else "failing", **checks}, status=200 if healthy else 503
    )


class HealthCheckMiddleware:
    """Answers ``/healthz`` before anything reads the Host header: load balancers probe the
    app servers by their addresses, which are not in ALLOWED_HOSTS."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == HEALTH_PATH and request.method in ("GET", "HEAD"):
            return healthz(request)
        return self.get_response(request)


class PathCheckMiddleware:
    """A path holding NUL or another control character is a bad request (400), answered
    before any view could pass it to the database (PostgreSQL refuses NUL in a query)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        problem = control_character_problem(request.path, field="the address's path")
        if problem:
            raise BadRequest(problem)
        return self.get_response(request)


class AdminIdCheckMiddleware:
    """An admin page's record ID that its model's key cannot hold ("²", "1e3", "%", a number
    beyond a bigint) is a 404 naming it, and an empty ``_to_field`` a 400: neither reaches the
    admin's views (the history pages pass the ID to the database unchecked)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        model_admin = getattr(view_func, "model_admin", None)
        if model_admin is None:
            return None
        if request.GET.get("_to_field") == "" or request.POST.get("_to_field") == "":
            raise BadRequest("The parameter “_to_field” is empty: leave it out or name a field.")
        object_id = view_kwargs.get("object_id")
        if object_id is None:
            return None
        key = model_admin.model._meta.pk
        try:
            value = key.to_python(unquote(object_id))
        except ValidationError:
            value = None
        if isinstance(key, models.IntegerField) and value is not None and not 0 < value <= MAX_ID:
            value = None
        if value is None:
            raise Http404(
                f"No {model_admin.model._meta.verbose_name} has the ID “{object_id[:100]}”."
            )
        return None
