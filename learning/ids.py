"""Whole numbers taken from a request: ids and positions in URLs and query strings.

One rule for all of them: ASCII digits only (`str.isdigit()` also takes "²",
which `int()` refuses) and within the range of the database's integer columns
(SQLite's driver raises OverflowError past it instead of finding no row). A
value outside the rule names nothing, so the page answers 404.
"""

import re

MAX_ID = 2**63 - 1
_DIGITS = re.compile(r"[0-9]{1,19}")


def parse_id(text: str | None) -> int | None:
    """The number `text` spells, or None when it is not one we accept."""
    if text is None or not _DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if value <= MAX_ID else None


class IdConverter:
    """The `<id:...>` path converter: `parse_id`'s rule, for URLs."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        parsed = parse_id(value)
        if parsed is None:
            # Django treats a converter's ValueError as "this URL does not match".
            raise ValueError(value)
        return parsed

    def to_url(self, value: int) -> str:
        return str(value)
