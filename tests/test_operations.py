"""Backups and restores, moving to another database, and the health check."""

import gzip
import json
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.core.serializers.base import DeserializationError
from django.db import OperationalError, connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from learning import services
from learning.models import Attempt, AttemptItem, Quiz

ROOT = Path(__file__).resolve().parent.parent


def run(*args, **options) -> str:
    """A management command's output."""
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


def reported(output: str) -> dict[str, int]:
    """The `  label: count` lines that backup and restore print."""
    return {m[1]: int(m[2]) for m in re.finditer(r"^  (.+): (\d+)$", output, re.M)}


def snapshot() -> dict:
    return {
        "users": list(User.objects.order_by("id").values_list("id", "username", "password")),
        "quizzes": list(Quiz.objects.order_by("id").values_list("id", "title")),
        "attempts": list(Attempt.objects.order_by("id").values()),
        "items": list(AttemptItem.objects.order_by("id").values()),
    }


@pytest.fixture
def alices_attempt(alice, quiz) -> Attempt:
    attempt = services.attempt_start(user=alice, quiz=quiz)
    item = attempt.items.order_by("position").first()
    services.attempt_answer(item=item, response={"choice": item.choice_order[0]})
    return attempt


def backup_formats() -> list[str]:
    return ["sqlite3", "json"] if connection.vendor == "sqlite" else ["json"]


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_the_data_as_it_was(alices_attempt, bob, quiz, tmp_path):
    for fmt in backup_formats():
        before = snapshot()
        output = run("backup", format=fmt, dir=tmp_path / fmt)
        (path,) = (tmp_path / fmt).iterdir()
        assert reported(output)["attempts"] == 1
        assert reported(output)["users"] == 2

        User.objects.filter(username=bob.username).delete()
        Attempt.objects.filter(pk=alices_attempt.pk).delete()
        Quiz.objects.filter(pk=quiz.pk).update(title="Renamed")
        User.objects.create_user("mallory")
        assert snapshot() != before

        output = run("restore", str(path), yes=True)
        assert snapshot() == before
        assert f"Restored from {path}" in output
        assert reported(output)["attempt items"] == AttemptItem.objects.count()


def test_a_backup_is_private_and_only_the_newest_are_kept(alice, tmp_path):
    (tmp_path / "notes.txt").write_text("not a backup")
    for _ in range(3):
        run("backup", format="json", dir=tmp_path, keep=2)
    kept = sorted(p.name for p in tmp_path.iterdir())
    assert len(kept) == 3 and "notes.txt" in kept
    backup = tmp_path / kept[-1]
    assert backup.stat().st_mode & 0o777 == 0o600
    rows = json.loads(gzip.decompress(backup.read_bytes()))
    models = {row["model"] for row in rows}
    assert "auth.user" in models and "learning.quiz" not in models  # no quiz in this test
    assert not models & {"sessions.session", "contenttypes.contenttype", "auth.permission"}


def test_a_backup_goes_to_the_data_folder_by_default(db, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    output = run("backup", format="json")
    assert f"Backed up to {tmp_path / 'backups'}" in output
    assert (tmp_path / "backups").stat().st_mode & 0o777 == 0o700


def test_backup_refuses_to_keep_nothing(db, tmp_path):
    with pytest.raises(CommandError, match="at least 1"):
        run("backup", keep=0, dir=tmp_path)


def test_a_sqlite_backup_needs_a_sqlite_database(db, tmp_path):
    if connection.vendor == "sqlite":
        pytest.skip("runs on the other databases")
    with pytest.raises(CommandError, match="json"):
        run("backup", format="sqlite3", dir=tmp_path)


@pytest.mark.django_db(transaction=True)
def test_restore_asks_first_and_does_nothing_without_a_yes(alice, tmp_path, monkeypatch):
    run("backup", format="json", dir=tmp_path)
    (path,) = tmp_path.iterdir()
    User.objects.create_user("mallory")
    questions = []
    monkeypatch.setattr("builtins.input", lambda q: questions.append(q) or "no")
    with pytest.raises(CommandError, match="Nothing was restored"):
        run("restore", str(path))
    assert "replaces every row" in questions[0]
    assert User.objects.filter(username="mallory").exists()

    monkeypatch.setattr("builtins.input", lambda q: "yes")
    run("restore", str(path))
    assert not User.objects.filter(username="mallory").exists()


def test_restore_without_a_terminal_needs_yes(db, tmp_path, monkeypatch):
    def no_stdin(question):
        raise EOFError

    monkeypatch.setattr("builtins.input", no_stdin)
    with pytest.raises(CommandError, match="--yes"):
        run("restore", str(tmp_path / "x.json.gz"))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.json.gz", None, "No file"),
        ("notes.txt", b"hello", "ends in .sqlite3 or .json.gz"),
        ("fake.sqlite3", b"not a database at all, not even close" * 10, "not a backup"),
    ],
)
def test_restore_refuses_what_is_not_a_backup(db, tmp_path, name, content, message):
    if name.endswith(".sqlite3") and connection.vendor != "sqlite":
        message = "only into SQLite"
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run("restore", str(path), yes=True)


