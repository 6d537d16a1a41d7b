"""Installing a room's triggers: invariants that span rows, kept by the database itself.

A room that has such invariants lists, for SQLite and for PostgreSQL, statements that are safe to
repeat, and the tables they guard; ``triggers_install`` runs them after every ``migrate``
(connected in the room's ``AppConfig.ready``), because SQLite's table rebuilds during later
migrations drop triggers. When a guarded table does not exist (a database migrated back to
before it), nothing is installed. A violation raises ``django.db.IntegrityError``.
"""

import re
from dataclasses import dataclass

from django.db import connections

_IDENTIFIER = re.compile(r"[a-z][a-z0-9_]*")


@dataclass(frozen=True)
class Triggers:
    tables: tuple[str, ...]
    sqlite: tuple[str, ...]
    postgresql: tuple[str, ...]


def triggers_install(triggers: Triggers, using: str = "default") -> None:
    """Create or refresh the triggers on one database."""
    connection = connections[using]
    if connection.vendor not in ("sqlite", "postgresql"):
        raise NotImplementedError(f"wgec runs on SQLite or PostgreSQL, not {connection.vendor}.")
    if not set(triggers.tables) <= set(connection.introspection.table_names()):
        return
    with connection.cursor() as cursor:
        for statement in getattr(triggers, connection.vendor):
            cursor.execute(statement)


def version_triggers(name: str, tables: tuple[str, ...]) -> Triggers:
    """Triggers that set a new random token in ``<name>version`` (one row, id 1) with every
    write to ``tables``, inside the writing transaction.

    On SQLite, where writers take turns anyway, the token is set per row. On PostgreSQL it is set
    once per writing transaction, at its commit: each statement on a followed table notes its
    transaction in ``<name>change`` (a row per transaction, so writers never wait for each other
    there), and a deferred trigger on that note sets the token when the transaction commits,
    after it has taken every other lock it needs: a transaction never waits for another's rows
    while holding the version row's lock. The token is random rather than a counter so that a
    database emptied and filled again never repeats an earlier one. The map's version
    (``mechanisms/triggers.py``) and the public pages' (``wgec/public_version.py``) are two."""
    # The names are the code's own constants, never input: checked, then written into the SQL.
    if not all(_IDENTIFIER.fullmatch(word) for word in (name, *tables)):
        raise ValueError(f"Not a table or trigger name: {name!r}, {tables!r}")
    version, change = f"{name}version", f"{name}change"
    changed, bump = f"{name}_changed", f"{name}_version_bump"
    sqlite_bump = (
        f"INSERT OR REPLACE INTO {version} (id, token) VALUES (1, lower(hex(randomblob(16))))"  # noqa: S608
    )
    return Triggers(
        tables=(*tables, version),
        sqlite=tuple(
            f"CREATE TRIGGER IF NOT EXISTS {changed}_{table}_{event.lower()} "
            f"AFTER {event} ON {table} FOR EACH ROW BEGIN {sqlite_bump}; END"
            for table in tables
            for event in ("INSERT", "UPDATE", "DELETE")
        ),
        postgresql=(
            f"CREATE TABLE IF NOT EXISTS {change} (txid bigint PRIMARY KEY)",
            f"""
    CREATE OR REPLACE FUNCTION {changed}() RETURNS trigger AS $$
    BEGIN
      INSERT INTO {change} (txid) VALUES (txid_current()) ON CONFLICT DO NOTHING;
      RETURN NULL;
    END $$ LANGUAGE plpgsql
    """,  # noqa: S608
            f"""
    CREATE OR REPLACE FUNCTION {bump}() RETURNS trigger AS $$
    BEGIN
      INSERT INTO {version} (id, token)
      VALUES (1, md5(random()::text || clock_timestamp()::text || NEW.txid::text))
      ON CONFLICT (id) DO UPDATE SET token = EXCLUDED.token;
      DELETE FROM {change} WHERE txid = NEW.txid;
      RETURN NULL;
    END $$ LANGUAGE plpgsql
    """,  # noqa: S608
            # CREATE OR REPLACE does not apply to constraint triggers: dropped and created again.
            f"DROP TRIGGER IF EXISTS {bump} ON {change}",
            f"CREATE CONSTRAINT TRIGGER {bump} AFTER INSERT ON {change} "
            f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {bump}()",
            *(
                f"CREATE OR REPLACE TRIGGER {changed} AFTER INSERT OR UPDATE OR DELETE "
                f"OR TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {changed}()"
                for table in tables
            ),
        ),
    )
