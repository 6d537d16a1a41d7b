"""The base classes of every admin page of the exercise: each keeps a change history
(django-simple-history), and each change form and inline row carries the version it was read at
(``wgec/versions.py``), so that a save against a newer version is refused with what changed
meanwhile instead of overwriting it."""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet, BaseModelFormSet
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext
from simple_history.admin import SimpleHistoryAdmin

from wgec.versions import (
    VERSION_FIELD,
    VersionedFormMixin,
    VersionField,
    versions_of,
)


def _versioned(form_class: type[forms.ModelForm]) -> type[forms.ModelForm]:
    if issubclass(form_class, VersionedFormMixin):
        return form_class
    return type(
        form_class.__name__, (VersionedFormMixin, form_class), {VERSION_FIELD: VersionField()}
    )


def _with_version(fieldsets) -> list:
    if not fieldsets or VERSION_FIELD in flatten_fieldsets(fieldsets):
        return fieldsets
    (name, options), *rest = fieldsets
    first = {**options, "fields": [*options["fields"], VERSION_FIELD]}
    return [(name, first), *rest]


class VersionedRowMixin(VersionedFormMixin):
    """A row of a formset (an inline, a list's editable row): checked only when it is changed
    (or deleted, see the formset), since the admin saves no other row."""

    def clean(self):
        if not self.has_changed():
            return super(VersionedFormMixin, self).clean()  # the form's own, without the check
        return super().clean()


class VersionedAdmin(SimpleHistoryAdmin):
    """A model's admin with its change history, whose change form refuses a save against a
    version newer than the one it was read at."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            return super().get_form(request, obj, change, **kwargs)
        if "fields" in kwargs:
            fields = kwargs["fields"]
        else:
            fields = flatten_fieldsets(self.get_fieldsets(request, obj))
        if fields is not None:
            kwargs["fields"] = [name for name in fields if name != VERSION_FIELD]
        return _versioned(super().get_form(request, obj, change, **kwargs))

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        return fieldsets if obj is None else _with_version(fieldsets)

    def get_changelist_form(self, request, **kwargs):
        form = super().get_changelist_form(request, **kwargs)
        return type(form.__name__, (VersionedRowMixin, form), {VERSION_FIELD: VersionField()})

    def get_changelist_formset(self, request, **kwargs):
        kwargs.setdefault("formset", VersionedListFormSet)
        return super().get_changelist_formset(request, **kwargs)


class VersionedInlineForm(VersionedRowMixin, forms.ModelForm):
    version_read = VersionField()


class _RowVersions:
    """The versions of a formset's rows, read in one query."""

    @cached_property
    def _versions(self) -> dict:
        return versions_of(self.model, [row.pk for row in self.get_queryset()])

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index is not None and index < self.initial_form_count():
            kwargs["versions"] = self._versions
        return kwargs


class VersionedListFormSet(_RowVersions, BaseModelFormSet):
    """The editable rows of a list (``list_editable``)."""


class VersionedInlineFormSet(_RowVersions, BaseInlineFormSet):
    def clean(self):
        super().clean()
        # A formset ignores the errors of the rows it deletes: a row removed after someone
        # changed it is refused here (the row's own clean checked its version).
        for form in self.forms:
            refusal = getattr(form, "version_refusal", None)
            if refusal is not None and self.can_delete and self._should_delete_form(form):
                raise ValidationError(
                    [
                        gettext("%(model)s “%(row)s”, which you removed:")
                        % {
                            "model": capfirst(self.model._meta.verbose_name),
                            "row": form.instance,
                        },
                        *refusal.messages,
                    ]
                )


class _VersionedInline:
    form = VersionedInlineForm
    formset = VersionedInlineFormSet

    def get_fieldsets(self, request, obj=None):
        return _with_version(super().get_fieldsets(request, obj))


class VersionedTabularInline(_VersionedInline, admin.TabularInline):
    pass


class VersionedStackedInline(_VersionedInline, admin.StackedInline):
    pass
