"""Members' proposals and the coordinators' review of them.

Accepting applies the change through the same services as the admin (mechanisms/services.py,
``Issue`` creation below); the change history records the coordinator as the user and names the
proposer in the reason: "proposal #12 by Ms X, accepted by Mr Y". A proposal whose subject
changed since it was made is refused with an explanation, and nothing is written.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consensus.models import Proposal
from issues.models import OPEN_ISSUE_STATES, Issue
from mechanisms.models import Coverage, Gap, Mechanism
from mechanisms.services import coverage_set, gap_set, mechanism_create
from wgec import mail_addresses
from wgec.documents.history import author_name
from wgec.documents.mail import mail_send
from wgec.languages import labels, user_language
from wgec.mail_addresses import ReplyKind
from wgec.models import Participant
from wgec.versions import ReadVersion, version_check


class ProposalStale(ValidationError):
    """The proposal's subject changed since it was made: accepting would overwrite that."""


def baseline_of(proposal: Proposal) -> dict:
    """What a proposal changes, as it stands now."""
    if proposal.kind == Proposal.Kind.COVERAGE:
        coverage = Coverage.objects.filter(pk=proposal.coverage_id).first()
        if coverage is None:
            return {"exists": False}
        return {"exists": True, "status": coverage.status, "evidence": coverage.evidence}
    if proposal.kind == Proposal.Kind.GAP:
        gap = Gap.objects.filter(issue=proposal.issue_id, type=proposal.gap_type).first()
        if gap is None:
            return {"exists": False}
        return {
            "exists": True,
            "description": gap.description,
            "recommendation": gap.recommendation,
        }
    if proposal.kind == Proposal.Kind.MECHANISM and proposal.mechanism_id:
        return {
            "exists": Coverage.objects.filter(
                issue=proposal.issue_id, mechanism=proposal.mechanism_id
            ).exists()
        }
    return {}


def _check_issue_open(issue: Issue) -> None:
    if issue.state not in OPEN_ISSUE_STATES:
        raise ValidationError(
            _("“%(issue)s” is %(state)s; proposals on it are closed.")
            % {"issue": issue, "state": issue.get_state_display().lower()}
        )


@transaction.atomic
def proposal_submit(*, proposal: Proposal, proposer: Participant) -> Proposal:
    """Record a member's new proposal, with what it changes as it stands now."""
    if proposal.issue_id:
        _check_issue_open(proposal.issue)
    proposal.proposer = proposer
    proposal.state = Proposal.State.PENDING
    proposal.baseline = baseline_of(proposal)
    proposal.full_clean()
    proposal._history_user = proposer.user
    proposal.save()
    return proposal


@transaction.atomic
def proposal_update(*, proposal: Proposal, user, read: ReadVersion | None = None) -> Proposal:
    """Save the proposer's edit of a pending proposal (the baseline is taken again); refused
    (``StaleVersion``) if it changed since the version ``read``."""
    current = Proposal.objects.select_for_update().get(pk=proposal.pk)
    version_check(current, read)
    if current.state != Proposal.State.PENDING:
        raise ValidationError(
            _("Proposal #%(number)s is %(state)s; it can no longer be edited.")
            % {"number": proposal.pk, "state": current.get_state_display().lower()}
        )
    proposal.baseline = baseline_of(proposal)
    proposal.edited_at = timezone.now()
    proposal.full_clean()
    proposal._history_user = user
    proposal.save()
    return proposal


@transaction.atomic
def proposal_withdraw(*, proposal: Proposal, user) -> Proposal:
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.state != Proposal.State.PENDING:
        raise ValidationError(
            _("Proposal #%(number)s is %(state)s already.")
            % {"number": proposal.pk, "state": proposal.get_state_display().lower()}
        )
    proposal.state = Proposal.State.WITHDRAWN
    proposal._history_user = user
    proposal.save(update_fields=["state", "updated_at"])
    return proposal


def _check_not_stale(proposal: Proposal) -> None:
    problems = []
    if proposal.issue_id:
        issue = proposal.issue
        if issue.state == Issue.State.MERGED:
            problems.append(
                f"“{issue}” was merged into “{issue.merged_into}” since the proposal was made"
            )
        elif issue.state == Issue.State.WITHDRAWN:
            problems.append(f"“{issue}” was withdrawn since the proposal was made")
    now = baseline_of(proposal)
    if proposal.kind == Proposal.Kind.COVERAGE and now != proposal.baseline:
        if not now.get("exists"):
            problems.append("the coverage it changes was removed since")
        else:
            statuses = labels(Coverage.Status)
            before = statuses.get(proposal.baseline.get("status"), "")
            problems.append(
                f"the coverage changed since it was made (status then: {before}; now: "
                f"{statuses[now['status']]}"
                + (
                    "; the evidence was edited too"
                    if now["evidence"] != proposal.baseline.get("evidence")
                    else ""
                )
                + ")"
            )
    if proposal.kind == Proposal.Kind.GAP and now != proposal.baseline:
        problems.append(
            "the gap of that type was recorded since"
            if now.get("exists") and not proposal.baseline.get("exists")
            else "the gap of that type changed since"
        )
    if proposal.kind == Proposal.Kind.MECHANISM:
        if proposal.mechanism_id and now.get("exists"):
            problems.append(
                f"{proposal.mechanism.short_name} is already recorded for the issue; propose a "
                "change of its status instead"
            )
        if (
            not proposal.mechanism_id
            and Mechanism.objects.filter(name__iexact=proposal.mechanism_name.strip()).exists()
        ):
            problems.append(f"a mechanism named “{proposal.mechanism_name}” was added since")
    if (
        proposal.kind == Proposal.Kind.ISSUE
        and Issue.objects.filter(title__iexact=proposal.title.strip()).exists()
    ):
        problems.append(f"an issue titled “{proposal.title}” exists now")
    if problems:
        raise ProposalStale(
            f"Proposal #{proposal.pk} is out of date: {'; '.join(problems)}. Nothing was "
            "changed; decline it with the reason, or ask the proposer for a new one."
        )


