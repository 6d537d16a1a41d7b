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

from wgec.triggers import Triggers, triggers_install

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

_SQLITE_BUMP = (
    "INSERT OR REPLACE INTO wgec_publicversion (id, token) VALUES (1, lower(hex(randomblob(16))))"
)

PUBLIC_VERSION_TRIGGERS = Triggers(
    tables=(*PUBLIC_TABLES, "wgec_publicversion"),
    sqlite=tuple(
        f"CREATE TRIGGER IF NOT EXISTS wgec_public_changed_{table}_{event.lower()} "
        f"AFTER {event} ON {table} FOR EACH ROW BEGIN {_SQLITE_BUMP}; END"
        for table in PUBLIC_TABLES
        for event in ("INSERT", "UPDATE", "DELETE")
    ),
    postgresql=(
        "CREATE TABLE IF NOT EXISTS wgec_publicchange (txid bigint PRIMARY KEY)",
        """
    CREATE OR REPLACE FUNCTION wgec_public_changed() RETURNS trigger AS $$
    BEGIN
      INSERT INTO wgec_publicchange (txid) VALUES (txid_current()) ON CONFLICT DO NOTHING;
      RETURN NULL;
    END $$ LANGUAGE plpgsql
    """,
        """
    CREATE OR REPLACE FUNCTION wgec_public_version_bump() RETURNS trigger AS $$
    BEGIN
      INSERT INTO wgec_publicversion (id, token)
      VALUES (1, md5(random()::text || clock_timestamp()::text || NEW.txid::text))
      ON CONFLICT (id) DO UPDATE SET token = EXCLUDED.token;
      DELETE FROM wgec_publicchange WHERE txid = NEW.txid;
      RETURN NULL;
    END $$ LANGUAGE plpgsql
    """,
        # CREATE OR REPLACE does not apply to constraint triggers: dropped and created again.
        "DROP TRIGGER IF EXISTS wgec_public_version_bump ON wgec_publicchange",
        "CREATE CONSTRAINT TRIGGER wgec_public_version_bump AFTER INSERT ON "
        "wgec_publicchange DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
        "EXECUTE FUNCTION wgec_public_version_bump()",
        *(
            f"CREATE OR REPLACE TRIGGER wgec_public_changed AFTER INSERT OR UPDATE OR DELETE "
            f"OR TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION wgec_public_changed()"
            for table in PUBLIC_TABLES
        ),
    ),
)


def install_after_migrate(sender, using: str = "default", **kwargs) -> None:
    triggers_install(PUBLIC_VERSION_TRIGGERS, using)