@pytest.mark.django_db(transaction=True)
def test_a_broken_json_backup_leaves_the_database_as_it_was(alice, tmp_path):
    path = tmp_path / "quizsite-broken.json"
    path.write_text('[{"model": "auth.user", "pk": 99, "fields": {"username": "x"}}, {"mod')
    with pytest.raises(DeserializationError):
        run("restore", str(path), yes=True)
    assert list(User.objects.values_list("username", flat=True)) == ["alice"]


def manage(*args: str, env: dict[str, str]) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        env={**clean, "DJANGO_SECRET_KEY": "k" * 50, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def empty_target_database(tmp_path):
    """A database URL for an empty database of the kind this run tests: a new
    PostgreSQL database beside the test one, or a new SQLite file."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'target.sqlite3'}"
        return
    import psycopg

    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    name = f"quizsite_move_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(**{**params, "dbname": "postgres"}, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    settings = connection.settings_dict
    yield (
        f"postgres://{settings['USER']}:{settings['PASSWORD']}"
        f"@{settings['HOST'] or 'localhost'}:{settings['PORT'] or 5432}/{name}"
    )
    with psycopg.connect(**{**params, "dbname": "postgres"}, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def test_a_sqlite_site_moves_to_an_empty_database_with_every_row(tmp_path, empty_target_database):
    """The path in docs/deployment.md: dump from SQLite, migrate the new database,
    restore into it; the counts are equal."""
    source = {"DATA_DIR": str(tmp_path / "site")}
    manage("migrate", "--noinput", env=source)
    manage("loaddata", "statement", env=source)
    student = (
        "from django.contrib.auth.models import User; from learning import services;"
        "from learning.models import Quiz;"
        "alice = User.objects.create_user('alice', password='alice-password-1');"
        "services.attempt_start(user=alice, quiz=Quiz.objects.get(slug='essentials'))"
    )
    manage("shell", "-c", student, env=source)
    dumped = reported(manage("backup", "--format", "json", "--dir", str(tmp_path), env=source))
    (dump,) = tmp_path.glob("quizsite-*.json.gz")

    target = {"DATA_DIR": str(tmp_path / "site"), "DATABASE_URL": empty_target_database}
    manage("migrate", "--noinput", env=target)
    loaded = reported(manage("restore", "--yes", str(dump), env=target))
    assert dumped == loaded
    assert loaded["users"] == 1 and loaded["questions"] == 120 and loaded["attempts"] == 1


def test_the_health_check_says_ok_without_a_log_in(client, db):
    response = client.get(reverse("learning:healthz"))
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "migrations": "ok"}
    assert "no-cache" in response["Cache-Control"]
    assert not response.cookies


def test_the_health_check_fails_while_migrations_are_pending(client, db, monkeypatch):
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("x", False)])
    response = client.get(reverse("learning:healthz"))
    assert response.status_code == 503
    assert response.json()["migrations"] == "pending"


def test_the_health_check_fails_when_the_database_is_down(client, db, monkeypatch):
    class Down:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr("learning.views.health.connection", Down())
    response = client.get(reverse("learning:healthz"))
    assert response.status_code == 503
    assert response.json() == {"database": "unreachable"}
