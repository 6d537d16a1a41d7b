"""Update reports and the final document at the scale of DESIGN.md, and sending to the list.

The map is generated with bulk_create: 20,000 issues in 20 clusters, 6,000 mechanisms, 200,000
coverage rows, 20,000 gaps; the history of every row is recorded (bulk_create_with_history), as
the composition reads it. Sending goes to 50,000 subscribers through the locmem mail backend; a
representative 5,000 are sent and the time extrapolated (said so in the figure's note). The PDF
is measured on a 1,000-issue map and extrapolated: at full scale it is a 10,000-page document.
"""

import datetime
import os
import random

from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from bench.common import Figure, peak_memory, timed
from consensus.models import ConsensusItem, Option
from issues.models import Cluster, Issue
from mechanisms.models import Coverage, Gap, Mechanism
from reports import services
from reports.final import document_issue
from reports.formats import final_document_bytes
from reports.models import Deliverable, Delivery, Report, Subscriber
from reports.rendering import report_compose
from reports.sending import report_deliver
from wgec.models import Participant, StakeholderGroup

ISSUES = int(os.environ.get("BENCH_ISSUES", 20_000))
# Issue 13's goal for the final document at 100x (20,000 issues, 200,000 coverage rows): each
# format in under 60 s and 1 GiB (Decidim's open-data export of 11,953 proposals, the peer it
# names: about 15 minutes and 1.5 GB, decidim/decidim#8593).
DOCUMENT_SECONDS, DOCUMENT_MEBIBYTES = 60, 1024
# Issue 17's goal for sending: 50,000 addresses in under 8 minutes with one worker.
SENDING_MINUTES = 8
MECHANISMS = 6_000
COVERAGE_PER_ISSUE = 10
SUBSCRIBERS = 50_000
SENT_SAMPLE = 5_000

# Queued tasks are only recorded: the sending is run and timed below, on a share of the list.
DUMMY_TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
LOCMEM = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


def _build_map(issues: int) -> None:
    rng = random.Random(6)
    bulk_create_with_history(
        [Cluster(slug=f"cluster-{n}", name=f"Cluster {n}", position=n) for n in range(20)], Cluster
    )
    clusters = list(Cluster.objects.all())
    bulk_create_with_history(
        [
            Mechanism(name=f"Mechanism {n}", acronym=f"M{n}", kind=Mechanism.Kind.OTHER)
            for n in range(MECHANISMS)
        ],
        Mechanism,
        batch_size=2000,
    )
    bulk_create_with_history(
        [
            Issue(
                title=f"Issue {n}",
                description="An international public policy issue pertaining to the Internet. " * 3,
                cluster=clusters[n % len(clusters)],
                state=Issue.State.ON_MAP,
                needs_agreement=False,
            )
            for n in range(issues)
        ],
        Issue,
        batch_size=2000,
    )
    issue_ids = list(Issue.objects.values_list("pk", flat=True))
    mechanism_ids = list(Mechanism.objects.values_list("pk", flat=True))
    statuses = Coverage.Status.values
    rows = []
    for issue_id in issue_ids:
        for mechanism_id in rng.sample(mechanism_ids, COVERAGE_PER_ISSUE):
            rows.append(
                Coverage(
                    issue_id=issue_id,
                    mechanism_id=mechanism_id,
                    status=rng.choice(statuses),
                    evidence="A resolution on the subject.",
                )
            )
    bulk_create_with_history(rows, Coverage, batch_size=5000)
    bulk_create_with_history(
        [
            Gap(
                issue_id=issue_id,
                type=rng.choice(Gap.Type.values),
                description="No forum addresses it.",
                recommendation="Where it should be addressed.",
            )
            for issue_id in issue_ids
        ],
        Gap,
        batch_size=5000,
    )
    bulk_create_with_history(
        [
            ConsensusItem(
                issue_id=issue_id,
                summary="Whether it belongs on the map.",
                state=ConsensusItem.State.REFERRED,
                referred_on=datetime.date(2014, 1, 28),
            )
            for issue_id in issue_ids[:200]
        ],
        ConsensusItem,
    )
    items = list(ConsensusItem.objects.all())
    Option.objects.bulk_create(
        [Option(item=item, label=label, text="[Text]") for item in items for label in "AB"]
    )


