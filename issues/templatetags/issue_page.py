from django import template
from django.utils.safestring import mark_safe

from issues.issue_page import RenderedSection

register = template.Library()


@register.simple_tag(takes_context=True)
def issue_section(context, section: RenderedSection) -> str:
    """One section of an issue's page (``issues/issue_page.py``): its template, rendered with the
    page's variables and the section's own, which no other section sees; a personal section
    left out of a shared page, its mark."""
    if section.mark:
        return mark_safe(section.mark)  # noqa: S308 - the page's own comment, no user text
    with context.push(section.context):
        return context.template.engine.get_template(section.template).render(context)
