from django import forms
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from wgec.documents.markdown import MARKDOWN_HELP
from wgec.models import Contribution, JoinRequest, Meeting, Participant
from wgec.services import contribution_document_check
from wgec.text_checks import CheckedTextMixin


class JoinRequestForm(CheckedTextMixin, forms.ModelForm):
    class Meta:
        model = JoinRequest
        fields = ["name", "organisation", "stakeholder_group", "country", "note"]
        labels = {"name": _("Your name"), "note": _("Note to the coordinators")}
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


class DeclineForm(CheckedTextMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to the person by e-mail."),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ".pdf,.docx,.doc,.odt,.txt,.xlsx"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ContributionForm(CheckedTextMixin, forms.ModelForm):
    documents = MultipleFileField(
        required=False,
        label=_("Documents"),
        help_text=format_lazy(
            _("PDF, DOCX, DOC, ODT, TXT or XLSX, up to {size} MB each (optional)."),
            size=settings.CONTRIBUTION_DOCUMENT_MAX_MB,
        ),
    )

    class Meta:
        model = Contribution
        fields = ["author", "title", "kind", "meeting", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 14})}
        help_texts = {"text": MARKDOWN_HELP}

    def __init__(self, *args, choose_author: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = Meeting.objects.order_by("number")
        self.fields["meeting"].empty_label = _("(not yet scheduled)")
        if choose_author:
            self.fields["author"].queryset = Participant.objects.select_related(
                "stakeholder_group"
            ).order_by("name")
            self.fields["author"].help_text = _("Whose contribution this is.")
        else:
            del self.fields["author"]

    def clean_documents(self):
        uploads = self.cleaned_data.get("documents") or []
        problems = [p for upload in uploads if (p := contribution_document_check(upload))]
        if problems:
            raise forms.ValidationError(problems)
        return uploads
