"""Large data sets built in bulk, for query-budget tests and benchmarks (bench/)."""

from django.db import connection

from issues.models import Cluster, Issue
from mechanisms.models import Coverage, Gap, Mechanism

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
