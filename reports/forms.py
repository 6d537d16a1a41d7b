from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from reports.models import Deliverable, DocumentFormat, Report
from wgec.text_checks import CheckedTextMixin
from wgec.versions import VersionReadMixin


class ReportForm(CheckedTextMixin, VersionReadMixin, forms.Form):
    """A report's draft: its date of issue and introduction, as read from ``draft`` (``None``
    before the first save)."""

    issued_on = forms.DateField(
        label=_("Date of issue"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_(
            "The date the report (and its documents) bears: they show the map as it stood at the "
            "end of that day. Today unless you choose an earlier day."
        ),
    )
    introduction = forms.CharField(
        label=_("Introduction"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "The coordinators' words to the Chair, in plain text, shown before the figures; a "
            "blank line starts a new paragraph. The message greets each reader itself (“Dear "
            "Chair,”) and closes with the coordinators' names: a greeting opening the "
            "introduction is left out."
        ),
    )
    fingerprint = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, draft: Report | None, **kwargs):
        super().__init__(*args, record_model=Report, record=draft, **kwargs)


class SubscribeForm(CheckedTextMixin, forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    name = forms.CharField(label=_("Name (optional)"), max_length=200, required=False)
    # Left empty by people; filled by form-filling robots, whose requests are then ignored.
    website = forms.CharField(required=False, widget=forms.TextInput(attrs={
        "tabindex": "-1", "autocomplete": "off"}))  # fmt: skip


class ExportForm(CheckedTextMixin, forms.Form):
    deliverable = forms.ModelChoiceField(
        queryset=Deliverable.objects.exclude(kind=Deliverable.Kind.UPDATE_REPORT),
        to_field_name="slug",
        empty_label=None,
        label=_("Document"),
    )
    format = forms.ChoiceField(label=_("Format"), choices=DocumentFormat.choices)
    language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        initial="en",
        required=False,  # English when the form does not ask
        help_text=_("The language of the document's headings, annexes and dates."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each language named in itself, as the language menu names them.
        self.fields["language"].choices = [
            (code, translation.get_language_info(code)["name_local"])
            for code, _name in settings.LANGUAGES
        ]
        if not self.is_bound:
            # The documents read once: drawn, a select reads its first choice (whether it is
            # empty decides the required attribute), then all of them, and the choices of a
            # query set are read anew each time.
            deliverable = self.fields["deliverable"]
            deliverable.choices = [
                (deliverable.prepare_value(d), deliverable.label_from_instance(d))
                for d in deliverable.queryset
            ]
