"""The secretariat's admin site: the models of the exercise in sections, in the order the work
goes (responses, issues, mechanisms and coverage, consensus, deliverables and the mailing list,
the working group), and everything else (accounts, task results ...) under *Settings*.

The rooms register their models on ``django.contrib.admin.site`` as usual; this class becomes
that site through ``SecretariatAdminConfig.default_site`` (named in ``INSTALLED_APPS`` in place
of ``django.contrib.admin``). Only the composition knows every room, so the sections are here.
"""

from dataclasses import dataclass

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import Http404, HttpRequest
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse


@dataclass(frozen=True)
class Page:
    """A page of the admin that is no model's list (an import), listed among the models."""

    label: str  # its place in the section, as "app_label.name"
    name: str
    url_name: str
    model: str  # the model whose admin decides who may see it
    permission: str  # the name of that admin's method that says whether the user may use it


@dataclass(frozen=True)
class Section:
    slug: str
    name: str
    # Models ("app_label.ModelName") and pages, in the order the section lists them.
    entries: tuple[str, ...]


IMPORT_RESPONSES = Page(
    label="issues.import_responses",
    name="Import responses",
    url_name="admin:issues_respondent_import",
    model="issues.Respondent",
    permission="has_import_permission",
)
IMPORT_MAP = Page(
    label="mechanisms.import_map",
    name="Import a map workbook",
    url_name="admin:issues_issue_map_import",
    model="issues.Issue",
    permission="has_change_permission",
)
PAGES = {page.label: page for page in (IMPORT_RESPONSES, IMPORT_MAP)}

SECTIONS: tuple[Section, ...] = (
    Section(
        "responses",
        "1. Responses",
        (
            "issues.Theme",
            "issues.Question",
            "issues.Respondent",
            "issues.Answer",
            IMPORT_RESPONSES.label,
        ),
    ),
    Section(
        "issues",
        "2. Issues",
        (
            "issues.Issue",
            "issues.Cluster",
            "issues.IssueSource",
            "issues.IssueMerge",
            "issues.Comment",
        ),
    ),
    Section(
        "mechanisms",
        "3. Mechanisms and coverage",
        ("mechanisms.Mechanism", "mechanisms.Coverage", "mechanisms.Gap", IMPORT_MAP.label),
    ),
    Section(
        "consensus",
        "4. Consensus",
        (
            "consensus.Proposal",
            "consensus.ConsensusItem",
            "consensus.Option",
            "consensus.OptionSupport",
            "consensus.Decision",
        ),
    ),
    Section(
        "deliverables",
        "5. Deliverables and the mailing list",
        (
            "reports.Deliverable",
            "reports.Report",
            "reports.DocumentExport",
            "reports.Subscriber",
            "reports.Delivery",
            "inbound.ReportReply",
            "inbound.InboundMessage",
        ),
    ),
    Section(
        "working-group",
        "6. The working group",
        (
            "wgec.Participant",
            "wgec.JoinRequest",
            "wgec.Contribution",
            "wgec.Meeting",
            "wgec.MeetingDocument",
            "wgec.Attendance",
            "wgec.TermsOfReference",
        ),
    ),
)
# Listed first under Settings; every model no section names follows, alphabetically.
SETTINGS = Section(
    "settings",
    "Settings",
    (
        "auth.User",
        "auth.Group",
        "account.EmailAddress",
        "wgec.StakeholderGroup",
        "reports.EditableTemplate",
        "reports.SymbolPattern",
        "django_tasks_database.DBTaskResult",
    ),
)


def _label(model_dict: dict) -> str:
    return model_dict["model"]._meta.label


class SecretariatAdminSite(admin.AdminSite):
    site_header = "wgec: secretariat"
    site_title = "wgec secretariat"
    index_title = "The correspondence exercise"

    def get_urls(self):
        return [
            path(
                "section/<slug:slug>/",
                self.admin_view(self.section_index),
                name="section",
            ),
            *super().get_urls(),
        ]

    def _page_dict(self, request: HttpRequest, page: Page) -> dict | None:
        model_admin = next(
            (a for m, a in self._registry.items() if m._meta.label == page.model), None
        )
        if model_admin is None or not getattr(model_admin, page.permission)(request):
            return None
        try:
            url = reverse(page.url_name, current_app=self.name)
        except NoReverseMatch:
            return None
        return {
            "model": None,
            "name": page.name,
            "object_name": page.label.replace(".", "_"),
            "perms": {"add": False, "change": False, "delete": False, "view": True},
            "admin_url": url,
            "add_url": None,
            "view_only": True,
        }

    def get_sections(self, request: HttpRequest) -> list[dict]:
        """The sections the user may see, each shaped as the admin's templates expect an app."""
        models = {
            _label(model_dict): model_dict
            for app in self._build_app_dict(request).values()
            for model_dict in app["models"]
        }
        sections = []
        for section in (*SECTIONS, SETTINGS):
            entries = []
            for label in section.entries:
                if label in PAGES:
                    entry = self._page_dict(request, PAGES[label])
                else:
                    entry = models.pop(label, None)
                if entry is not None:
                    entries.append(entry)
            if section is SETTINGS:
                entries += sorted(models.values(), key=lambda m: m["name"].lower())
            if entries:
                sections.append(
                    {
                        "name": section.name,
                        "app_label": section.slug,
                        "app_url": reverse(
                            "admin:section", kwargs={"slug": section.slug}, current_app=self.name
                        ),
                        "has_module_perms": True,
                        "models": entries,
                    }
                )
        return sections

    def get_app_list(self, request, app_label=None):
        if app_label is None:
            return self.get_sections(request)
        # One room's own page (the breadcrumbs of its lists lead there): its models in the
        # order of the sections.
        order = {
            label: position
            for position, label in enumerate(
                label for section in (*SECTIONS, SETTINGS) for label in section.entries
            )
        }
        app_list = list(self._build_app_dict(request, app_label).values())
        for app in app_list:
            app["models"].sort(key=lambda m: (order.get(_label(m), len(order)), m["name"]))
        return app_list

    def section_index(self, request: HttpRequest, slug: str):
        sections = [s for s in self.get_sections(request) if s["app_label"] == slug]
        if not sections:
            raise Http404("There is no such section of the admin.")
        context = {
            **self.each_context(request),
            "title": sections[0]["name"],
            "subtitle": None,
            "app_list": sections,
            "app_label": slug,
        }
        request.current_app = self.name
        return TemplateResponse(request, "admin/app_index.html", context)


class SecretariatAdminConfig(AdminConfig):
    """``django.contrib.admin`` with the secretariat's site as its default site."""

    default_site = "project.admin_site.SecretariatAdminSite"
