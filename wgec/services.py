"""Writes about the working group itself: the secretariat's permissions and accounts, requests
to join the correspondence group, and contributions."""

import zipfile
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from wgec.documents.history import author_name
from wgec.documents.mail import mail_send
from wgec.languages import SESSION_KEY as LANGUAGE_SESSION_KEY
from wgec.languages import is_language, user_language
from wgec.models import Contribution, ContributionDocument, JoinRequest, Participant, Profile
from wgec.roles import Role, role_of

SECRETARIAT_GROUP = "Secretariat"

# The secretariat keeps everything of the exercise, the accounts of the people in it (with their
# e-mail addresses) and the results of background tasks (django-tasks-db's label is
# django_tasks_database).
SECRETARIAT_APPS = [
    "wgec",
    "issues",
    "mechanisms",
    "consensus",
    "reports",
    "inbound",
    "auth",
    "account",
    "django_tasks_database",
]


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


def secretariat_group_sync_after_migrate(sender, using: str = "default", **kwargs) -> None:
    if sender.label in SECRETARIAT_APPS:
        secretariat_group_sync()


@transaction.atomic
def secretariat_user_create(*, username: str, email: str, password: str, superuser: bool = False):
    """A staff account in the Secretariat group."""
    user_model = get_user_model()
    user = user_model.objects.create_user(
        username=username, email=email, password=password, is_staff=True, is_superuser=superuser
    )
    user.groups.add(secretariat_group_sync())
    email_verified_ensure(user)
    return user


def email_verified_ensure(user) -> None:
    """Mark a user's address as confirmed, for accounts made by the secretariat or locally."""

    if not user.email:
        return
    address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
    if address is None:
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    elif not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])


@transaction.atomic
def join_request_submit(
    *,
    user,
    name: str,
    organisation: str,
    stakeholder_group,
    country: str,
    note: str = "",
):
    """A signed-up person asks to join the correspondence group; coordinators are told."""

    if role_of(user) >= Role.MEMBER:
        raise ValidationError("You are already a member of the correspondence group.")
    if JoinRequest.objects.pending().filter(user=user).exists():
        raise ValidationError("You already have a request waiting for a coordinator.")
    join_request = JoinRequest(
        user=user,
        name=name.strip(),
        organisation=organisation.strip(),
        stakeholder_group=stakeholder_group,
        country=country,
        note=note.strip(),
    )
    join_request.full_clean()
    join_request._history_user = user
    join_request.save()
    coordinators = Participant.objects.filter(
        role=Participant.Role.COORDINATOR, user__isnull=False
    ).select_related("user__profile")
    # Each coordinator reads the notice in the language of their profile.
    by_language: dict[str, list[str]] = {}
    for person in coordinators:
        profile = getattr(person.user, "profile", None)
        language = profile.language if profile and is_language(profile.language) else "en"
        by_language.setdefault(language, []).append(person.user.email or person.email)
    for language, addresses in sorted(by_language.items()):
        mail_send(
            template="wgec/email/join_request_new",
            context={"join_request": join_request},
            to=addresses,
            language=language,
        )
    return join_request


@transaction.atomic
def join_request_accept(*, join_request, user):
    """Accept a request: the person becomes a member of the correspondence group.

    The participant with the same e-mail address (case-insensitively) is linked if there is one
    (the secretariat may have listed them already); otherwise a participant is created from the
    request. The person is told by e-mail.
    """

    join_request = _pending_for_update(join_request)
    person = join_request.user
    reason = f"request to join #{join_request.pk} accepted by {author_name(user)}"
    participant = Participant.objects.filter(user=person).first()
    if participant is None and person.email:
        participant = (
            Participant.objects.select_for_update().filter(email__iexact=person.email).first()
        )
        if participant is not None and participant.user_id not in (None, person.pk):
            raise ValidationError(
                f"The participant {participant.name} with the address {person.email} is linked "
                "to another account; the secretariat must sort this out first."
            )
    if participant is None:
        participant = Participant(
            name=join_request.name,
            organisation=join_request.organisation,
            country=join_request.country,
            stakeholder_group=join_request.stakeholder_group,
            role=Participant.Role.MEMBER,
            email=person.email,
        )
    participant.user = person
    participant.correspondence_group = True
    participant._history_user = user
    participant._change_reason = reason
    participant.save()
    join_request.participant = participant
    return _close(join_request, user=user, state=JoinRequest.State.ACCEPTED)


@transaction.atomic
def join_request_decline(*, join_request, user, reason: str):
    """Decline a request with a reason, which the person is sent by e-mail."""

    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Give the reason for declining the request."})
    join_request = _pending_for_update(join_request)
    join_request.reason = reason
    return _close(join_request, user=user, state=JoinRequest.State.DECLINED)


def _pending_for_update(join_request):
    """The request, locked, if no coordinator has decided it yet (two may try at once)."""

    join_request = (
        JoinRequest.objects.select_for_update().select_related("user").get(pk=join_request.pk)
    )
    if join_request.state != JoinRequest.State.PENDING:
        raise ValidationError(
            f"This request was {join_request.get_state_display().lower()} already."
        )
    return join_request


def _close(join_request, *, user, state):
    """Record the decision and its reviewer, and tell the person by e-mail."""

    join_request.state = state
    join_request.reviewed_by = user
    join_request.reviewed_at = timezone.now()
    join_request._history_user = user
    join_request.save()
    mail_send(
        template="wgec/email/join_request_decided",
        context={"join_request": join_request, "reviewer": author_name(user)},
        to=[join_request.user.email],
        language=user_language(join_request.user),
    )
    return join_request


