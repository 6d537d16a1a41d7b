"""Pictures of every page of the site, at a desktop's width and a phone's, so that anyone can look
at the whole site in a minute (``make screenshots``, ``manage.py screenshots``).

Which pages: every named URL pattern of the site (a pattern with parameters, once, with a
record of the data), each seen by the first role allowed to see it (anonymous first); the
home and account pages and an issue's page by every role; in the admin, its index, its
sections, every model's list and the change form of its first record, and the import pages.
Downloads, forms that only post and addresses holding a token are left out, each with its
reason (``SKIPPED``); a new URL pattern must be placed in one list or the other
(``tests/project/test_screenshots.py``).
"""

import html
import re
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.contrib import admin
from django.db.models import Count
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from project.admin_site import SECTIONS, SETTINGS

WIDTHS = (1280, 390)
LOGIN = "/accounts/login/"
# The tallest part of a page kept in a picture: the issue list holds hundreds of rows.
MAX_HEIGHT = 8000

# The roles, as the local logins of a checkout (project/local_logins.py) name them; None is
# the anonymous visitor.
ROLES: tuple[str | None, ...] = (None, "observer", "member", "coordinator", "chair", "admin")
# Pages that differ for each role: seen by every one.
EVERY_ROLE = {"home", "wgec:account", "issues:detail"}

# Named URL patterns without a picture, and why.
SKIPPED = {
    "healthz": "JSON for load balancers",
    "admin-login": "leads to the site's login page",
    "meetings:document-file": "a download",
    "meetings:participants-docx": "a download",
    "meetings:participants-pdf": "a download",
    "meetings:summary-docx": "a download",
    "meetings:summary-pdf": "a download",
    "wgec:contribution-document": "a download",
    "issues:list-csv": "a download",
    "issues:list-xlsx": "a download",
    "issues:data-table": "a download",
    "issues:question-export": "a download",
    "issues:respondent-export": "a download",
    "reports:export-download": "a download",
    "reports:document": "a download",
    "issues:comment-create": "posts only",
    "issues:proposal-withdraw": "posts only",
    "issues:proposal-accept": "posts only",
    "issues:proposal-decline": "posts only",
    "issues:item-support": "posts only",
    "issues:item-refer": "posts only",
    "reports:export-request": "posts only",
    "reports:resume": "posts only",
    "issues:comment-edit": "only a comment's author may edit it",
    "issues:comment-delete": "only a comment's author may delete it",
    "issues:proposal-edit": "only a proposal's author may edit it",
    "reports:subscribe-confirm": "holds a subscriber's token",
    "reports:unsubscribe": "holds a subscriber's token",
    "account_confirm_email": "holds an e-mail confirmation key",
    "account_reset_password_from_key": "holds a password reset key",
}


def _first(queryset, *fields: str) -> dict | None:
    return queryset.order_by("pk").values(*fields).first()


def _richest_issue() -> dict | None:
    """The issue on the map with the most coverage: its pages show every section."""
    from issues.models import Issue

    return (
        Issue.objects.filter(state=Issue.State.ON_MAP)
        .annotate(n=Count("coverage"))
        .order_by("-n", "pk")
        .values("pk")
        .first()
    )


