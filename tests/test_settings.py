"""What a school gets without configuring anything."""

import os
import stat
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.db.backends.sqlite3.base import DatabaseWrapper

ROOT = Path(__file__).resolve().parent.parent


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(db, tmp_path):
    """Open a real file database with the project's settings and ask SQLite."""
    if connections["default"].vendor != "sqlite":
        return
    config = {**connections.settings["default"], "NAME": str(tmp_path / "db.sqlite3")}
    wrapper = DatabaseWrapper(config)
    try:
        with wrapper.cursor() as cursor:
            assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert cursor.execute("PRAGMA busy_timeout").fetchone()[0] == 20000
            assert cursor.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
        assert wrapper.transaction_mode == "IMMEDIATE"
    finally:
        wrapper.close()


def settings_in_a_fresh_process(
    data_dir: Path,
    expression: str = "s.SECRET_KEY, s.DEBUG, s.DATABASES['default']['ENGINE'], sep='|'",
    **env: str,
) -> str:
    code = f"from django.conf import settings as s; print({expression})"
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "quizsite.settings",
            "DATA_DIR": str(data_dir),
            **env,
        },
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_a_secret_key_is_generated_once_kept_private_and_reused(tmp_path):
    first = settings_in_a_fresh_process(tmp_path)
    second = settings_in_a_fresh_process(tmp_path)
    key_file = tmp_path / "secret_key"
    assert first == second
    assert len(key_file.read_text().strip()) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key, debug, engine = first.split("|")
    assert key == key_file.read_text().strip()
    assert debug == "False"
    assert engine == "django.db.backends.sqlite3"


def test_debug_and_database_come_from_the_environment(tmp_path):
    out = settings_in_a_fresh_process(
        tmp_path, DJANGO_DEBUG="1", DJANGO_SECRET_KEY="k" * 50, DATABASE_URL="sqlite:///x.db"
    )
    assert out == "k" * 50 + "|True|django.db.backends.sqlite3"
    assert not (tmp_path / "secret_key").exists()


def test_a_session_lasts_a_school_day_unless_the_school_says_otherwise(tmp_path):
    expression = "s.SESSION_COOKIE_AGE, s.SESSION_EXPIRE_AT_BROWSER_CLOSE, sep='|'"
    assert settings_in_a_fresh_process(tmp_path, expression) == f"{12 * 3600}|False"
    chosen = settings_in_a_fresh_process(
        tmp_path,
        expression,
        DJANGO_SESSION_COOKIE_AGE="3600",
        DJANGO_SESSION_EXPIRE_AT_BROWSER_CLOSE="1",
    )
    assert chosen == "3600|True"


def test_the_project_serves_bootstrap_from_its_own_static_files():
    from django.contrib.staticfiles import finders

    assert finders.find("bootstrap/css/bootstrap.min.css")
    assert finders.find("learning/site.js")
    assert settings.STATIC_URL == "/static/"


def test_the_site_serves_its_icon_at_favicon_ico_and_every_page_names_it(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    assert b"".join(response.streaming_content).startswith(b"\x00\x00\x01\x00")
    assert '<link rel="icon" href="/favicon.ico"' in client.get("/").content.decode()


def test_the_suite_runs_on_the_database_it_was_asked_to(db):
    """`make test-postgres` sets EXPECT_DATABASE, so a run that silently fell back
    to SQLite fails here instead of passing."""
    expected = os.environ.get("EXPECT_DATABASE")
    assert connections["default"].vendor == (expected or connections["default"].vendor)


def test_a_new_release_never_reads_sections_an_older_one_kept(tmp_path, monkeypatch):
    """The caches that outlive a process begin every key with a digest of the code."""
    from django.conf import settings as django_settings

    from quizsite import settings

    assert django_settings.CACHES["shared"]["KEY_PREFIX"] == settings.CODE_VERSION
    template = tmp_path / "learning" / "templates" / "page.html"
    template.parent.mkdir(parents=True)
    template.write_text("<p>{{ a }}</p>")
    monkeypatch.setattr(settings, "BASE_DIR", tmp_path)
    before = settings._code_version()
    template.write_text("<p>{{ b }}</p>")
    assert settings._code_version() != before
