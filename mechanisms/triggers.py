"""The map's version token, changed by the database with every write to the map's tables.

Every INSERT, UPDATE, DELETE (and on PostgreSQL TRUNCATE) on the issues, clusters, mechanisms,
coverage and gaps sets a new random token in ``mechanisms_mapversion``, inside the writing
transaction: bulk creates, the admin, imports and raw SQL included, so that no write path can
forget it. Readers see the new token exactly when they see the new rows, and the cached pages
keyed by the old token are never served again (``mechanisms/page_cache.py``). The token is
random rather than a counter so that a database emptied and filled again (``flush``) never
repeats an earlier one.

On PostgreSQL the token is set once per writing transaction, at its commit
(``wgec.triggers.version_triggers``): an import and a coordinator's edit running together do not
deadlock over it, and do not take turns for longer than a commit. On SQLite, where writers take
turns anyway, it is set per row. Installed after every ``migrate`` (``wgec/triggers.py``).
"""

from wgec.triggers import triggers_install, version_triggers

MAP_TABLES = (
    "issues_issue",
    "issues_cluster",
    "mechanisms_mechanism",
    "mechanisms_coverage",
    "mechanisms_gap",
)

MAP_VERSION_TRIGGERS = version_triggers("mechanisms_map", MAP_TABLES)


def install_after_migrate(sender, using: str = "default", **kwargs) -> None:
    triggers_install(MAP_VERSION_TRIGGERS, using)
