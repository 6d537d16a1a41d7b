"""The parts of the site's chrome that are the same for every visitor of a page in a language
(the main navigation, a section's navigation): drawn once per process for each page and
language, then kept. They are drawn knowing nothing of the visitor: a variable of the request
or the person other than the page's name would render empty, never another visitor's."""

from types import SimpleNamespace

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import get_template
from django.utils.autoreload import file_changed
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from project.context_processors import SECTION_VIEWS

register = template.Library()

# (template, page's view name, language) -> the part as drawn. At most a few hundred entries:
# the views are a fixed set, the languages six.
_drawn: dict[tuple[str, str, str], SafeString] = {}


@register.simple_tag(takes_context=True)
def chrome(context, template_name: str) -> SafeString:
    """``template_name`` drawn for the page being shown, from this process's memory."""
    match = getattr(context.get("request"), "resolver_match", None)
    here = match.view_name if match else ""
    key = (template_name, here, get_language() or "")
    part = _drawn.get(key)
    if part is None:
        page = SimpleNamespace(resolver_match=SimpleNamespace(view_name=here))
        part = _drawn[key] = mark_safe(  # noqa: S308 - a template's own output, escaped by it
            get_template(template_name).render({"request": page, "section_views": SECTION_VIEWS})
        )
    return part


@receiver(file_changed)
@receiver(setting_changed)
def _forget(sender, **kwargs) -> None:
    """Draw afresh when a template changes in development (the server reloads it without
    restarting) or a test changes a setting (the URLs, the languages)."""
    _drawn.clear()
