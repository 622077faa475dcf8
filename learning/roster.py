"""Class lists a teacher pastes or uploads, as pure functions: reading the
names (with a problem per bad line), usernames made from them, and one-time
passwords a student can read off a paper slip and type on a phone."""

import csv
import io
import re
import secrets
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

# As long as a name Django keeps in first_name plus last_name fits comfortably;
# a longer line is a paste gone wrong (two names on one line, a sentence).
MAX_NAME = 100
# Each account costs a password hash (a fifth of a second, on purpose): a class
# of 60 is made in well under the server's 30 s timeout.
MAX_STUDENTS = 60
# Header cells a spreadsheet export puts above the names: skipped, not a student.
HEADERS = {"name", "names", "student", "students", "full name"}

# No look-alikes on paper: no l (1), o (0), c (said as k), q, x, y, w, h, j;
# digits without 0 and 1.
CONSONANTS = "bdfgkmnprstvz"
VOWELS = "aeiu"
DIGITS = "23456789"


@dataclass
class Roster:
    names: list[str] = field(default_factory=list)
    # (line number, what is wrong), in the order of the lines.
    problems: list[tuple[int, str]] = field(default_factory=list)


def clean_name(text: str) -> str:
    return " ".join(text.split())


def read_pasted(text: str) -> list[tuple[int, str]]:
    """(line number, name) per line; blank lines before the first name and after
    the last are not lines of the list."""
    lines = [clean_name(line) for line in text.splitlines()]
    numbered = list(enumerate(lines, start=1))
    while numbered and not numbered[-1][1]:
        numbered.pop()
    while numbered and not numbered[0][1]:
        numbered.pop(0)
    return numbered


def read_csv(text: str) -> list[tuple[int, str]]:
    """(line number, name) from the first column of each row; a header row of
    "name" or "student" is skipped."""
    rows = list(csv.reader(io.StringIO(text)))
    numbered = [(n, clean_name(row[0]) if row else "") for n, row in enumerate(rows, start=1)]
    if numbered and numbered[0][1].casefold() in HEADERS:
        numbered.pop(0)
    while numbered and not numbered[-1][1]:
        numbered.pop()
    return numbered


def check(lines: list[tuple[int, str]], taken: set[str]) -> Roster:
    """The names, or a problem for each bad line: empty, too long, twice in the
    list, or already a student of the class (`taken`, casefolded)."""
    roster = Roster()
    seen: dict[str, int] = {}
    if len(lines) > MAX_STUDENTS:
        roster.problems.append(
            (lines[MAX_STUDENTS][0], _("At most %(n)d students at once.") % {"n": MAX_STUDENTS})
        )
    for number, name in lines[:MAX_STUDENTS]:
        key = name.casefold()
        if not name:
            roster.problems.append((number, _("The line is empty.")))
        elif len(name) > MAX_NAME:
            roster.problems.append(
                (number, _("The name is longer than %(n)d characters.") % {"n": MAX_NAME})
            )
        elif key in seen:
            roster.problems.append(
                (
                    number,
                    _("%(name)s is already on line %(line)d.") % {"name": name, "line": seen[key]},
                )
            )
        elif key in taken:
            roster.problems.append(
                (number, _("%(name)s is already a student of this class.") % {"name": name})
            )
        else:
            seen[key] = number
            roster.names.append(name)
    if not lines:
        roster.problems.append((1, _("The list has no names.")))
    return roster


def username_base(name: str) -> str:
    """ "Zoë O'Neil" -> "zoe.oneil"; a name with no Latin letters -> "student"."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = [re.sub(r"[^a-z0-9]", "", word) for word in plain.lower().split()]
    base = ".".join(word for word in words if word)[:30].strip(".")
    return base or "student"


def unique_username(base: str, taken: set[str]) -> str:
    """`base`, or base2, base3 ... the first not in `taken` (lower case)."""
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}{n}"
    return candidate


def one_time_password() -> str:
    """Such as "bavu-kesi-dami-47": about 40 bits (52 ** 6 * 64), which the sign-in lockout makes
    far too many to guess, and used once before the student picks their own."""
    syllables = ["".join(secrets.choice(s) for s in (CONSONANTS, VOWELS)) for _ in range(6)]
    digits = "".join(secrets.choice(DIGITS) for _ in range(2))
    return f"{''.join(syllables[:2])}-{''.join(syllables[2:4])}-{''.join(syllables[4:])}-{digits}"


def split_name(name: str) -> tuple[str, str]:
    """(first_name, last_name) for Django's user: the last word is the last name."""
    first, _space, last = name.rpartition(" ")
    return (first, last) if first else (name, "")
