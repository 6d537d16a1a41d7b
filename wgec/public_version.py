"""The public pages' version token, changed by the database with every write to the tables the
public pages read.

As the map's version (``mechanisms/triggers.py``, whose reasons apply here word for word), but
over every table a page shown to anonymous visitors reads: an issue's page (comments, consensus
items and their options and decisions, proposals, sources, history), the questionnaire, its
respondents and answers, the reports and their schedule, the meetings and the group's members.
Left out are the tables no public page shows and that change often without the pages changing:
profiles, join requests, the imports' progress, subscribers, deliveries and incoming mail:
those would only empty the cache. The map's own pages keep the map's version, which changes
far less often.

The table names are strings, not models of the rooms above: this room imports none of them.
"""

from wgec.triggers import triggers_install, version_triggers

_PUBLIC_MODEL_TABLES = (
    "wgec_stakeholdergroup",
    "wgec_participant",
    "wgec_meeting",
    "wgec_summaryparagraph",
    "wgec_termsofreference",
    "wgec_termsparagraph",
    "wgec_attendance",
    "wgec_meetingdocument",
    "wgec_contribution",
    "wgec_contributiondocument",
    "issues_theme",
    "issues_question",
    "issues_respondent",
    "issues_cosigner",
    "issues_answer",
    "issues_cluster",
    "issues_issue",
    "issues_issuesource",
    "issues_comment",
    "mechanisms_mechanism",
    "mechanisms_coverage",
    "mechanisms_gap",
    "consensus_consensusitem",
    "consensus_option",
    "consensus_optionsupport",
    "consensus_decision",
    "consensus_proposal",
    "reports_deliverable",
    "reports_report",
    "reports_symbolpattern",
    "reports_editabletemplate",
)

# The change history the issue page shows is written beside each table, but read on its own.
PUBLIC_TABLES = (
    *_PUBLIC_MODEL_TABLES,
    *(table.replace("_", "_historical", 1) for table in _PUBLIC_MODEL_TABLES),
    "issues_issuemerge",
    "reports_documentexport",  # a sent report's page lists its frozen documents
)

PUBLIC_VERSION_TRIGGERS = version_triggers("wgec_public", PUBLIC_TABLES)


def install_after_migrate(sender, using: str = "default", **kwargs) -> None:
    triggers_install(PUBLIC_VERSION_TRIGGERS, using)
