"""The language menu's form: Django's ``set_language`` (the cookie, and back to the page), and
for a signed-in person their profile and session too."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from wgec.languages import SESSION_KEY, is_language
from wgec.services import profile_language_set


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    response = set_language(request)
    language = request.POST.get("language")
    if is_language(language) and request.user.is_authenticated:
        profile_language_set(user=request.user, language=language)
        request.session[SESSION_KEY] = language
    return response
