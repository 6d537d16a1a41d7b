"""Writes on mechanisms, coverage and gaps. The admin's inlines, accepted proposals, and any
command or task call these, so that every change carries its author and reason in the history.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from issues.models import Issue
from mechanisms.models import Coverage, Gap, Mechanism


def _stamp(instance, *, user, reason: str) -> None:
    instance._history_user = user if user is not None and user.is_authenticated else None
    if reason:
        instance._change_reason = reason


@transaction.atomic
def mechanism_create(
    *,
    name: str,
    acronym: str = "",
    kind: str = Mechanism.Kind.OTHER,
    website: str = "",
    description: str = "",
    user=None,
    reason: str = "",
) -> Mechanism:
    """Add a mechanism; its name must not be taken (case-insensitively)."""
    name = name.strip()
    existing = Mechanism.objects.filter(name__iexact=name).first()
    if existing is not None:
        raise ValidationError(f"A mechanism named “{existing.name}” already exists.")
    mechanism = Mechanism(
        name=name,
        acronym=acronym.strip(),
        kind=kind,
        website=website.strip(),
        description=description.strip(),
    )
    mechanism.full_clean()
    _stamp(mechanism, user=user, reason=reason)
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction goes on
            mechanism.save()
    except IntegrityError:
        # Added by someone else between the check above and this insert.
        raise ValidationError(
            f"A mechanism named “{name}” was added meanwhile by someone else; "
            "reload the page to see it."
        ) from None
    return mechanism


@transaction.atomic
def coverage_set(
    *,
    issue: Issue,
    mechanism: Mechanism,
    status: str,
    evidence: str | None = None,
    user=None,
    reason: str = "",
) -> Coverage:
    """Record how a mechanism addresses an issue (creating the pair if new).

    ``evidence=None`` keeps the evidence already recorded. Saves nothing when nothing changes.
    """
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    if status not in Coverage.Status.values:
        raise ValidationError(f"Unknown coverage status {status!r}.")
    coverage = Coverage.objects.select_for_update().filter(issue=issue, mechanism=mechanism).first()
    if coverage is None:
        coverage = Coverage(issue=issue, mechanism=mechanism, status=status)
        coverage.evidence = (evidence or "").strip()
    else:
        new_evidence = coverage.evidence if evidence is None else evidence.strip()
        if coverage.status == status and coverage.evidence == new_evidence:
            return coverage
        coverage.status = status
        coverage.evidence = new_evidence
    _stamp(coverage, user=user, reason=reason)
    coverage.save()
    return coverage


@transaction.atomic
def coverage_remove(*, coverage: Coverage, user=None, reason: str = "") -> None:
    _stamp(coverage, user=user, reason=reason)
    coverage.delete()


@transaction.atomic
def gap_set(
    *,
    issue: Issue,
    type: str,  # noqa: A002 - the field's name
    description: str = "",
    recommendation: str = "",
    user=None,
    reason: str = "",
) -> Gap:
    """Record the gap of one type in an issue (one per type), creating or updating it."""
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    if type not in Gap.Type.values:
        raise ValidationError(f"Unknown gap type {type!r}.")
    gap = Gap.objects.select_for_update().filter(issue=issue, type=type).first()
    if gap is None:
        gap = Gap(issue=issue, type=type)
    elif gap.description == description.strip() and gap.recommendation == recommendation.strip():
        return gap
    gap.description = description.strip()
    gap.recommendation = recommendation.strip()
    _stamp(gap, user=user, reason=reason)
    gap.save()
    return gap


@transaction.atomic
def gap_remove(*, gap: Gap, user=None, reason: str = "") -> None:
    _stamp(gap, user=user, reason=reason)
    gap.delete()
