"""Reading the change history (django-simple-history) as people read it: who changed what, when,
from what to what.

``history_entries`` turns the historical rows of one model into entries, each comparing a row
with the previous row of the same object. Foreign keys and choices are shown by name; related
names are fetched once per related model, so the number of queries does not grow with the
number of rows.

``historical_rows`` reads a model's historical rows; ``rows_as_of`` reads a model as it stood at
a moment (documents are built from the map as of their date of issue): one query per model,
whatever the number of objects.
"""

import datetime
import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext

ADDED, CHANGED, REMOVED = "added", "changed", "removed"


@functools.cache
def _historical_model(model: type[models.Model]) -> type[models.Model]:
    return model.history.model


def historical_rows(model: type[models.Model]) -> models.QuerySet:
    """Every historical row of ``model``, as ``model.history.all()`` without its manager:
    django-simple-history builds a new manager class at every read of ``model.history`` (a
    fifth of the cost of a page's small history query)."""
    return _historical_model(model)._default_manager.all()


def rows_as_of(model: type[models.Model], moment: datetime.datetime | None) -> models.QuerySet:
    """The model's objects as they stood at ``moment``, or as they stand now (``None``).

    At a moment: the latest historical row of each object at or before it, objects deleted by
    then left out (django-simple-history's ``as_of``). Read the rows with ``values_list``;
    ``id`` names the object in both cases, and foreign keys keep their ``_id`` names.
    """
    if moment is None:
        return model._default_manager.order_by()
    return model.history.as_of(moment).order_by()


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The last moment of a day in the exercise's time zone: what a document dated that day
    shows is the state at this moment."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


_KIND = {"+": ADDED, "~": CHANGED, "-": REMOVED}


@dataclass
class Change:
    field: str
    old: str
    new: str
    # The values are a record's own text (in the language it was written in), not a choice's
    # label in the reader's language.
    content: bool = False


@dataclass
class Entry:
    when: datetime.datetime
    who: str
    kind: str
    model: str
    object_id: int
    subject: str
    changes: list[Change] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)
    reason: str = ""


def author_name(user) -> str:
    """How an author of a change is named in public: their participant name, or their role."""
    if user is None:
        return gettext("the secretariat")
    participant = getattr(user, "participant", None)
    if participant is not None:
        return participant.name
    if user.is_staff:
        return gettext("the secretariat")
    return user.get_username()


def history_entries(
    rows: Iterable[models.Model],
    *,
    fields: Sequence[str],
    subject: Callable[[models.Model, dict[str, str]], str],
    known: dict[str, dict[int, str]] | None = None,
) -> list[Entry]:
    """Entries for historical rows of one model (in any order), oldest first.

    ``fields`` are the model fields compared; ``subject(row, shown)`` names the object, given the
    row and its fields as shown (``shown["mechanism"]`` is the mechanism's name). ``known``
    gives names of related records the caller has already read, by field (``{"cluster":
    {3: "Access"}}``, as ``str()`` names them): only the others are read.
    """
    rows = sorted(rows, key=lambda row: (row.history_date, row.history_id))
    if not rows:
        return []
    model = rows[0].instance_type
    names = _related_names(model, rows, fields, known or {})
    previous: dict[int, dict[str, str]] = {}
    entries = []
    for row in rows:
        shown = {name: _shown(model, row, name, names) for name in fields}
        kind = _KIND[row.history_type]
        before = previous.get(row.id)
        changes = []
        if kind == CHANGED and before is not None:
            changes = [
                Change(_label(model, name), before[name], shown[name], _is_content(model, name))
                for name in fields
                if before[name] != shown[name]
            ]
            if not changes:
                previous[row.id] = shown
                continue  # saved without a visible change
        entries.append(
            Entry(
                when=row.history_date,
                who=author_name(row.history_user),
                kind=kind,
                model=model._meta.verbose_name,
                object_id=row.id,
                subject=subject(row, shown),
                changes=changes,
                values=shown,
                reason=getattr(row, "history_change_reason", None) or "",
            )
        )
        previous[row.id] = shown
    return entries


def _is_content(model: type[models.Model], name: str) -> bool:
    model_field = model._meta.get_field(name)
    return not model_field.choices and not isinstance(model_field, models.BooleanField)


def _label(model: type[models.Model], name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _related_names(
    model: type[models.Model],
    rows: list[models.Model],
    fields: Sequence[str],
    known: dict[str, dict[int, str]],
) -> dict[str, dict[int, str]]:
    ids: dict[str, set[int]] = defaultdict(set)
    for name in fields:
        model_field = model._meta.get_field(name)
        if model_field.is_relation:
            ids[name].update(
                value for row in rows if (value := getattr(row, model_field.attname)) is not None
            )
    names = {}
    for name, pks in ids.items():
        names[name] = dict(known.get(name, {}))
        missing = pks - names[name].keys()
        if missing:
            related = model._meta.get_field(name).related_model
            names[name] |= {
                obj.pk: str(obj) for obj in related._base_manager.filter(pk__in=missing)
            }
    return names


def _shown(
    model: type[models.Model], row: models.Model, name: str, names: dict[str, dict[int, str]]
) -> str:
    model_field = model._meta.get_field(name)
    if model_field.is_relation:
        value = getattr(row, model_field.attname)
        return "" if value is None else names[name].get(value, f"#{value} (deleted)")
    value = getattr(row, name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value)
