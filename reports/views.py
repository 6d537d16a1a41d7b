"""The schedule, the published reports, composing and sending, the coordinators' dashboard,
document downloads, and the mailing list's public pages."""

from allauth.core import ratelimit
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet, Subquery, Value, Window
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from consensus.models import ConsensusItem, Proposal
from mechanisms.models import mapped_issues
from reports import services
from reports.forms import ExportForm, ReportForm, SubscribeForm
from reports.models import (
    REPORT_TEXTS,
    Deliverable,
    Delivery,
    DocumentExport,
    Report,
    Subscriber,
)
from reports.rendering import Recipient, dated_rows, report_message, report_texts
from reports.update import changes_full, previous_report
from wgec.languages import is_language
from wgec.models import Participant
from wgec.page_cache import Audience, cached_content, served_whole
from wgec.roles import Role, has_role, role_required
from wgec.versions import StaleVersion
from wgec.workers import waiting_for_worker

DASHBOARD_LIST_LIMIT = 50
# Rows of each kind of change on one page of a report's changes (a first report at 100 times
# the 2013 exercise counts hundreds of thousands).
CHANGES_PAGE_SIZE = 500


def _deliverable(slug: str, keep: tuple[str, ...] = REPORT_TEXTS) -> Deliverable:
    return get_object_or_404(Deliverable.objects.with_report(keep=keep), slug=slug)


def _report_of(deliverable: Deliverable) -> Report | None:
    try:
        return deliverable.report
    except Report.DoesNotExist:
        return None


@served_whole(roles=True)
@require_safe
def schedule(request: HttpRequest) -> HttpResponse:
    """Every deliverable with its due date, days left and state, and the archive of sent ones;
    the content is cached for each role (coordinators see where to compose) until a public
    page's record changes (the day is part of its key: days left)."""
    content = cached_content(
        request,
        "reports/deliverable_list.html",
        lambda: _schedule_context(request),
        audience=Audience.ROLE,
    )
    return render(request, "reports/deliverable_list.html", {"content": content})


def _schedule_context(request: HttpRequest) -> dict:
    today = timezone.localdate()
    deliverables = list(Deliverable.objects.with_report(keep=()))
    rows = [
        {
            "deliverable": deliverable,
            "state": deliverable.schedule_state(today),
            "days_left": deliverable.days_left(today),
        }
        for deliverable in deliverables
    ]
    return {
        "today": today,
        "rows": rows,
        "archive": sorted(
            (d for d in deliverables if d.state == Deliverable.State.SENT),
            key=lambda d: d.sent_at,
            reverse=True,
        ),
        "can_compose": has_role(request.user, Role.COORDINATOR),
    }


def _follows_delivery(request: HttpRequest, slug: str) -> bool:
    """Whether the report's page shows the visitor the sending's progress (coordinators and
    the Chair): it is built for them at every request."""
    return has_role(request.user, Role.COORDINATOR)


@served_whole(roles=True, built_for=_follows_delivery)
@require_safe
def deliverable_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The published report once sent; before that, when it is due. Coordinators see progress,
    built afresh; for everyone else the content is the same, cached until a public page's
    record changes, and the page kept whole for anonymous visitors, members and observers."""
    deliverable = _deliverable(slug, keep=("body_html",))
    if _follows_delivery(request, slug):
        # Delivery progress changes with every message sent: never cached.
        context = _deliverable_context(request, deliverable)
        template = "reports/deliverable_detail.html"
        content = render_to_string(f"{template}#content", context, request=request)
        return render(request, template, {**context, "content": content})
    content = cached_content(
        request,
        "reports/deliverable_detail.html",
        lambda: _deliverable_context(request, deliverable),
        vary=(deliverable.slug,),
        audience=Audience.EVERYONE,
    )
    return render(
        request,
        "reports/deliverable_detail.html",
        {"deliverable": deliverable, "content": content},
    )


def _deliverable_context(request: HttpRequest, deliverable: Deliverable) -> dict:
    report = _report_of(deliverable)
    coordinator = has_role(request.user, Role.COORDINATOR)
    context = {
        "deliverable": deliverable,
        "report": report if report and report.is_sent else None,
        "state": deliverable.schedule_state(timezone.localdate()),
        "days_left": deliverable.days_left(timezone.localdate()),
        "coordinator": coordinator,
        "documents": [],
    }
    if report and report.is_sent:
        # The report's words in the reader's language (its archive, and the coordinators' text,
        # as sent).
        language = _page_language(request)
        context["body_html"] = (
            report.body_html if language == "en" else report_texts(report, language).body_html
        )
        if deliverable.has_documents:
            context["documents"] = list(deliverable.exports.filter(frozen=True).order_by("format"))
        if coordinator:
            counts = report.delivery_counts()
            context["counts"] = counts
            context["in_progress"] = bool(counts["pending"] or counts["sending"])
            context["waiting_for_worker"] = context["in_progress"] and waiting_for_worker(
                report.task_id
            )
            context["problems"] = list(
                report.deliveries.filter(
                    state__in=[Delivery.State.FAILED, Delivery.State.ATTENTION]
                ).order_by("state", "email")[:DASHBOARD_LIST_LIMIT]
            )
    return context


@require_safe
def report_changes(request: HttpRequest, slug: str) -> HttpResponse:
    """Every change of a report's period, by cluster then in full: what its message links to.

    A sent report's period is its own records (from the previous report's moment to its own);
    before it is sent, coordinators see the changes since the previous report until now.
    """
    deliverable = _deliverable(slug)
    report = _report_of(deliverable)
    if report is not None and report.is_sent:
        since, moment = report.since, report.composed_at
    elif has_role(request.user, Role.COORDINATOR):
        previous = previous_report(deliverable)
        since, moment = (previous.composed_at if previous else None), None
    else:
        raise Http404("This report has not been sent.")
    changes = changes_full(since, moment)
    by_cluster = changes.pop("by_cluster")
    # One page shows the same window of every kind's list: page 2 holds rows 501 to 1,000 of
    # each kind that has as many.
    listings = [
        *changes.values(),
        changes["coverage_changes"]["removed"],
        changes["gap_changes"]["removed"],
    ]
    longest = max(listing["count"] for listing in listings)
    page = Paginator(range(longest), CHANGES_PAGE_SIZE).get_page(request.GET.get("page"))
    window = slice(page.start_index() - 1, page.end_index()) if longest else slice(0, 0)
    for listing in listings:
        listing["items"] = listing["items"][window]
    for kind, key in (("referrals", "referred_on"), ("decisions", "decided_on")):
        changes[kind]["items"] = dated_rows(changes[kind]["items"], key)
    context = {
        "deliverable": deliverable,
        "report": report if report is not None and report.is_sent else None,
        "since": since,
        "moment": moment,
        "by_cluster": by_cluster,
        "changes": changes,
        "page": page,
    }
    return render(request, "reports/report_changes.html", context)


@role_required(Role.COORDINATOR)
def report_compose(request: HttpRequest, slug: str) -> HttpResponse:
    """Preview the report as it will be mailed, write its introduction, save it or send it."""
    deliverable = _deliverable(slug)
    if deliverable.state == Deliverable.State.SENT:
        messages.info(request, gettext("This report was sent; its content is frozen."))
        return redirect("reports:detail", slug=slug)
    draft = _report_of(deliverable)
    # The clock read once, as the moment of preparing: a date of issue left empty is the day
    # the report is prepared or sent (the exercise's dates are the coordinators' to set).
    now = timezone.now()
    today = timezone.localdate(now)
    if request.method == "POST":
        form = ReportForm(request.POST, draft=draft)
        if form.is_valid():
            introduction = form.cleaned_data["introduction"]
            issued_on = form.cleaned_data["issued_on"] or today
            action = request.POST.get("action", "preview")
            try:
                services.issue_date_check(deliverable=deliverable, issued_on=issued_on, now=now)
                if action == "save":
                    services.report_draft_save(
                        deliverable=deliverable,
                        introduction=introduction,
                        issued_on=issued_on,
                        user=request.user,
                        read=form.read_version,
                    )
                    messages.success(request, gettext("The draft is saved."))
                    return redirect("reports:compose", slug=slug)
                if action == "send":
                    services.report_send(
                        deliverable=deliverable,
                        introduction=introduction,
                        issued_on=issued_on,
                        fingerprint=form.cleaned_data["fingerprint"],
                        user=request.user,
                        read=form.read_version,
                    )
                    messages.success(
                        request,
                        gettext(
                            "The report is sent: it is frozen and published here. Messages "
                            "are going out in the background."
                        ),
                    )
                    return redirect("reports:detail", slug=slug)
            except StaleVersion as error:
                form.version_refused(error)
            except services.IssueDateError as error:
                form.add_error("issued_on", str(error))
            except services.StalePreview as error:
                form.add_error(None, str(error))
            except services.ReportError as error:
                messages.error(request, str(error))
                return redirect("reports:detail", slug=slug)
        introduction = form.data.get("introduction", "")
        issued_on = None if form.errors else form.cleaned_data.get("issued_on")
    else:
        introduction = draft.introduction if draft else ""
        issued_on = draft.issued_on if draft else None
        form = ReportForm(
            draft=draft,
            initial={
                "introduction": introduction,
                "issued_on": issued_on or today,
            },
        )
    composed = services.report_preview(
        deliverable=deliverable,
        introduction=introduction,
        issued_on=issued_on or today,
    )
    chairs = list(
        Participant.objects.filter(role=Participant.Role.CHAIR).exclude(email="").order_by("pk")
    )
    preview = Report(
        deliverable=deliverable,
        subject=composed.subject,
        content=composed.content,
        body_text=composed.body_text,
        body_html=composed.body_html,
    )
    chair = chairs[0] if chairs else None
    message = report_message(
        preview,
        Recipient(
            email=chair.email if chair else "chair@example.org",
            name=chair.display_name if chair else "Chair",
            to_chair=True,
            token="preview",  # noqa: S106 - not a secret: a link that leads nowhere
        ),
        written_on=today,
    )
    context = {
        "deliverable": deliverable,
        "form": form,
        "composed": composed,
        "message": message,
        "message_html": message.alternatives[0].content,
        "chairs": chairs,
        "subscribers": Subscriber.objects.subscribed().count(),
        "participants_with_email": Participant.objects.exclude(email="").count(),
    }
    return render(request, "reports/report_form.html", context)


@require_POST
@role_required(Role.COORDINATOR)
def report_resume(request: HttpRequest, slug: str) -> HttpResponse:
    deliverable = _deliverable(slug)
    report = _report_of(deliverable)
    if report is None or not report.is_sent:
        raise Http404("This report has not been sent.")
    services.report_resume(report=report)
    messages.success(request, gettext("Sending resumes in the background."))
    return redirect("reports:detail", slug=slug)


def _file_response(export: DocumentExport) -> FileResponse:
    return FileResponse(export.file.open("rb"), as_attachment=True, filename=export.filename)


@require_safe
def report_document(request: HttpRequest, slug: str, format: str) -> HttpResponse:
    """A document of a sent initial output or final document, as it was when sent."""
    deliverable = _deliverable(slug)
    export = deliverable.exports.filter(frozen=True, format=format).first()
    if deliverable.state != Deliverable.State.SENT or export is None:
        raise Http404("No such document.")
    if export.state != DocumentExport.State.DONE:
        return render(
            request, "reports/document_pending.html", {"deliverable": deliverable, "export": export}
        )
    return _file_response(export)


def _first_and_count(queryset: QuerySet, *, sorted_whole: bool = False) -> tuple[list, int]:
    """The first rows of a list on the dashboard and how many the list holds, in one query.

    The count is a subquery the database runs once beside the list, which then stops at its
    limit along an index; a list that must be read whole to be sorted (``sorted_whole``) counts
    its rows with a window over that one reading instead of reading them twice."""
    if sorted_whole:
        total = Window(Count("*"))
    else:
        total = Subquery(
            queryset.order_by()
            .annotate(all=Value(1))
            .values("all")
            .annotate(n=Count("*"))
            .values("n")
        )
    rows = list(queryset.annotate(rows_in_list=total)[:DASHBOARD_LIST_LIMIT])
    return rows, rows[0].rows_in_list if rows else 0


@require_safe
@role_required(Role.COORDINATOR)
def dashboard(request: HttpRequest) -> HttpResponse:
    """What is due next, and what is still open on the map."""
    today = timezone.localdate()
    due = [
        {"deliverable": d, "state": d.schedule_state(today), "days_left": d.days_left(today)}
        for d in Deliverable.objects.pending().with_report(keep=())
    ]
    no_mechanism, no_mechanism_count = _first_and_count(
        mapped_issues()
        .on_map()
        .without_mechanism()
        .select_related("cluster")
        .order_by("cluster__position", "title"),
        sorted_whole=True,
    )
    open_items, open_count = _first_and_count(
        ConsensusItem.objects.filter(state=ConsensusItem.State.OPEN)
        .select_related("issue", "coverage__issue", "coverage__mechanism")
        .order_by("created_at")
    )
    proposals, proposal_count = _first_and_count(
        Proposal.objects.pending().with_summary().order_by("created_at")
    )
    exports = list(DocumentExport.objects.recent().filter(frozen=False)[:10])
    context = {
        "today": today,
        "due": due,
        "no_mechanism_count": no_mechanism_count,
        "no_mechanism": no_mechanism,
        "open_count": open_count,
        "open_items": open_items,
        "proposal_count": proposal_count,
        "proposals": proposals,
        "limit": DASHBOARD_LIST_LIMIT,
        "problems": Delivery.objects.filter(
            state__in=[Delivery.State.FAILED, Delivery.State.ATTENTION]
        )
        .values("report__deliverable__slug", "report__deliverable__title", "state")
        .annotate(n=Count("pk"))
        .order_by("report__deliverable__slug", "state"),
        "exports": exports,
        "exports_running": any(
            e.state in (DocumentExport.State.PENDING, DocumentExport.State.RUNNING) for e in exports
        ),
        "exports_waiting": any(e.waiting_for_worker for e in exports),
        "export_form": ExportForm(),
    }
    return render(request, "reports/dashboard.html", context)


@require_POST
@role_required(Role.COORDINATOR)
def export_request(request: HttpRequest) -> HttpResponse:
    form = ExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Choose a document and a format."))
        return redirect("reports:dashboard")
    export = services.document_export_request(
        deliverable=form.cleaned_data["deliverable"],
        format=form.cleaned_data["format"],
        language=form.cleaned_data["language"] or "en",
        user=request.user,
    )
    messages.success(
        request,
        gettext("%(format)s of “%(document)s” is being prepared.")
        % {"format": export.get_format_display(), "document": export.deliverable},
    )
    return redirect(reverse("reports:dashboard") + "#exports")


@require_safe
@role_required(Role.COORDINATOR)
def export_download(request: HttpRequest, pk: int) -> HttpResponse:
    export = get_object_or_404(DocumentExport.objects.select_related("deliverable"), pk=pk)
    if export.state != DocumentExport.State.DONE:
        return render(
            request,
            "reports/document_pending.html",
            {"deliverable": export.deliverable, "export": export},
        )
    return _file_response(export)


# The mailing list ----------------------------------------------------------------------------


def _page_language(request: HttpRequest) -> str:
    """The language of the page the visitor reads (the menu's, the browser's, their profile's)."""
    language = getattr(request, "LANGUAGE_CODE", "en")
    return language if is_language(language) else "en"


def subscribe(request: HttpRequest) -> HttpResponse:
    form = SubscribeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        # Each request sends an e-mail: a network asking for too many is refused for a while.
        if not ratelimit.consume(request, action="subscribe"):
            form.add_error(
                None,
                gettext(
                    "Too many subscriptions were asked for from your network in the last hour. "
                    "Please try again later."
                ),
            )
            return render(request, "reports/subscriber_form.html", {"form": form}, status=429)
        if not form.cleaned_data["website"]:
            services.subscription_request(
                email=form.cleaned_data["email"],
                name=form.cleaned_data["name"],
                language=_page_language(request),
            )
        # The same answer whatever the address's state: the form reveals nobody's.
        return render(
            request, "reports/subscriber_requested.html", {"email": form.cleaned_data["email"]}
        )
    return render(request, "reports/subscriber_form.html", {"form": form})


def subscribe_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """A GET only shows the button: link checkers that open links confirm nothing."""
    try:
        if request.method == "POST":
            subscriber = services.subscription_confirm(token=token)
            return render(request, "reports/subscriber_confirmed.html", {"subscriber": subscriber})
        subscriber = services.subscriber_for_confirmation(token=token)
    except services.SubscriptionError as error:
        return render(request, "reports/subscriber_error.html", {"error": str(error)}, status=400)
    return render(request, "reports/subscriber_confirm.html", {"subscriber": subscriber})


@csrf_exempt  # One-click unsubscription (RFC 8058) posts from mail clients; the token is the key.
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button; POST (the button, or a mail client's one-click) unsubscribes."""
    subscriber = Subscriber.objects.filter(token=token).first()
    if subscriber is None:
        return render(
            request,
            "reports/subscriber_error.html",
            {"error": gettext("This unsubscribe link is not valid. It may have been mistyped.")},
            status=404,
        )
    if request.method == "POST":
        services.subscriber_unsubscribe(subscriber=subscriber)
        return render(request, "reports/subscriber_unsubscribed.html", {"subscriber": subscriber})
    return render(request, "reports/subscriber_unsubscribe.html", {"subscriber": subscriber})
