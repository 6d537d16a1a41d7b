"""The update report's generator: the map's totals now, and what changed since the last report.

``update_report_compose`` reads the map once and returns plain data (JSON-ready), which the
formatters (templates ``reports/report_body.{txt,html}``, the e-mails) render and which a sent
report keeps frozen. Changes are read from the change history (django-simple-history) by
comparing each record as it stood at the previous report with how it stands now, so an issue
added and withdrawn again in between shows as neither.

Lists of changes are cut at ``CHANGE_LIST_LIMIT`` entries; their counts are always exact.
"""

import datetime
import hashlib
import json

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Value
from django.utils import timezone

from consensus.models import ConsensusItem, Decision
from issues.models import Cluster, Issue
from mechanisms.models import Coverage, Gap, Mechanism
from reports.models import Deliverable, Report

CHANGE_LIST_LIMIT = 100


def previous_report(deliverable: Deliverable) -> Report | None:
    """The last report sent before this deliverable's (the one changes are counted from)."""
    reports = Report.objects.sent().exclude(deliverable=deliverable).select_related("deliverable")
    this = getattr(deliverable, "report", None)
    if this is not None and this.composed_at:
        reports = reports.filter(composed_at__lt=this.composed_at)
    return reports.order_by("-composed_at").first()


def update_report_compose(
    *, deliverable: Deliverable, introduction: str, now: datetime.datetime | None = None
) -> dict:
    """The content of the deliverable's report as of ``now`` (plain data)."""
    now = now or timezone.now()
    previous = previous_report(deliverable)
    since = previous.composed_at if previous else None
    return {
        "title": deliverable.title,
        "slug": deliverable.slug,
        "kind": deliverable.kind,
        "kind_label": deliverable.get_kind_display(),
        "due_date": deliverable.due_date.isoformat(),
        "composed_at": now.isoformat(),
        "since": since.isoformat() if since else None,
        "previous": (
            {"title": previous.deliverable.title, "slug": previous.deliverable.slug}
            if previous
            else None
        ),
        "introduction": introduction.strip(),
        "totals": _totals(),
        "changes": _changes(since),
        "limit": CHANGE_LIST_LIMIT,
    }


def content_fingerprint(content: dict) -> str:
    """Identifies what a preview showed, ignoring the moment it was composed."""
    stable = {key: value for key, value in content.items() if key != "composed_at"}
    return hashlib.sha256(json.dumps(stable, sort_keys=True).encode()).hexdigest()[:32]


# Totals --------------------------------------------------------------------------------------


def _totals() -> dict:
    clusters = [
        {"cluster": name, "count": count}
        for name, count in Cluster.objects.annotate(
            n=Count("issues", filter=Q(issues__state=Issue.State.ON_MAP))
        ).values_list("name", "n")
    ]
    issues = dict(Issue.objects.values_list("state").annotate(n=Count("pk")).order_by())
    on_map = Coverage.objects.filter(issue__state=Issue.State.ON_MAP)
    statuses = dict(on_map.values_list("status").annotate(n=Count("pk")).order_by())
    gaps = dict(
        Gap.objects.filter(issue__state=Issue.State.ON_MAP)
        .values_list("type")
        .annotate(n=Count("pk"))
        .order_by()
    )
    items = dict(ConsensusItem.objects.values_list("state").annotate(n=Count("pk")).order_by())
    return {
        "issues_on_map": issues.get(Issue.State.ON_MAP, 0),
        "issues_proposed": issues.get(Issue.State.PROPOSED, 0),
        "issues_by_cluster": clusters,
        "issues_without_mechanism": Issue.objects.on_map()
        .filter(~Exists(Coverage.objects.filter(issue=OuterRef("pk"))))
        .count(),
        "mechanisms": Mechanism.objects.count(),
        "coverage_by_status": [
            {"status": value, "label": label, "count": statuses.get(value, 0)}
            for value, label in Coverage.Status.choices
        ],
        "gaps_by_type": [
            {"type": value, "label": label, "count": gaps.get(value, 0)}
            for value, label in Gap.Type.choices
        ],
        "without_consensus": items.get(ConsensusItem.State.OPEN, 0),
        "referred": items.get(ConsensusItem.State.REFERRED, 0),
        "decisions": items.get(ConsensusItem.State.DECIDED, 0),
    }


# Changes -------------------------------------------------------------------------------------


def _listing(queryset, row) -> dict:
    return {
        "count": queryset.count(),
        "items": [row(obj) for obj in queryset[:CHANGE_LIST_LIMIT]],
    }


def _before(model, since: datetime.datetime | None, field: str, pk: str = "pk"):
    """A subquery: ``field`` of the record as it stood at ``since`` (None before it existed)."""
    history = model.history.model
    if since is None:
        return Value(None, output_field=history._meta.get_field(field).__class__())
    return Subquery(
        history.objects.filter(id=OuterRef(pk), history_date__lte=since)
        .order_by("-history_date", "-history_id")
        .values(field)[:1]
    )


def _touched(model, since: datetime.datetime | None):
    """Ids of records changed after ``since`` (every record when there is no previous report)."""
    if since is None:
        return model.objects.values("pk")
    return model.history.model.objects.filter(history_date__gt=since).values("id")


