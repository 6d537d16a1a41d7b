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
from django.utils.formats import date_format
from django.utils.translation import gettext

from issues.issue_parts import issue_parts
from issues.models import OPEN_ISSUE_STATES, Issue, IssueMerge


def _save(instance: models.Model, *, user, reason: str, fields: list[str] | None = None) -> None:
    instance._history_user = user if user is not None and user.is_authenticated else None
    instance._change_reason = reason
    instance.save(update_fields=fields)


@dataclass
class MergePlan:
    """What merging one duplicate into the survivor will do."""

    duplicate: Issue
    moved: dict[str, list] = field(default_factory=dict)  # rows of each part, by its key
    children: list[Issue] = field(default_factory=list)
    kept_back: list[str] = field(default_factory=list)  # what stays with the duplicate, and why

    def columns(self) -> list[str]:
        """What moves of each part shown on the merge page (see ``issue_parts``)."""
        return [part.summary(self.moved[part.key]) for part in issue_parts() if part.heading]


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
    parts = issue_parts()
    plans = {
        issue.pk: MergePlan(duplicate=issue, moved={part.key: [] for part in parts})
        for issue in duplicates
    }
    for part in parts:
        rows = part.model.objects.filter(issue__in=ids)
        if part.related:
            rows = rows.select_related(*part.related)
        if part.duplicate_of is None:
            taken = part.model.objects.filter(issue=survivor).exists()
            for row in rows.order_by("pk"):
                if taken:
                    raise ValidationError(
                        f"Both “{survivor}” and “{plans[row.issue_id].duplicate}” have "
                        f"{part.conflict}."
                    )
                taken = True
                plans[row.issue_id].moved[part.key].append(row)
            continue
        values = set(
            part.model.objects.filter(issue=survivor).values_list(part.duplicate_of, flat=True)
        )
        for row in rows.order_by("pk"):
            plan = plans[row.issue_id]
            value = getattr(row, part.duplicate_of)
            if value in values:
                plan.kept_back.append(part.kept_back(row))
            else:
                values.add(value)
                plan.moved[part.key].append(row)
    for child in Issue.objects.filter(merged_into__in=ids):
        plans[child.merged_into_id].children.append(child)
    return [plans[issue.pk] for issue in duplicates]


@transaction.atomic
def issue_merge(*, survivor: Issue, duplicates: Iterable[Issue], user=None) -> list[IssueMerge]:
    """Merge duplicates into the survivor.

    The survivor gains the duplicates' parts (sources, coverage, gaps and item without
    consensus; see ``issues.issue_parts``) where it has none of its own for the same answer,
    mechanism, gap type or item; the duplicates become ``merged``, point to it, and their pages
    lead to it. Issues merged earlier into a duplicate are pointed to the survivor. Each merge is
    recorded so it can be undone.
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
        for rows in plan.moved.values():
            for row in rows:
                row.issue = survivor
                _save(row, user=user, reason=reason, fields=["issue"])
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
                    **{key: [row.pk for row in rows] for key, rows in plan.moved.items()},
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
        raise ValidationError(
            gettext("%(merge)s was already undone on %(day)s.")
            % {"merge": merge, "day": date_format(timezone.localdate(merge.undone_at))}
        )
    issue = Issue.objects.select_for_update().get(pk=merge.merged_id)
    if issue.state != Issue.State.MERGED:
        raise ValidationError(gettext("“%(issue)s” is no longer merged.") % {"issue": issue})
    reason = f"merge into #{issue.merged_into_id} undone"
    issue.state = merge.previous_state
    issue.merged_into = None
    _save(issue, user=user, reason=reason, fields=["state", "merged_into", "updated_at"])

    notes = []
    moved = merge.moved
    for part in issue_parts():
        pks = moved.get(part.key, [])
        if part.duplicate_of is None:
            # One per issue: back only if the issue has none again since.
            if not part.model.objects.filter(issue=issue).exists():
                for row in part.model.objects.filter(pk__in=pks):
                    row.issue = issue
                    _save(row, user=user, reason=reason, fields=["issue"])
            continue
        taken = set(
            part.model.objects.filter(issue=issue).values_list(part.duplicate_of, flat=True)
        )
        rows = list(part.model.objects.filter(pk__in=pks))
        if len(rows) < len(pks):
            notes.append(
                gettext("%(count)s moved %(part)s were deleted since")
                % {"count": len(pks) - len(rows), "part": part.key}
            )
        for row in rows:
            value = getattr(row, part.duplicate_of)
            if value in taken:
                notes.append(
                    f"{part.model._meta.verbose_name} #{row.pk} stays: {part.undo_conflict}"
                )
                continue
            taken.add(value)
            row.issue = issue
            _save(row, user=user, reason=reason, fields=["issue"])
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
        raise ValidationError(gettext("“%(issue)s” is not a proposed issue.") % {"issue": issue})
    if issue.cluster_id is None:
        raise ValidationError(
            gettext("Give “%(issue)s” a cluster before it goes on the map.") % {"issue": issue}
        )
    issue.state = Issue.State.ON_MAP
    issue.agreed_on = agreed_on
    _save(
        issue,
        user=user,
        reason=f"added to the map with the working group's agreement of {agreed_on:%d %B %Y}",
        fields=["state", "agreed_on", "updated_at"],
    )
    return issue
