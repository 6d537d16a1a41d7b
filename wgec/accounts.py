"""How django-allauth fits the exercise: where people land after logging in."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import LoginForm, ResetPasswordForm, SignupForm
from django.urls import reverse

from wgec.models import Participant
from wgec.roles import Role, role_of
from wgec.text_checks import CheckedTextMixin


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request) -> str:
        """Someone who has not yet asked to join the correspondence group is offered to."""
        user = request.user
        if (
            role_of(user) == Role.OBSERVER
            and not user.join_requests.exists()
            and not Participant.objects.filter(user=user).exists()
        ):
            return reverse("wgec:join")
        return super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request) -> str:
        """After signing up (and confirming the address), the request to join."""
        return reverse("wgec:join")


# allauth's forms (settings.ACCOUNT_FORMS), refusing control characters like every other form.
class CheckedLoginForm(CheckedTextMixin, LoginForm):
    pass


class CheckedSignupForm(CheckedTextMixin, SignupForm):
    pass


class CheckedResetPasswordForm(CheckedTextMixin, ResetPasswordForm):
    pass
