"""What the map's lists draw on every row (a status summary, an issue's mechanisms), drawn in
Python: a template loop inside each of fifty rows costs the issue list and the mechanisms list
more than their rows' queries."""

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

register = template.Library()


def _count(count: int) -> str:
    """``count`` as ``intcomma`` writes it in the active language: below a thousand, a number
    has no separator in any of them."""
    return str(count) if 0 <= count < 1000 else intcomma(count)


@register.simple_tag
def status_bar(counts: list[tuple[str, str, int]], empty: str = "") -> SafeString:
    """A bar with a segment per status (pattern and colour, hidden from screen readers) and the
    same in words; ``empty`` when ``counts`` is empty (an issue's default: "No mechanism").
    ``counts`` is (status, label, count) for each status present, best first. Every value is
    escaped."""
    if not counts:
        return format_html(
            '<span class="status status-none">{}</span>', empty or gettext("No mechanism")
        )
    segments = "".join(
        f'<span class="seg status-{escape(status)}" style="flex-grow: {int(count)}"></span>'
        for status, _label, count in counts
    )
    words = ", ".join(
        f'<span class="status status-{escape(status)}">'
        f"{escape(_count(int(count)))} {escape(str(label).lower())}</span>"
        for status, label, count in counts
    )
    return mark_safe(  # noqa: S308 - every value above is escaped
        f'<span class="statusbar" aria-hidden="true">{segments}</span>\n'
        f'<span class="statuswords">{words}</span>'
    )


@register.simple_tag
def mechanism_links(links: list[tuple[str, str]]) -> SafeString | str:
    """An issue's mechanisms, each (link, short name) linked by its short name, in English as
    they are recorded; a dash when there is none. Every value is escaped."""
    drawn = ", ".join(
        f'<a href="{escape(link)}" lang="en">{escape(short_name)}</a>' for link, short_name in links
    )
    return mark_safe(drawn) if drawn else "—"  # noqa: S308 - every value above is escaped
