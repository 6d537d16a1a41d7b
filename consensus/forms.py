"""Forms of the correspondence group's pages: proposals (one form per kind), declining one, and
items without consensus with their options, referral and decision."""

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from consensus.models import ConsensusItem, Decision, Option, Proposal
from issues.models import Issue
from mechanisms.models import Coverage, Gap, Mechanism
from wgec.documents.markdown import MARKDOWN_HELP
from wgec.models import Meeting
from wgec.text_checks import CheckedTextMixin
from wgec.versions import VersionReadMixin


class ProposalForm(CheckedTextMixin, VersionReadMixin, forms.ModelForm):
    """The fields common to every kind; subclasses add the kind's own."""

    kind_fields: list[str] = []
    kind = ""

    class Meta:
        model = Proposal
        fields = ["justification"]
        widgets = {"justification": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "justification": format_lazy(
                "{} {}", gettext_lazy("Why the change is needed."), MARKDOWN_HELP
            )
        }

    def __init__(self, *args, issue: Issue | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.issue = issue or self.instance.issue
        self.instance.kind = self.kind
        if self.issue is not None:
            self.instance.issue = self.issue
        self.order_fields([*self.kind_fields, "justification"])


class NewIssueProposalForm(ProposalForm):
    kind = Proposal.Kind.ISSUE
    kind_fields = ["title", "description", "cluster"]

    class Meta(ProposalForm.Meta):
        fields = ["title", "description", "cluster", "justification"]
        widgets = {**ProposalForm.Meta.widgets, "description": forms.Textarea(attrs={"rows": 4})}
        labels = {"cluster": gettext_lazy("Cluster (if you can suggest one)")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = True

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        existing = Issue.objects.filter(title__iexact=title).first()
        if existing is not None:
            raise forms.ValidationError(
                _(
                    "An issue titled “%(title)s” exists already (#%(number)s); comment on it or "
                    "propose a change to it instead."
                )
                % {"title": existing.title, "number": existing.pk}
            )
        return title


class MechanismProposalForm(ProposalForm):
    kind = Proposal.Kind.MECHANISM
    kind_fields = [
        "mechanism",
        "mechanism_name",
        "mechanism_acronym",
        "mechanism_kind",
        "mechanism_website",
        "status",
        "evidence",
    ]
    status = forms.ChoiceField(
        choices=Coverage.Status.choices, label=gettext_lazy("How it addresses the issue")
    )
    mechanism_kind = forms.ChoiceField(
        choices=[("", "—"), *Mechanism.Kind.choices], required=False, label=gettext_lazy("Kind")
    )

    class Meta(ProposalForm.Meta):
        fields = [
            "mechanism",
            "mechanism_name",
            "mechanism_acronym",
            "mechanism_kind",
            "mechanism_website",
            "status",
            "evidence",
            "justification",
        ]
        labels = {"mechanism": gettext_lazy("An existing mechanism")}
        widgets = {**ProposalForm.Meta.widgets, "evidence": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            **ProposalForm.Meta.help_texts,
            "mechanism_name": gettext_lazy(
                "Or a mechanism not yet listed: its name, acronym, kind and website."
            ),
            "evidence": gettext_lazy(
                "The instrument, resolution, programme or forum that shows it."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mechanism"].queryset = Mechanism.objects.exclude(
            coverage__issue=self.issue
        ).order_by("name")
        self.fields["mechanism"].required = False

    def clean(self):
        data = super().clean()
        mechanism, name = data.get("mechanism"), (data.get("mechanism_name") or "").strip()
        if bool(mechanism) == bool(name):
            raise forms.ValidationError(
                _("Choose an existing mechanism or give the name of a new one (not both).")
            )
        if name:
            existing = Mechanism.objects.filter(name__iexact=name).first()
            if existing is not None:
                self.add_error(
                    "mechanism_name",
                    _("“%(mechanism)s” is listed already: choose it above.")
                    % {"mechanism": existing},
                )
        else:
            for field in ["mechanism_acronym", "mechanism_kind", "mechanism_website"]:
                data[field] = ""
        return data


class CoverageProposalForm(ProposalForm):
    kind = Proposal.Kind.COVERAGE
    kind_fields = ["coverage", "status", "evidence"]
    status = forms.ChoiceField(
        choices=Coverage.Status.choices, label=gettext_lazy("Proposed status")
    )

    class Meta(ProposalForm.Meta):
        fields = ["coverage", "status", "evidence", "justification"]
        labels = {"coverage": gettext_lazy("Mechanism"), "evidence": gettext_lazy("Evidence")}
        widgets = {**ProposalForm.Meta.widgets, "evidence": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            **ProposalForm.Meta.help_texts,
            "evidence": gettext_lazy(
                "New evidence, if any (left empty, the recorded evidence stays)."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["coverage"]
        field.queryset = Coverage.objects.filter(issue=self.issue).select_related("mechanism")
        field.required = True
        field.label_from_instance = lambda row: (
            _("%(mechanism)s (now: %(status)s)")
            % {"mechanism": row.mechanism.short_name, "status": row.get_status_display().lower()}
        )

    def clean(self):
        data = super().clean()
        coverage = data.get("coverage")
        if (
            coverage
            and data.get("status") == coverage.status
            and not (data.get("evidence") or "").strip()
        ):
            raise forms.ValidationError(
                _(
                    "%(mechanism)s is already recorded as “%(status)s”: propose another status "
                    "or new evidence."
                )
                % {
                    "mechanism": coverage.mechanism.short_name,
                    "status": coverage.get_status_display().lower(),
                }
            )
        return data


class GapProposalForm(ProposalForm):
    kind = Proposal.Kind.GAP
    kind_fields = ["gap_type", "gap_description", "gap_recommendation"]
    gap_type = forms.ChoiceField(choices=Gap.Type.choices, label=gettext_lazy("Type of gap"))

    class Meta(ProposalForm.Meta):
        fields = ["gap_type", "gap_description", "gap_recommendation", "justification"]
        labels = {"gap_description": gettext_lazy("The gap")}
        widgets = {
            **ProposalForm.Meta.widgets,
            "gap_description": forms.Textarea(attrs={"rows": 3}),
            "gap_recommendation": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gap_description"].required = True


PROPOSAL_FORMS: dict[str, type[ProposalForm]] = {
    Proposal.Kind.ISSUE: NewIssueProposalForm,
    Proposal.Kind.MECHANISM: MechanismProposalForm,
    Proposal.Kind.COVERAGE: CoverageProposalForm,
    Proposal.Kind.GAP: GapProposalForm,
}


class DeclineForm(CheckedTextMixin, forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Sent to the proposer by e-mail."),
    )


class ItemForm(CheckedTextMixin, forms.ModelForm):
    """Mark an issue, or one of its coverage statuses, as without consensus."""

    subject = forms.ChoiceField(label=gettext_lazy("What the group cannot agree on"))

    class Meta:
        model = ConsensusItem
        fields = ["summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, issue: Issue, **kwargs):
        super().__init__(*args, **kwargs)
        taken = set(
            ConsensusItem.objects.filter(coverage__issue=issue).values_list(
                "coverage_id", flat=True
            )
        )
        choices = []
        if not ConsensusItem.objects.filter(issue=issue).exists():
            choices.append(("issue", _("The issue itself")))
        self.coverage = {
            str(row.pk): row
            for row in Coverage.objects.filter(issue=issue).select_related("mechanism")
            if row.pk not in taken
        }
        choices += [
            (
                pk,
                _("The status of %(mechanism)s (%(status)s)")
                % {
                    "mechanism": row.mechanism.short_name,
                    "status": row.get_status_display().lower(),
                },
            )
            for pk, row in self.coverage.items()
        ]
        self.fields["subject"].choices = choices


class ItemSummaryForm(CheckedTextMixin, VersionReadMixin, forms.ModelForm):
    class Meta:
        model = ConsensusItem
        fields = ["summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}


class OptionForm(CheckedTextMixin, VersionReadMixin, forms.ModelForm):
    class Meta:
        model = Option
        fields = ["label", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "label": gettext_lazy("A, B, C … (left empty: the next free letter)."),
            "text": format_lazy(
                "{} {}",
                gettext_lazy("The option as the working group would read it."),
                MARKDOWN_HELP,
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["label"].required = False

    def validate_unique(self):
        # The item is set by the service; a duplicate label is caught there.
        pass


class ReferForm(CheckedTextMixin, forms.Form):
    referred_on = forms.DateField(
        label=gettext_lazy("Referred on"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"referred_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class DecisionForm(CheckedTextMixin, VersionReadMixin, forms.Form):
    option = forms.ModelChoiceField(
        queryset=Option.objects.none(),
        required=False,
        empty_label=gettext_lazy("(none: new text below)"),
        label=gettext_lazy("The option chosen"),
    )
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        label=gettext_lazy("New text adopted by the working group"),
    )
    meeting = forms.ModelChoiceField(
        queryset=Meeting.objects.order_by("number"), label=gettext_lazy("Meeting")
    )
    decided_on = forms.DateField(
        label=gettext_lazy("Decided on"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, item: ConsensusItem, **kwargs):
        # The decision recorded already, if any: recording again replaces it.
        kwargs.update(record_model=Decision, record=Decision.objects.filter(item=item).first())
        super().__init__(*args, **kwargs)
        self.fields["option"].queryset = item.options.all()
        self.fields["option"].label_from_instance = lambda option: (
            _("Option %(label)s") % {"label": option.label}
        )

    def clean(self):
        data = super().clean()
        if not data.get("option") and not (data.get("text") or "").strip():
            raise forms.ValidationError(
                _("Choose one of the options or give the new text adopted.")
            )
        decided_on = data.get("decided_on")
        meeting = data.get("meeting")
        if decided_on and meeting and not (meeting.start_date <= decided_on <= meeting.end_date):
            self.add_error(
                "decided_on",
                _("%(meeting)s met from %(start)s to %(end)s: give a date within it.")
                % {
                    "meeting": meeting.title,
                    "start": date_format(meeting.start_date, "MONTH_DAY_FORMAT"),
                    "end": date_format(meeting.end_date, "DATE_FORMAT"),
                },
            )
        return data
