"""Forms of the issues' pages: a member's comment on an issue."""

from django import forms
from django.utils.translation import gettext_lazy as _

from issues.models import Comment
from wgec.documents.markdown import MARKDOWN_HELP
from wgec.text_checks import CheckedTextMixin
from wgec.versions import VersionReadMixin


class CommentForm(CheckedTextMixin, VersionReadMixin, forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["text"]
        labels = {"text": _("Your comment")}
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"text": MARKDOWN_HELP}
