"""The statistics the record quotes: respondents by development status as the UN classifies
countries, intergovernmental organisations apart, joint submissions counted once, and small
country cells withheld where a respondent did not consent to be cited."""

import csv

import pytest
from django.urls import reverse
from django_countries import countries

from issues.models import Cosigner
from tests.factories import RespondentFactory, StakeholderGroupFactory
from wgec.development import DATA, development_of, development_table

pytestmark = pytest.mark.django_db


def test_the_classification_covers_every_country_django_countries_knows():
    table = development_table()
    assert set(table) == {country.code for country in countries}
    unclassified = {code for code, row in table.items() if row.status == "unclassified"}
    assert unclassified == {"AQ", "TW"}
    assert development_of("BR").status == "developing"
    assert development_of("FI").status == "developed"
    assert development_of("LS").ldc and development_of("LS").lldc
    assert development_of("FJ").sids and not development_of("FJ").ldc
    assert sum(row.ldc for row in table.values()) == 49
    assert sum(row.lldc for row in table.values()) == 32
    with DATA.open() as handle:
        assert "Source: UN Statistics Division" in handle.read()


def test_the_data_file_names_its_columns():
    with DATA.open() as handle:
        rows = list(csv.reader(line for line in handle if not line.startswith("#")))
    assert rows[0] == ["code", "name", "status", "ldc", "lldc", "sids"]


def test_development_status_igos_apart_joint_submissions_once_and_small_cells(client):
    governments = StakeholderGroupFactory(slug="governments")
    civil = StakeholderGroupFactory(slug="civil-society")
    igo = StakeholderGroupFactory(slug="intergovernmental")
    for code in ("BR", "BR", "KE"):
        RespondentFactory(country=code, stakeholder_group=civil, consent_to_cite=True)
    RespondentFactory(country="FI", stakeholder_group=governments, consent_to_cite=False)
    RespondentFactory(country="CH", stakeholder_group=igo, consent_to_cite=True)
    joint = RespondentFactory(
        name="Respondent 09", country="LS", stakeholder_group=civil, consent_to_cite=True
    )
    Cosigner.objects.create(respondent=joint, name="A partner from Africa", position=1)
    Cosigner.objects.create(respondent=joint, name="A partner from Asia", position=2)
    page = client.get(reverse("issues:statistics")).content.decode()
    assert "6 respondents" in page  # the joint submission counted once
    majority = "More than half of the respondents whose country is recorded came from developing"
    assert f"{majority} countries: 4 of 5" in page
    assert "1 joint submission, each counted once" in page
    assert "co-signed by A partner from Africa; A partner from Asia" in page
    assert "of which least developed countries" in page
    assert "Intergovernmental organisations (counted apart)" in page
    countries_table = page[page.index('id="countries"') :]
    assert "Switzerland" not in countries_table  # the IGO is not counted in its host country
    finland = countries_table[countries_table.index("Finland") :]
    assert finland[: finland.index("</tr>")].count("fewer than 3") == 1
    brazil = countries_table[countries_table.index("Brazil") :]
    assert "fewer than 3" not in brazil[: brazil.index("</tr>")]  # both consented
