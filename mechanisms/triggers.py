"""The map's version token, changed by the database with every write to the map's tables.

Every INSERT, UPDATE, DELETE (and on PostgreSQL TRUNCATE) on the issues, clusters, mechanisms,
coverage and gaps sets a new random token in ``mechanisms_mapversion``, inside the writing
transaction: bulk creates, the admin, imports and raw SQL included, so that no write path can
forget it. Readers see the new token exactly when they see the new rows, and the cached pages
keyed by the old token are never served again (``mechanisms/page_cache.py``). The token is
random rather than a counter so that a database emptied and filled again (``flush``) never
repeats an earlier one.

On PostgreSQL the token is set once per writing transaction, at its commit: each statement on
a map table notes its transaction in ``mechanisms_mapchange`` (a row per transaction, so
writers never wait for each other there), and a deferred trigger on that note sets the token
when the transaction commits, after it has taken every other lock it needs. Holding the
version row's lock only while committing, a transaction never waits for another's rows while
holding it: an import and a coordinator's edit running together do not deadlock over it, and
do not take turns for longer than a commit. On SQLite, where writers take turns anyway, it is
set per row. Installed after every ``migrate`` (``wgec/triggers.py``).
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
        "CREATE TABLE IF NOT EXISTS mechanisms_mapchange (txid bigint PRIMARY KEY)",
        """
    CREATE OR REPLACE FUNCTION mechanisms_map_changed() RETURNS trigger AS $$
    BEGIN
      INSERT INTO mechanisms_mapchange (txid) VALUES (txid_current()) ON CONFLICT DO NOTHING;
      RETURN NULL;
    END $$ LANGUAGE plpgsql
    """,
        """
    CREATE OR REPLACE FUNCTION mechanisms_map_version_bump() RETURNS trigger AS $$
    BEGIN
      INSERT INTO mechanisms_mapversion (id, token)
      VALUES (1, md5(random()::text || clock_timestamp()::text || NEW.txid::text))
      ON CONFLICT (id) DO UPDATE SET token = EXCLUDED.token;
      DELETE FROM mechanisms_mapchange WHERE txid = NEW.txid;
      RETURN NULL;
    END $$ LANGUAGE plpgsql
    """,
        # CREATE OR REPLACE does not apply to constraint triggers: dropped and created again.
        "DROP TRIGGER IF EXISTS mechanisms_map_version_bump ON mechanisms_mapchange",
        "CREATE CONSTRAINT TRIGGER mechanisms_map_version_bump AFTER INSERT ON "
        "mechanisms_mapchange DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
        "EXECUTE FUNCTION mechanisms_map_version_bump()",
        *(
            f"CREATE OR REPLACE TRIGGER mechanisms_map_changed AFTER INSERT OR UPDATE OR DELETE "
            f"OR TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION mechanisms_map_changed()"
            for table in MAP_TABLES
        ),
    ),
)


def install_after_migrate(sender, using: str = "default", **kwargs) -> None:
    triggers_install(MAP_VERSION_TRIGGERS, using)
