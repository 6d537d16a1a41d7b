"""The wording the secretariat may change: e-mails and the blocks of the documents.

Each editable template is a file shipped under ``templates/`` (the default). The secretariat may
replace its text in the admin (``EditableTemplate``); the replacement is checked by rendering it
with a sample context before it is saved. When a stored replacement fails anyway at sending time,
the shipped file is used instead and the failure is logged: a wording mistake never stops a
report.

Templates whose name ends in ``.txt`` are rendered without HTML escaping.
"""

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.template import Context, Template, TemplateSyntaxError, engines
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

EDITABLE_TEMPLATES = [
    ("reports/email/report_subject.txt", _("Report e-mail: subject")),
    ("reports/email/report.txt", _("Report e-mail: plain text")),
    ("reports/email/report.html", _("Report e-mail: HTML")),
    ("reports/report_body.txt", _("Update report: body as plain text")),
    ("reports/report_body.html", _("Update report: body as HTML")),
    ("reports/email/confirm_subject.txt", _("Subscription confirmation: subject")),
    ("reports/email/confirm.txt", _("Subscription confirmation: plain text")),
    ("reports/email/confirm.html", _("Subscription confirmation: HTML")),
    ("reports/document/subtitle.txt", _("Document: subtitle")),
    ("reports/document/introduction.txt", _("Document: introduction (one paragraph per block)")),
    ("reports/document/map_heading.txt", _("Document: heading of the map of issues")),
    (
        "reports/document/annex_referred_heading.txt",
        _("Document: heading of the annex of referrals"),
    ),
    ("reports/document/annex_referred_intro.txt", _("Document: introduction of that annex")),
    ("reports/document/annex_participants_heading.txt", _("Document: heading of the participants")),
]
EDITABLE_NAMES = [name for name, _label in EDITABLE_TEMPLATES]

# The templates each message or document renders, frozen together into a sent report.
REPORT_EMAIL_TEMPLATES = [
    "reports/email/report_subject.txt",
    "reports/email/report.txt",
    "reports/email/report.html",
]


def _engine():
    return engines["django"].engine


def shipped_source(name: str) -> str:
    """The text of the shipped file of an editable template."""
    return _engine().get_template(name).source


def stored_sources(names: Iterable[str]) -> dict[str, str]:
    """The secretariat's replacements among ``names`` (one query)."""
    from reports.models import EditableTemplate

    return dict(EditableTemplate.objects.filter(name__in=list(names)).values_list("name", "source"))


def current_sources(names: Iterable[str]) -> dict[str, str]:
    """The text in force for each name: the replacement, else the shipped file."""
    names = list(names)
    stored = stored_sources(names)
    return {name: stored.get(name) or shipped_source(name) for name in names}


def compile_source(source: str) -> Template:
    return _engine().from_string(source)


def render_source(
    name: str, source: str, context: Mapping, template: Template | None = None
) -> str:
    """``source`` rendered as the template ``name`` (``template``: ``source`` compiled)."""
    autoescape = not name.endswith(".txt")
    template = template or compile_source(source)
    rendered = template.render(Context(dict(context), autoescape=autoescape))
    if autoescape:
        return rendered
    # Plain text is rendered without escaping, so it is not safe HTML: hand it back as a plain
    # str (not the SafeString a template returns), so that a page showing it escapes it.
    return str.__str__(rendered)


@dataclass
class Wording:
    """A set of templates, each rendered from its text in force, with the shipped fallback."""

    sources: dict[str, str]
    # Each text compiled once, when first rendered: a report's messages render the same
    # templates for every recipient.
    _compiled: dict[str, Template] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def load(cls, names: Iterable[str]) -> "Wording":
        return cls(current_sources(names))

    def render(self, name: str, context: Mapping) -> str:
        try:
            if name not in self._compiled:
                self._compiled[name] = compile_source(self.sources[name])
            return render_source(name, self.sources[name], context, self._compiled[name])
        except Exception:
            if self.sources[name] == shipped_source(name):
                raise
            logger.exception("The wording of %s failed; the shipped text is used instead.", name)
            return render_source(name, shipped_source(name), context)

    def line(self, name: str, context: Mapping) -> str:
        """A one-line text (a subject, a heading): white space folded."""
        return " ".join(self.render(name, context).split())


def check_source(name: str, source: str) -> str | None:
    """Why ``source`` cannot serve as ``name`` (syntax or a rendering error), or None."""
    try:
        template = compile_source(source)
    except TemplateSyntaxError as error:
        return f"The template cannot be read: {error}"
    try:
        text = template.render(Context(sample_context(name), autoescape=not name.endswith(".txt")))
    except Exception as error:  # any error a filter or tag raises on the sample
        return f"The template fails when rendered with sample data: {error}"
    if name.endswith("_subject.txt") and not " ".join(text.split()):
        return "A subject cannot be empty."
    return None


def sample_context(name: str) -> dict:
    """Data of the shape each template receives, for checking an edit and for the admin's help."""
    from reports.samples import sample_context as build

    return build(name)
