"""Backups: the whole database and the media files in one archive, and restoring it.

A backup is a gzipped tar file holding ``manifest.json`` (the database's vendor, when it was
taken, the migrations applied), the database — ``database.sqlite3`` made with SQLite's online
backup API, or ``database.pgdump`` made by ``pg_dump --format=custom`` — and ``media/``, the
uploaded documents and prepared files of ``MEDIA_ROOT``, or of the S3 bucket when media are kept
there (``MEDIA_S3_BUCKET``), read and written through the media storage.

Why not ``dumpdata``/``loaddata``: ``loaddata`` inserts rows one at a time in the fixture's
order with the database's triggers on (``wgec/triggers.py``), and those triggers refuse states
that are valid only once every row is in (an issue merged into one not loaded yet, a decision on
an item whose referral comes later). The database's own tools copy it whole, triggers and
constraints included, and a restore leaves it exactly as it was.
"""

import datetime
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
PGDUMP_MEMBER = "database.pgdump"
MEDIA_MEMBER = "media"
FORMAT = 1


class BackupError(Exception):
    pass


@dataclass(frozen=True)
class RestoreResult:
    vendor: str
    taken_at: str
    media_files: int
    previous_media: Path | None


def _vendor(database: dict) -> str:
    engine = database["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise BackupError(f"Backups cover SQLite and PostgreSQL, not the database engine {engine}.")


def _pg_env(database: dict) -> dict[str, str]:
    env = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if database.get(key):
            env[variable] = str(database[key])
    return env


def _run(command: list[str], database: dict) -> None:
    try:
        subprocess.run(  # noqa: S603 - fixed programs, arguments from settings
            command, env=_pg_env(database), check=True, capture_output=True, text=True
        )
    except FileNotFoundError:
        raise BackupError(
            f"{command[0]} is not installed (Debian: apt-get install postgresql-client)."
        ) from None
    except subprocess.CalledProcessError as error:
        raise BackupError(
            f"{command[0]} failed (exit status {error.returncode}): {error.stderr.strip()}"
        ) from None


def _object_storage(media_root: Path | None) -> Storage | None:
    """The media storage when it is not a folder of this machine (an S3 bucket), else None."""
    if media_root is not None:
        return None
    storage = storages["default"]
    return None if isinstance(storage, FileSystemStorage) else storage


def _stored_names(storage: Storage, folder: str = "") -> list[str]:
    folders, files = storage.listdir(folder)
    prefix = f"{folder}/" if folder else ""
    names = [prefix + name for name in files]
    for inner in folders:
        names += _stored_names(storage, prefix + inner)
    return names


def _archive_stored(archive: tarfile.TarFile, storage: Storage) -> None:
    for name in sorted(_stored_names(storage)):
        with storage.open(name, "rb") as handle:
            data = handle.read()  # at most IMPORT_MAX_MB: the largest media file
        info = tarfile.TarInfo(f"{MEDIA_MEMBER}/{name}")
        info.size = len(data)
        info.mtime = int(storage.get_modified_time(name).timestamp())
        archive.addfile(info, io.BytesIO(data))


def _restore_stored(folder: Path, storage: Storage) -> None:
    for item in sorted(folder.rglob("*")):
        if not item.is_file():
            continue
        name = item.relative_to(folder).as_posix()
        storage.delete(name)  # the backup's file replaces the one of the same name
        with item.open("rb") as handle:
            saved = storage.save(name, File(handle, name=name))
        if saved != name:
            raise BackupError(f"The media file {name} was restored as {saved}: restore again.")


def backup_write(
    *, path: Path | None = None, using: str = "default", media_root: Path | None = None
) -> Path:
    """Write a backup of the database ``using`` and of the media files; returns its path."""
    connection = connections[using]
    database = connection.settings_dict
    vendor = _vendor(database)
    object_storage = _object_storage(media_root)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    now = timezone.now()
    if path is None:
        path = Path(settings.BASE_DIR) / "backups" / f"wgec-{vendor}-{now:%Y%m%d-%H%M%S}.tar.gz"
    path.parent.mkdir(parents=True, exist_ok=True)
    manifest = {
        "format": FORMAT,
        "vendor": vendor,
        "taken_at": now.isoformat(),
        "migrations": sorted(
            f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()
        ),
    }
    with tempfile.TemporaryDirectory() as scratch:
        dump = Path(scratch) / (SQLITE_MEMBER if vendor == "sqlite" else PGDUMP_MEMBER)
        if vendor == "sqlite":
            connection.ensure_connection()
            target = sqlite3.connect(dump)
            try:
                # The online backup API: a consistent copy while others keep writing.
                connection.connection.backup(target)
            finally:
                target.close()
        else:
            _run(
                ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}"],
                database,
            )
        partial = path.with_name(path.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(now.timestamp())
            archive.addfile(info, io.BytesIO(data))
            archive.add(dump, arcname=dump.name)
            if object_storage is not None:
                _archive_stored(archive, object_storage)
            elif media_root.is_dir():
                archive.add(media_root, arcname=MEDIA_MEMBER)
        partial.replace(path)  # a backup file is whole or absent
    return path


def backup_restore(
    *, path: Path, database: dict | None = None, media_root: Path | None = None
) -> RestoreResult:
    """Replace the database (the default one unless given its settings) and the media files
    with those of a backup. The database may be empty or migrated; what it held is dropped.
    The media folder in place is kept beside the restored one, renamed, and its path returned.
    In an S3 bucket the backup's files replace those of the same names and the others stay
    (the bucket's versioning, when on, keeps the replaced ones).
    """
    database = database or connections["default"].settings_dict
    vendor = _vendor(database)
    object_storage = _object_storage(media_root)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    if not path.is_file():
        raise BackupError(f"No backup file at {path}.")
    with tempfile.TemporaryDirectory() as scratch:
        try:
            with tarfile.open(path, "r:gz") as archive:
                archive.extractall(scratch, filter="data")
        except (tarfile.TarError, OSError, EOFError) as error:
            raise BackupError(f"{path} is not a wgec backup (a .tar.gz file): {error}") from None
        try:
            manifest = json.loads((Path(scratch) / MANIFEST).read_text())
        except (OSError, ValueError) as error:
            raise BackupError(f"{path} has no readable {MANIFEST}: {error}") from None
        if manifest.get("format") != FORMAT:
            raise BackupError(f"{path} is a backup of format {manifest.get('format')!r}.")
        if manifest.get("vendor") != vendor:
            raise BackupError(
                f"{path} is a backup of a {manifest.get('vendor')} database; the database to "
                f"restore into (DATABASE_URL) is {vendor}. Restore into a {manifest.get('vendor')} "
                "database."
            )
        if vendor == "sqlite":
            _restore_sqlite(Path(scratch) / SQLITE_MEMBER, database)
        else:
            _run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    "--exit-on-error",
                    f"--dbname={database['NAME']}",
                    str(Path(scratch) / PGDUMP_MEMBER),
                ],
                database,
            )
        restored_media = Path(scratch) / MEDIA_MEMBER
        files = sum(1 for item in restored_media.rglob("*") if item.is_file())
        previous = None
        if object_storage is not None:
            if restored_media.is_dir():
                _restore_stored(restored_media, object_storage)
        else:
            if media_root.exists():
                stamp = datetime.datetime.now(tz=datetime.UTC).strftime("%Y%m%d-%H%M%S")
                previous = media_root.with_name(f"{media_root.name}.before-restore-{stamp}")
                media_root.rename(previous)
            if restored_media.is_dir():
                shutil.move(restored_media, media_root)
            else:
                media_root.mkdir(parents=True)
    return RestoreResult(vendor, manifest.get("taken_at", ""), files, previous)


def _restore_sqlite(source: Path, database: dict) -> None:
    name = str(database["NAME"])
    for connection in connections.all(initialized_only=True):
        if str(connection.settings_dict["NAME"]) == name:
            connection.close()
    source_db = sqlite3.connect(source)
    target_db = sqlite3.connect(name, timeout=20)
    try:
        # Page by page into the target: whatever it held is replaced, in one step for readers.
        source_db.backup(target_db)
    finally:
        target_db.close()
        source_db.close()
