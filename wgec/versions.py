"""No lost update: every edit form carries the version of the record it was read at, and a save
against a newer version is refused with what changed meanwhile.

A record's version is the id of its latest change-history record (django-simple-history keeps
one for every model the exercise edits), so no model needs a version column. The form carries
it signed together with the record's model and primary key, so that a version altered, left out
or copied from another record's form is refused with a message naming the field. A refused form
keeps what the user typed and now carries the current version: saving it again is a deliberate
overwrite, and goes through.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from simple_history.exceptions import NotHistoricalModelError
from simple_history.utils import get_history_model_for_model

VERSION_FIELD = "version_read"
_SALT = "wgec.versions"
_SHOWN = 300  # characters of a value shown in a refusal; the form shows the whole of one's own


def is_versioned(model: type[models.Model]) -> bool:
    """Whether the model keeps a change history (and so has versions)."""
    try:
        get_history_model_for_model(model)
    except NotHistoricalModelError:
        return False
    return True


def _key(model: type[models.Model]) -> str:
    return model._meta.concrete_model._meta.label_lower


def versions_of(model: type[models.Model], pks: Iterable) -> dict:
    """The version of each record (the id of its latest history record; 0 for none), in one
    query whatever the number of records."""
    pks = [pk for pk in pks if pk is not None]
    if not pks:
        return {}
    history = get_history_model_for_model(model)
    name = model._meta.pk.attname
    rows = (
        history.objects.filter(**{f"{name}__in": pks})
        .values_list(name)
        .annotate(version=Max("history_id"))
        .order_by()
    )
    return dict(rows)


def version_of(instance: models.Model) -> int:
    return versions_of(type(instance), [instance.pk]).get(instance.pk, 0)


def version_token(model: type[models.Model], pk, version: int) -> str:
    """The form's value: the version, signed with the record it belongs to."""
    return signing.Signer(salt=_SALT).sign(
        f"{_key(model)}:{pk if pk is not None else ''}:{version}"
    )


def version_read(token: str | None, model: type[models.Model], pk, *, field: str) -> int:
    """The version a form says it was read at; a clear refusal if the field is missing, altered
    or copied from another record's form."""
    name = f"“{model._meta.verbose_name}” #{pk}" if pk is not None else "this form"
    if not token:
        raise ValidationError(
            f"The hidden field “{field}” is missing: the form does not say which version of "
            f"{name} it was read at. Your input is kept; check it against the current record "
            "and save again.",
            code="version_missing",
        )
    try:
        key, read_pk, text = signing.Signer(salt=_SALT).unsign(token).rsplit(":", 2)
        version = int(text)
    except (signing.BadSignature, ValueError):
        raise ValidationError(
            f"The hidden field “{field}” was altered: it is not a version this site wrote, so "
            f"it cannot say which version of {name} the form was read at. Your input is kept; "
            "check it against the current record and save again.",
            code="version_altered",
        ) from None
    if read_pk == "" and key == _key(model):
        return 0  # read before the record existed: any version of it is newer
    if key != _key(model) or read_pk != (str(pk) if pk is not None else ""):
        raise ValidationError(
            f"The hidden field “{field}” belongs to another record ({key} #{read_pk or 'new'}), "
            f"not to {name}. Your input is kept; check it against the current record and save "
            "again.",
            code="version_foreign",
        )
    return version


@dataclass(frozen=True)
class Change:
    """One field changed since a form was read."""

    field: str
    read: str
    now: str
    by: str
    at: datetime

    def __str__(self) -> str:
        when = date_format(timezone.localtime(self.at), "DATETIME_FORMAT")
        return (
            f"{self.field}: you read “{self.read}”, now “{self.now}” (changed by {self.by} on "
            f"{when})."
        )


def _shown(field: models.Field, value) -> str:
    if value is None or value == "":
        return "(empty)"
    if field.choices:
        value = dict(field.flatchoices).get(value, value)
    elif field.is_relation:
        related = field.related_model._default_manager.filter(pk=value).first()
        value = related if related is not None else f"#{value}, since removed"
    elif isinstance(value, bool):
        value = "Yes" if value else "No"
    elif isinstance(value, datetime):
        value = date_format(timezone.localtime(value), "DATETIME_FORMAT")
    elif isinstance(value, date):
        value = date_format(value, "DATE_FORMAT")
    return Truncator(str(value)).chars(_SHOWN)


def _who(record) -> str:
    user = record.history_user
    if user is None:
        return "the application"
    return user.get_full_name() or user.get_username()


def changes_since(instance: models.Model, version: int, fields: Iterable[str]) -> list[Change]:
    """What changed in ``fields`` of the record since ``version``: for each field, the value as
    read, the value now, and who changed it last and when. Empty if nothing did."""
    model = instance._meta.concrete_model
    history = get_history_model_for_model(model)
    records = list(
        history.objects.filter(**{model._meta.pk.attname: instance.pk}, history_id__gte=version)
        .select_related("history_user")
        .order_by("history_id")
    )
    if not records or (len(records) == 1 and records[0].history_id == version):
        return []
    tracked = {field.name: field for field in records[0].tracked_fields}
    fields = [name for name in fields if name in tracked]
    read = records[0] if records[0].history_id == version else None
    last: dict[str, object] = {}
    previous = read
    for record in records[1:] if read else records:
        if previous is None:
            changed = fields
        else:
            delta = record.diff_against(previous, included_fields=fields)
            changed = [change.field for change in delta.changes]
        for name in changed:
            last[name] = record
        previous = record
    current = records[-1]
    changes = []
    for name in fields:
        field = tracked[name]
        now = getattr(current, field.attname)
        before = getattr(read, field.attname) if read else None
        if name in last and (read is None or before != now):
            changes.append(
                Change(
                    field=str(field.verbose_name).capitalize(),
                    read=_shown(field, before) if read else "(nothing: it was not yet saved)",
                    now=_shown(field, now),
                    by=_who(last[name]),
                    at=last[name].history_date,
                )
            )
    return changes


