"""How a number or a time is written for people: one way on every page, in the
reader's language; and the order people expect a list of names in."""

import re
from datetime import datetime

from django.template.defaultfilters import floatformat
from django.utils import formats, timezone
from django.utils.translation import gettext as _


def percent(value: float | None) -> str:
    """A percentage of a score: "46.7%", "50%"; "" for none.

    One decimal, dropped when it is zero, so the quiz list, the result, the home
    page and the gradebook all say the same. floatformat writes the number as the
    active language does ("46,7" in French); the catalog places the sign.
    """
    if value is None:
        return ""
    # Translators: French puts a narrow no-break space before the sign ("46,7 %").
    return _("%(number)s%%") % {"number": floatformat(value, -1)}


def when(moment: datetime | None) -> str:
    """A moment in the school's time zone (TIME_ZONE), with the zone named:
    "2 December 2026 14:05 (Europe/Paris)"; "" for none. A class and its
    teacher read due dates on the same clock, whatever the server's own."""
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    written = formats.date_format(local, "DATETIME_FORMAT")
    return f"{written} ({timezone.get_current_timezone_name()})"


def name_key(name: str) -> tuple:
    """A name as people sort them: case aside, and each run of digits as a
    number, so "Number2" comes before "number10". re.split puts the text at
    even places and the digits at odd ones, so two keys always compare."""
    parts = re.split(r"(\d+)", name.casefold())
    return tuple(int(part) if i % 2 else part for i, part in enumerate(parts)), name