def _reason(proposal: Proposal, user) -> str:
    return f"proposal #{proposal.pk} by {proposal.proposer.name}, accepted by {author_name(user)}"


@transaction.atomic
def proposal_accept(*, proposal: Proposal, user) -> Proposal:
    """Apply a pending proposal and mark it accepted; the proposer is told by e-mail.

    Raises ProposalStale (nothing written) when its subject changed since it was made.
    """
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("proposer__user", "issue__merged_into", "mechanism", "coverage")
        .get(pk=proposal.pk)
    )
    if proposal.state != Proposal.State.PENDING:
        raise ValidationError(
            _("Proposal #%(number)s is %(state)s already.")
            % {"number": proposal.pk, "state": proposal.get_state_display().lower()}
        )
    _check_not_stale(proposal)
    reason = _reason(proposal, user)
    if proposal.kind == Proposal.Kind.ISSUE:
        issue = Issue(
            title=proposal.title.strip(),
            description=proposal.description.strip(),
            cluster=proposal.cluster,
            state=Issue.State.PROPOSED,
            needs_agreement=True,
        )
        issue.full_clean()
        issue._history_user = user
        issue._change_reason = reason
        issue.save()
        proposal.issue = issue
    elif proposal.kind == Proposal.Kind.MECHANISM:
        mechanism = proposal.mechanism or mechanism_create(
            name=proposal.mechanism_name,
            acronym=proposal.mechanism_acronym,
            kind=proposal.mechanism_kind or Mechanism.Kind.OTHER,
            website=proposal.mechanism_website,
            user=user,
            reason=reason,
        )
        proposal.mechanism = mechanism
        proposal.coverage = coverage_set(
            issue=proposal.issue,
            mechanism=mechanism,
            status=proposal.status,
            evidence=proposal.evidence,
            user=user,
            reason=reason,
        )
    elif proposal.kind == Proposal.Kind.COVERAGE:
        coverage_set(
            issue=proposal.issue,
            mechanism=proposal.coverage.mechanism,
            status=proposal.status,
            evidence=proposal.evidence or None,
            user=user,
            reason=reason,
        )
    else:
        gap_set(
            issue=proposal.issue,
            type=proposal.gap_type,
            description=proposal.gap_description,
            recommendation=proposal.gap_recommendation,
            user=user,
            reason=reason,
        )
    proposal.state = Proposal.State.ACCEPTED
    proposal.reviewer = user
    proposal.reviewed_at = timezone.now()
    proposal._history_user = user
    proposal._change_reason = reason
    proposal.save()
    _tell_proposer(proposal)
    return proposal


@transaction.atomic
def proposal_decline(*, proposal: Proposal, user, reason: str) -> Proposal:
    """Decline a pending proposal with a reason; the proposer is told by e-mail."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for declining the proposal.")})
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("proposer__user")
        .get(pk=proposal.pk)
    )
    if proposal.state != Proposal.State.PENDING:
        raise ValidationError(
            _("Proposal #%(number)s is %(state)s already.")
            % {"number": proposal.pk, "state": proposal.get_state_display().lower()}
        )
    proposal.state = Proposal.State.DECLINED
    proposal.reason = reason
    proposal.reviewer = user
    proposal.reviewed_at = timezone.now()
    proposal._history_user = user
    proposal.save()
    _tell_proposer(proposal)
    return proposal


def _tell_proposer(proposal: Proposal) -> None:
    proposer = proposal.proposer
    address = proposer.user.email if proposer.user_id and proposer.user.email else proposer.email
    mail_send(
        template="consensus/email/proposal_decided",
        context={
            "proposal": proposal,
            "proposer": proposer,
            "reviewer": author_name(proposal.reviewer),
            "reply_by_email": mail_addresses.enabled() and proposal.issue_id is not None,
        },
        to=[address],
        # A reply to the outcome is a comment on the issue concerned (when there is one).
        reply_about=(ReplyKind.PROPOSAL, proposal.pk),
        language=user_language(proposer.user if proposer.user_id else None),
    )
