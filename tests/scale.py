"""Large data sets built in bulk, for query-budget tests and benchmarks (bench/)."""

from django.db import connection

from consensus.models import ConsensusItem, Proposal
from issues.models import Cluster, Issue
from mechanisms.models import Coverage, Gap, Mechanism
from wgec.models import Participant

STATUSES = ["addressing", "partly", "not_addressing", "unknown"]


def large_map(*, issues: int, mechanisms: int, coverage_per_issue: int) -> None:
    """A map of ``issues`` issues in 7 clusters; issue n has ``n % (coverage_per_issue + 1)``
    mechanisms with varied statuses (so some have none) and every third a policy gap. Bulk
    created: no change history."""
    clusters = [
        Cluster.objects.create(slug=f"c{n}", name=f"Cluster {n}", position=n) for n in range(7)
    ]
    mechanism_rows = Mechanism.objects.bulk_create(
        (
            Mechanism(name=f"Mechanism {n}", acronym=f"M{n}", kind="other")
            for n in range(mechanisms)
        ),
        batch_size=5000,
    )
    issue_rows = Issue.objects.bulk_create(
        (
            Issue(
                title=f"Issue {n} on cross-border data and security",
                # One issue in fifty speaks of jurisdiction, for searches that select.
                description="Transboundary data flows raise questions of "
                + ("jurisdiction." if n % 50 == 0 else "security and spam."),
                cluster=clusters[n % 7],
                state="on_map",
                needs_agreement=False,
            )
            for n in range(issues)
        ),
        batch_size=5000,
    )
    Coverage.objects.bulk_create(
        (
            Coverage(
                issue=issue,
                mechanism=mechanism_rows[(n * 13 + k * 601) % mechanisms],
                status=STATUSES[(n + k) % 4],
                evidence=f"Resolution {n}/{k} of the governing body.",
            )
            for n, issue in enumerate(issue_rows)
            for k in range(n % (coverage_per_issue + 1))
        ),
        batch_size=5000,
    )
    Gap.objects.bulk_create(
        (Gap(issue=issue, type="policy", description="No forum.") for issue in issue_rows[::3]),
        batch_size=5000,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would after such a load


def open_work(*, items: int, proposals: int) -> None:
    """On the large map: ``items`` open items without consensus (half on an issue, half on a
    coverage status) and ``proposals`` pending proposals of every kind, made by the existing
    participants. Bulk created: no change history."""
    issues = list(Issue.objects.filter(cluster__slug__startswith="c").order_by("pk")[: items + 1])
    coverage = list(
        Coverage.objects.filter(issue__cluster__slug__startswith="c")
        .select_related("issue")
        .order_by("pk")[: max(items, proposals) + 1]
    )
    ConsensusItem.objects.bulk_create(
        (
            ConsensusItem(
                **({"issue": issues[n]} if n % 2 == 0 else {"coverage": coverage[n]}),
                summary=f"Whether item {n} belongs on the map.",
            )
            for n in range(items)
        ),
        batch_size=5000,
    )
    proposers = list(Participant.objects.order_by("pk"))
    kinds = [
        Proposal.Kind.ISSUE,
        Proposal.Kind.MECHANISM,
        Proposal.Kind.COVERAGE,
        Proposal.Kind.GAP,
    ]

    def proposal(n: int) -> Proposal:
        kind, row = kinds[n % 4], coverage[n % len(coverage)]
        fields: dict = {"kind": kind, "proposer": proposers[n % len(proposers)]}
        if kind == Proposal.Kind.ISSUE:
            fields |= {"title": f"Proposed issue {n}", "cluster_id": row.issue.cluster_id}
        elif kind == Proposal.Kind.GAP:
            fields |= {"issue": row.issue, "gap_type": "policy", "gap_description": "No forum."}
        else:
            fields |= {
                "issue": row.issue,
                "mechanism_id": row.mechanism_id,
                "status": STATUSES[n % 4],
            }
            if kind == Proposal.Kind.COVERAGE:
                fields["coverage"] = row
        return Proposal(**fields, justification=f"Proposal {n}: the record shows it.")

    Proposal.objects.bulk_create((proposal(n) for n in range(proposals)), batch_size=5000)
