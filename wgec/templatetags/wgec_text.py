from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from wgec.documents.markdown import shown
from wgec.languages import date_range, list_text

register = template.Library()


@register.filter(name="stored_html")
def stored_html_filter(html: str) -> SafeString:
    """User text as the HTML rendered from its Markdown when it was saved
    (wgec/documents/markdown.py), sanitised: the one way user text is shown as HTML."""
    return shown(html)


@register.filter(name="as_list")
def as_list_filter(items) -> SafeString:
    """Names joined as a sentence of the page's language joins them ("A, B and C", "A、B和C"),
    each escaped."""
    return mark_safe(list_text(conditional_escape(item) for item in items))  # noqa: S308


@register.filter(name="counted_list")
def counted_list_filter(pairs) -> SafeString:
    """(name, count) pairs as "A (3), B (1 204) and C (2)" in the page's language, escaped."""
    return as_list_filter(format_html("{} ({})", name, intcomma(count)) for name, count in pairs)


@register.filter(name="date_range")
def date_range_filter(start, end) -> SafeString:
    """``start|date_range:end``: the days from ``start`` to ``end`` as the page's language writes
    a range (``wgec.languages.date_range``), each end a ``<time>`` element."""
    first, joined, last = date_range(start, end)
    if not first:
        return format_html('<time datetime="{}">{}</time>', end.isoformat(), last)
    return format_html(
        '<time datetime="{}">{}</time>{}<time datetime="{}">{}</time>',
        start.isoformat(),
        first,
        joined,
        end.isoformat(),
        last,
    )
