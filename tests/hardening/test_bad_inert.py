"""The bad-input corpus of the site's forms and URLs (``tests/files/bad/inert/cases.json``).

Each form case is posted to the real form: it is refused with a message naming the field and
limit, and no row of its model is written. The sweep requests every named URL of the site (the
admin's included, as the secretariat) with the corpus's hostile values in each path parameter
and in every query parameter the page reads (recorded while the page is drawn, plus those of the
links it shows), and counts the server errors: there must be none. Run it on PostgreSQL too,
where a NUL in a query raises.
"""

import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.datastructures import MultiValueDict

from tests.conftest import _client_for
from tests.factories import (
    AnswerFactory,
    CommentFactory,
    ConsensusItemFactory,
    ContributionFactory,
    CoverageFactory,
    DeliverableFactory,
    GapFactory,
    IssueFactory,
    IssueSourceFactory,
    JoinRequestFactory,
    MeetingDocumentFactory,
    MeetingFactory,
    OptionFactory,
    ProposalFactory,
    QuestionFactory,
    StakeholderGroupFactory,
    ThemeFactory,
)
from wgec.models import Contribution

pytestmark = pytest.mark.django_db

CASES = json.loads(
    (Path(__file__).parents[1] / "files" / "bad" / "inert" / "cases.json").read_text("utf-8")
)


def _value(recipe):
    """A corpus value: as given, or generated from {"repeat": text, "times": n}."""
    if isinstance(recipe, dict):
        return recipe["repeat"] * recipe["times"]
    return recipe


@pytest.fixture
def world(member_user):
    """A little of everything the pages show, so that each URL has a record to open."""
    group = StakeholderGroupFactory(slug="civil-society")
    issue = IssueFactory(title="Cybercrime", state="on_map")
    coverage = CoverageFactory(issue=issue)
    GapFactory(issue=issue)
    CommentFactory(issue=issue, author=member_user.participant)
    item = ConsensusItemFactory(issue=issue)
    option = OptionFactory(item=item, label="A")
    proposal = ProposalFactory(issue=issue, coverage=coverage, proposer=member_user.participant)
    meeting = MeetingFactory()
    document = MeetingDocumentFactory(meeting=meeting)
    contribution = ContributionFactory(author=member_user.participant)
    deliverable = DeliverableFactory(slug="update-1")
    theme = ThemeFactory()
    question = QuestionFactory(theme=theme)
    answer = AnswerFactory(question=question)
    IssueSourceFactory(issue=issue, answer=answer)
    join_request = JoinRequestFactory()
    return {
        "$group": group.pk,
        "$issue": issue.pk,
        "$item": item.pk,
        "$contribution_kind": Contribution.Kind.OTHER,
        "$proposal": proposal.pk,
        "$option": option.pk,
        "$comment": issue.comments.first().pk,
        "$deliverable": deliverable.pk,
        "objects": {
            "issue": issue,
            "item": item,
            "option": option,
            "proposal": proposal,
            "comment": issue.comments.first(),
            "meeting": meeting,
            "document": document,
            "contribution": contribution,
            "deliverable": deliverable,
            "theme": theme,
            "question": question,
            "respondent": answer.respondent,
            "mechanism": coverage.mechanism,
            "join_request": join_request,
        },
    }


# The forms ------------------------------------------------------------------------------------


def _resolve(value, world):
    if isinstance(value, str) and value.startswith("$"):
        return world[value]
    return _value(value)


@pytest.mark.parametrize(
    "case",
    CASES["forms"],
    ids=[f"{i}-{case['url']}" for i, case in enumerate(CASES["forms"])],
)
def test_a_hostile_form_value_is_refused_with_its_message_and_writes_nothing(request, world, case):
    client = request.getfixturevalue(case["persona"])
    url = reverse(case["url"], args=[_resolve(arg, world) for arg in case.get("args", [])])
    data = {name: _resolve(value, world) for name, value in case["data"].items()}
    model = apps.get_model(case["model"]) if case["model"] else None
    before = model.objects.count() if model else None
    response = client.post(url, data, follow=case.get("follow", False))
    assert response.status_code in (200, 400), response.status_code
    if case["message"]:
        assert case["message"] in response.content.decode(), case["message"]
    if model:
        assert model.objects.count() == before


