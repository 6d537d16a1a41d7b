import pytest
from django.contrib.auth import get_user
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from tests.factories import ParticipantFactory, UserFactory
from wgec.models import Participant
from wgec.roles import Role, has_role, role_of, role_required

pytestmark = pytest.mark.django_db


def test_each_persona_has_its_role(
    secretariat_user, chair_user, coordinator_user, member_user, observer_user
):
    assert role_of(AnonymousUser()) == Role.ANONYMOUS
    assert role_of(observer_user) == Role.OBSERVER
    assert role_of(member_user) == Role.MEMBER
    assert role_of(coordinator_user) == Role.COORDINATOR
    assert role_of(chair_user) == Role.CHAIR
    assert role_of(secretariat_user) == Role.SECRETARIAT


def test_signed_in_user_without_participant_record_is_an_observer():
    assert role_of(UserFactory()) == Role.OBSERVER


def test_wgec_member_outside_the_correspondence_group_only_observes():
    user = UserFactory()
    ParticipantFactory(user=user, role=Participant.Role.MEMBER, correspondence_group=False)
    assert role_of(user) == Role.OBSERVER


def test_inactive_user_has_no_role():
    user = UserFactory(is_active=False, is_staff=True)
    assert role_of(user) == Role.ANONYMOUS


def test_higher_roles_hold_the_lower_ones(chair_user, member_user):
    assert has_role(chair_user, Role.COORDINATOR)
    assert has_role(chair_user, Role.MEMBER)
    assert not has_role(member_user, Role.COORDINATOR)


def _view(request):
    return HttpResponse("done")


def test_role_required_sends_anonymous_to_log_in_and_refuses_lower_roles(
    member_user, coordinator_user
):
    guarded = role_required(Role.COORDINATOR)(_view)
    request = RequestFactory().get("/reports/")
    request.user = AnonymousUser()
    response = guarded(request)
    assert response.status_code == 302
    assert "next=/reports/" in response["Location"]
    request.user = member_user
    with pytest.raises(PermissionDenied):
        guarded(request)
    request.user = coordinator_user
    assert guarded(request).content == b"done"
    assert guarded.minimum_role == Role.COORDINATOR


def _session_request(client, user):
    """A request carrying ``user``'s session, as the authentication middleware gets it."""
    client.force_login(user)
    request = RequestFactory().get("/")
    request.session = client.session
    return request


def test_a_signed_in_persons_role_needs_no_query_beyond_loading_them(
    client, member_user, django_assert_num_queries
):
    request = _session_request(client, member_user)
    with django_assert_num_queries(2):  # the session; the user, their participant record with them
        user = get_user(request)
    with django_assert_num_queries(0):
        assert role_of(user) == Role.MEMBER


def test_a_signed_in_person_without_a_participant_record_is_loaded_as_quickly(
    client, django_assert_num_queries
):
    request = _session_request(client, UserFactory())
    with django_assert_num_queries(2):
        user = get_user(request)
    with django_assert_num_queries(0):
        assert role_of(user) == Role.OBSERVER


def test_a_deactivated_persons_session_signs_no_one_in(client):
    user = UserFactory()
    request = _session_request(client, user)
    type(user).objects.filter(pk=user.pk).update(is_active=False)
    assert not get_user(request).is_authenticated
