"""make backup / make restore: one file with the database and the media files; restoring the demo
into a fresh database gives every table back row for row, triggers included."""

import datetime
import io
import sqlite3
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from psycopg.types.string import TextLoader

from project.backup import backup_restore, backup_write

pytestmark = pytest.mark.django_db(transaction=True)


def _value(value):
    # The same moment whatever time zone object the driver attached to it.
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return value.astimezone(datetime.UTC).isoformat()
    return value


def _rows(cursor, table: str) -> list[str]:
    cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from introspection
    return sorted(repr(tuple(_value(v) for v in row)) for row in cursor.fetchall())


def _source_tables() -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        return {table: _rows(cursor, table) for table in connection.introspection.table_names()}


def _restored_sqlite(path: Path) -> tuple[dict[str, list[str]], set[str]]:
    # The converters Django registered for its own connections read the same types here.
    db = sqlite3.connect(path, detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES)
    try:
        cursor = db.cursor()
        names = [r[0] for r in cursor.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        tables = {n: _rows(cursor, n) for n in names if not n.startswith("sqlite_")}
        triggers = {
            r[0] for r in cursor.execute("SELECT name FROM sqlite_master WHERE type='trigger'")
        }
    finally:
        db.close()
    return tables, triggers


def _source_triggers() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type='trigger'")
        else:
            cursor.execute("SELECT DISTINCT trigger_name FROM information_schema.triggers")
        return {row[0] for row in cursor.fetchall()}


@pytest.fixture
def fresh_postgres_database():
    settings = connection.settings_dict
    name = f"{settings['NAME']}_restored"
    admin = psycopg.connect(
        host=settings["HOST"], port=settings["PORT"] or 5432, user=settings["USER"],
        password=settings["PASSWORD"] or None, dbname="postgres", autocommit=True,
    )  # fmt: skip
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    yield {**settings, "NAME": name}
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def test_the_demo_restored_into_a_fresh_database_has_every_table_row_for_row(
    tmp_path, settings, request
):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "contributions").mkdir(parents=True)
    (settings.MEDIA_ROOT / "contributions" / "paper.pdf").write_bytes(b"%PDF-1.4 a paper")
    call_command("load_demo", stdout=io.StringIO())
    backup = backup_write(path=tmp_path / "wgec.tar.gz")
    source, source_triggers = _source_tables(), _source_triggers()
    assert source["issues_issue"] and source["reports_delivery"] and source_triggers
    restored_media = tmp_path / "restored-media"
    if connection.vendor == "sqlite":
        target = tmp_path / "restored.sqlite3"
        database = {**connection.settings_dict, "NAME": str(target)}
    else:
        database = request.getfixturevalue("fresh_postgres_database")
    # Into the fresh database, then again into it as it now is: migrated and holding data.
    backup_restore(path=backup, database=database, media_root=restored_media)
    again = backup_restore(path=backup, database=database, media_root=restored_media)
    assert again.previous_media is not None and again.previous_media.is_dir()
    if connection.vendor == "sqlite":
        restored, triggers = _restored_sqlite(target)
    else:
        with psycopg.connect(
            host=database["HOST"], port=database["PORT"] or 5432, user=database["USER"],
            password=database["PASSWORD"] or None, dbname=database["NAME"],
        ) as db:  # fmt: skip
            db.adapters.register_loader("jsonb", TextLoader)  # JSON read as text, as Django does
            cursor = db.cursor()
            cursor.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
            )
            restored = {row[0]: _rows(cursor, row[0]) for row in cursor.fetchall()}
            cursor.execute("SELECT DISTINCT trigger_name FROM information_schema.triggers")
            triggers = {row[0] for row in cursor.fetchall()}
    assert set(restored) == set(source)
    for table, rows in source.items():
        assert restored[table] == rows, table
    assert triggers == source_triggers
    assert (restored_media / "contributions" / "paper.pdf").read_bytes() == b"%PDF-1.4 a paper"


def test_backup_prints_the_path_of_its_one_file_last(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    out = io.StringIO()
    call_command("backup", "-o", str(tmp_path / "b.tar.gz"), stdout=out)
    assert out.getvalue().splitlines()[-1] == str((tmp_path / "b.tar.gz").resolve())
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == ["b.tar.gz"]


def test_restore_refuses_a_file_that_is_not_a_backup_and_changes_nothing(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    (settings.MEDIA_ROOT / "kept.txt").write_text("kept")
    bogus = tmp_path / "notes.tar.gz"
    bogus.write_bytes(b"not a backup at all")
    before = _source_tables()
    with pytest.raises(
        CommandError, match=r"Nothing restored: .*notes.tar.gz is not a wgec backup"
    ):
        call_command("restore", str(bogus), stdout=io.StringIO())
    assert _source_tables() == before
    assert (settings.MEDIA_ROOT / "kept.txt").read_text() == "kept"


def test_restore_refuses_a_backup_of_the_other_database_vendor(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    backup = backup_write(path=tmp_path / "wgec.tar.gz")
    other = (
        {"ENGINE": "django.db.backends.postgresql", "NAME": "x"}
        if connection.vendor == "sqlite"
        else {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "x.sqlite3")}
    )
    from project.backup import BackupError

    with pytest.raises(BackupError, match=f"is a backup of a {connection.vendor} database"):
        backup_restore(path=backup, database=other, media_root=tmp_path / "m")
    assert not (tmp_path / "x.sqlite3").exists() and not (tmp_path / "m").exists()
