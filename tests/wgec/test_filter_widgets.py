"""The list pages' filter forms draw their widgets with Django's Jinja2 form renderer
(``wgec.filters.CheckedFilterForm``): the HTML Django's own widget templates draw (a quotation
mark escaped as ``&#34;`` where Django writes ``&quot;``, an apostrophe as ``&#39;`` for
``&#x27;``: the same characters), every value escaped, the chosen values kept."""

import html
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.forms.renderers import DjangoTemplates, Jinja2
from django.urls import reverse
from django.utils import translation

from issues.filters import RespondentFilter
from issues.models import Respondent
from mechanisms.filters import IssueMapFilter, MechanismFilter
from mechanisms.models import Mechanism, mapped_issues
from tests.factories import ClusterFactory, StakeholderGroupFactory

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script> & "quoted"'


def _drawn(form, renderer=None) -> str:
    if renderer is not None:
        form.renderer = renderer
    html = "".join(f"{field.label_tag()}{field}" for field in form)
    return re.sub(r">\s+<", "><", html.strip())


@pytest.fixture
def hostile_choices():
    ClusterFactory(slug="hostile", name=HOSTILE)
    StakeholderGroupFactory(slug="hostile-group", name=HOSTILE)


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
@pytest.mark.parametrize(
    "make",
    [
        lambda: IssueMapFilter(
            {"cluster": "hostile", "q": HOSTILE, "sort": "-title"},
            queryset=mapped_issues(),
            user=AnonymousUser(),
        ),
        lambda: RespondentFilter({"q": HOSTILE}, queryset=Respondent.objects.all()),
        lambda: MechanismFilter({"q": HOSTILE}, queryset=Mechanism.objects.all()),
    ],
    ids=["issue map", "respondents", "mechanisms"],
)
def test_filter_widgets_are_drawn_as_djangos_templates_draw_them(hostile_choices, make, language):
    with translation.override(language):
        drawn = _drawn(make().form)
        assert isinstance(make().form.renderer, Jinja2)
        assert html.unescape(drawn) == html.unescape(_drawn(make().form, DjangoTemplates()))
    assert HOSTILE not in drawn and "<script>" not in drawn
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#34;quoted&#34;" in drawn


def test_the_issue_list_keeps_the_chosen_filters_in_its_form(client, hostile_choices):
    page = client.get(reverse("issues:list"), {"cluster": "hostile", "sort": "-title"})
    html = page.content.decode()
    assert '<option value="hostile" selected>' in html
    assert '<option value="-title" selected>' in html
    assert "<script>alert" not in html


def test_a_model_select_reads_its_choices_once(hostile_choices, django_assert_num_queries):
    form = IssueMapFilter({"cluster": "hostile"}, queryset=mapped_issues(), user=None).form
    assert form.is_valid()  # the cluster sent checked against the clusters: a query
    with django_assert_num_queries(2):  # the clusters, the stakeholder groups: once each
        first, again = _drawn(form), _drawn(form)
    assert first == again and '<option value="hostile" selected>' in first
