"""Invariants of consensus that span rows, kept by the database itself.

Check constraints cover what one row can say (a decision names an option or new text). What
needs another row is kept here by triggers, on SQLite and on PostgreSQL alike:

- a decision belongs to a referred item, and its chosen option is one of that item's options;
- an item takes the state "decided" only with a decision, and keeps it while it has one (a
  decision is withdrawn by deleting it, then reopening the item);
- a stated support names an option of the item it is recorded against.

They are installed after every ``migrate`` (see ``ConsensusConfig.ready`` and
``wgec/triggers.py``). A violation raises ``django.db.IntegrityError``.
"""

from wgec.triggers import Triggers, triggers_install

DECISION_NOT_REFERRED = "a decision belongs to a referred item"
DECISION_FOREIGN_OPTION = "the chosen option belongs to another item"
DECIDED_WITHOUT_DECISION = "an item is decided exactly when it has a decision"
SUPPORT_FOREIGN_OPTION = "the supported option belongs to another item"

CONSENSUS_TRIGGERS = Triggers(
    tables=(
        "consensus_consensusitem",
        "consensus_option",
        "consensus_optionsupport",
        "consensus_decision",
    ),
    sqlite=(
        f"""
    CREATE TRIGGER IF NOT EXISTS consensus_decision_item_referred_insert
    BEFORE INSERT ON consensus_decision FOR EACH ROW
    WHEN (SELECT state FROM consensus_consensusitem WHERE id = NEW.item_id)
         NOT IN ('referred', 'decided')
    BEGIN SELECT RAISE(ABORT, '{DECISION_NOT_REFERRED}'); END
    """,
        f"""
    CREATE TRIGGER IF NOT EXISTS consensus_decision_item_referred_update
    BEFORE UPDATE ON consensus_decision FOR EACH ROW
    WHEN (SELECT state FROM consensus_consensusitem WHERE id = NEW.item_id)
         NOT IN ('referred', 'decided')
    BEGIN SELECT RAISE(ABORT, '{DECISION_NOT_REFERRED}'); END
    """,
        f"""
    CREATE TRIGGER IF NOT EXISTS consensus_decision_option_insert
    BEFORE INSERT ON consensus_decision FOR EACH ROW
    WHEN NEW.option_id IS NOT NULL
     AND (SELECT item_id FROM consensus_option WHERE id = NEW.option_id) != NEW.item_id
    BEGIN SELECT RAISE(ABORT, '{DECISION_FOREIGN_OPTION}'); END
    """,
        f"""
    CREATE TRIGGER IF NOT EXISTS consensus_decision_option_update
    BEFORE UPDATE ON consensus_decision FOR EACH ROW
    WHEN NEW.option_id IS NOT NULL
     AND (SELECT item_id FROM consensus_option WHERE id = NEW.option_id) != NEW.item_id
    BEGIN SELECT RAISE(ABORT, '{DECISION_FOREIGN_OPTION}'); END
    """,
        f"""
    CREATE TRIGGER IF NOT EXISTS consensus_consensusitem_decided_insert
    BEFORE INSERT ON consensus_consensusitem FOR EACH ROW
    WHEN NEW.state = 'decided'
    BEGIN SELECT RAISE(ABORT, '{DECIDED_WITHOUT_DECISION}'); END
    """,
        f"""
    CREATE TRIGGER IF NOT EXISTS consensus_consensusitem_decided_update
    BEFORE UPDATE ON consensus_consensusitem FOR EACH ROW
    WHEN (NEW.state = 'decided')
         != EXISTS (SELECT 1 FROM consensus_decision WHERE item_id = NEW.id)
    BEGIN SELECT RAISE(ABORT, '{DECIDED_WITHOUT_DECISION}'); END
    """,
        f"""
    CREATE TRIGGER IF NOT EXISTS consensus_optionsupport_option_insert
    BEFORE INSERT ON consensus_optionsupport FOR EACH ROW
    WHEN (SELECT item_id FROM consensus_option WHERE id = NEW.option_id) != NEW.item_id
    BEGIN SELECT RAISE(ABORT, '{SUPPORT_FOREIGN_OPTION}'); END
    """,
        f"""
    CREATE TRIGGER IF NOT EXISTS consensus_optionsupport_option_update
    BEFORE UPDATE ON consensus_optionsupport FOR EACH ROW
    WHEN (SELECT item_id FROM consensus_option WHERE id = NEW.option_id) != NEW.item_id
    BEGIN SELECT RAISE(ABORT, '{SUPPORT_FOREIGN_OPTION}'); END
    """,
    ),
    postgresql=(
        f"""
    CREATE OR REPLACE FUNCTION consensus_decision_check() RETURNS trigger AS $$
    DECLARE item_state text;
    BEGIN
      SELECT state INTO item_state FROM consensus_consensusitem WHERE id = NEW.item_id FOR SHARE;
      IF item_state NOT IN ('referred', 'decided') THEN
        RAISE EXCEPTION '{DECISION_NOT_REFERRED}' USING ERRCODE = 'check_violation';
      END IF;
      IF NEW.option_id IS NOT NULL
         AND (SELECT item_id FROM consensus_option WHERE id = NEW.option_id) <> NEW.item_id THEN
        RAISE EXCEPTION '{DECISION_FOREIGN_OPTION}' USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql
    """,
        """
    CREATE OR REPLACE TRIGGER consensus_decision_check
    BEFORE INSERT OR UPDATE ON consensus_decision
    FOR EACH ROW EXECUTE FUNCTION consensus_decision_check()
    """,
        f"""
    CREATE OR REPLACE FUNCTION consensus_consensusitem_check() RETURNS trigger AS $$
    BEGIN
      IF TG_OP = 'INSERT' AND NEW.state = 'decided' THEN
        RAISE EXCEPTION '{DECIDED_WITHOUT_DECISION}' USING ERRCODE = 'check_violation';
      END IF;
      IF TG_OP = 'UPDATE' AND (NEW.state = 'decided')
         <> EXISTS (SELECT 1 FROM consensus_decision WHERE item_id = NEW.id) THEN
        RAISE EXCEPTION '{DECIDED_WITHOUT_DECISION}' USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql
    """,
        """
    CREATE OR REPLACE TRIGGER consensus_consensusitem_check
    BEFORE INSERT OR UPDATE ON consensus_consensusitem
    FOR EACH ROW EXECUTE FUNCTION consensus_consensusitem_check()
    """,
        f"""
    CREATE OR REPLACE FUNCTION consensus_optionsupport_check() RETURNS trigger AS $$
    BEGIN
      IF (SELECT item_id FROM consensus_option WHERE id = NEW.option_id) <> NEW.item_id THEN
        RAISE EXCEPTION '{SUPPORT_FOREIGN_OPTION}' USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql
    """,
        """
    CREATE OR REPLACE TRIGGER consensus_optionsupport_check
    BEFORE INSERT OR UPDATE ON consensus_optionsupport
    FOR EACH ROW EXECUTE FUNCTION consensus_optionsupport_check()
    """,
    ),
)


def install_after_migrate(sender, using: str = "default", **kwargs) -> None:
    triggers_install(CONSENSUS_TRIGGERS, using)
