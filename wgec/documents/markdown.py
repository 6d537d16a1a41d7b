"""User text as HTML: Markdown, then a sanitiser, so that nothing a person types can run.

Every comment, justification, option text and contribution is rendered once, when it is saved,
into a companion field (``RenderedMarkdownField``): a page shows the stored HTML through the
``stored_html`` filter and never parses Markdown. The parser is markdown-it-py (CommonMark,
linear in practice, with a nesting limit), with raw HTML off, so that HTML in the text shows as
typed; nh3 (the Rust ammonia sanitiser) then keeps only the tags and attributes below: no script
or style, no event handler, no link that is not http(s) or mailto. The stored HTML passes nh3
once more when shown, which costs little and keeps a row written by other means inert.

Bounds: a form refuses text longer than ``MARKDOWN_MAX_CHARS`` (``MarkdownLengthValidator``),
and a text whose lists or quotes nest as deep as ``MARKDOWN_MAX_NESTING`` is shown as typed
(escaped, in paragraphs), since the parser would drop what lies beyond the limit.
"""

import nh3
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"style"}, "td": {"style"}}
URL_SCHEMES = {"http", "https", "mailto"}
# Tables align their columns with style="text-align: ..."; nothing else of CSS is kept.
ALLOWED_STYLE_PROPERTIES = {"text-align"}

# The longest text a form accepts for a comment, a justification, an option or a contribution
# (a longer paper is attached as a document). The parser is linear on most input but quadratic
# on unclosed brackets: measured, 20,000 "[" take about half a second, 50,000 about three.
MARKDOWN_MAX_CHARS = 20_000
# How deep lists and quotes may nest before the rest is shown as text.
MARKDOWN_MAX_NESTING = 20

# The help text of every field whose text is shown as Markdown.
MARKDOWN_HELP = gettext_lazy("Plain text; Markdown (*emphasis*, lists, links) is understood.")

_parser = MarkdownIt("commonmark", {"html": False, "maxNesting": MARKDOWN_MAX_NESTING}).enable(
    "table"
)


def sanitise(html: str) -> str:
    """HTML with only the allowed tags, attributes and link schemes."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
        filter_style_properties=ALLOWED_STYLE_PROPERTIES,
    )


def render(text: str) -> str:
    """Sanitised HTML for Markdown text."""
    if not text:
        return ""
    tokens = _parser.parse(text)
    if any(token.level >= MARKDOWN_MAX_NESTING - 1 for token in tokens):
        # The parser stops at its nesting limit and would drop the rest: show all of the text
        # as typed instead.
        return linebreaks(text, autoescape=True)
    return sanitise(_parser.renderer.render(tokens, _parser.options, {}))


def shown(html: str) -> SafeString:
    """Stored HTML as a page shows it: sanitised again, then marked safe."""
    return mark_safe(sanitise(html or ""))  # noqa: S308 - sanitised by nh3 just above


@deconstructible
class MarkdownLengthValidator:
    """Refuses text longer than `limit` characters, naming `what` and the limit."""

    def __init__(self, limit: int, *, what: str):
        self.limit = limit
        self.what = what

    def __call__(self, value: str) -> None:
        if value and len(value) > self.limit:
            raise ValidationError(
                f"{self.what} is limited to {self.limit:,} characters; this one has "
                f"{len(value):,}. Shorten it, or attach a long text as a document.",
                code="max_length",
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, MarkdownLengthValidator) and (self.limit, self.what) == (
            other.limit,
            other.what,
        )

    def __hash__(self) -> int:
        return hash((self.limit, self.what))


class RenderedMarkdownField(models.TextField):
    """The sanitised HTML of another field's Markdown, rendered whenever the row is saved
    (``save()``, ``bulk_create``), so that showing it never parses Markdown."""

    def __init__(self, *args, source: str = "text", **kwargs):
        self.source = source
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        for key, value in (("editable", False), ("blank", True), ("default", "")):
            if kwargs.get(key) == value:
                del kwargs[key]
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        html = render(getattr(model_instance, self.source) or "")
        setattr(model_instance, self.attname, html)
        return html


def fill_rendered_html(model, *, source: str, target: str, batch_size: int = 500) -> None:
    """Render `source` into `target` for every row of `model` (for data migrations)."""
    rows = []
    for row in model.objects.only("pk", source).iterator(chunk_size=batch_size):
        setattr(row, target, render(getattr(row, source) or ""))
        rows.append(row)
        if len(rows) >= batch_size:
            model.objects.bulk_update(rows, [target])
            rows = []
    if rows:
        model.objects.bulk_update(rows, [target])