def _subscribers() -> None:
    Subscriber.objects.bulk_create(
        [
            Subscriber(email=f"subscriber{n}@example.org", state=Subscriber.State.SUBSCRIBED)
            for n in range(SUBSCRIBERS)
        ],
        batch_size=5000,
    )
    group = StakeholderGroup.objects.create(slug="governments", name="Governments")
    Participant.objects.create(
        name="Chair",
        role=Participant.Role.CHAIR,
        email="chair@example.org",
        stakeholder_group=group,
    )


def run() -> list[Figure]:
    figures: list[Figure] = []
    _build_map(ISSUES)
    deliverable = Deliverable.objects.create(
        slug="update-1",
        kind=Deliverable.Kind.UPDATE_REPORT,
        title="First update report",
        due_date=datetime.date(2013, 11, 30),
    )
    final = Deliverable.objects.create(
        slug="final-document",
        kind=Deliverable.Kind.FINAL_DOCUMENT,
        title="Final document",
        due_date=datetime.date(2014, 2, 12),
    )
    scale = f"{ISSUES:,} issues, {ISSUES * COVERAGE_PER_ISSUE:,} coverage rows"

    seconds, _ = timed(
        lambda: report_compose(now=timezone.now(), deliverable=deliverable, introduction="Hello")
    )
    with CaptureQueriesContext(connection) as queries:
        report_compose(now=timezone.now(), deliverable=deliverable, introduction="Hello")
    figures.append(
        # No goal has been set for composing an update report, nor a peer figure found.
        Figure("compose an update report", seconds, "s", None, f"{scale}; {len(queries)} queries")
    )

    for format in ("xlsx", "csv", "docx"):
        seconds, content = timed(
            lambda f=format: final_document_bytes(
                issue=document_issue(final, now=timezone.now()), format=f
            )
        )
        figures.append(
            Figure(
                f"export the final document as {format.upper()}",
                seconds,
                "s",
                DOCUMENT_SECONDS if ISSUES >= 20_000 else None,
                f"{scale}; {len(content) / 2**20:,.0f} MiB",
            )
        )
    memory, _ = peak_memory(
        lambda: final_document_bytes(issue=document_issue(final, now=timezone.now()), format="xlsx")
    )
    target = DOCUMENT_MEBIBYTES if ISSUES >= 20_000 else None
    figures.append(Figure("peak memory of the XLSX export", memory, "MiB", target, scale))

    _subscribers()
    with override_settings(TASKS=DUMMY_TASKS, MAILERS=LOCMEM):
        seconds, report = timed(
            lambda: services.report_send(deliverable=deliverable, introduction="Hello")
        )
        figures.append(
            Figure(
                "freeze a report and queue its deliveries",
                seconds,
                "s",
                None,  # a part of the sending, whose goal is the next figure's
                f"{SUBSCRIBERS:,} subscribers",
            )
        )
        # Send a representative share; the rest stays pending.
        Delivery.objects.filter(report=report, state="pending").exclude(
            pk__in=Delivery.objects.filter(report=report, state="pending")
            .order_by("pk")
            .values("pk")[:SENT_SAMPLE]
        ).update(available_at=datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC))
        seconds, _ = timed(lambda: report_deliver(report_id=report.pk, max_wait=0))
        sent = Delivery.objects.filter(report=report, state="sent").count()
        figures.append(
            Figure(
                "send to 50,000 subscribers (locmem backend)",
                seconds / sent * SUBSCRIBERS / 60,
                "min",
                SENDING_MINUTES,
                f"{sent:,} sent in {seconds:,.1f} s, extrapolated to {SUBSCRIBERS:,}",
            )
        )
    Report.objects.all().delete()

    # The PDF: a smaller map, extrapolated to the full one.
    small = min(1000, ISSUES)
    Issue.objects.filter(pk__in=Issue.objects.order_by("pk").values("pk")[small:]).update(
        state=Issue.State.PROPOSED
    )
    seconds, content = timed(
        lambda: final_document_bytes(issue=document_issue(final, now=timezone.now()), format="pdf")
    )
    figures.append(
        Figure(
            "export the final document as PDF",
            seconds * ISSUES / small / 60,
            "min",
            DOCUMENT_SECONDS / 60 if ISSUES >= 20_000 else None,
            f"{small:,} issues in {seconds:,.0f} s ({len(content) / 2**20:,.1f} MiB), "
            f"extrapolated to {ISSUES:,}",
        )
    )
    return figures
