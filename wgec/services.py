"""Writes about the working group itself: the secretariat's permissions and local logins."""

import secrets
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction

SECRETARIAT_GROUP = "Secretariat"

# The secretariat keeps everything of the exercise, and the accounts of the people in it.
# (django-tasks-db's app label is django_tasks_database: its task results, shown in the admin.)
SECRETARIAT_APPS = ["wgec", "issues", "mechanisms", "reports", "auth", "django_tasks_database"]


@transaction.atomic
def secretariat_group_sync() -> Group:
    """Make sure the Secretariat group exists and holds every permission of the exercise."""
    group, _ = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
    wanted = set(
        Permission.objects.filter(content_type__app_label__in=SECRETARIAT_APPS).values_list(
            "pk", flat=True
        )
    )
    have = set(group.permissions.values_list("pk", flat=True))
    if wanted - have:
        group.permissions.add(*(wanted - have))
    return group


def secretariat_group_sync_after_migrate(sender, **kwargs) -> None:
    secretariat_group_sync()


@transaction.atomic
def secretariat_user_create(*, username: str, email: str, password: str, superuser: bool = False):
    """A staff account in the Secretariat group."""
    user_model = get_user_model()
    user = user_model.objects.create_user(
        username=username, email=email, password=password, is_staff=True, is_superuser=superuser
    )
    user.groups.add(secretariat_group_sync())
    return user


def local_login_ensure(*, path: Path, username: str = "admin") -> tuple[str, str, bool]:
    """The local administrator of a development checkout: (username, password, created).

    The password is generated once and kept in ``path`` (outside version control), so that a
    second run prints the same login and changes nothing.
    """
    user_model = get_user_model()
    password = path.read_text().strip() if path.exists() else ""
    user = user_model.objects.filter(username=username).first()
    if user is not None and password and user.check_password(password):
        return username, password, False
    password = password or secrets.token_urlsafe(12)
    if user is None:
        secretariat_user_create(
            username=username, email="admin@localhost", password=password, superuser=True
        )
    else:
        user.set_password(password)
        user.save(update_fields=["password"])
    path.write_text(password + "\n")
    path.chmod(0o600)
    return username, password, True
