"""The privacy rule, proved for every URL: a respondent who did not consent to be cited is never
shown by name, organisation, answer text or quoted excerpt on any page, download or search
result that an anonymous visitor (or a signed-in observer) can reach.

The test walks every pattern of the URLconf. A new pattern with path arguments makes it fail
until FILL (below) says how to fill them, so that every page added later is covered too.
"""

import html
import io
import itertools
import re
import zipfile

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch

from consensus.models import ConsensusItem, Option, Proposal
from issues.models import Answer, Comment, Issue, IssueSource, Question, Respondent, Theme
from mechanisms.models import Mechanism
from project.demo import demo_load
from reports.models import Deliverable
from tests.documents import pdf_text
from tests.factories import RespondentFactory, StakeholderGroupFactory
from wgec.models import Contribution, ContributionDocument, Meeting, MeetingDocument, Participant

pytestmark = pytest.mark.django_db

HOSTILE_NAME = "Zyxwv <script>alert('leak')</script> Ministry"
HOSTILE_ORGANISATION = "Qwvut Secret Office & Partners"
HOSTILE_ANSWER = 'Pqrstu confidential view: =HYPERLINK("http://evil") \u202eoverride'

# Namespaces that are not public pages: the admin asks for a staff login first (checked below).
PRIVATE_NAMESPACES = {"admin"}


def _fill() -> dict[str, dict[str, list]]:
    """Values for the path arguments of every pattern, by URL name and argument."""
    issue_pk = Issue.objects.on_map().values_list("pk", flat=True).first()
    proposals = list(Proposal.objects.values_list("pk", flat=True))
    comments = list(Comment.objects.values_list("pk", flat=True))
    items = list(ConsensusItem.objects.values_list("pk", flat=True))
    meetings = list(Meeting.objects.values_list("number", flat=True))
    documents = list(MeetingDocument.objects.values_list("pk", flat=True))
    deliverables = list(Deliverable.objects.values_list("slug", flat=True))
    return {
        "issues:detail": {"pk": list(Issue.objects.values_list("pk", flat=True))},
        "issues:question-detail": {
            "code": list(Question.objects.values_list("code", flat=True)) + ["q4", "Q99"]
        },
        "issues:question-export": {"fmt": ["docx", "xlsx"]},
        "issues:respondent-detail": {
            # Every respondent: the non-consenting ones must be as absent as unknown IDs.
            "pk": list(Respondent.objects.values_list("pk", flat=True)) + [999999]
        },
        "issues:respondent-export": {"fmt": ["docx", "xlsx"]},
        "issues:theme-detail": {"letter": list(Theme.objects.values_list("letter", flat=True))},
        # The issue map, the correspondence group, meetings and reports: every page a visitor
        # can reach, filled from the demo data (an unknown ID is checked as well as a known one).
        "issues:data-table": {
            "table": ["issues", "mechanisms", "coverage"],
            "fmt": ["json", "csv"],
        },
        "mechanisms:detail": {"pk": list(Mechanism.objects.values_list("pk", flat=True))},
        "issues:proposal-create": {"pk": [issue_pk], "kind": ["coverage", "gap"]},
        **{
            name: {"pk": proposals}
            for name in (
                "issues:proposal-detail",
                "issues:proposal-edit",
                "issues:proposal-withdraw",
                "issues:proposal-accept",
                "issues:proposal-decline",
            )
        },
        **{name: {"pk": [issue_pk]} for name in ("issues:comment-create", "issues:item-create")},
        **{name: {"pk": comments} for name in ("issues:comment-edit", "issues:comment-delete")},
        **{
            name: {"pk": items}
            for name in (
                "issues:item-detail",
                "issues:item-edit",
                "issues:option-create",
                "issues:item-support",
                "issues:item-refer",
                "issues:item-decide",
            )
        },
        "issues:option-edit": {"pk": list(Option.objects.values_list("pk", flat=True))},
        "wgec:join-request": {"pk": [999999]},
        "wgec:contribution-detail": {"pk": list(Contribution.objects.values_list("pk", flat=True))},
        "wgec:contribution-document": {
            "pk": list(ContributionDocument.objects.values_list("pk", flat=True)) + [999999]
        },
        "meetings:detail": {"number": meetings},
        "meetings:participants-docx": {"number": meetings},
        "meetings:participants-pdf": {"number": meetings},
        "meetings:summary-docx": {"number": meetings},
        "meetings:summary-pdf": {"number": meetings},
        **{
            name: {"number": meetings, "pk": documents}
            for name in ("meetings:document", "meetings:document-file")
        },
        **{
            name: {"slug": deliverables}
            for name in ("reports:detail", "reports:compose", "reports:resume", "reports:changes")
        },
        "inbound:report": {"slug": deliverables},
        "inbound:issue": {"pk": list(Issue.objects.values_list("pk", flat=True)) + [999999]},
        "reports:document": {"slug": deliverables, "format": ["docx", "pdf", "xlsx", "csv"]},
        "reports:export-download": {"pk": [999999]},
        "reports:subscribe-confirm": {"token": ["not-a-token"]},
        "reports:unsubscribe": {"token": ["not-a-token"]},
        "account_confirm_email": {"key": ["not-a-key"]},
        "account_reset_password_from_key": {"uidb36": ["1"], "key": ["not-a-key"]},
    }


def _patterns(resolver: URLResolver, namespaces: tuple[str, ...] = ()):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = pattern.namespace
            if namespace in PRIVATE_NAMESPACES:
                continue
            yield from _patterns(pattern, (*namespaces, namespace) if namespace else namespaces)
        elif isinstance(pattern, URLPattern):
            route = pattern.pattern
            arguments = sorted(set(route.regex.groupindex) | set(getattr(route, "converters", {})))
            name = ":".join((*namespaces, pattern.name)) if pattern.name else None
            yield name, str(route), arguments, pattern.callback


