"""One order of day and month for a whole responses file, and submission dates within the
exercise's plausible range (issue 11, items 4 and 5)."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import Workbook

from issues.models import Respondent
from issues.services.responses import responses_import_file
from wgec.documents.spreadsheets import csv_bytes

pytestmark = pytest.mark.django_db

HEADERS = ["Timestamp", "Submitted", "Name", "Organisation", "Country", "Stakeholder group",
           "Consent to cite", "Q4"]  # fmt: skip
# Naive, as a spreadsheet holds them: times of the site's time zone.
PEOPLE = [
    ("Government of Brazil", "BR", datetime.datetime(2013, 9, 2, 9, 30, 5)),  # noqa: DTZ001
    ("ISOC", "US", datetime.datetime(2013, 9, 17, 14, 3, 22)),  # noqa: DTZ001
    ("Government of Chile", "CL", datetime.datetime(2013, 10, 1, 8, 0, 0)),  # noqa: DTZ001
]


def _rows(submitted):
    return [
        ["", submitted(moment), name, "", country, "Government", "Yes", f"Answer of {name}."]
        for name, country, moment in PEOPLE
    ]


def _google_forms_csv(people=PEOPLE) -> bytes:
    """As a Google Forms response sheet downloads in the United States: month first."""
    return csv_bytes(
        HEADERS,
        [
            [
                "",
                f"{m.month}/{m.day}/{m.year} {m:%H:%M:%S}",
                name,
                "",
                country,
                "Government",
                "Yes",
                f"Answer of {name}.",
            ]  # fmt: skip
            for name, country, m in people
        ],
    )


def _xlsx() -> bytes:
    workbook = Workbook()
    workbook.active.append(HEADERS)
    for row in _rows(lambda moment: moment):
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_date_that_only_fits_month_first_decides_the_whole_column(questionnaire):
    plan = responses_import_file(data=_google_forms_csv(), filename="form.csv")
    assert plan.errors == []
    dates = sorted(timezone.localtime(r.submitted_at).date() for r in Respondent.objects.all())
    # "9/2/2013" is 2 September, as "9/17/2013" in the same column says.
    assert dates == [
        datetime.date(2013, 9, 2),
        datetime.date(2013, 9, 17),
        datetime.date(2013, 10, 1),
    ]


def test_importing_the_same_responses_as_csv_after_xlsx_creates_no_duplicates(questionnaire):
    first = responses_import_file(data=_xlsx(), filename="responses.xlsx")
    assert first.errors == [] and first.counts == {"create": 3}
    again = responses_import_file(data=_google_forms_csv(), filename="form.csv")
    assert again.errors == []
    assert again.counts == {"unchanged": 3}
    assert Respondent.objects.count() == 3


def test_a_file_whose_dates_read_both_ways_is_refused_until_the_order_is_given(questionnaire):
    ambiguous = PEOPLE[:1] + PEOPLE[2:]  # 9/2/2013 and 10/1/2013: no day above 12
    data = _google_forms_csv(ambiguous)
    plan = responses_import_file(data=data, filename="form.csv")
    assert [str(error) for error in plan.errors] == [
        "Sheet “form”, row 2, column “Submitted”: the dates can be read day first or month first "
        "(“9/2/2013 09:30:05”: is it 9 February or September 2?) and no date in the file "
        "decides; say which order the file uses (the import form's “Date order”, or "
        "--date-order dmy|mdy)."
    ]
    assert Respondent.objects.count() == 0
    plan = responses_import_file(data=data, filename="form.csv", order="mdy")
    assert plan.errors == []
    brazil = Respondent.objects.get(country="BR")
    assert timezone.localtime(brazil.submitted_at).date() == datetime.date(2013, 9, 2)


def test_a_column_mixing_both_orders_is_refused_naming_both_rows(questionnaire):
    data = csv_bytes(
        HEADERS,
        [
            ["", "17/09/2013", "A", "", "BR", "Government", "Yes", "x"],
            ["", "9/18/2013", "B", "", "BR", "Government", "Yes", "y"],
        ],  # fmt: skip
    )
    plan = responses_import_file(data=data, filename="mixed.csv")
    assert [str(error) for error in plan.errors] == [
        "Sheet “mixed”, row 2, column “Submitted”: the dates are written in two orders: "
        "“17/09/2013” (row 2) is day first, “9/18/2013” (row 3) is month first; write every "
        "date in one order (or as 2013-09-17)."
    ]
    assert Respondent.objects.count() == 0


def test_a_chosen_order_that_a_date_contradicts_is_refused(questionnaire):
    plan = responses_import_file(data=_google_forms_csv(), filename="form.csv", order="dmy")
    assert [str(error) for error in plan.errors] == [
        "Sheet “form”, row 3, column “Submitted”: the dates were said to be day first "
        "(17/09/2013), but “9/17/2013 14:03:22” can only be month first."
    ]


@pytest.mark.parametrize(
    ("submitted", "message"),
    [
        (
            "1999-12-31",
            "the submission date 1999-12-31 is before 2000; check the date (and its "
            "order of day and month).",
        ),  # fmt: skip
        ("2999-01-01", "the submission date 2999-01-01 is in the future; check the date."),
    ],
)
def test_submission_dates_outside_the_plausible_range_are_refused_naming_the_row(
    questionnaire, submitted, message
):
    data = csv_bytes(
        HEADERS,
        [
            ["", "2013-09-02", "A", "", "BR", "Government", "Yes", "x"],
            ["", submitted, "B", "", "BR", "Government", "Yes", "y"],
        ],  # fmt: skip
    )
    plan = responses_import_file(data=data, filename="r.csv")
    assert [str(error) for error in plan.errors] == [
        f"Sheet “r”, row 3, column “Submitted”: {message}"
    ]
    assert Respondent.objects.count() == 0


def test_import_command_takes_the_date_order(questionnaire, tmp_path):
    path = tmp_path / "form.csv"
    path.write_bytes(_google_forms_csv(PEOPLE[:1] + PEOPLE[2:]))
    with pytest.raises(CommandError, match="say which order the file uses"):
        call_command("import_responses", str(path))
    assert Respondent.objects.count() == 0
    out = io.StringIO()
    call_command("import_responses", str(path), "--date-order", "mdy", stdout=out)
    assert "2 created" in out.getvalue()
    brazil = Respondent.objects.get(country="BR")
    assert timezone.localtime(brazil.submitted_at).date() == datetime.date(2013, 9, 2)
