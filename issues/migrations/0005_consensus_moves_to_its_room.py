"""Proposals and consensus move to their own room, ``consensus``, with their data.

The tables are renamed to the new room's names (their rows, keys and constraints go with them)
and the models leave this room's state; ``consensus.0001_initial`` takes them up and moves their
content types, so that permissions, the Secretariat group and the admin's log follow. The
triggers that guard these tables are dropped here under their old names; the consensus room
installs them again under its own after ``migrate``. Backwards, the consensus room's triggers
are dropped, the tables take their old names and the old triggers are created again.
"""

from django.db import migrations

MODELS = ["consensusitem", "option", "optionsupport", "decision", "proposal"]
HISTORICAL = [f"historical{name}" for name in MODELS]

# The triggers as this room installed them (issues/triggers.py before the move).
SQLITE_TRIGGERS = {
    "issues_decision_item_referred_insert": """
    CREATE TRIGGER IF NOT EXISTS issues_decision_item_referred_insert
    BEFORE INSERT ON issues_decision FOR EACH ROW
    WHEN (SELECT state FROM issues_consensusitem WHERE id = NEW.item_id)
         NOT IN ('referred', 'decided')
    BEGIN SELECT RAISE(ABORT, 'a decision belongs to a referred item'); END
    """,
    "issues_decision_item_referred_update": """
    CREATE TRIGGER IF NOT EXISTS issues_decision_item_referred_update
    BEFORE UPDATE ON issues_decision FOR EACH ROW
    WHEN (SELECT state FROM issues_consensusitem WHERE id = NEW.item_id)
         NOT IN ('referred', 'decided')
    BEGIN SELECT RAISE(ABORT, 'a decision belongs to a referred item'); END
    """,
    "issues_decision_option_insert": """
    CREATE TRIGGER IF NOT EXISTS issues_decision_option_insert
    BEFORE INSERT ON issues_decision FOR EACH ROW
    WHEN NEW.option_id IS NOT NULL
     AND (SELECT item_id FROM issues_option WHERE id = NEW.option_id) != NEW.item_id
    BEGIN SELECT RAISE(ABORT, 'the chosen option belongs to another item'); END
    """,
    "issues_decision_option_update": """
    CREATE TRIGGER IF NOT EXISTS issues_decision_option_update
    BEFORE UPDATE ON issues_decision FOR EACH ROW
    WHEN NEW.option_id IS NOT NULL
     AND (SELECT item_id FROM issues_option WHERE id = NEW.option_id) != NEW.item_id
    BEGIN SELECT RAISE(ABORT, 'the chosen option belongs to another item'); END
    """,
    "issues_consensusitem_decided_insert": """
    CREATE TRIGGER IF NOT EXISTS issues_consensusitem_decided_insert
    BEFORE INSERT ON issues_consensusitem FOR EACH ROW
    WHEN NEW.state = 'decided'
    BEGIN SELECT RAISE(ABORT, 'an item is decided exactly when it has a decision'); END
    """,
    "issues_consensusitem_decided_update": """
    CREATE TRIGGER IF NOT EXISTS issues_consensusitem_decided_update
    BEFORE UPDATE ON issues_consensusitem FOR EACH ROW
    WHEN (NEW.state = 'decided')
         != EXISTS (SELECT 1 FROM issues_decision WHERE item_id = NEW.id)
    BEGIN SELECT RAISE(ABORT, 'an item is decided exactly when it has a decision'); END
    """,
    "issues_optionsupport_option_insert": """
    CREATE TRIGGER IF NOT EXISTS issues_optionsupport_option_insert
    BEFORE INSERT ON issues_optionsupport FOR EACH ROW
    WHEN (SELECT item_id FROM issues_option WHERE id = NEW.option_id) != NEW.item_id
    BEGIN SELECT RAISE(ABORT, 'the supported option belongs to another item'); END
    """,
    "issues_optionsupport_option_update": """
    CREATE TRIGGER IF NOT EXISTS issues_optionsupport_option_update
    BEFORE UPDATE ON issues_optionsupport FOR EACH ROW
    WHEN (SELECT item_id FROM issues_option WHERE id = NEW.option_id) != NEW.item_id
    BEGIN SELECT RAISE(ABORT, 'the supported option belongs to another item'); END
    """,
}

