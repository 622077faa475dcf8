"""Dates in the forms people write them, for short answers whose key is a date.

Pure and stdlib only. `parse` reads a list of lower-case ASCII words (the
caller has folded the text, split it on anything that is not a letter or a
digit and dropped function words such as "the", "of" and "on"), so
"13th May 2020", "May 13th, 2020", "13/05/2020", "13.05.2020" and
"2020-05-13" all arrive as three words.

Numeric dates are read day first, as the source text writes dates ("13 May");
only a four-digit year in front ("2020-05-13") marks the ISO order. "05/13/2020"
is therefore not a date at all (there is no month 13): guessing the order would
let "05/04" mean either of two days.
"""

import calendar
import datetime as dt
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

# English only: the source and its keys are English. A translated site would add
# its month names here, not variants of a key.
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_DAY = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?")
_NUMBER = re.compile(r"\d+")


@dataclass(frozen=True)
class Date:
    day: int
    month: int
    year: int | None = None
    weekday: int | None = None  # Monday is 0, as in `datetime`


def _month(word: str) -> int | None:
    """A month name or its usual abbreviation ("sep" and "sept" both)."""
    if len(word) < 3:
        return None
    for number, name in enumerate(MONTHS, start=1):
        if name == word or (name.startswith(word) and (len(word) == 3 or word == "sept")):
            return number
    return None


def _weekday(word: str) -> int | None:
    for number, name in enumerate(WEEKDAYS):
        if word == name or (len(word) >= 3 and name.startswith(word)):
            return number
    return None


def _day(word: str) -> int | None:
    found = _DAY.fullmatch(word)
    return int(found.group(1)) if found else None


def _year(word: str, *, short_allowed: bool) -> int | None:
    if not _NUMBER.fullmatch(word):
        return None
    if len(word) == 4:
        return int(word)
    # "13/05/20": a two-digit year is read in this century, and only in an
    # all-numeric date, where nothing else could be meant.
    if short_allowed and len(word) == 2:
        return 2000 + int(word)
    return None


def _valid(day: int | None, month: int | None, year: int | None) -> bool:
    if day is None or month is None or not 1 <= month <= 12:
        return False
    # A day without a year is checked against a leap year, so "29 February" stays a date.
    return 1 <= day <= calendar.monthrange(year or 2000, month)[1]


def _numeric(words: Sequence[str]) -> tuple[int | None, int | None, int | None]:
    if not all(_NUMBER.fullmatch(w) for w in words):
        return None, None, None
    if len(words) == 3 and len(words[0]) == 4:
        return int(words[2]), int(words[1]), int(words[0])
    if len(words) in (2, 3) and all(len(w) <= 2 for w in words[:2]):
        year = _year(words[2], short_allowed=True) if len(words) == 3 else None
        if len(words) == 3 and year is None:
            return None, None, None
        return int(words[0]), int(words[1]), year
    return None, None, None


def _spelled(words: Sequence[str]) -> tuple[int | None, int | None, int | None]:
    if len(words) not in (2, 3):
        return None, None, None
    year = None
    if len(words) == 3:
        year = _year(words[2], short_allowed=False)
        if year is None:
            return None, None, None
    first, second = words[0], words[1]
    if _month(second) is not None:
        return _day(first), _month(second), year
    return _day(second), _month(first), year


def parse(words: Sequence[str]) -> Date | None:
    """The date the words spell, or None if they spell anything more or less."""
    words = list(words)
    weekday = _weekday(words[0]) if words else None
    if weekday is not None:
        words = words[1:]
    day, month, year = _numeric(words)
    if day is None:
        day, month, year = _spelled(words)
    if not _valid(day, month, year):
        return None
    assert day is not None and month is not None
    return Date(day=day, month=month, year=year, weekday=weekday)


def same_day(key: Date, answer: Date, *, years_in_text: Collection[int] = ()) -> bool:
    """Whether an answer names the key's day.

    Day and month must agree. A year is optional; if given it must be the key's,
    or, for a key without a year, one the cited text itself gives (the key "13
    May" in a passage that says "2020"). A weekday is accepted only when it is
    the right one for the year known.
    """
    if (answer.day, answer.month) != (key.day, key.month):
        return False
    if answer.year is not None:
        if key.year is not None and answer.year != key.year:
            return False
        if key.year is None and answer.year not in years_in_text:
            return False
    if answer.weekday is not None:
        year = answer.year or key.year
        if year is None or dt.date(year, key.month, key.day).weekday() != answer.weekday:
            return False
    return True
