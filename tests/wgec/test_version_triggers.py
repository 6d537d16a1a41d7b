"""The version tokens' triggers are written from the code's own table names, never from input."""

import pytest

from mechanisms.triggers import MAP_VERSION_TRIGGERS
from wgec.public_version import PUBLIC_VERSION_TRIGGERS
from wgec.triggers import version_triggers


def test_a_name_that_is_not_a_plain_identifier_is_refused():
    with pytest.raises(ValueError, match="Not a table or trigger name"):
        version_triggers("wgec_public", ("issues_issue; DROP TABLE issues_issue",))
    with pytest.raises(ValueError):
        version_triggers("Robert'); --", ("issues_issue",))


def test_the_map_and_the_public_pages_each_keep_their_own_version_table():
    assert MAP_VERSION_TRIGGERS.tables[-1] == "mechanisms_mapversion"
    assert PUBLIC_VERSION_TRIGGERS.tables[-1] == "wgec_publicversion"
    assert all("wgec_publicversion" not in s for s in MAP_VERSION_TRIGGERS.sqlite)
    # Each followed table gets a trigger per kind of write on SQLite, one per table on PostgreSQL.
    assert len(MAP_VERSION_TRIGGERS.sqlite) == 3 * (len(MAP_VERSION_TRIGGERS.tables) - 1)
    assert sum("FOR EACH STATEMENT" in s for s in PUBLIC_VERSION_TRIGGERS.postgresql) == (
        len(PUBLIC_VERSION_TRIGGERS.tables) - 1
    )
