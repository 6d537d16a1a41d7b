"""What every list filter of the site shares (django-filter): a value that cannot be read (an
unknown cluster, ``²`` for a mechanism's ID, a NUL in a search) gives the whole list with a
notice naming the filter, never a 500 and never an empty list that looks like an answer."""

import django_filters
from django import forms
from django.db.models import QuerySet
from django.forms.renderers import Jinja2
from django.utils.translation import gettext

from wgec.text_checks import CheckedTextMixin

# One renderer for every filter form: it compiles each widget's template once.
_WIDGETS = Jinja2()


class CheckedFilterForm(CheckedTextMixin, forms.Form):
    """A filter's form: text refuses control characters like every form of the site. Its
    widgets are drawn by Django's own Jinja2 templates of them, escaped as Django's are (a
    quotation mark written ``&#34;`` for ``&quot;``, an apostrophe ``&#39;`` for ``&#x27;``:
    the same characters): the same HTML, without the template engine's include for every
    option and its attributes, which made the filter form a fifth of a list page's time (a
    tenth of the calls a list page makes go with it)."""

    default_renderer = _WIDGETS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                field.iterator = KeptModelChoiceIterator
                field.widget.choices = field.choices


class KeptModelChoiceIterator(django_filters.fields.ModelChoiceIterator):
    """A model select's choices (as django-filter's iterator gives them, empty and null
    choices first), its records read in one query the first time and kept on the field. The
    library's iterator reads them anew each time the choices are asked for (a drawn select
    asks twice: its first choice decides the required attribute), each time through a
    server-side cursor on PostgreSQL: four round trips for a handful of clusters. A value sent
    is still checked against the query set."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if getattr(self.field, "null_label", None) is not None:
            yield (self.field.null_value, self.field.null_label)
        records = self.field.__dict__.get("kept_records")
        if records is None:
            records = self.field.kept_records = list(self.queryset)
        for record in records:
            yield self.choice(record)


class LenientFilterSet(django_filters.FilterSet):
    """A FilterSet that answers values it cannot read with the unfiltered list and a notice
    (``notice``), rather than django-filter's partly filtered or empty list."""

    class Meta:
        form = CheckedFilterForm

    @property
    def qs(self) -> QuerySet:
        if not hasattr(self, "_qs"):
            if self.is_bound and not self.form.is_valid():
                self._qs = self.unfiltered(self.queryset.all())
            else:
                self._qs = super().qs
        return self._qs

    def unfiltered(self, queryset: QuerySet) -> QuerySet:
        """The list when a filter cannot be read: every row, in the default order."""
        return queryset

    @property
    def refused(self) -> list[str]:
        """The filters that could not be read, each with its label and the reason."""
        if not self.is_bound or self.form.is_valid():
            return []
        problems = []
        for name, errors in self.form.errors.items():
            field = self.form.fields.get(name)
            label = str(field.label) if field is not None and field.label else name
            problems.append(f"{label}: {' '.join(str(error) for error in errors)}")
        return problems

    @property
    def notice(self) -> str:
        """One sentence for the page when a filter could not be read, else ""."""
        refused = self.refused
        if not refused:
            return ""
        return gettext(
            "Some filters could not be read, so the whole list is shown, unfiltered (%(refused)s)."
        ) % {"refused": "; ".join(refused)}