def _urls() -> list[tuple[str, str, bool]]:
    """(URL, view name, whether the view asks for a role) for every reachable pattern."""
    fill = _fill()
    urls = []
    unknown = []
    for name, route, arguments, callback in _patterns(get_resolver()):
        guarded = hasattr(callback, "minimum_role")
        if name is None:
            unknown.append(f"{route} (give it a name)")
            continue
        if not arguments:
            urls.append((reverse(name), name, guarded))
            continue
        values = fill.get(name, {})
        if set(arguments) - set(values):
            unknown.append(f"{name} ({route}): fill {sorted(set(arguments) - set(values))}")
            continue
        reversed_any = False
        for combination in itertools.product(*(values[argument] for argument in arguments)):
            try:
                urls.append(
                    (
                        reverse(name, kwargs=dict(zip(arguments, combination, strict=True))),
                        name,
                        guarded,
                    )
                )
                reversed_any = True
            except NoReverseMatch:
                continue
        if not reversed_any:
            unknown.append(f"{name} ({route}): none of the values fit")
    assert not unknown, "URL patterns this test cannot fill yet: " + "; ".join(unknown)
    return urls


def _readable(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body.startswith(b"PK\x03\x04"):  # DOCX, XLSX
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            parts = [
                archive.read(name).decode("utf-8", "replace")
                for name in archive.namelist()
                if name.endswith((".xml", ".rels"))
            ]
        return html.unescape(re.sub(r"<[^>]+>", "", "".join(parts)))
    if body.startswith(b"%PDF"):
        return pdf_text(body)
    return html.unescape(body.decode("utf-8", "replace"))


@pytest.fixture
def secrets_(db) -> list[str]:
    """The demo data plus a hostile-looking respondent without consent, and every string that
    must never be published."""
    demo_load()
    hostile = RespondentFactory(
        name=HOSTILE_NAME,
        organisation=HOSTILE_ORGANISATION,
        country="TV",
        stakeholder_group=StakeholderGroupFactory(slug="civil-society"),
        consent_to_cite=False,
    )
    for question in Question.objects.all():
        Answer.objects.create(
            respondent=hostile, question=question, text=f"{HOSTILE_ANSWER} on {question.code}."
        )
    issue = Issue.objects.on_map().first()
    IssueSource.objects.create(
        issue=issue,
        answer=hostile.answers.get(question__code="Q4"),
        excerpt="Pqrstu confidential view",
    )
    # Whatever is published legitimately (cited answers, issues, participants) is no secret even
    # where a non-consenting respondent wrote the same words.
    published = " ".join(
        [
            *Answer.objects.filter(respondent__consent_to_cite=True).values_list("text", flat=True),
            *(
                f"{title} {text}"
                for title, text in Issue.objects.values_list("title", "description")
            ),
            *(
                f"{name} {title} {organisation}"
                for name, title, organisation in Participant.objects.values_list(
                    "name", "title", "organisation"
                )
            ),
        ]
    ).casefold()
    candidates = []
    for respondent in Respondent.objects.filter(consent_to_cite=False):
        candidates += [respondent.name, respondent.organisation]
        candidates += [answer.text.splitlines()[0][:120] for answer in respondent.answers.all()]
    candidates += IssueSource.objects.filter(answer__respondent__consent_to_cite=False).values_list(
        "excerpt", flat=True
    )
    secrets = [text for text in candidates if text and text.casefold() not in published]
    assert {HOSTILE_NAME, HOSTILE_ORGANISATION, "Pqrstu confidential view"} <= set(secrets)
    assert len(secrets) > 80
    return secrets


def _assert_nothing_leaks(client, secrets: list[str], *, searches: bool) -> int:
    checked = 0
    for url, _name, guarded in _urls():
        queries = [{}] + ([{"q": "Zyxwv"}, {"q": "Ministry"}] if searches else [])
        for query in queries:
            response = client.get(url, query)
            assert response.status_code < 500, (url, query)
            if guarded and response.status_code == 302:
                assert "login" in response["Location"], url
            text = _readable(response)
            leaked = [secret for secret in secrets if secret in text]
            assert not leaked, f"{url} {query} shows {leaked[:3]}"
            checked += 1
    return checked


def test_no_public_url_shows_a_respondent_without_consent(client, secrets_):
    checked = _assert_nothing_leaks(client, secrets_, searches=True)
    assert checked > 100
    # The pages do publish the consenting respondents.
    cited = Respondent.objects.consenting().first()
    assert cited.name in client.get(reverse("issues:respondent-list")).content.decode()


def test_signed_in_observer_sees_no_respondent_without_consent_either(observer_client, secrets_):
    _assert_nothing_leaks(observer_client, secrets_, searches=False)


def test_respondent_without_consent_has_no_page_and_is_counted(client, secrets_):
    hostile = Respondent.objects.get(name=HOSTILE_NAME)
    assert client.get(reverse("issues:respondent-detail", args=[hostile.pk])).status_code == 404
    text = client.get(reverse("issues:statistics")).content.decode()
    assert "Tuvalu" in text  # counted by country, never named
    issue = hostile.answers.get(question__code="Q4").issue_sources.get().issue
    text = client.get(issue.get_absolute_url()).content.decode()
    assert "did not consent to be cited: " in text


def test_admin_is_not_public(client):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and "login" in response["Location"]