CONTRIBUTION_DOCUMENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".doc": "application/msword",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".txt": "text/plain",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

# What the first bytes of each kind of document look like: a renamed executable is refused.
_SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
}


def contribution_document_check(upload) -> str:
    """The problem with an uploaded document, or "" when it may be attached."""
    name = upload.name or ""
    suffix = Path(name).suffix.lower()
    if suffix not in CONTRIBUTION_DOCUMENT_TYPES:
        return f"“{name}” is not a PDF, DOCX, DOC, ODT, TXT or XLSX file."
    limit = settings.CONTRIBUTION_DOCUMENT_MAX_MB * 1024 * 1024
    if upload.size > limit:
        return f"“{name}” is larger than {settings.CONTRIBUTION_DOCUMENT_MAX_MB} MB."
    if upload.size == 0:
        return f"“{name}” is empty."
    head = upload.read(8)
    upload.seek(0)
    signatures = _SIGNATURES.get(suffix)
    if signatures and not head.startswith(signatures):
        return f"“{name}” does not look like a {suffix[1:].upper()} file."
    if suffix == ".txt" and b"\x00" in head:
        return f"“{name}” is not a text file."
    if suffix in _ZIPPED:
        return _zip_problem(upload, name, suffix)
    return ""


# Office documents are ZIP archives: one that unpacks to far more than it weighs (a ZIP bomb)
# or cannot be read is refused before anyone opens it. Only the archive's directory is read.
_ZIPPED = {".docx", ".xlsx", ".odt"}
_ZIP_MAX_MEMBERS = 10_000


def _zip_problem(upload, name: str, suffix: str) -> str:
    what = suffix[1:].upper()
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return f"“{name}” is not a readable {what} file (the archive is damaged)."
    finally:
        upload.seek(0)
    if len(members) > _ZIP_MAX_MEMBERS:
        return f"“{name}” holds {len(members):,} files; a {what} document has far fewer."
    unpacked = sum(member.file_size for member in members)
    if unpacked > settings.IMPORT_MAX_UNPACKED_MB * 2**20:
        return (
            f"“{name}” unpacks to {unpacked / 2**20:,.0f} MB; at most "
            f"{settings.IMPORT_MAX_UNPACKED_MB} MB may be unpacked."
        )
    return ""


@transaction.atomic
def contribution_submit(
    *,
    author,
    title: str,
    kind: str,
    text: str,
    meeting=None,
    documents=(),
    user=None,
    illustrative: bool = False,
):
    """Submit a contribution with its documents; the secretariat publishes it."""

    problems = [problem for upload in documents if (problem := contribution_document_check(upload))]
    if problems:
        raise ValidationError({"documents": problems})
    contribution = Contribution(
        author=author,
        title=title.strip(),
        kind=kind,
        text=text.strip(),
        meeting=meeting,
        submitted_by=user if user is not None and user.is_authenticated else None,
        illustrative=illustrative,
    )
    contribution.full_clean()
    contribution._history_user = contribution.submitted_by
    contribution.save()
    written = []  # files in storage, removed again if the transaction does not go through
    try:
        for upload in documents:
            document = ContributionDocument(
                contribution=contribution,
                original_name=Path(upload.name).name[:255],
                size=upload.size,
            )
            document.file.save(upload.name, upload, save=False)
            written.append(document.file)
            document._history_user = contribution.submitted_by
            document.save()
    except BaseException:
        for file in written:
            file.storage.delete(file.name)
        raise
    return contribution


def _contribution_state_move(contributions, *, source: str, target: str, user) -> int:

    count = 0
    for contribution in Contribution.objects.select_for_update().filter(
        pk__in=[c.pk for c in contributions], state=source
    ):
        contribution.state = target
        contribution.published_at = timezone.now() if target == "published" else None
        contribution._history_user = user
        contribution.save(update_fields=["state", "published_at"])
        count += 1
    return count


@transaction.atomic
def contribution_publish(*, contributions, user=None) -> int:
    """Publish submitted contributions on /contributions/; returns how many were published."""
    return _contribution_state_move(
        contributions, source="submitted", target="published", user=user
    )


@transaction.atomic
def contribution_unpublish(*, contributions, user=None) -> int:
    """Take published contributions off /contributions/ (back to submitted)."""
    return _contribution_state_move(
        contributions, source="published", target="submitted", user=user
    )


def profile_language_set(*, user, language: str) -> None:
    """Keeps the language a signed-in person chose (empty: the browser's) in their profile."""
    if language and not is_language(language):
        raise ValidationError({"language": f"Unknown language: {language!r}."})
    Profile.objects.update_or_create(user=user, defaults={"language": language})


def profile_language_restore(*, request, user) -> None:
    """At login: the language kept in the person's profile applies to their session; a person
    who has none yet keeps the one they chose before logging in (the language cookie)."""
    language = Profile.objects.filter(user=user).values_list("language", flat=True).first()
    if not language:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if not is_language(chosen):
            return
        profile_language_set(user=user, language=chosen)
        language = chosen
    request.session[LANGUAGE_SESSION_KEY] = language


def profile_language_restore_on_login(sender, request, user, **kwargs) -> None:
    """Receiver of ``user_logged_in`` (connected in ``WgecConfig.ready``)."""
    if request is not None:
        profile_language_restore(request=request, user=user)
