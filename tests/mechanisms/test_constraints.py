import pytest
from django.db import IntegrityError, transaction

from mechanisms.models import Coverage, Gap, Mechanism
from tests.factories import CoverageFactory, GapFactory, MechanismFactory

pytestmark = pytest.mark.django_db


def refused(write) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


def test_one_coverage_per_issue_and_mechanism():
    coverage = CoverageFactory()
    refused(lambda: CoverageFactory(issue=coverage.issue, mechanism=coverage.mechanism))


def test_coverage_status_stays_within_its_choices():
    coverage = CoverageFactory()
    refused(lambda: Coverage.objects.filter(pk=coverage.pk).update(status="mostly"))


def test_one_gap_per_issue_and_type():
    gap = GapFactory()
    refused(lambda: GapFactory(issue=gap.issue, type=gap.type))
    assert GapFactory(issue=gap.issue, type=Gap.Type.CAPACITY).pk


def test_gap_type_stays_within_its_choices():
    gap = GapFactory()
    refused(lambda: Gap.objects.filter(pk=gap.pk).update(type="budget"))


def test_mechanism_name_is_unique_and_kind_valid():
    mechanism = MechanismFactory()
    refused(lambda: MechanismFactory(name=mechanism.name))
    refused(lambda: Mechanism.objects.filter(pk=mechanism.pk).update(kind="club"))
