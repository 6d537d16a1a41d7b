"""The sections of an issue's page: the extension point through which the rooms above show what
they know of an issue (its coverage, its gaps, the correspondence group's work on it).

The page (``issues.views.issue_page.issue_detail``) shows the issue's title, state and
description, then every registered section in order. A section is a template and a context
function; the template is rendered with the page's own variables (``issue``, ``user``,
``request``) and those its context function returns, which no other section sees. A room adds
its sections in its ``AppConfig.ready``::

    issue_section_register(
        IssueSection(
            name="coverage",
            order=20,
            template="mechanisms/_issue_coverage.html",
            context=coverage_context,
        )
    )

The context function receives the ``IssuePage``: the issue, the request, the visitor's role and
the participant they speak as (each read once per page), and ``memo`` for a read that several
sections of a room share (so that the page's number of queries stays fixed).

The page's content is shared by every visitor of a role (``wgec/page_cache.py``), so a section
shows only what depends on the visitor's role, never on the person, unless it says it is
``personal`` (their own comments' edit links, a form with its CSRF token): a personal section is
left out of the shared content, a mark in its place, and rendered for each visitor
(``issue_page_personal``); its template then sees ``issue``, ``user`` and ``request`` only.

The sections today, by order: the consensus room's actions (10); the mechanisms room's coverage
(20) and gaps (30); the consensus room's items without consensus (40), participation by
stakeholder group (50) and proposals (60); this room's comments (70), sources (80) and change
history (90).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from issues.models import OPEN_ISSUE_STATES, Issue
from wgec.models import Participant
from wgec.roles import Role, participant_of, role_of


@dataclass
class IssuePage:
    """One rendering of an issue's page, as its sections see it."""

    request: HttpRequest
    issue: Issue
    _memo: dict[str, Any] = field(default_factory=dict, repr=False)

    @cached_property
    def role(self) -> Role:
        return role_of(self.request.user)

    @cached_property
    def speaker(self) -> Participant | None:
        """The participant the visitor writes as: members only (the secretariat's staff
        accounts edit in the admin)."""
        return participant_of(self.request.user) if self.role >= Role.MEMBER else None

    @property
    def is_open(self) -> bool:
        """Whether the group still works on the issue (on the map, or proposed)."""
        return self.issue.state in OPEN_ISSUE_STATES

    @property
    def can_speak(self) -> bool:
        """Whether the visitor may propose and comment on the issue."""
        return self.speaker is not None and self.is_open

    def memo[T](self, key: str, read: Callable[[], T]) -> T:
        """``read()``, once per page for each key."""
        if key not in self._memo:
            self._memo[key] = read()
        return self._memo[key]


@dataclass(frozen=True)
class IssueSection:
    """A section of the issue's page."""

    name: str
    order: int
    template: str
    context: Callable[[IssuePage], dict[str, Any]]
    # Shows what depends on the person, not only on their role: rendered for each visitor.
    personal: bool = False


@dataclass(frozen=True)
class RenderedSection:
    """A section with its variables, as the page's template renders it (``issue_section``)."""

    template: str
    context: dict[str, Any]
    # Written instead of the template: where a personal section goes in a shared page.
    mark: str = ""


_SECTIONS: dict[str, IssueSection] = {}


def issue_section_register(section: IssueSection) -> None:
    """Add a section to every issue's page (again under the same name: replace it)."""
    _SECTIONS[section.name] = section


def issue_sections() -> list[IssueSection]:
    """The registered sections, in the order the page shows them."""
    return sorted(_SECTIONS.values(), key=lambda section: (section.order, section.name))


def _mark(section: IssueSection, nonce: str) -> str:
    return f"<!-- {nonce} {section.name} -->"


def issue_page_sections(page: IssuePage, *, nonce: str | None = None) -> list[RenderedSection]:
    """Every section of the page with its variables, in order. For a page shared by several
    visitors, ``nonce`` (a random word, kept with the page) marks where each personal section
    goes instead of rendering it, for ``issue_page_personal`` to fill in."""
    return [
        RenderedSection(section.template, {}, mark=_mark(section, nonce))
        if section.personal and nonce is not None
        else RenderedSection(section.template, section.context(page))
        for section in issue_sections()
    ]


def issue_page_personal(page: IssuePage, shared: str, nonce: str) -> SafeString:
    """The shared content of the page (rendered with ``nonce``), its personal sections rendered
    for this visitor in their places."""
    content = str(shared)
    for section in issue_sections():
        mark = _mark(section, nonce)
        if section.personal and mark in content:
            own = render_to_string(
                section.template, {"issue": page.issue, **section.context(page)}, page.request
            )
            content = content.replace(mark, own)
    # Both the shared content and the sections are rendered templates (their text escaped).
    return mark_safe(content)  # noqa: S308
