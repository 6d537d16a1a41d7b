"""Sample data of the shape each editable template receives.

An edit of the wording is rendered with it before it is saved (``reports/wording.py``), so a
mistake shows as a form error rather than at sending time. The samples need no database.
"""

import datetime

from django.conf import settings
from django.utils.safestring import mark_safe

from mechanisms.models import Coverage, Gap
from reports.final import counted
from reports.models import Deliverable
from reports.rendering import body_context
from reports.update import PROGRESS_MEASURES

_TOTALS = {
    "issues_on_map": 41,
    "issues_proposed": 2,
    "issues_by_cluster": [{"cluster": "Security", "count": 8}],
    "issues_without_mechanism": 3,
    "mechanisms": 56,
    "coverage_by_status": [
        {"status": value, "label": str(label), "count": 1}
        for value, label in Coverage.Status.choices
    ],
    "gaps_by_type": [
        {"type": value, "label": str(label), "count": 1} for value, label in Gap.Type.choices
    ],
    "without_consensus": 1,
    "referred": 2,
    "decisions": 1,
}


def _listing(*items: dict) -> dict:
    return {"count": len(items), "items": list(items)}


def _progress_row(cluster: str, issues: int, *counts: int) -> dict:
    return {
        "cluster": cluster,
        "issues": issues,
        "measures": [
            {
                "key": key,
                "label": str(label),
                "count": count,
                "percent": round(100 * count / issues),
            }
            for (key, label, _), count in zip(PROGRESS_MEASURES, counts, strict=True)
        ],
    }


_PROGRESS = {
    "measures": [
        {"key": key, "label": str(label), "meaning": meaning}
        for key, label, meaning in PROGRESS_MEASURES
    ],
    "clusters": [_progress_row("Security", 8, 6, 5, 3, 2)],
    "total": _progress_row("All clusters", 8, 6, 5, 3, 2),
}


_CHANGES = {
    "issues_added": _listing({"id": 1, "title": "Net neutrality", "cluster": "Infrastructure"}),
    "issues_merged": _listing({"id": 2, "title": "Spam", "cluster": "", "into": "Cybercrime"}),
    "issues_withdrawn": _listing(),
    "mechanisms_added": _listing({"id": 1, "name": "Council of Europe", "acronym": "CoE"}),
    "coverage_changes": {
        **_listing(
            {"issue": "Cybercrime", "mechanism": "UNODC", "before": "Unknown", "after": "Partly"}
        ),
        "removed": _listing(),
    },
    "gap_changes": {
        **_listing(
            {
                "issue": "Jurisdiction",
                "type": "Policy gap",
                "change": "added",
                "description": "No forum.",
                "recommendation": "Where to address it.",
            }
        ),
        "removed": _listing(),
    },
    "referrals": _listing(
        {"id": 1, "subject": "Net neutrality", "summary": "Whether…", "referred_on": "2014-01-28"}
    ),
    "decisions": _listing(
        {
            "subject": "Net neutrality",
            "option": "Option A: keep it",
            "text": "",
            "meeting": "Third meeting",
            "decided_on": "2014-02-26",
        }
    ),
}

SAMPLE_CONTENT = {
    "title": "First update report to the WGEC Chair",
    "slug": "update-1",
    "kind": "update_report",
    "kind_label": "Update report",
    "due_date": "2013-11-30",
    "composed_at": "2013-11-29T10:00:00+00:00",
    "since": None,
    "previous": None,
    "introduction": "The correspondence group has reviewed the issues.",
    "totals": _TOTALS,
    "progress": _PROGRESS,
    "changes": _CHANGES,
    "changes_by_cluster": [
        {
            "cluster": "Security",
            "issues_added": 1,
            "issues_merged": 1,
            "issues_withdrawn": 0,
            "coverage": 1,
            "gaps": 0,
            "total": 3,
        }
    ],
    "open_items": {
        "count": 1,
        "open": 0,
        "referred": 1,
        "items": [
            {
                "id": 1,
                "issue_id": 1,
                "subject": "Net neutrality",
                "summary": "Whether the absence of a global forum is a policy gap.",
                "referred_on": "2014-01-28",
                "options": [{"label": "A", "text": "It is."}, {"label": "B", "text": "It is not."}],
            }
        ],
    },
    "proposals": {
        "count": 1,
        "by_kind": [{"kind": "gap", "label": "Gap", "count": 1}],
        "items": [{"kind": "Gap", "subject": "Cybercrime", "proposed_on": "2013-11-20"}],
    },
    "deadlines": [
        {
            "date": "2014-01-06",
            "end_date": None,
            "title": "Second update report to the WGEC Chair",
            "expected": "the progress of the map since the previous report",
        },
        {
            "date": "2014-02-24",
            "end_date": "2014-02-28",
            "title": "Third meeting of the working group",
            "expected": "Palais des Nations, Geneva",
        },
    ],
    "coordinators": ["Mr. Phil Rushton", "Ms. Joy Liddicoat"],
    "limit": 100,
}


def sample_context(name: str) -> dict:
    site = {
        "group_name": settings.WGEC_GROUP_NAME,
        "group_short_name": settings.WGEC_GROUP_SHORT_NAME,
        "site_url": settings.SITE_URL,
    }
    if name.startswith("reports/email/confirm"):
        return {
            **site,
            "email": "someone@example.org",
            "name": "Someone",
            "confirm_url": f"{settings.SITE_URL}/reports/subscribe/confirm/sample/",
        }
    if name.startswith("reports/document/"):
        return {
            **site,
            "deliverable": Deliverable(
                slug="final-document",
                kind=Deliverable.Kind.FINAL_DOCUMENT,
                title="Final document",
                due_date=datetime.date(2014, 2, 12),
            ),
            "date": datetime.date(2014, 2, 12),
            "symbol": "E/CN.16/2014/CRP.2",
            **counted(issue_count=41, cluster_count=7, referred_count=2),
        }
    report_url = f"{settings.SITE_URL}/reports/update-1/"
    body = {**body_context(SAMPLE_CONTENT), **site, "report_url": report_url}
    if name.startswith("reports/report_body"):
        return body
    return {
        **body,
        "subject": "[WGEC] First update report to the WGEC Chair",
        "body_text": "THE MAP ON 29 NOVEMBER 2013\n…",
        "body_html": mark_safe("<h2>The map on 29 November 2013</h2>"),  # noqa: S308 - constant
        "recipient_name": "Ms. Someone",
        "recipient_email": "someone@example.org",
        "to_chair": False,
        "unsubscribe_url": f"{settings.SITE_URL}/reports/unsubscribe/sample/",
        "subscribe_url": f"{settings.SITE_URL}/reports/subscribe/",
    }
