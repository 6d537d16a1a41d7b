"""Invariants of the issue list that span rows, kept by the database itself.

Check constraints cover what one row can say (an issue is never merged into itself). What needs
another row is kept here by triggers, on SQLite and on PostgreSQL alike: an issue is never merged
into a merged issue, and an issue into which others are merged is never itself marked merged
(merge chains are always one step deep).

They are installed after every ``migrate`` (see ``IssuesConfig.ready`` and ``wgec/triggers.py``).
A violation raises ``django.db.IntegrityError``.
"""

from wgec.triggers import Triggers, triggers_install

MERGED_INTO_MERGED = "an issue cannot be merged into a merged issue"
MERGED_WITH_CHILDREN = "an issue that others are merged into cannot itself be merged"

ISSUE_TRIGGERS = Triggers(
    tables=("issues_issue",),
    sqlite=(
        f"""
    CREATE TRIGGER IF NOT EXISTS issues_issue_merge_target_insert
    BEFORE INSERT ON issues_issue FOR EACH ROW
    WHEN NEW.merged_into_id IS NOT NULL
     AND (SELECT state FROM issues_issue WHERE id = NEW.merged_into_id) = 'merged'
    BEGIN SELECT RAISE(ABORT, '{MERGED_INTO_MERGED}'); END
    """,
        f"""
    CREATE TRIGGER IF NOT EXISTS issues_issue_merge_target_update
    BEFORE UPDATE ON issues_issue FOR EACH ROW
    WHEN NEW.merged_into_id IS NOT NULL
     AND (SELECT state FROM issues_issue WHERE id = NEW.merged_into_id) = 'merged'
    BEGIN SELECT RAISE(ABORT, '{MERGED_INTO_MERGED}'); END
    """,
        f"""
    CREATE TRIGGER IF NOT EXISTS issues_issue_merged_without_children
    BEFORE UPDATE ON issues_issue FOR EACH ROW
    WHEN NEW.state = 'merged'
     AND EXISTS (SELECT 1 FROM issues_issue WHERE merged_into_id = NEW.id)
    BEGIN SELECT RAISE(ABORT, '{MERGED_WITH_CHILDREN}'); END
    """,
    ),
    postgresql=(
        f"""
    CREATE OR REPLACE FUNCTION issues_issue_merge_check() RETURNS trigger AS $$
    DECLARE target_state text;
    BEGIN
      IF NEW.merged_into_id IS NOT NULL THEN
        -- Lock the target so that a concurrent merge of the target waits for this one.
        SELECT state INTO target_state FROM issues_issue WHERE id = NEW.merged_into_id FOR SHARE;
        IF target_state = 'merged' THEN
          RAISE EXCEPTION '{MERGED_INTO_MERGED}' USING ERRCODE = 'check_violation';
        END IF;
      END IF;
      IF TG_OP = 'UPDATE' AND NEW.state = 'merged'
         AND EXISTS (SELECT 1 FROM issues_issue WHERE merged_into_id = NEW.id) THEN
        RAISE EXCEPTION '{MERGED_WITH_CHILDREN}' USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql
    """,
        """
    CREATE OR REPLACE TRIGGER issues_issue_merge_check
    BEFORE INSERT OR UPDATE ON issues_issue
    FOR EACH ROW EXECUTE FUNCTION issues_issue_merge_check()
    """,
    ),
)


def install_after_migrate(sender, using: str = "default", **kwargs) -> None:
    triggers_install(ISSUE_TRIGGERS, using)
