"""User text as HTML: Markdown, then a sanitiser, so that nothing a person types can run.

Every comment, justification, option text and contribution is shown through ``render`` (the
``markdown`` template filter). Raw HTML in the text is escaped by Markdown itself, and
nh3 (the Rust ammonia sanitiser) then keeps only the tags and attributes below: no script or
style, no event handler, no link that is not http(s) or mailto.
"""

import markdown as markdown_lib
import nh3

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}

# The help text of every field whose text is shown through ``render``.
MARKDOWN_HELP = "Plain text; Markdown (*emphasis*, lists, links) is understood."


def render(text: str) -> str:
    """Sanitised HTML for Markdown text."""
    if not text:
        return ""
    converter = markdown_lib.Markdown(extensions=["tables", "sane_lists"], output_format="html")
    # Raw HTML is not passed through: Markdown escapes it, so it shows as typed.
    converter.preprocessors.deregister("html_block")
    converter.inlinePatterns.deregister("html")
    converted = converter.convert(text)
    return nh3.clean(
        converted,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )
