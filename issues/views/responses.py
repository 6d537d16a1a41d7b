"""The published responses: by question, by respondent and by theme, their statistics and the
compilations to download.

Every page and download reads respondents and answers through ``Respondent.objects.public()``
and ``Answer.objects.public()``: a respondent who did not consent to be cited is counted in the
statistics and never shown by name, organisation or answer text.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from issues import exports
from issues.filters import AnswerFilter, RespondentFilter
from issues.models import Answer, Issue, IssueSource, Question, Respondent, Theme
from wgec.countries import country_name, un_name
from wgec.development import DEVELOPED, DEVELOPING, UNCLASSIFIED, development_of
from wgec.links import link_maker
from wgec.models import StakeholderGroup
from wgec.page_cache import Audience, cached_content, query_key, served_whole
from wgec.regions import RegionalGroup, regional_group_of

ANSWERS_PER_PAGE = 50
RESPONDENTS_PER_PAGE = 50
THEME_RESPONDENTS_PER_PAGE = 20


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_safe
def question_list(request: HttpRequest) -> HttpResponse:
    themes = Theme.objects.prefetch_related(
        Prefetch("questions", queryset=Question.objects.with_answer_counts())
    )
    return render(request, "issues/question_list.html", {"themes": themes})


@served_whole(roles=True)
@require_safe
def question_detail(request: HttpRequest, code: str) -> HttpResponse:
    questions = list(Question.objects.select_related("theme"))
    by_code = {question.code.casefold(): question for question in questions}
    question = by_code.get(code.casefold())
    if question is None:
        raise Http404("No such question.")
    if question.code != code:
        return redirect(question)
    content = cached_content(
        request,
        "issues/question_detail.html",
        lambda: _question_context(request, questions, question),
        vary=(question.code, query_key(request)),
        audience=Audience.EVERYONE,
    )
    return render(
        request, "issues/question_detail.html", {"question": question, "content": content}
    )


def _question_context(request: HttpRequest, questions: list[Question], question: Question) -> dict:
    filterset = AnswerFilter(
        request.GET,
        queryset=Answer.objects.public().filter(question=question).by_respondent_name(),
    )
    page = Paginator(filterset.qs, ANSWERS_PER_PAGE).get_page(request.GET.get("page"))
    counts = Answer.objects.filter(question=question).aggregate(
        total=Count("pk"), withheld=Count("pk", filter=Q(respondent__consent_to_cite=False))
    )
    index = questions.index(question)
    return {
        "question": question,
        "filter": filterset,
        "page": page,
        "counts": counts,
        "previous": questions[index - 1] if index else None,
        "next": questions[index + 1] if index + 1 < len(questions) else None,
        "query": _query_without_page(request),
    }


@served_whole(roles=True)
@require_safe
def respondent_list(request: HttpRequest) -> HttpResponse:
    content = cached_content(
        request,
        "issues/respondent_list.html",
        lambda: _respondent_list_context(request),
        vary=(query_key(request),),
        audience=Audience.EVERYONE,
    )
    return render(request, "issues/respondent_list.html", {"content": content})


def _respondent_list_context(request: HttpRequest) -> dict:
    filterset = RespondentFilter(
        request.GET,
        queryset=Respondent.objects.public().order_by("name", "pk"),
    )
    # The answers are counted for the rows shown only, after paging: counted in the list's
    # query, every consenting respondent would be joined to their answers, twice (the
    # paginator's count too).
    page = Paginator(filterset.qs, RESPONDENTS_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    answer_counts = Answer.objects.counts_by_respondent(page.object_list)
    link = link_maker("issues:respondent-detail")
    for respondent in page.object_list:
        respondent.answer_count = answer_counts.get(respondent.pk, 0)
        respondent.link = link(respondent.pk)
        respondent.country_name = country_name(respondent.country.code)
    counts = Respondent.objects.aggregate(
        total=Count("pk"), withheld=Count("pk", filter=Q(consent_to_cite=False))
    )
    return {
        "filter": filterset,
        "page": page,
        "counts": counts,
        "query": _query_without_page(request),
    }


@dataclass
class RaisedIssue:
    """An issue a respondent's answers raised (a merged one counts as its survivor), with the
    address of its page."""

    issue: Issue
    sources: list[IssueSource]
    link: str


@served_whole(roles=True)
@require_safe
def respondent_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # A respondent without consent has no page: the same 404 as an ID that does not exist.
    respondent = get_object_or_404(Respondent.objects.public(), pk=pk)
    content = cached_content(
        request,
        "issues/respondent_detail.html",
        lambda: _respondent_context(request, respondent),
        vary=(str(respondent.pk),),
        # Signed-in people also see the proposed issues a respondent raised.
        audience=Audience.ROLE,
    )
    return render(
        request, "issues/respondent_detail.html", {"respondent": respondent, "content": content}
    )


def _respondent_context(request: HttpRequest, respondent: Respondent) -> dict:
    answers = respondent.answers.select_related("question__theme").in_question_order()
    raised: dict[int, RaisedIssue] = {}
    # Each issue's link built from one resolved URL (``get_absolute_url`` resolves each).
    issue_link = link_maker("issues:detail")
    for source in IssueSource.objects.visible_to(request.user).raised_by(respondent):
        issue = source.issue.merged_into or source.issue
        if issue.pk not in raised:
            raised[issue.pk] = RaisedIssue(issue, [], issue_link(issue.pk))
        raised[issue.pk].sources.append(source)
    return {
        "respondent": respondent,
        "answers": answers,
        "raised": sorted(raised.values(), key=lambda row: row.issue.title.casefold()),
    }


@require_safe
def theme_detail(request: HttpRequest, letter: str) -> HttpResponse:
    theme = get_object_or_404(Theme, letter=letter.lower())
    if theme.letter != letter:
        return redirect("issues:theme-detail", letter=theme.letter)
    questions = list(theme.questions.with_answer_counts())
    respondents = (
        Respondent.objects.consenting()
        .filter(pk__in=Answer.objects.filter(question__theme=theme).values("respondent"))
        .order_by("name", "pk")
    )
    page = Paginator(respondents, THEME_RESPONDENTS_PER_PAGE).get_page(request.GET.get("page"))
    answers: dict[int, list[Answer]] = defaultdict(list)
    for answer in (
        Answer.objects.public()
        .filter(question__theme=theme, respondent__in=[row.pk for row in page])
        .by_respondent_name()
    ):
        answers[answer.question_id].append(answer)
    context = {
        "theme": theme,
        "themes": Theme.objects.all(),
        "sections": [(question, answers[question.pk]) for question in questions],
        "page": page,
    }
    return render(request, "issues/theme_detail.html", context)


@dataclass
class Bar:
    label: str
    total: int
    cited: int
    code: str = ""
    sub: bool = False  # a part of the row above (least developed countries of the developing)

    @property
    def withheld(self) -> int:
        return self.total - self.cited

    @property
    def suppressed(self) -> bool:
        """A cell of fewer than three respondents one of whom did not consent: its count could
        point at them, so it is shown as "fewer than 3"."""
        return 0 < self.total < SMALL_CELL and self.withheld > 0


SMALL_CELL = 3
INTERGOVERNMENTAL = "intergovernmental"


def _development_bars(counts: dict[str, list[int]]) -> list[Bar]:
    """Respondents by development status, from [total, cited] by country code."""
    rows: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for code, (total, cited) in counts.items():
        development = development_of(code) if code else None
        keys = ["not-stated" if development is None else development.status]
        if development is not None:
            keys += [key for key in ("ldc", "lldc", "sids") if getattr(development, key)]
        for key in keys:
            rows[key][0] += total
            rows[key][1] += cited
    labels = [
        (DEVELOPING, _("Developing countries"), False),
        ("ldc", _("of which least developed countries"), True),
        ("lldc", _("of which landlocked developing countries"), True),
        ("sids", _("of which small island developing States"), True),
        (DEVELOPED, _("Developed countries"), False),
        (UNCLASSIFIED, _("Not classified by the United Nations"), False),
        ("not-stated", _("Country not stated"), False),
    ]
    return [
        Bar(label, rows[key][0], rows[key][1], key, sub)
        for key, label, sub in labels
        if rows[key][0] or key in (DEVELOPING, DEVELOPED)
    ]


def _joint_submissions() -> list[Respondent]:
    """Joint submissions (counted once each) with their co-signers; only the consenting ones
    are named."""
    return list(
        Respondent.objects.public()
        .filter(cosigners__isnull=False)
        .distinct()
        .prefetch_related("cosigners")
        .order_by("name", "pk")
    )


@served_whole(roles=True)
@require_safe
def statistics(request: HttpRequest) -> HttpResponse:
    """Counts computed from the data, consenting and non-consenting respondents together.

    Intergovernmental organisations are counted apart: never in their host country or its
    region. A joint submission is one respondent, counted once. A country with fewer than three
    respondents, one of whom did not consent to be cited, shows "fewer than 3". Its content,
    the same for every visitor, is cached until a response changes.
    """
    content = cached_content(
        request,
        "issues/response_statistics.html",
        _statistics_context,
        audience=Audience.EVERYONE,
    )
    return render(request, "issues/response_statistics.html", {"content": content})


def _statistics_context() -> dict:
    # Every respondent belongs to a stakeholder group: the totals are the groups' sums (one
    # query for both; distinct, as a joint submission's co-signers multiply its rows).
    by_group = list(
        StakeholderGroup.objects.annotate(
            total=Count("respondents", distinct=True),
            cited=Count("respondents", filter=Q(respondents__consent_to_cite=True), distinct=True),
            joint=Count(
                "respondents", filter=Q(respondents__cosigners__isnull=False), distinct=True
            ),
        )
    )
    totals = {
        key: sum(getattr(group, key) for group in by_group) for key in ("total", "cited", "joint")
    }
    groups = [Bar(group.name, group.total, group.cited, group.slug) for group in by_group]
    by_country = (
        Respondent.objects.exclude(stakeholder_group__slug=INTERGOVERNMENTAL)
        .order_by()
        .values("country")
        .annotate(total=Count("pk"), cited=Count("pk", filter=Q(consent_to_cite=True)))
    )
    intergovernmental = next((bar for bar in groups if bar.code == INTERGOVERNMENTAL), None)
    country_bars = []
    region_totals: Counter = Counter()
    region_cited: Counter = Counter()
    counts: dict[str, list[int]] = {}
    for row in by_country:
        code = row["country"] or ""
        counts[code] = [row["total"], row["cited"]]
        country_bars.append(
            Bar(un_name(code) if code else _("Not stated"), row["total"], row["cited"], code)
        )
        region = regional_group_of(code)
        key = region.value if region else ""
        region_totals[key] += row["total"]
        region_cited[key] += row["cited"]
    regions = [
        Bar(group.label, region_totals[group.value], region_cited[group.value], group.value)
        for group in RegionalGroup
    ]
    if region_totals[""]:
        regions.append(
            Bar(_("No regional group or not stated"), region_totals[""], region_cited[""])
        )
    development = _development_bars(counts)
    if intergovernmental is not None and intergovernmental.total:
        apart = Bar(
            _("Intergovernmental organisations (counted apart)"),
            intergovernmental.total,
            intergovernmental.cited,
            INTERGOVERNMENTAL,
        )
        regions.append(apart)
        development.append(apart)
    country_bars.sort(key=lambda bar: (-bar.total, bar.code == "", bar.label))
    answer_counts = Answer.objects.counts_by_question()
    questions = [
        Bar(question.code, *answer_counts.get(question.pk, (0, 0)), question.code)
        for question in Question.objects.only("code")
    ]
    stated = {bar.code: bar.total for bar in development}
    classified = stated.get(DEVELOPING, 0) + stated.get(DEVELOPED, 0)
    return {
        "totals": totals,
        "charts": [
            ("groups", _("Respondents by stakeholder group"), _("Stakeholder group"), groups),
            (
                "development",
                _("Respondents by development status (United Nations M49)"),
                _("Development status"),
                development,
            ),
            ("regions", _("Respondents by UN regional group"), _("UN regional group"), regions),
            ("countries", _("Respondents by country"), _("Country"), country_bars),
        ],
        "developing": stated.get(DEVELOPING, 0),
        "classified": classified,
        "developing_majority": 2 * stated.get(DEVELOPING, 0) > classified,
        "joint_submissions": _joint_submissions(),
        "questions": questions,
        "question_max": max((bar.total for bar in questions), default=0),
        "country_count": sum(1 for bar in country_bars if bar.code),
    }


@require_safe
def question_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The compilation by question, as the secretariat posts it (consenting respondents)."""
    return exports.compilation_response(request, kind="question", fmt=fmt)


@require_safe
def respondent_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The compilation by respondent (consenting respondents), filtered as the list is."""
    return exports.compilation_response(request, kind="respondent", fmt=fmt)
