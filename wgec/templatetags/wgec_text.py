from django import template
from django.utils.safestring import SafeString

from wgec.documents.markdown import shown

register = template.Library()


@register.filter(name="stored_html")
def stored_html_filter(html: str) -> SafeString:
    """User text as the HTML rendered from its Markdown when it was saved
    (wgec/documents/markdown.py), sanitised: the one way user text is shown as HTML."""
    return shown(html)
