"""The authentication backends: Django's and django-allauth's, loading a signed-in person's
participant record with their user in one query.

Every request of a signed-in person asks for their role (``wgec.roles.role_of``), and the pages
where they write for the participant they speak as (``wgec.roles.participant_of``, with their
stakeholder group): both read the participant record, loaded with the user by the session's
backend, one or two queries a request fewer.
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend


class _UserWithParticipant:
    def get_user(self, user_id):
        manager = get_user_model()._default_manager
        user = manager.select_related("participant__stakeholder_group").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(_UserWithParticipant, DjangoModelBackend):
    """Django's: a user name and password."""


class AccountBackend(_UserWithParticipant, AllauthBackend):
    """django-allauth's: an e-mail address or user name and password."""
