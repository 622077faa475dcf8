"""Backups of the whole database, taken while the site runs, and their restore.

Two kinds of file, both in DATA_DIR/backups/ unless told otherwise:

- `quizsite-<time>.sqlite3`: SQLite's online backup API copies the live database
  page by page into a file that is a database of its own. SQLite only.
- `quizsite-<time>.json.gz`: every row (less sessions, login-attempt records and
  what `migrate` recreates), read in one transaction so that it is one moment's
  data, from any database and restorable into any: the way to PostgreSQL.
"""

import re
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Model

NAME = re.compile(r"^quizsite-\d{8}-\d{6}-\d{6}\.(sqlite3|json\.gz)$")

# Rebuilt by migrate (content types, permissions), or not worth keeping: a
# restore logs everyone out and clears the lockout counters.
JSON_EXCLUDE = ["contenttypes", "auth.permission", "sessions", "axes"]


class BackupError(Exception):
    pass


def default_dir() -> Path:
    return Path(settings.DATA_DIR) / "backups"


def counted_models() -> list[type[Model]]:
    """What a backup reports: the accounts and everything of the learning app."""
    learning = [m for m in apps.get_app_config("learning").get_models()]
    return [apps.get_model("auth", "User"), *learning]


def _label(model: type[Model]) -> str:
    return str(model._meta.verbose_name_plural)


def counts() -> dict[str, int]:
    return {_label(m): m._default_manager.count() for m in counted_models()}


def _sqlite_counts(db: sqlite3.Connection) -> dict[str, int]:
    return {
        _label(m): db.execute(f'SELECT COUNT(*) FROM "{m._meta.db_table}"').fetchone()[0]
        for m in counted_models()
    }


def backup(*, fmt: str, directory: Path, keep: int) -> tuple[Path, dict[str, int]]:
    """Write one backup file and delete all but the newest `keep`; the file and its counts."""
    if fmt == "sqlite3" and connection.vendor != "sqlite":
        raise BackupError("A .sqlite3 backup needs a SQLite database; use the json format.")
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
    final = directory / f"quizsite-{stamp}.{'sqlite3' if fmt == 'sqlite3' else 'json.gz'}"
    # Written under a hidden name and renamed when complete: a half-written file
    # never looks like a backup, and is never pruned as one.
    partial = directory / f".{final.name}"
    try:
        found = _write_sqlite(partial) if fmt == "sqlite3" else _write_json(partial)
        partial.chmod(0o600)
        partial.rename(final)
    finally:
        partial.unlink(missing_ok=True)
    _prune(directory, keep)
    return final, found


def _write_sqlite(path: Path) -> dict[str, int]:
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
        return _sqlite_counts(target)
    finally:
        target.close()


def _write_json(path: Path) -> dict[str, int]:
    # Connect (and run Django's health check query) before the transaction, whose
    # first statement must set its isolation; inside an outer transaction, that
    # one's snapshot holds.
    connection.ensure_connection()
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            # One snapshot for every table read below.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        # dumpdata compresses because the name ends in .gz; loaddata reads it as json.
        serializers.register_serializer("exactjson", "learning.exactjson")
        call_command(
            "dumpdata",
            format="exactjson",
            natural_foreign=True,
            exclude=JSON_EXCLUDE,
            output=str(path),
            verbosity=0,
        )
        return counts()


def _prune(directory: Path, keep: int) -> None:
    ours = sorted(p for p in directory.iterdir() if NAME.match(p.name))
    for old in ours[:-keep]:
        old.unlink()


def restore(path: Path) -> dict[str, int]:
    """Replace every row of the database with the backup's; the counts restored."""
    if not path.is_file():
        raise BackupError(f"No file at {path}.")
    if path.name.endswith(".sqlite3"):
        return _restore_sqlite(path)
    if path.name.endswith((".json", ".json.gz")):
        return _restore_json(path)
    raise BackupError("A backup ends in .sqlite3 or .json.gz.")


def _restore_sqlite(path: Path) -> dict[str, int]:
    if connection.vendor != "sqlite":
        raise BackupError(
            "A .sqlite3 backup restores only into SQLite. To move to another database, "
            "make a json backup from the SQLite site and restore that."
        )
    source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        try:
            source.execute("SELECT 1 FROM django_migrations LIMIT 1")
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{path} is not a backup of this site ({error}).") from error
        connection.close()
        connection.ensure_connection()
        source.backup(connection.connection)
    finally:
        source.close()
    return counts()


def _restore_json(path: Path) -> dict[str, int]:
    # One transaction: a file that fails to load leaves the database as it was.
    with transaction.atomic():
        call_command("flush", interactive=False, verbosity=0)
        call_command("loaddata", str(path), verbosity=0)
        return counts()