def _changes(since: datetime.datetime | None) -> dict:
    issues = (
        Issue.objects.filter(pk__in=_touched(Issue, since))
        .annotate(state_before=_before(Issue, since, "state"))
        .select_related("cluster", "merged_into")
        .order_by("title", "pk")
    )

    def entered(state: str):
        return issues.filter(state=state).filter(
            Q(state_before__isnull=True) | ~Q(state_before=state)
        )

    def issue_row(issue: Issue) -> dict:
        return {
            "id": issue.pk,
            "title": issue.title,
            "cluster": issue.cluster.name if issue.cluster else "",
            "into": issue.merged_into.title if issue.merged_into else "",
        }

    mechanisms = (
        Mechanism.objects.filter(pk__in=_touched(Mechanism, since))
        .annotate(type_before=_before(Mechanism, since, "history_type"))
        .filter(_is_new())
    )

    return {
        "issues_added": _listing(entered(Issue.State.ON_MAP), issue_row),
        "issues_merged": _listing(entered(Issue.State.MERGED), issue_row),
        "issues_withdrawn": _listing(entered(Issue.State.WITHDRAWN), issue_row),
        "mechanisms_added": _listing(
            mechanisms.order_by("name"),
            lambda m: {"id": m.pk, "name": m.name, "acronym": m.acronym},
        ),
        "coverage_changes": _coverage_changes(since),
        "gap_changes": _gap_changes(since),
        "referrals": _referrals(since),
        "decisions": _decisions(since),
    }


def _status_label(value: str | None) -> str:
    return Coverage.Status(value).label if value else ""


def _is_new() -> Q:
    """No record at ``since``, or a deletion: the record is new since then."""
    return Q(type_before__isnull=True) | Q(type_before="-")


def _removed(model, since, related: list[str]):
    """History rows of records deleted after ``since`` that existed at ``since``."""
    if since is None:
        return model.history.model.objects.none()
    history = model.history.model
    deleted = (
        history.objects.filter(history_type="-", history_date__gt=since)
        .exclude(id__in=model.objects.values("pk"))
        .annotate(type_before=_before(model, since, "history_type", pk="id"))
        .filter(type_before__isnull=False)
        .exclude(type_before="-")
    )
    return deleted.select_related(*related).order_by("-history_date")


def _coverage_changes(since) -> dict:
    changed = (
        Coverage.objects.filter(pk__in=_touched(Coverage, since))
        .annotate(
            status_before=_before(Coverage, since, "status"),
            type_before=_before(Coverage, since, "history_type"),
        )
        .filter(_is_new() | ~Q(status_before=F("status")))
        .select_related("issue", "mechanism")
        .order_by("issue__title", "mechanism__name", "pk")
    )
    removed = _removed(Coverage, since, ["issue", "mechanism"])
    rows = _listing(
        changed,
        lambda c: {
            "issue": c.issue.title,
            "mechanism": c.mechanism.short_name,
            "before": "" if c.type_before in (None, "-") else _status_label(c.status_before),
            "after": c.get_status_display(),
        },
    )
    rows["removed"] = _listing(
        removed,
        lambda h: {
            "issue": h.issue.title if h.issue else "",
            "mechanism": h.mechanism.short_name if h.mechanism else "",
            "before": _status_label(h.status),
        },
    )
    return rows


def _gap_changes(since) -> dict:
    changed = (
        Gap.objects.filter(pk__in=_touched(Gap, since))
        .annotate(
            type_before=_before(Gap, since, "history_type"),
            description_before=_before(Gap, since, "description"),
            recommendation_before=_before(Gap, since, "recommendation"),
        )
        .filter(
            _is_new()
            | ~Q(description_before=F("description"))
            | ~Q(recommendation_before=F("recommendation"))
        )
        .select_related("issue")
        .order_by("issue__title", "type", "pk")
    )
    rows = _listing(
        changed,
        lambda g: {
            "issue": g.issue.title,
            "type": g.get_type_display(),
            "change": "added" if g.type_before in (None, "-") else "changed",
            "description": g.description,
            "recommendation": g.recommendation,
        },
    )
    rows["removed"] = _listing(
        _removed(Gap, since, ["issue"]),
        lambda h: {"issue": h.issue.title if h.issue else "", "type": Gap.Type(h.type).label},
    )
    return rows


def _item_row(item: ConsensusItem) -> dict:
    return {
        "id": item.pk,
        "subject": item.subject_label,
        "summary": item.summary,
        "referred_on": item.referred_on.isoformat() if item.referred_on else None,
    }


_ITEM_SUBJECT = ["issue", "coverage__issue", "coverage__mechanism"]


def _referrals(since) -> dict:
    sent_on = [ConsensusItem.State.REFERRED, ConsensusItem.State.DECIDED]
    items = (
        ConsensusItem.objects.filter(pk__in=_touched(ConsensusItem, since), state__in=sent_on)
        .annotate(state_before=_before(ConsensusItem, since, "state"))
        .filter(Q(state_before__isnull=True) | ~Q(state_before__in=sent_on))
        .select_related(*_ITEM_SUBJECT)
        .order_by("referred_on", "pk")
    )
    return _listing(items, _item_row)


def _decisions(since) -> dict:
    decisions = (
        Decision.objects.filter(pk__in=_touched(Decision, since))
        .annotate(type_before=_before(Decision, since, "history_type"))
        .filter(_is_new())
        .select_related("option", "meeting", *(f"item__{name}" for name in _ITEM_SUBJECT))
        .order_by("decided_on", "pk")
    )
    return _listing(
        decisions,
        lambda d: {
            "subject": d.item.subject_label,
            "option": f"Option {d.option.label}: {d.option.text}" if d.option else "",
            "text": d.text,
            "meeting": d.meeting.title,
            "decided_on": d.decided_on.isoformat(),
        },
    )
