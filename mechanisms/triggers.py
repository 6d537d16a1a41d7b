"""The map's version token, changed by the database with every write to the map's tables.

Every INSERT, UPDATE, DELETE (and on PostgreSQL TRUNCATE) on the issues, clusters, mechanisms,
coverage and gaps sets a new random token in ``mechanisms_mapversion``, inside the writing
transaction: bulk creates, the admin, imports and raw SQL included, so that no write path can
forget it. Readers see the new token exactly when they see the new rows, and the cached pages
keyed by the old token are never served again (``mechanisms/page_cache.py``). The token is
random rather than a counter so that a database emptied and filled again (``flush``) never
repeats an earlier one.

On PostgreSQL the token is set once per statement, before the statement touches any row: the
row lock it takes is held to the end of the transaction, so transactions that write the map
take turns (they are few: coordinators' edits and imports), and since each takes it before its
first row lock, two of them do not deadlock over it. On SQLite, where writers take turns
anyway, it is set per row. Installed after every ``migrate`` (``wgec/triggers.py``).
"""

from wgec.triggers import Triggers, triggers_install

MAP_TABLES = (
    "issues_issue",
    "issues_cluster",
    "mechanisms_mechanism",
    "mechanisms_coverage",
    "mechanisms_gap",
)

_SQLITE_BUMP = (
    "INSERT OR REPLACE INTO mechanisms_mapversion (id, token) "
    "VALUES (1, lower(hex(randomblob(16))))"
)

MAP_VERSION_TRIGGERS = Triggers(
    tables=(*MAP_TABLES, "mechanisms_mapversion"),
    sqlite=tuple(
        f"CREATE TRIGGER IF NOT EXISTS mechanisms_map_changed_{table}_{event.lower()} "
        f"AFTER {event} ON {table} FOR EACH ROW BEGIN {_SQLITE_BUMP}; END"
        for table in MAP_TABLES
        for event in ("INSERT", "UPDATE", "DELETE")
    ),
    postgresql=(
        """
    CREATE OR REPLACE FUNCTION mechanisms_map_changed() RETURNS trigger AS $$
    BEGIN
      INSERT INTO mechanisms_mapversion (id, token)
      VALUES (1, md5(random()::text || clock_timestamp()::text || txid_current()::text))
      ON CONFLICT (id) DO UPDATE SET token = EXCLUDED.token;
      RETURN NULL;
    END $$ LANGUAGE plpgsql
    """,
        *(
            f"CREATE OR REPLACE TRIGGER mechanisms_map_changed BEFORE INSERT OR UPDATE OR DELETE "
            f"OR TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION mechanisms_map_changed()"
            for table in MAP_TABLES
        ),
    ),
)


def install_after_migrate(sender, using: str = "default", **kwargs) -> None:
    triggers_install(MAP_VERSION_TRIGGERS, using)