def _samples() -> dict[str, Callable[[], dict | None]]:
    """For each pattern with parameters, its parameters from the data (None: no such record)."""
    from consensus.models import ConsensusItem, Option, Proposal
    from issues.models import Question, Respondent, Theme
    from mechanisms.models import Mechanism
    from reports.models import Deliverable
    from wgec.models import Contribution, JoinRequest, Meeting, MeetingDocument

    issue = _richest_issue

    def rename(row: dict | None, **names: str) -> dict | None:
        return None if row is None else {new: row[old] for new, old in names.items()}

    def item(**filters) -> dict | None:
        return _first(ConsensusItem.objects.filter(**filters), "pk")

    sent = Deliverable.objects.filter(report__sent_at__isnull=False)
    unsent = Deliverable.objects.filter(report__sent_at__isnull=True) | Deliverable.objects.filter(
        report__isnull=True
    )
    return {
        "meetings:detail": lambda: _first(Meeting.objects, "number"),
        "meetings:document": lambda: rename(
            _first(MeetingDocument.objects, "pk", "meeting__number"),
            number="meeting__number",
            pk="pk",
        ),
        "wgec:join-request": lambda: _first(JoinRequest.objects, "pk"),
        "wgec:contribution-detail": lambda: _first(Contribution.objects.published(), "pk"),
        "issues:detail": issue,
        "issues:question-detail": lambda: _first(Question.objects, "code"),
        "issues:respondent-detail": lambda: _first(Respondent.objects.consenting(), "pk"),
        "issues:theme-detail": lambda: _first(Theme.objects, "letter"),
        "issues:proposal-create": lambda: (
            None if (row := issue()) is None else {**row, "kind": "mechanism"}
        ),
        "issues:proposal-detail": lambda: _first(Proposal.objects, "pk"),
        "issues:item-create": issue,
        "issues:item-detail": lambda: item(),
        "issues:item-edit": lambda: item(state=ConsensusItem.State.OPEN) or item(),
        "issues:option-create": lambda: item(state=ConsensusItem.State.OPEN) or item(),
        "issues:option-edit": lambda: _first(Option.objects, "pk"),
        "issues:item-decide": lambda: item(state=ConsensusItem.State.REFERRED) or item(),
        "mechanisms:detail": lambda: _first(Mechanism.objects, "pk"),
        "reports:detail": lambda: _first(sent, "slug"),
        "reports:changes": lambda: _first(sent, "slug"),
        "inbound:report": lambda: _first(sent, "slug"),
        "inbound:issue": issue,
        "reports:compose": lambda: _first(unsent, "slug") or _first(Deliverable.objects, "slug"),
    }


def sampled_names() -> set[str]:
    """The patterns with parameters that are pictured, with a record of the data."""
    return set(_samples())


@dataclass(frozen=True)
class Shot:
    """A page to picture: its name (the file's), its path, and who sees it (None: anyone, or
    the first role allowed; a name: that role only)."""

    name: str
    path: str
    role: str | None = None
    fixed_role: bool = False


def site_url_names() -> Iterator[tuple[str, bool]]:
    """Every named URL pattern of the site outside the admin: its name, and whether it has
    parameters."""

    def walk(patterns, namespace: str | None, parameters: bool):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin" or pattern.app_name == "admin":
                    continue
                inner = pattern.namespace or None
                space = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
                yield from walk(
                    pattern.url_patterns, space, parameters or bool(pattern.pattern.regex.groups)
                )
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                yield name, parameters or bool(pattern.pattern.regex.groups)

    seen = set()
    for name, parameters in walk(get_resolver().url_patterns, None, False):
        if name not in seen:
            seen.add(name)
            yield name, parameters


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def site_shots() -> list[Shot]:
    samples = _samples()
    shots = []
    for name, parameters in site_url_names():
        if name in SKIPPED:
            continue
        if parameters:
            if name not in samples:
                continue  # tests/project/test_screenshots.py asks for a sample or a reason
            kwargs = samples[name]()
            if kwargs is None:
                continue
            path = reverse(name, kwargs=kwargs)
        else:
            path = reverse(name)
        if name in EVERY_ROLE:
            shots += [
                Shot(f"{_slug(name)}--{role or 'anonymous'}", path, role, fixed_role=True)
                for role in ROLES
                if role is not None or name != "wgec:account"
            ]
        else:
            shots.append(Shot(_slug(name), path))
    return shots


def admin_shots() -> list[Shot]:
    """The admin's index, sections and import pages, then every model's list and its first
    record's change form in the order of the sections: as the secretariat."""

    def shot(name: str, path: str) -> Shot:
        return Shot(name, path, role="admin", fixed_role=True)

    shots = [shot("admin", reverse("admin:index"))]
    for section in (*SECTIONS, SETTINGS):
        url = reverse("admin:section", kwargs={"slug": section.slug})
        shots.append(shot(f"admin-section-{section.slug}", url))
    shots += [
        shot("admin-import-responses", reverse("admin:issues_respondent_import")),
        shot("admin-import-map", reverse("admin:issues_issue_map_import")),
    ]
    order = [label for section in (*SECTIONS, SETTINGS) for label in section.entries]

    def place(model) -> tuple[int, str]:
        label = model._meta.label
        return (order.index(label) if label in order else len(order), label)

    for model in sorted(admin.site._registry, key=place):
        opts = model._meta
        info = f"admin:{opts.app_label}_{opts.model_name}"
        slug = f"admin-{opts.app_label}-{opts.model_name}"
        shots.append(shot(f"{slug}-list", reverse(f"{info}_changelist")))
        if opts.label == "issues.Issue":
            first = (_richest_issue() or {}).get("pk")  # one with coverage, gaps and sources
        else:
            first = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
        if first is not None:
            shots.append(shot(f"{slug}-change", reverse(f"{info}_change", args=[first])))
    return shots


