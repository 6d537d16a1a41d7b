"""How django-allauth fits the exercise: where people land after logging in."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import LoginForm, ResetPasswordForm, SignupForm
from django.contrib.auth import get_user_model
from django.contrib.sites.shortcuts import get_current_site
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

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

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        """The key of allauth's per-account throttle of failed logins ("5/300s/key"): the
        account and the visitor's address together, so that a stranger's failures never lock
        the owner out from their own address (the per-address limit, "10/m/ip", still holds
        every address back). A user name and an e-mail address of one account are one account;
        a login that names no account counts as typed.

        Overrides a private method of django-allauth (pinned in pyproject.toml): the only place
        where that key is made.
        """
        login = str(credentials.get("email", credentials.get("username", ""))).strip().lower()
        user_id = (
            get_user_model()
            .objects.filter(
                Q(username__iexact=login)
                | Q(email__iexact=login)
                | Q(emailaddress__email__iexact=login)
            )
            .values_list("pk", flat=True)
            .first()
            # No account has a longer name or address (254 is the longest e-mail address).
            if login and len(login) <= 254
            else None
        )
        account = f"account-{user_id}" if user_id is not None else f"login-{login}"
        return f"{get_current_site(request).domain}:{account}:{self.get_client_ip(request)}"


def _in_the_sites_words(form, labels: dict) -> None:
    """allauth's fields labelled in the site's words, without placeholders that repeat them."""
    for name, label in labels.items():
        if name in form.fields:
            form.fields[name].label = label
    for field in form.fields.values():
        field.widget.attrs.pop("placeholder", None)


# allauth's forms (settings.ACCOUNT_FORMS), refusing control characters like every other form.
class CheckedLoginForm(CheckedTextMixin, LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _in_the_sites_words(
            self,
            {"login": _("User name or e-mail address"), "remember": _("Keep me logged in")},
        )


class CheckedSignupForm(CheckedTextMixin, SignupForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _in_the_sites_words(
            self,
            {
                "email": _("E-mail address"),
                "username": _("User name"),
                "password1": _("Password"),
                "password2": _("The password again"),
            },
        )


class CheckedResetPasswordForm(CheckedTextMixin, ResetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _in_the_sites_words(self, {"email": _("E-mail address")})
