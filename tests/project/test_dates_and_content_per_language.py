"""Dates in each language's own form, and the texts held per language (clusters' names, themes'
titles, deliverables' titles) on the pages, with answers shown in the language they were written
in and that language named."""

import datetime

import pytest
from django.urls import reverse
from django.utils import formats, translation

from issues.models import Comment
from tests.factories import (
    AnswerFactory,
    ClusterFactory,
    CommentFactory,
    DeliverableFactory,
    IssueFactory,
    MeetingFactory,
    QuestionFactory,
    RespondentFactory,
    ThemeFactory,
)
from wgec.languages import date_range

pytestmark = pytest.mark.django_db

A_DAY = datetime.date(2013, 11, 30)


@pytest.mark.parametrize(
    ("language", "written"),
    [
        ("en", "30 November 2013"),
        ("fr", "30 novembre 2013"),
        ("es", "30 de noviembre de 2013"),
        ("ru", "30 ноября 2013 года"),
        ("zh-hans", "2013年11月30日"),
        ("ar", "30 تشرين الثاني/نوفمبر 2013"),
    ],
)
def test_a_day_is_written_as_the_un_writes_it_in_each_language(language, written):
    with translation.override(language):
        assert formats.date_format(A_DAY, "DATE_FORMAT") == written


def test_a_month_and_day_have_no_leading_zero_in_chinese_and_the_genitive_in_russian():
    with translation.override("zh-hans"):
        assert formats.date_format(datetime.date(2014, 2, 4), "MONTH_DAY_FORMAT") == "2月4日"
    with translation.override("ru"):
        assert formats.date_format(A_DAY, "MONTH_DAY_FORMAT") == "30 ноября"


@pytest.mark.parametrize(
    ("language", "days", "written"),
    [
        ("en", (30, 31), "30–31 May 2013"),
        ("fr", (30, 31), "30–31 mai 2013"),
        ("es", (30, 31), "30–31 de mayo de 2013"),
        ("ru", (30, 31), "30–31 мая 2013 года"),
        ("zh-hans", (30, 31), "2013年5月30日至31日"),
        ("ar", (30, 31), "30-31 أيار/مايو 2013"),
        ("en", (31, 31), "31 May 2013"),
        ("zh-hans", (31, 31), "2013年5月31日"),
    ],
)
def test_a_meeting_of_some_days_in_one_month_names_its_month_and_year_once(language, days, written):
    start, end = (datetime.date(2013, 5, day) for day in days)
    with translation.override(language):
        assert "".join(date_range(start, end)) == written


def test_a_meeting_across_months_or_years_writes_what_differs():
    with translation.override("en"):
        assert "".join(date_range(datetime.date(2013, 5, 30), datetime.date(2013, 6, 2))) == (
            "30 May–2 June 2013"
        )
        assert "".join(date_range(datetime.date(2013, 12, 30), datetime.date(2014, 1, 2))) == (
            "30 December 2013–2 January 2014"
        )
    with translation.override("zh-hans"):
        assert "".join(date_range(datetime.date(2013, 5, 30), datetime.date(2013, 6, 2))) == (
            "2013年5月30日至6月2日"
        )


def test_the_home_page_dates_the_meetings_in_chinese_as_a_range(client):
    MeetingFactory(
        title="Second meeting",
        start_date=datetime.date(2013, 11, 6),
        end_date=datetime.date(2013, 11, 8),
    )
    text = client.get("/", headers={"accept-language": "zh-hans"}).content.decode()
    assert '2013年11月6日</time>至<time datetime="2013-11-08">8日</time>' in text


@pytest.mark.parametrize(
    ("language", "written"),
    [("zh-hans", "2013年11月30日 15:05"), ("ru", "30 ноября 2013 года, 15:05")],
)
def test_the_issue_page_dates_a_comment_in_the_visitors_language(
    observer_client, settings, language, written
):
    settings.TIME_ZONE = "UTC"
    comment = CommentFactory(issue=IssueFactory())
    moment = datetime.datetime(2013, 11, 30, 15, 5, tzinfo=datetime.UTC)
    Comment.objects.filter(pk=comment.pk).update(created_at=moment)
    response = observer_client.get(
        comment.issue.get_absolute_url(), headers={"accept-language": language}
    )
    page = response.content.decode()
    assert f'<html lang="{language}"' in page
    assert written in page


def test_the_issue_list_names_a_cluster_in_the_visitors_language(client):
    cluster = ClusterFactory(slug="security", name="Security", name_zh_hans="安全", name_ru="")
    IssueFactory(cluster=cluster, title="Cybersecurity")
    chinese = client.get(reverse("issues:list"), headers={"accept-language": "zh-hans"})
    assert ">安全</td>" in chinese.content.decode()
    # No Russian name entered: the English one, marked as English.
    russian = client.get(reverse("issues:list"), headers={"accept-language": "ru"})
    assert '<span lang="en" dir="ltr">Security</span>' in russian.content.decode()


def test_a_theme_and_a_question_fall_back_to_english(client):
    theme = ThemeFactory(
        letter="c", title="Role of stakeholders", title_fr="Rôle des parties prenantes"
    )
    QuestionFactory(theme=theme, text="What is the role of stakeholders?")
    page = client.get(reverse("issues:question-list"), headers={"accept-language": "fr"})
    page = page.content.decode()
    assert "c. Rôle des parties prenantes</a>" in page
    assert '<span lang="en" dir="ltr">What is the role of stakeholders?</span>' in page


def test_the_reports_page_gives_a_deliverables_title_in_the_visitors_language(client):
    DeliverableFactory(title="First update report", title_ar="تقرير المستكمل الأول")
    page = client.get(reverse("reports:schedule"), headers={"accept-language": "ar"})
    assert "تقرير المستكمل الأول</a>" in page.content.decode()


def test_an_answer_is_shown_in_its_language_which_is_named(client):
    respondent = RespondentFactory(language="zh", consent_to_cite=True)
    answer = AnswerFactory(respondent=respondent, text="宽带连接")
    page = client.get(
        reverse("issues:question-detail", args=[answer.question.code]),
        headers={"accept-language": "fr"},
    ).content.decode()
    assert '<p class="answer-language">Rédigé en chinois</p>' in page
    assert '<div class="answer-text" dir="auto" lang="zh">' in page
    # In the language of the page, its language goes without saying.
    page = client.get(
        reverse("issues:question-detail", args=[answer.question.code]),
        headers={"accept-language": "zh-hans"},
    ).content.decode()
    assert "answer-language" not in page
    assert "宽带连接" in page


def test_a_text_in_another_language_is_shown_inert(client):
    ClusterFactory(slug="security", name="<b>Security</b>", name_fr="<i>Sécurité</i>")
    IssueFactory(title="Cybersecurity")
    french = client.get(reverse("issues:list"), headers={"accept-language": "fr"}).content
    russian = client.get(reverse("issues:list"), headers={"accept-language": "ru"}).content
    assert "&lt;i&gt;Sécurité&lt;/i&gt;" in french.decode() and "<i>Sécurité" not in french.decode()
    assert '<span lang="en" dir="ltr">&lt;b&gt;Security&lt;/b&gt;</span>' in russian.decode()
