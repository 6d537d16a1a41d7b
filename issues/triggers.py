"""Invariants that span rows, kept by the database itself.

Check constraints cover what one row can say (an issue is never merged into itself, a decision
names an option or new text). What needs another row is kept here by triggers, on SQLite and on
PostgreSQL alike:

- an issue is never merged into a merged issue, and an issue into which others are merged is
  never itself marked merged (merge chains are always one step deep);
- a decision belongs to a referred item, and its chosen option is one of that item's options;
- an item takes the state "decided" only with a decision, and keeps it while it has one (a
  decision is withdrawn by deleting it, then reopening the item);
- a stated support names an option of the item it is recorded against.

They are installed after every ``migrate`` (see ``IssuesConfig.ready``) with statements that are
safe to repeat, because SQLite's table rebuilds during later migrations drop triggers.
A violation raises ``django.db.IntegrityError``.
"""

from django.db import connections

MERGED_INTO_MERGED = "an issue cannot be merged into a merged issue"
MERGED_WITH_CHILDREN = "an issue that others are merged into cannot itself be merged"
DECISION_NOT_REFERRED = "a decision belongs to a referred item"
DECISION_FOREIGN_OPTION = "the chosen option belongs to another item"
DECIDED_WITHOUT_DECISION = "an item is decided exactly when it has a decision"
SUPPORT_FOREIGN_OPTION = "the supported option belongs to another item"

_SQLITE = [
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
    f"""
    CREATE TRIGGER IF NOT EXISTS issues_decision_item_referred_insert
    BEFORE INSERT ON issues_decision FOR EACH ROW
    WHEN (SELECT state FROM issues_consensusitem WHERE id = NEW.item_id)
         NOT IN ('referred', 'decided')
    BEGIN SELECT RAISE(ABORT, '{DECISION_NOT_REFERRED}'); END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS issues_decision_item_referred_update
    BEFORE UPDATE ON issues_decision FOR EACH ROW
    WHEN (SELECT state FROM issues_consensusitem WHERE id = NEW.item_id)
         NOT IN ('referred', 'decided')
    BEGIN SELECT RAISE(ABORT, '{DECISION_NOT_REFERRED}'); END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS issues_decision_option_insert
    BEFORE INSERT ON issues_decision FOR EACH ROW
    WHEN NEW.option_id IS NOT NULL
     AND (SELECT item_id FROM issues_option WHERE id = NEW.option_id) != NEW.item_id
    BEGIN SELECT RAISE(ABORT, '{DECISION_FOREIGN_OPTION}'); END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS issues_decision_option_update
    BEFORE UPDATE ON issues_decision FOR EACH ROW
    WHEN NEW.option_id IS NOT NULL
     AND (SELECT item_id FROM issues_option WHERE id = NEW.option_id) != NEW.item_id
    BEGIN SELECT RAISE(ABORT, '{DECISION_FOREIGN_OPTION}'); END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS issues_consensusitem_decided_insert
    BEFORE INSERT ON issues_consensusitem FOR EACH ROW
    WHEN NEW.state = 'decided'
    BEGIN SELECT RAISE(ABORT, '{DECIDED_WITHOUT_DECISION}'); END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS issues_consensusitem_decided_update
    BEFORE UPDATE ON issues_consensusitem FOR EACH ROW
    WHEN (NEW.state = 'decided')
         != EXISTS (SELECT 1 FROM issues_decision WHERE item_id = NEW.id)
    BEGIN SELECT RAISE(ABORT, '{DECIDED_WITHOUT_DECISION}'); END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS issues_optionsupport_option_insert
    BEFORE INSERT ON issues_optionsupport FOR EACH ROW
    WHEN (SELECT item_id FROM issues_option WHERE id = NEW.option_id) != NEW.item_id
    BEGIN SELECT RAISE(ABORT, '{SUPPORT_FOREIGN_OPTION}'); END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS issues_optionsupport_option_update
    BEFORE UPDATE ON issues_optionsupport FOR EACH ROW
    WHEN (SELECT item_id FROM issues_option WHERE id = NEW.option_id) != NEW.item_id
    BEGIN SELECT RAISE(ABORT, '{SUPPORT_FOREIGN_OPTION}'); END
    """,
]

_POSTGRESQL = [
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
    f"""
    CREATE OR REPLACE FUNCTION issues_decision_check() RETURNS trigger AS $$
    DECLARE item_state text;
    BEGIN
      SELECT state INTO item_state FROM issues_consensusitem WHERE id = NEW.item_id FOR SHARE;
      IF item_state NOT IN ('referred', 'decided') THEN
        RAISE EXCEPTION '{DECISION_NOT_REFERRED}' USING ERRCODE = 'check_violation';
      END IF;
      IF NEW.option_id IS NOT NULL
         AND (SELECT item_id FROM issues_option WHERE id = NEW.option_id) <> NEW.item_id THEN
        RAISE EXCEPTION '{DECISION_FOREIGN_OPTION}' USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE OR REPLACE TRIGGER issues_decision_check
    BEFORE INSERT OR UPDATE ON issues_decision
    FOR EACH ROW EXECUTE FUNCTION issues_decision_check()
    """,
    f"""
    CREATE OR REPLACE FUNCTION issues_consensusitem_check() RETURNS trigger AS $$
    BEGIN
      IF TG_OP = 'INSERT' AND NEW.state = 'decided' THEN
        RAISE EXCEPTION '{DECIDED_WITHOUT_DECISION}' USING ERRCODE = 'check_violation';
      END IF;
      IF TG_OP = 'UPDATE' AND (NEW.state = 'decided')
         <> EXISTS (SELECT 1 FROM issues_decision WHERE item_id = NEW.id) THEN
        RAISE EXCEPTION '{DECIDED_WITHOUT_DECISION}' USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE OR REPLACE TRIGGER issues_consensusitem_check
    BEFORE INSERT OR UPDATE ON issues_consensusitem
    FOR EACH ROW EXECUTE FUNCTION issues_consensusitem_check()
    """,
    f"""
    CREATE OR REPLACE FUNCTION issues_optionsupport_check() RETURNS trigger AS $$
    BEGIN
      IF (SELECT item_id FROM issues_option WHERE id = NEW.option_id) <> NEW.item_id THEN
        RAISE EXCEPTION '{SUPPORT_FOREIGN_OPTION}' USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE OR REPLACE TRIGGER issues_optionsupport_check
    BEFORE INSERT OR UPDATE ON issues_optionsupport
    FOR EACH ROW EXECUTE FUNCTION issues_optionsupport_check()
    """,
]

_BY_VENDOR = {"sqlite": _SQLITE, "postgresql": _POSTGRESQL}


def install(using: str = "default") -> None:
    """Create or refresh the triggers on one database."""
    connection = connections[using]
    statements = _BY_VENDOR.get(connection.vendor)
    if statements is None:
        raise NotImplementedError(f"wgec runs on SQLite or PostgreSQL, not {connection.vendor}.")
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def install_after_migrate(sender, using: str = "default", **kwargs) -> None:
    install(using)
