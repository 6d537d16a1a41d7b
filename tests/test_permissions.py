"""Who may read and who may write every page: one table, walked for every role.

``ACCESS`` maps each URL name of the URLconf to the roles whose GET is served (``read``) and the
roles whose POST is acted on (``write``), and how to fill the path. The test walks the URLconf
itself, so a new pattern missing from the table fails ``test_every_url_pattern_is_in_the_table``.
To add a page: add a line to ``ACCESS`` (and, if it needs a new object, a field to ``World``).

Served means: not refused (403), not sent to log in, not "method not allowed" (405).
Only the admin's and allauth's own patterns are left out, by the names listed below.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from consensus.models import ConsensusItem
from reports.models import Deliverable, DocumentExport
from reports.rendering import confirmation_token
from tests.factories import (
    AnswerFactory,
    CommentFactory,
    ConsensusItemFactory,
    ContributionFactory,
    CoverageFactory,
    DeliverableFactory,
    IssueFactory,
    JoinRequestFactory,
    MeetingDocumentFactory,
    MeetingFactory,
    OptionFactory,
    ProposalFactory,
    ReportFactory,
    SubscriberFactory,
)
from wgec.models import ContributionDocument, SummaryParagraph
from wgec.roles import Role

pytestmark = pytest.mark.django_db

# The admin's own pages (it lets in only the secretariat: see test_only_the_secretariat_reaches_
# the_admin) and django-allauth's (sign-up, login, password reset: tests/wgec/test_accounts.py).
SKIPPED_NAMESPACES = {"admin"}
SKIPPED_NAMES = {
    "account_change_password",
    "account_confirm_email",
    "account_confirm_login_code",
    "account_email",
    "account_email_verification_sent",
    "account_inactive",
    "account_login",
    "account_logout",
    "account_reauthenticate",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "account_set_password",
    "account_signup",
}

ANONYMOUS, OBSERVER, MEMBER = Role.ANONYMOUS, Role.OBSERVER, Role.MEMBER
COORDINATOR, CHAIR, SECRETARIAT = Role.COORDINATOR, Role.CHAIR, Role.SECRETARIAT
EVERYONE = frozenset(Role)
NOBODY: frozenset[Role] = frozenset()


def from_(role: Role) -> frozenset[Role]:
    """A role and every role above it."""
    return frozenset(r for r in Role if r >= role)


# Members, coordinators and the Chair write as participants; the secretariat's staff accounts
# have none and work in the admin.
PARTICIPANTS = frozenset({MEMBER, COORDINATOR, CHAIR})
# The member persona owns the proposal and the comment of the world.
OWNER = frozenset({MEMBER})


@dataclass
class World:
    issue: object
    proposal: object
    comment: object
    item: object
    referred_item: object
    option: object
    contribution: object
    document: object
    join_request: object
    sent: object  # a sent final document, with its frozen DOCX
    draft: object  # an update report not yet sent
    export: object
    subscriber: object
    meeting_document: object
    answer: object  # a consenting respondent's answer


@dataclass(frozen=True)
class Access:
    read: frozenset[Role]
    write: frozenset[Role] = NOBODY
    kwargs: Callable[[World], dict] = lambda world: {}


def _issue(world: World) -> dict:
    return {"pk": world.issue.pk}


ACCESS: dict[str, Access] = {
    # The public pages of the issue map (issue 4).
    "home": Access(EVERYONE),
    # The load balancers' health check (issue 11).
    "healthz": Access(EVERYONE),
    # The language menu: a form anyone posts (a signed-in person's choice is kept too).
    "set_language": Access(NOBODY, EVERYONE),
    "issues:list": Access(EVERYONE),
    "issues:proposed": Access(from_(OBSERVER)),
    "issues:list-csv": Access(EVERYONE),
    "issues:list-xlsx": Access(EVERYONE),
    "issues:matrix": Access(EVERYONE),
    "issues:gaps": Access(EVERYONE),
    "issues:detail": Access(EVERYONE, kwargs=_issue),
    "issues:data": Access(EVERYONE),
    "issues:data-table": Access(EVERYONE, kwargs=lambda w: {"table": "issues", "fmt": "csv"}),
    "mechanisms:list": Access(EVERYONE),
    "mechanisms:detail": Access(
        EVERYONE, kwargs=lambda w: {"pk": w.issue.coverage.first().mechanism_id}
    ),
    # Accounts and joining the correspondence group.
    "admin-login": Access(frozenset({SECRETARIAT})),
    "wgec:account": Access(from_(OBSERVER)),
    "wgec:join": Access(from_(OBSERVER), frozenset({OBSERVER})),
    "wgec:join-requests": Access(from_(COORDINATOR)),
    "wgec:join-request": Access(
        from_(COORDINATOR), from_(COORDINATOR), lambda w: {"pk": w.join_request.pk}
    ),
    # Contributions.
    "wgec:contribution-list": Access(EVERYONE),
    "wgec:contribution-create": Access(from_(MEMBER), from_(MEMBER)),
    "wgec:contribution-detail": Access(EVERYONE, kwargs=lambda w: {"pk": w.contribution.pk}),
    "wgec:contribution-document": Access(EVERYONE, kwargs=lambda w: {"pk": w.document.pk}),
    # Proposals and comments.
    "issues:proposal-list": Access(from_(MEMBER)),
    "issues:proposal-queue": Access(from_(COORDINATOR)),
    "issues:proposal-create-issue": Access(PARTICIPANTS, PARTICIPANTS),
    "issues:proposal-create": Access(
        PARTICIPANTS, PARTICIPANTS, lambda w: {"pk": w.issue.pk, "kind": "coverage"}
    ),
    "issues:proposal-detail": Access(from_(OBSERVER), kwargs=lambda w: {"pk": w.proposal.pk}),
    "issues:proposal-edit": Access(OWNER, OWNER, lambda w: {"pk": w.proposal.pk}),
    "issues:proposal-withdraw": Access(NOBODY, OWNER, lambda w: {"pk": w.proposal.pk}),
    "issues:proposal-accept": Access(NOBODY, from_(COORDINATOR), lambda w: {"pk": w.proposal.pk}),
    "issues:proposal-decline": Access(NOBODY, from_(COORDINATOR), lambda w: {"pk": w.proposal.pk}),
    "issues:comment-create": Access(NOBODY, PARTICIPANTS, _issue),
    "issues:comment-edit": Access(OWNER, OWNER, lambda w: {"pk": w.comment.pk}),
    "issues:comment-delete": Access(OWNER, OWNER, lambda w: {"pk": w.comment.pk}),
    # Items without consensus and referrals.
    "issues:referrals": Access(EVERYONE),
    "issues:item-create": Access(from_(COORDINATOR), from_(COORDINATOR), _issue),
    "issues:item-detail": Access(EVERYONE, kwargs=lambda w: {"pk": w.item.pk}),
    "issues:item-edit": Access(from_(COORDINATOR), from_(COORDINATOR), lambda w: {"pk": w.item.pk}),
    "issues:option-create": Access(
        from_(COORDINATOR), from_(COORDINATOR), lambda w: {"pk": w.item.pk}
    ),
    "issues:option-edit": Access(
        from_(COORDINATOR), from_(COORDINATOR), lambda w: {"pk": w.option.pk}
    ),
    "issues:item-support": Access(NOBODY, PARTICIPANTS, lambda w: {"pk": w.item.pk}),
    "issues:item-refer": Access(NOBODY, from_(COORDINATOR), lambda w: {"pk": w.item.pk}),
    "issues:item-decide": Access(from_(CHAIR), from_(CHAIR), lambda w: {"pk": w.referred_item.pk}),
    # The published responses (issue 3).
    "issues:question-list": Access(EVERYONE),
    "issues:question-detail": Access(EVERYONE, kwargs=lambda w: {"code": w.answer.question.code}),
    "issues:question-export": Access(EVERYONE, kwargs=lambda w: {"fmt": "xlsx"}),
    "issues:respondent-list": Access(EVERYONE),
    "issues:respondent-detail": Access(EVERYONE, kwargs=lambda w: {"pk": w.answer.respondent_id}),
    "issues:respondent-export": Access(EVERYONE, kwargs=lambda w: {"fmt": "docx"}),
    "issues:theme-detail": Access(
        EVERYONE, kwargs=lambda w: {"letter": w.answer.question.theme.letter}
    ),
    "issues:statistics": Access(EVERYONE),
    # Meetings (issue 5, point 7).
    "meetings:list": Access(EVERYONE),
    "meetings:detail": Access(EVERYONE, kwargs=lambda w: {"number": 3}),
    "meetings:document": Access(
        EVERYONE, kwargs=lambda w: {"number": 3, "pk": w.meeting_document.pk}
    ),
    "meetings:document-file": Access(
        EVERYONE, kwargs=lambda w: {"number": 3, "pk": w.meeting_document.pk}
    ),
    "meetings:participants-docx": Access(EVERYONE, kwargs=lambda w: {"number": 3}),
    "meetings:participants-pdf": Access(EVERYONE, kwargs=lambda w: {"number": 3}),
    # The Chair's summary as a document (issue 12): the coordinators produce it.
    "meetings:summary-docx": Access(from_(COORDINATOR), kwargs=lambda w: {"number": 3}),
    "meetings:summary-pdf": Access(from_(COORDINATOR), kwargs=lambda w: {"number": 3}),
    # Deliverables, reports and the mailing list (issue 6).
    "reports:schedule": Access(EVERYONE),
    "reports:detail": Access(EVERYONE, kwargs=lambda w: {"slug": w.sent.slug}),
    "reports:document": Access(EVERYONE, kwargs=lambda w: {"slug": w.sent.slug, "format": "docx"}),
    "reports:changes": Access(EVERYONE, kwargs=lambda w: {"slug": w.sent.slug}),
    "reports:dashboard": Access(from_(COORDINATOR)),
    "reports:compose": Access(
        from_(COORDINATOR), from_(COORDINATOR), lambda w: {"slug": w.draft.slug}
    ),
    "reports:resume": Access(NOBODY, from_(COORDINATOR), lambda w: {"slug": w.sent.slug}),
    "reports:export-request": Access(NOBODY, from_(COORDINATOR)),
    "reports:export-download": Access(from_(COORDINATOR), kwargs=lambda w: {"pk": w.export.pk}),
    "reports:subscribe": Access(EVERYONE, EVERYONE),
    "reports:subscribe-confirm": Access(
        EVERYONE, EVERYONE, lambda w: {"token": confirmation_token(w.subscriber)}
    ),
    "reports:unsubscribe": Access(EVERYONE, EVERYONE, lambda w: {"token": w.subscriber.token}),
    # The list's archive (issue 16): open to everyone; replies and comments only to those who
    # read comments (tests/inbound/test_archive.py).
    "inbound:index": Access(EVERYONE),
    "inbound:report": Access(EVERYONE, kwargs=lambda w: {"slug": w.sent.slug}),
    "inbound:issue": Access(EVERYONE, kwargs=_issue),
}


def _url_names(resolver: URLResolver, namespace: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in SKIPPED_NAMESPACES:
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _url_names(pattern, inner)
        else:
            yield f"{namespace}{pattern.name}"


URL_NAMES = sorted(set(_url_names(get_resolver())) - SKIPPED_NAMES)


def test_every_url_pattern_is_in_the_table():
    missing = sorted(set(URL_NAMES) - set(ACCESS))
    assert not missing, f"Add these URL names to ACCESS in tests/test_permissions.py: {missing}"
    assert not sorted(set(ACCESS) - set(URL_NAMES)), "ACCESS lists URLs that no longer exist"


@pytest.fixture
def world(member_user, settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path
    issue = IssueFactory()
    coverage = CoverageFactory(issue=issue)
    member = member_user.participant
    item = ConsensusItemFactory(issue=issue)
    option = OptionFactory(item=item, label="A")
    OptionFactory(item=item, label="B")
    referred = ConsensusItemFactory(
        issue=None,
        coverage=coverage,
        state=ConsensusItem.State.REFERRED,
        referred_on="2014-01-28",
    )
    OptionFactory(item=referred, label="A")
    meeting = MeetingFactory(number=3)
    contribution = ContributionFactory(meeting=meeting)
    meeting_document = MeetingDocumentFactory(meeting=meeting)
    SummaryParagraph.objects.create(meeting=meeting, position=1, text="The meeting was held.")
    meeting_document.file.save("agenda.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    sent = DeliverableFactory(
        slug="final-document",
        kind=Deliverable.Kind.FINAL_DOCUMENT,
        state=Deliverable.State.SENT,
        sent_at=timezone.now(),
    )
    ReportFactory(
        deliverable=sent,
        sent_at=timezone.now(),
        composed_at=timezone.now(),
        content={"title": sent.title},
        subject="Final document",
    )
    frozen = DocumentExport.objects.create(
        deliverable=sent, format="docx", frozen=True, state=DocumentExport.State.DONE
    )
    frozen.file.save("final.docx", ContentFile(b"PK docx"), save=True)
    document = ContributionDocument(contribution=contribution, original_name="a.pdf", size=9)
    document.file.save("a.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    return World(
        issue=issue,
        proposal=ProposalFactory(proposer=member, coverage=CoverageFactory(issue=issue)),
        comment=CommentFactory(issue=issue, author=member),
        item=item,
        referred_item=referred,
        option=option,
        contribution=contribution,
        document=document,
        join_request=JoinRequestFactory(),
        sent=sent,
        draft=DeliverableFactory(slug="update-1"),
        export=frozen,
        subscriber=SubscriberFactory(state="pending"),
        meeting_document=meeting_document,
        answer=AnswerFactory(),
    )


@pytest.fixture
def personas(
    client,
    observer_client,
    member_client,
    coordinator_client,
    chair_client,
    secretariat_client,
) -> dict[Role, Client]:
    return {
        ANONYMOUS: client,
        OBSERVER: observer_client,
        MEMBER: member_client,
        COORDINATOR: coordinator_client,
        CHAIR: chair_client,
        SECRETARIAT: secretariat_client,
    }


def _served(response) -> bool:
    if response.status_code in (403, 405):
        return False
    if response.status_code == 302 and response["Location"].startswith(reverse("account_login")):
        return False
    return response.status_code < 400


@pytest.mark.parametrize("name", URL_NAMES)
def test_each_role_reads_and_writes_only_what_the_table_allows(name, world, personas):
    access = ACCESS[name]
    url = reverse(name, kwargs=access.kwargs(world))
    # Roles that may write act last, so that a deletion or an acceptance cannot turn the
    # others' refusals into "not found".
    for role in sorted(Role, key=lambda r: (r in access.write, r)):
        client = personas[role]
        got = client.get(url)
        assert _served(got) == (role in access.read), (
            f"GET {url} as {role.label}: {got.status_code}"
        )
        posted = client.post(url, {})
        assert _served(posted) == (role in access.write), (
            f"POST {url} as {role.label}: {posted.status_code}"
        )


@pytest.mark.parametrize("role", list(Role))
def test_only_the_secretariat_reaches_the_admin(role, personas, world):
    response = personas[role].get(reverse("admin:index"))
    if role == SECRETARIAT:
        assert response.status_code == 200
    else:
        assert response.status_code in (302, 403)
        assert not response.content or b"Site administration" not in response.content
        if response.status_code == 302:
            # Sent to the one login page, where a signed-in non-staff person is refused.
            follow = personas[role].get(response["Location"])
            assert follow.status_code in (200, 302, 403)
            assert role == ANONYMOUS or follow.status_code == 403


def test_a_member_cannot_edit_or_withdraw_another_members_proposal_or_comment(world, client):
    from tests.conftest import _client_for, _participant_user

    other = _client_for(_participant_user("another-member", correspondence_group=True))
    proposal, comment = world.proposal, world.comment
    for url in [
        reverse("issues:proposal-edit", args=[proposal.pk]),
        reverse("issues:proposal-withdraw", args=[proposal.pk]),
        reverse("issues:comment-edit", args=[comment.pk]),
        reverse("issues:comment-delete", args=[comment.pk]),
    ]:
        assert (
            other.post(url, {"text": "taken over", "justification": "mine now"}).status_code == 403
        )
    proposal.refresh_from_db()
    comment.refresh_from_db()
    assert proposal.state == "pending" and proposal.justification != "mine now"
    assert comment.text != "taken over"
