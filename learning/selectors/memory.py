"""Values kept in this process's memory under a key that names their version.

For what is read far more often than it changes and is costly to read again: a
quiz's pool of questions (`pools`), the question a live game shows now
(`selectors.live`), the published questions of a deck (`selectors.cards`), the
questions of an attempt's pages (`selectors.questions`). The
key holds the version of what the value was read from (the content version, a
game's version), so a change is seen by the very next read of every process on
every server, and nothing needs to be told to forget. Process memory, not
Django's cache: a shared cache would unpickle the value on every read.
"""

from collections import OrderedDict
from threading import Lock

_all: list["Kept"] = []


class Kept:
    """Up to `size` values, the least recently used dropped first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._values: OrderedDict[tuple, object] = OrderedDict()
        self._lock = Lock()
        _all.append(self)

    def remember(self, key: tuple, read):
        """The value kept under `key`, or what `read()` returns, kept from now on."""
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        value = read()
        with self._lock:
            self._values[key] = value
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        return value


def forget() -> None:
    """Empty every store of this process (tests: rows rolled back leave none behind)."""
    for kept in _all:
        with kept._lock:
            kept._values.clear()
