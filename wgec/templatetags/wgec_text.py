from django import template
from django.utils.safestring import mark_safe

from wgec.documents.markdown import render

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> str:
    """Markdown through the sanitiser (wgec/documents/markdown.py): the one way user text is
    shown."""
    return mark_safe(render(text))  # noqa: S308 - sanitised by nh3 just above