# The sweep of every URL -----------------------------------------------------------------------

_PARAMETER = re.compile(
    r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>|\(\?P<(?P<group>\w+)>[^)]*\)"
)


def _patterns(resolver=None, prefix=""):
    """(route, name) of every named URL, routes joined, regex anchors removed."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = str(entry.pattern).lstrip("^").rstrip("$").replace("\\.", ".")
        if isinstance(entry, URLResolver):
            namespace = f"{entry.namespace}:" if entry.namespace else ""
            for sub_route, name in _patterns(entry, prefix + route):
                yield sub_route, (namespace + name if name else None)
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + route, entry.name


def _parameters(route: str) -> list[str]:
    return [m.group("name") or m.group("group") for m in _PARAMETER.finditer(route)]


def _fill(route: str, values: dict[str, str]) -> str:
    def replace(match):
        return values[match.group("name") or match.group("group")]

    return "/" + _PARAMETER.sub(replace, route)


def _valid_values(route: str, name: str, world) -> dict[str, str]:
    """A value for each parameter that opens a real record, as far as one can be guessed."""
    objects = world["objects"]
    values = {}
    for parameter in _parameters(route):
        value = "1"
        if parameter == "object_id" and name.startswith("admin:"):
            app_model = name.split(":", 1)[1].rsplit("_", 1)[0]
            for model in apps.get_models():
                if f"{model._meta.app_label}_{model._meta.model_name}" == app_model:
                    first = model._default_manager.order_by("pk").first()
                    value = str(first.pk) if first else "1"
        elif parameter == "app_label":
            value = "wgec"
        elif parameter == "number":
            value = str(objects["meeting"].number)
        elif parameter == "slug":
            value = objects["deliverable"].slug
        elif parameter == "code":
            value = objects["question"].code
        elif parameter == "letter":
            value = objects["theme"].letter
        elif parameter == "table":
            value = "issues"
        elif parameter in {"fmt", "format"}:
            value = "xlsx" if "export" in name else "json" if "data" in name else "docx"
        elif parameter == "kind":
            value = "mechanism"
        elif parameter == "pk":
            for key, obj in objects.items():
                if key.replace("_", "-") in name or key in name:
                    value = str(obj.pk)
                    break
            else:
                value = str(objects["issue"].pk)
        values[parameter] = value
    return values


class _Links(HTMLParser):
    """The query parameters named in the page's links to itself and in its forms sent by GET,
    and what in the page the Content Security Policy would block: inline scripts and
    event-handler attributes."""

    def __init__(self, path):
        super().__init__()
        self.path, self.keys, self.inline = path, set(), []
        self.in_get_form = False

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_get_form = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        # The fields of a form sent by GET (a search, a filter) are query parameters too.
        if tag == "form":
            self.in_get_form = (attributes.get("method") or "get").lower() == "get"
        elif tag in ("input", "select", "textarea") and self.in_get_form and attributes.get("name"):
            self.keys.add(attributes["name"])
        data = attributes.get("type") in ("application/json", "application/ld+json")
        if tag == "script" and not attributes.get("src") and not data:
            self.inline.append(f"inline <script> in {self.path}")
        self.inline += [f"{tag} {name}= in {self.path}" for name, _ in attrs if name[:2] == "on"]
        href = attributes.get("href") or ""
        parts = urlsplit(href)
        if parts.query and parts.path in ("", self.path):
            self.keys.update(key for key, _ in parse_qsl(parts.query, keep_blank_values=True))


class _Reads:
    """Records the keys read from any QueryDict while a page is drawn."""

    def __init__(self, monkeypatch):
        self.keys = set()
        for method in ("get", "getlist", "__getitem__", "__contains__"):
            original = getattr(MultiValueDict, method)

            def recording(dict_self, key, *args, _original=original, **kwargs):
                if isinstance(key, str):
                    self.keys.add(key)
                return _original(dict_self, key, *args, **kwargs)

            monkeypatch.setattr(MultiValueDict, method, recording)


# Links the sweep must not follow with GET: they end the session.
SKIPPED = {"admin:logout", "account_logout"}
# Keys no view reads as a filter: Django's own and the session's.
NOT_PARAMETERS = {"csrfmiddlewaretoken", "HTTP_HOST"}


# The whole sweep (every hostile value on every URL: about 13,700 requests, a quarter of an
# hour) runs with WGEC_FULL_SWEEP=1; by default each URL gets a few of the values in turn, so
# that every value still meets many URLs and the suite stays short.
FULL_SWEEP = os.environ.get("WGEC_FULL_SWEEP") == "1"
PATH_VALUES_PER_URL = 3
QUERY_VALUES_PER_URL = 4


def _in_turn(values: list, start: int, count: int) -> list:
    if FULL_SWEEP or len(values) <= count:
        return values
    return [values[(start + offset) % len(values)] for offset in range(count)]


def _sweep(client, names, world, monkeypatch) -> tuple[int, list[str]]:
    all_path_values = [_value(value) for value in CASES["path_values"]]
    all_query_values = [_value(value) for value in CASES["query_values"]]
    requests, errors = 0, []

    def get(path, query=None):
        nonlocal requests
        requests += 1
        response = client.get(path, query or {})
        if response.status_code >= 500:
            errors.append(f"{response.status_code} {path} {sorted((query or {}).items())!r:.200}")
        return response

    for turn, (route, name) in enumerate(_patterns()):
        if name in SKIPPED or not names(name):
            continue
        path_values = _in_turn(all_path_values, turn * PATH_VALUES_PER_URL, PATH_VALUES_PER_URL)
        query_values = _in_turn(all_query_values, turn * QUERY_VALUES_PER_URL, QUERY_VALUES_PER_URL)
        valid = _valid_values(route, name, world)
        for parameter in valid:
            for hostile in path_values:
                get(_fill(route, {**valid, parameter: hostile}))
        path = _fill(route, {k: quote(v, safe="") for k, v in valid.items()})
        reads = _Reads(monkeypatch)
        response = get(path)
        monkeypatch.undo()
        keys = set(reads.keys)
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            links = _Links(path)
            links.feed(response.content.decode())
            keys |= links.keys
            errors += links.inline
        keys -= NOT_PARAMETERS
        keys = {key for key in keys if not key.isupper()}  # META and header names
        if keys:
            for hostile in query_values:
                get(path, dict.fromkeys(sorted(keys), hostile))
    return requests, errors


def test_no_url_of_the_site_gives_a_server_error_to_hostile_values(
    client, member_user, world, monkeypatch
):
    clients = [client, _client_for(member_user)]
    requests, errors = 0, []
    for each in clients:
        each.raise_request_exception = False
        counted, failed = _sweep(
            each, lambda name: not name.startswith("admin:"), world, monkeypatch
        )
        requests += counted
        errors += failed
    print(f"site sweep: {requests} requests, {len(errors)} server errors")  # noqa: T201
    assert errors == []


def test_no_admin_url_gives_a_server_error_to_hostile_values(secretariat_user, world, monkeypatch):
    client = _client_for(secretariat_user)
    client.raise_request_exception = False
    requests, errors = _sweep(client, lambda name: name.startswith("admin:"), world, monkeypatch)
    print(f"admin sweep: {requests} requests, {len(errors)} server errors")  # noqa: T201
    assert errors == []