# (trigger and function name, table) and the statements that made them, on PostgreSQL.
POSTGRESQL_TRIGGERS = {
    ("issues_decision_check", "issues_decision"): [
        """
    CREATE OR REPLACE FUNCTION issues_decision_check() RETURNS trigger AS $$
    DECLARE item_state text;
    BEGIN
      SELECT state INTO item_state FROM issues_consensusitem WHERE id = NEW.item_id FOR SHARE;
      IF item_state NOT IN ('referred', 'decided') THEN
        RAISE EXCEPTION 'a decision belongs to a referred item' USING ERRCODE = 'check_violation';
      END IF;
      IF NEW.option_id IS NOT NULL
         AND (SELECT item_id FROM issues_option WHERE id = NEW.option_id) <> NEW.item_id THEN
        RAISE EXCEPTION 'the chosen option belongs to another item' USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql
    """,
        """
    CREATE OR REPLACE TRIGGER issues_decision_check
    BEFORE INSERT OR UPDATE ON issues_decision
    FOR EACH ROW EXECUTE FUNCTION issues_decision_check()
    """,
    ],
    ("issues_consensusitem_check", "issues_consensusitem"): [
        """
    CREATE OR REPLACE FUNCTION issues_consensusitem_check() RETURNS trigger AS $$
    BEGIN
      IF TG_OP = 'INSERT' AND NEW.state = 'decided' THEN
        RAISE EXCEPTION 'an item is decided exactly when it has a decision' USING ERRCODE = 'check_violation';
      END IF;
      IF TG_OP = 'UPDATE' AND (NEW.state = 'decided')
         <> EXISTS (SELECT 1 FROM issues_decision WHERE item_id = NEW.id) THEN
        RAISE EXCEPTION 'an item is decided exactly when it has a decision' USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql
    """,
        """
    CREATE OR REPLACE TRIGGER issues_consensusitem_check
    BEFORE INSERT OR UPDATE ON issues_consensusitem
    FOR EACH ROW EXECUTE FUNCTION issues_consensusitem_check()
    """,
    ],
    ("issues_optionsupport_check", "issues_optionsupport"): [
        """
    CREATE OR REPLACE FUNCTION issues_optionsupport_check() RETURNS trigger AS $$
    BEGIN
      IF (SELECT item_id FROM issues_option WHERE id = NEW.option_id) <> NEW.item_id THEN
        RAISE EXCEPTION 'the supported option belongs to another item' USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql
    """,
        """
    CREATE OR REPLACE TRIGGER issues_optionsupport_check
    BEFORE INSERT OR UPDATE ON issues_optionsupport
    FOR EACH ROW EXECUTE FUNCTION issues_optionsupport_check()
    """,
    ],
}


def drop_old_triggers(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        for name in SQLITE_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
    elif schema_editor.connection.vendor == "postgresql":
        for name, table in POSTGRESQL_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}()")


def drop_new_triggers(apps, schema_editor) -> None:
    """Backwards: the triggers the consensus room installed on its tables go, before the tables
    take their old names (SQLite would carry them along)."""
    if schema_editor.connection.vendor == "sqlite":
        for name in SQLITE_TRIGGERS:
            schema_editor.execute(
                f"DROP TRIGGER IF EXISTS {name.replace('issues_', 'consensus_', 1)}"
            )
    elif schema_editor.connection.vendor == "postgresql":
        for name, table in POSTGRESQL_TRIGGERS:
            new_name, new_table = (
                text.replace("issues_", "consensus_", 1) for text in (name, table)
            )
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {new_name} ON {new_table}")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {new_name}()")


def create_old_triggers(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        statements = list(SQLITE_TRIGGERS.values())
    elif schema_editor.connection.vendor == "postgresql":
        statements = [sql for pair in POSTGRESQL_TRIGGERS.values() for sql in pair]
    else:
        statements = []
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("issues", "0004_proposals_comments"),
    ]

    operations = [
        migrations.RunPython(drop_old_triggers, create_old_triggers),
        *(
            migrations.AlterModelTable(name=name, table=f"consensus_{name}")
            for name in [*MODELS, *HISTORICAL]
        ),
        migrations.RunPython(migrations.RunPython.noop, drop_new_triggers),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name=name)
                for name in [
                    *HISTORICAL,
                    "decision",
                    "optionsupport",
                    "option",
                    "consensusitem",
                    "proposal",
                ]
            ]
        ),
    ]