def every_shot() -> list[Shot]:
    return [*site_shots(), *admin_shots()]


def png_size(path: Path) -> tuple[int, int]:
    """Width and height of a PNG file, from its header."""
    with path.open("rb") as handle:
        header = handle.read(24)
    if header[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path} is not a PNG file.")
    return struct.unpack(">II", header[16:24])


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def take(
    *,
    base_url: str,
    shots: list[Shot],
    logins: dict[str, str],
    out: Path,
    chromium: str,
    widths: tuple[int, ...] = WIDTHS,
    say: Callable[[str], None] = print,
) -> list[tuple[Shot, str | None, list[Path]]]:
    """Picture each page at each width into ``out``; returns what was taken, by whom."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    taken = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        contexts = {}

        def context_of(role: str | None):
            if role not in contexts:
                context = browser.new_context(base_url=base_url)
                if role is not None:
                    page = context.new_page()
                    page.goto(LOGIN)
                    page.fill("#id_login", role)
                    page.fill("#id_password", logins[role])
                    page.locator("main form [type=submit]").first.click()
                    page.wait_for_load_state()
                    if LOGIN in page.url:
                        raise RuntimeError(f"Could not log in as {role}.")
                    page.close()
                contexts[role] = context.new_page()
            return contexts[role]

        for number, shot in enumerate(shots, 1):
            roles = [shot.role] if shot.fixed_role else list(ROLES)
            for role in roles:
                if role is not None and role not in logins:
                    continue
                page = context_of(role)
                page.set_viewport_size({"width": widths[0], "height": 900})
                response = page.goto(shot.path, wait_until="load")
                refused = response is None or response.status in (401, 403, 404, 405)
                if LOGIN in page.url and LOGIN not in shot.path:
                    refused = True  # sent to the login page: not for this role
                if refused:
                    continue
                if "html" not in response.headers.get("content-type", ""):
                    say(f"{shot.path}: not a page ({response.headers.get('content-type')})")
                    break
                files = []
                for width in widths:
                    if width != widths[0]:
                        page.set_viewport_size({"width": width, "height": 900})
                        page.goto(shot.path, wait_until="load")
                    height = page.evaluate("document.documentElement.scrollHeight")
                    path = out / f"{number:03d}-{shot.name}.{width}.png"
                    clip = {"x": 0, "y": 0, "width": width, "height": min(height, MAX_HEIGHT)}
                    page.screenshot(path=str(path), full_page=True, clip=clip)
                    files.append(path)
                taken.append((shot, role, files))
                say(f"{shot.path} as {role or 'anonymous'}: {', '.join(f.name for f in files)}")
                break
            else:
                who = shot.role or "anonymous" if shot.fixed_role else "any role"
                say(f"{shot.path}: not for {who}; skipped")
        browser.close()
    _write_index(out, taken)
    return taken


def _write_index(out: Path, taken) -> None:
    """screenshots/index.html: every picture, both widths side by side, in the site's order."""
    rows = []
    for shot, role, files in taken:
        images = "".join(
            f'<a href="{html.escape(f.name)}"><img src="{html.escape(f.name)}" loading="lazy" '
            f'alt="{html.escape(shot.path)} at {f.stem.rsplit(".", 1)[-1]} px"></a>'
            for f in files
        )
        rows.append(
            f"<section><h2>{html.escape(shot.path)} <small>as {html.escape(role or 'anonymous')}"
            f"</small></h2>{images}</section>"
        )
    (out / "index.html").write_text(
        "<!doctype html><meta charset=utf-8><title>wgec: every page</title><style>"
        "body{font-family:sans-serif;margin:1rem}section{margin-bottom:2rem}"
        "img{vertical-align:top;margin-right:1rem;border:1px solid #ccc;max-height:480px}"
        "h2{font-size:1rem}small{color:#555;font-weight:normal}</style>"
        f"<h1>wgec: every page ({len(taken)})</h1>" + "".join(rows),
        encoding="utf-8",
    )
