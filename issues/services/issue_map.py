"""Curating the issue list: merging duplicates (and undoing a merge), and recording the working
group's agreement to put an issue added later on the map.

Every save names its author in the change history (``_history_user``) and says why
(``_change_reason``), so that update reports can say who merged what and when.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from consensus.models import ConsensusItem
from issues.models import OPEN_ISSUE_STATES, Issue, IssueMerge, IssueSource
from mechanisms.models import Coverage, Gap


def _save(instance: models.Model, *, user, reason: str, fields: list[str] | None = None) -> None:
    instance._history_user = user if user is not None and user.is_authenticated else None
    instance._change_reason = reason
    instance.save(update_fields=fields)


@dataclass
class MergePlan:
    """What merging one duplicate into the survivor will do."""

    duplicate: Issue
    sources: list[IssueSource] = field(default_factory=list)
    coverage: list[Coverage] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    items: list[ConsensusItem] = field(default_factory=list)
    children: list[Issue] = field(default_factory=list)
    kept_back: list[str] = field(default_factory=list)  # what stays with the duplicate, and why


def issue_merge_plan(*, survivor: Issue, duplicates: Iterable[Issue]) -> list[MergePlan]:
    """What a merge would move, and what it cannot (the survivor already has it).

    Raises ValidationError when the merge is not allowed.
    """
    duplicates = [issue for issue in duplicates if issue.pk != survivor.pk]
    if not duplicates:
        raise ValidationError("Choose at least one issue besides the survivor to merge.")
    if survivor.state not in OPEN_ISSUE_STATES:
        raise ValidationError(
            f"“{survivor}” is {survivor.get_state_display().lower()}: merge into an issue on the "
            "map or a proposed one."
        )
    for duplicate in duplicates:
        if duplicate.state == Issue.State.MERGED:
            raise ValidationError(
                f"“{duplicate}” is already merged into “{duplicate.merged_into}”; undo that merge "
                "first."
            )
    ids = [issue.pk for issue in duplicates]
    answers = set(survivor.sources.values_list("answer_id", flat=True))
    mechanisms = set(survivor.coverage.values_list("mechanism_id", flat=True))
    gap_types = set(survivor.gaps.values_list("type", flat=True))
    has_item = ConsensusItem.objects.filter(issue=survivor).exists()
    sources = IssueSource.objects.filter(issue__in=ids).select_related("answer__respondent")
    coverage = Coverage.objects.filter(issue__in=ids).select_related("mechanism")
    gaps = Gap.objects.filter(issue__in=ids)
    items = ConsensusItem.objects.filter(issue__in=ids)
    children = Issue.objects.filter(merged_into__in=ids)

    plans = {issue.pk: MergePlan(duplicate=issue) for issue in duplicates}
    for source in sources.order_by("pk"):
        plan = plans[source.issue_id]
        if source.answer_id in answers:
            plan.kept_back.append(
                f"the source from {source.answer.respondent} (the survivor already cites it)"
            )
        else:
            answers.add(source.answer_id)
            plan.sources.append(source)
    for row in coverage.order_by("pk"):
        plan = plans[row.issue_id]
        if row.mechanism_id in mechanisms:
            plan.kept_back.append(
                f"coverage by {row.mechanism.short_name} ({row.get_status_display().lower()}): "
                "the survivor's own status for it is kept"
            )
        else:
            mechanisms.add(row.mechanism_id)
            plan.coverage.append(row)
    for gap in gaps.order_by("pk"):
        plan = plans[gap.issue_id]
        if gap.type in gap_types:
            plan.kept_back.append(f"the {gap.get_type_display().lower()} (the survivor has one)")
        else:
            gap_types.add(gap.type)
            plan.gaps.append(gap)
    for item in items.order_by("pk"):
        if has_item:
            raise ValidationError(
                f"Both “{survivor}” and “{plans[item.issue_id].duplicate}” have an item without "
                "consensus; settle or remove one of them before merging."
            )
        has_item = True
        plans[item.issue_id].items.append(item)
    for child in children:
        plans[child.merged_into_id].children.append(child)
    return [plans[issue.pk] for issue in duplicates]


@transaction.atomic
def issue_merge(*, survivor: Issue, duplicates: Iterable[Issue], user=None) -> list[IssueMerge]:
    """Merge duplicates into the survivor.

    The survivor gains the duplicates' sources, coverage, gaps and item without consensus
    (where it has none of its own for the same answer, mechanism, gap type or item); the
    duplicates become ``merged``, point to it, and their pages lead to it. Issues merged earlier
    into a duplicate are pointed to the survivor. Each merge is recorded so it can be undone.
    """
    ids = [survivor.pk, *(issue.pk for issue in duplicates)]
    locked = {issue.pk: issue for issue in Issue.objects.select_for_update().filter(pk__in=ids)}
    survivor = locked[survivor.pk]
    plans = issue_merge_plan(
        survivor=survivor, duplicates=[locked[pk] for pk in ids[1:] if pk in locked]
    )
    reason = f"merged into #{survivor.pk} “{survivor.title}”"
    records = []
    for plan in plans:
        for source in plan.sources:
            source.issue = survivor
            _save(source, user=user, reason=reason, fields=["issue"])
        for row in plan.coverage:
            row.issue = survivor
            _save(row, user=user, reason=reason, fields=["issue"])
        for gap in plan.gaps:
            gap.issue = survivor
            _save(gap, user=user, reason=reason, fields=["issue"])
        for item in plan.items:
            item.issue = survivor
            _save(item, user=user, reason=reason, fields=["issue"])
        for child in plan.children:
            child.merged_into = survivor
            _save(child, user=user, reason=reason, fields=["merged_into", "updated_at"])
        duplicate = plan.duplicate
        previous_state = duplicate.state
        duplicate.state = Issue.State.MERGED
        duplicate.merged_into = survivor
        _save(duplicate, user=user, reason=reason, fields=["state", "merged_into", "updated_at"])
        records.append(
            IssueMerge.objects.create(
                survivor=survivor,
                merged=duplicate,
                previous_state=previous_state,
                merged_by=user if user is not None and user.is_authenticated else None,
                moved={
                    "sources": [source.pk for source in plan.sources],
                    "coverage": [row.pk for row in plan.coverage],
                    "gaps": [gap.pk for gap in plan.gaps],
                    "items": [item.pk for item in plan.items],
                    "children": [child.pk for child in plan.children],
                },
            )
        )
    return records


@transaction.atomic
def issue_merge_undo(*, merge: IssueMerge, user=None) -> list[str]:
    """Undo a merge: the merged issue returns to its earlier state with what moved from it.

    Returns notes on what could not move back (a row deleted since, or the issue already has
    one for the same answer, mechanism or gap type).
    """
    merge = IssueMerge.objects.select_for_update().select_related("merged").get(pk=merge.pk)
    if merge.undone_at is not None:
        raise ValidationError(f"{merge} was already undone on {merge.undone_at:%d %B %Y}.")
    issue = Issue.objects.select_for_update().get(pk=merge.merged_id)
    if issue.state != Issue.State.MERGED:
        raise ValidationError(f"“{issue}” is no longer merged.")
    reason = f"merge into #{issue.merged_into_id} undone"
    issue.state = merge.previous_state
    issue.merged_into = None
    _save(issue, user=user, reason=reason, fields=["state", "merged_into", "updated_at"])

    notes = []
    moved = merge.moved
    kinds = [
        ("sources", IssueSource, "answer_id", "the issue already cites that answer"),
        ("coverage", Coverage, "mechanism_id", "the issue already has that mechanism"),
        ("gaps", Gap, "type", "the issue already has that type of gap"),
    ]
    for kind, model, key, conflict in kinds:
        taken = set(model.objects.filter(issue=issue).values_list(key, flat=True))
        rows = list(model.objects.filter(pk__in=moved.get(kind, [])))
        if len(rows) < len(moved.get(kind, [])):
            notes.append(f"{len(moved[kind]) - len(rows)} moved {kind} were deleted since")
        for row in rows:
            if getattr(row, key) in taken:
                notes.append(f"{model._meta.verbose_name} #{row.pk} stays: {conflict}")
                continue
            taken.add(getattr(row, key))
            row.issue = issue
            _save(row, user=user, reason=reason, fields=["issue"])
    if not ConsensusItem.objects.filter(issue=issue).exists():
        for item in ConsensusItem.objects.filter(pk__in=moved.get("items", [])):
            item.issue = issue
            _save(item, user=user, reason=reason, fields=["issue"])
    for child in Issue.objects.filter(
        pk__in=moved.get("children", []), state=Issue.State.MERGED
    ).select_for_update():
        child.merged_into = issue
        _save(child, user=user, reason=reason, fields=["merged_into", "updated_at"])
    merge.undone_at = timezone.now()
    merge.undone_by = user if user is not None and user.is_authenticated else None
    merge.save(update_fields=["undone_at", "undone_by"])
    return notes


@transaction.atomic
def issue_agreement_record(*, issue: Issue, agreed_on: datetime.date, user=None) -> Issue:
    """Record the working group's agreement to add a proposed issue: it goes on the map."""
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    if issue.state != Issue.State.PROPOSED:
        raise ValidationError(f"“{issue}” is not a proposed issue.")
    if issue.cluster_id is None:
        raise ValidationError(f"Give “{issue}” a cluster before it goes on the map.")
    issue.state = Issue.State.ON_MAP
    issue.agreed_on = agreed_on
    _save(
        issue,
        user=user,
        reason=f"added to the map with the working group's agreement of {agreed_on:%d %B %Y}",
        fields=["state", "agreed_on", "updated_at"],
    )
    return issue
