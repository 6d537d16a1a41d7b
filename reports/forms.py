from django import forms

from reports.models import Deliverable, DocumentFormat
from wgec.text_checks import CheckedTextMixin


class ReportForm(CheckedTextMixin, forms.Form):
    issued_on = forms.DateField(
        label="Date of issue",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="The date the report (and its documents) bears: they show the map as it stood "
        "at the end of that day. Today unless you choose an earlier day.",
    )
    introduction = forms.CharField(
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Plain text, shown before the figures. A blank line starts a new paragraph.",
    )
    fingerprint = forms.CharField(required=False, widget=forms.HiddenInput)


class SubscribeForm(CheckedTextMixin, forms.Form):
    email = forms.EmailField(label="E-mail address", max_length=254)
    name = forms.CharField(label="Name (optional)", max_length=200, required=False)
    # Left empty by people; filled by form-filling robots, whose requests are then ignored.
    website = forms.CharField(required=False, widget=forms.TextInput(attrs={
        "tabindex": "-1", "autocomplete": "off"}))  # fmt: skip


class ExportForm(CheckedTextMixin, forms.Form):
    deliverable = forms.ModelChoiceField(
        queryset=Deliverable.objects.exclude(kind=Deliverable.Kind.UPDATE_REPORT),
        to_field_name="slug",
        empty_label=None,
        label="Document",
    )
    format = forms.ChoiceField(choices=DocumentFormat.choices)