@dataclass(frozen=True)
class ReadVersion:
    """What a form was read at: the record's version, and the fields the form writes."""

    version: int
    fields: tuple[str, ...]


class StaleVersion(ValidationError):
    """A save against a version older than the record's: what changed meanwhile."""

    def __init__(self, instance: models.Model, changes: list[Change], version: int):
        self.instance = instance
        self.changes = changes
        self.version = version
        lead = (
            f"{str(instance._meta.verbose_name).capitalize()} “{instance}” was changed since you "
            "opened this form. Your input is kept below: save again to put it in place of what "
            "is there now, or reload the page to start again from the current record."
        )
        super().__init__([lead, *(str(change) for change in changes)], code="version_stale")


def version_check(instance: models.Model | None, read: ReadVersion | None) -> None:
    """Refuse a save of a form ``read`` at a version if the fields it writes changed since in
    ``instance`` (``None``: no record to compare, or nothing read, as for the demo's replay and
    the commands).
    Inside a transaction the record is locked until it commits, so that two saves cannot both
    pass the check."""
    if instance is None or instance.pk is None or read is None:
        return
    model = instance._meta.concrete_model
    if transaction.get_connection().in_atomic_block:
        list(model._default_manager.select_for_update().filter(pk=instance.pk).values("pk"))
    current = version_of(instance)
    if current <= read.version:
        return
    changes = changes_since(instance, read.version, read.fields)
    if changes:
        raise StaleVersion(instance, changes, current)


class VersionField(forms.CharField):
    """The hidden, signed version a form was read at. Never counts as a change of the form."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def has_changed(self, initial, data) -> bool:
        return False


class VersionedFormMixin:
    """A form that carries the version of the record it edits and refuses a save against a newer
    one. A model form edits its instance (once saved); another form names its record with
    ``record_model`` and ``record`` (``None`` while there is none yet, such as a report's draft
    before it is first saved).

    With ``check_in_clean`` the version is checked in ``clean()``, for forms saved in the same
    transaction (the admin's). Otherwise the form only reads the version (``self.version``) and
    the service checks it with :func:`version_check`; the view shows a :class:`StaleVersion` with
    :meth:`version_refused`."""

    check_in_clean = True

    def __init__(self, *args, versions=None, record_model=None, record=None, **kwargs):
        super().__init__(*args, **kwargs)
        if record_model is None:
            instance = getattr(self, "instance", None)
            saved = instance is not None and instance.pk is not None
            self.record_model = type(instance) if instance is not None else None
            self.record = instance if saved and not instance._state.adding else None
            self.versioned = self.record is not None
        else:
            self.record_model, self.record, self.versioned = record_model, record, True
        self.version: int | None = None
        self.version_refusal: ValidationError | None = None
        self._versions = versions
        if VERSION_FIELD not in self.fields:
            self.fields[VERSION_FIELD] = VersionField()
        self.fields[VERSION_FIELD].initial = self._version_token

    def _version_token(self) -> str:
        if not self.versioned:
            return ""
        if self.record is None:
            return version_token(self.record_model, None, 0)
        if self._versions is not None:
            version = self._versions.get(self.record.pk, 0)
        else:
            version = version_of(self.record)
        return version_token(self.record_model, self.record.pk, version)

    def version_fields(self) -> list[str]:
        return [name for name in self.fields if name != VERSION_FIELD]

    @property
    def read_version(self) -> ReadVersion | None:
        """The version the form was read at, once cleaned, for the service to check."""
        if self.version is None:
            return None
        return ReadVersion(self.version, tuple(self.version_fields()))

    def clean(self):
        cleaned = super().clean()
        if not self.versioned:
            return cleaned
        try:
            self.version = version_read(
                self.data.get(self.add_prefix(VERSION_FIELD)),
                self.record_model,
                self.record.pk if self.record is not None else None,
                field=VERSION_FIELD,
            )
            if self.check_in_clean:
                version_check(self.record, self.read_version)
        except ValidationError as error:
            self.version_refused(error)
        return cleaned

    def version_refused(self, error: ValidationError) -> None:
        """Show the refusal and carry the current version, so that saving again overwrites on
        purpose."""
        self.version_refusal = error
        record = getattr(error, "instance", None) or self.record
        if self.is_bound and not getattr(self.data, "_mutable", True):
            self.data = self.data.copy()
        self.data[self.add_prefix(VERSION_FIELD)] = version_token(
            self.record_model,
            record.pk if record is not None else None,
            version_of(record) if record is not None else 0,
        )
        self.add_error(None, error)


class VersionReadMixin(VersionedFormMixin):
    """A form of the site: it reads the version; the service it is saved through checks it
    (``read=form.read_version``), inside the service's transaction."""

    check_in_clean = False
