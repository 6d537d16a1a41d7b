"""Installing a room's triggers: invariants that span rows, kept by the database itself.

A room that has such invariants lists, for SQLite and for PostgreSQL, statements that are safe to
repeat, and the tables they guard; ``triggers_install`` runs them after every ``migrate``
(connected in the room's ``AppConfig.ready``), because SQLite's table rebuilds during later
migrations drop triggers. When a guarded table does not exist (a database migrated back to
before it), nothing is installed. A violation raises ``django.db.IntegrityError``.
"""

from dataclasses import dataclass

from django.db import connections


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
