"""The translations: every catalog complete, compiled as committed, and every
string marked in our templates and Python translated in each of the five.

`make run` serves the committed .mo files (no gettext needed on a school's
machine); these tests keep them equal to their .po files. The completeness test
runs makemessages over a copy of the code, which needs GNU gettext's xgettext:
without it the test is skipped, except under CI=true (.ci/run installs gettext).
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ["zh_Hans", "ru", "ar", "fr", "es"]
PLURALS = {"zh_Hans": 1, "ru": 4, "ar": 6, "fr": 2, "es": 3}


def catalog(language: str) -> polib.POFile:
    return polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))


def _needs_gettext(tool: str) -> None:
    if shutil.which(tool) is None:
        message = f"{tool} not found: install GNU gettext (apt-get install gettext)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated_with_no_fuzzy_one(language):
    po = catalog(language)
    assert po.metadata["Plural-Forms"].startswith(f"nplurals={PLURALS[language]};")
    untranslated = [e.msgid for e in po if not e.obsolete and not e.translated()]
    assert untranslated == []
    for entry in po:
        if entry.msgid_plural:
            assert len(entry.msgstr_plural) == PLURALS[language], entry.msgid
            assert all(entry.msgstr_plural.values()), entry.msgid


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_committed_compiled_catalog_matches_its_po_file(language):
    po = catalog(language)
    mo = polib.mofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.mo"))
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in mo}
    written = {
        (e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural)
        for e in po
        if not e.obsolete and e.translated()
    }
    compiled.pop((None, ""), None)  # the header
    assert compiled == written, "run `make messages` to compile the catalogs"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_catalog_compiles_with_gnu_msgfmt_checks(language):
    _needs_gettext("msgfmt")
    po = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
    done = subprocess.run(
        ["msgfmt", "--check", "-o", os.devnull, str(po)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def test_every_marked_string_is_translated_in_each_language(tmp_path):
    """makemessages over a copy of the code: any string of ours marked for
    translation but missing from a catalog comes back untranslated."""
    _needs_gettext("xgettext")
    for part in ("learning", "quizsite", "locale", "manage.py"):
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, tmp_path / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / part)
    args = [sys.executable, "manage.py", "makemessages", "--no-obsolete", "--no-location"]
    for language in LANGUAGES:
        args += ["-l", language]
    env = {**os.environ, "DATA_DIR": str(tmp_path / "var")}
    done = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    missing = {}
    for language in LANGUAGES:
        po = polib.pofile(str(tmp_path / "locale" / language / "LC_MESSAGES" / "django.po"))
        missing[language] = [e.msgid for e in po if not e.translated()]
    assert missing == {language: [] for language in LANGUAGES}, "translate, then `make messages`"
