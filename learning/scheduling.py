"""Spaced repetition with FSRS: the only module that imports `fsrs`.

Cards go in and out as `Memory`, a plain record of the columns `CardState`
keeps, so nothing here touches the database. Fuzzing is off: FSRS would
otherwise add a random few percent to review intervals, and the interval a
rating button shows must be the one that rating applies.
"""

import math
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from django.utils.formats import number_format
from django.utils.translation import ngettext
from fsrs import Card, Rating, Scheduler, State

NEW = 0
RATINGS = (1, 2, 3, 4)  # Again, Hard, Good, Easy


@dataclass(frozen=True)
class Memory:
    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None


def new_memory(now: datetime) -> Memory:
    """A card never rated, due now: FSRS's first learning step."""
    return Memory(state=NEW, step=None, stability=None, difficulty=None, due=now, last_review=None)


@lru_cache(maxsize=32)
def _scheduler(desired_retention: float) -> Scheduler:
    return Scheduler(desired_retention=desired_retention, enable_fuzzing=False)


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("FSRS needs aware datetimes")
    return moment.astimezone(UTC)


def _to_card(memory: Memory) -> Card:
    learning = memory.state in (NEW, State.Learning)
    return Card(
        card_id=1,
        state=State.Learning if learning else State(memory.state),
        step=(memory.step or 0) if learning else memory.step,
        stability=memory.stability,
        difficulty=memory.difficulty,
        due=_utc(memory.due),
        last_review=_utc(memory.last_review) if memory.last_review else None,
    )


def review(memory: Memory, rating: int, now: datetime, desired_retention: float) -> Memory:
    """The memory after rating the card at `now`."""
    card, _log = _scheduler(desired_retention).review_card(
        _to_card(memory), Rating(rating), review_datetime=_utc(now)
    )
    return Memory(
        state=int(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
    )


def previews(memory: Memory, now: datetime, desired_retention: float) -> dict[int, timedelta]:
    """For each rating, the interval it would give: what the buttons say."""
    return {
        rating: review(memory, rating, now, desired_retention).due - _utc(now) for rating in RATINGS
    }


def retrievability(memory: Memory, now: datetime, desired_retention: float) -> float:
    """The predicted chance of recalling the card at `now` (0 for a card never rated)."""
    if memory.last_review is None:
        return 0.0
    return _scheduler(desired_retention).get_card_retrievability(_to_card(memory), _utc(now))


def interval_label(interval: timedelta) -> str:
    """An interval as Anki shows it on a button: "1 min", "10 min", "3 h", "8 d", "2.5 mo"."""
    minutes = interval.total_seconds() / 60
    if minutes < 60:
        n = max(1, round(minutes))
        return ngettext("%(n)d min", "%(n)d min", n) % {"n": n}
    hours = minutes / 60
    if hours < 24:
        n = round(hours)
        return ngettext("%(n)d h", "%(n)d h", n) % {"n": n}
    days = hours / 24
    if days < 30:
        n = round(days)
        return ngettext("%(n)d d", "%(n)d d", n) % {"n": n}
    if days < 365:
        n = round(days / 30, 1)
        return ngettext("%(n)s mo", "%(n)s mo", _plural_count(n)) % {"n": _tenths(n)}
    n = round(days / 365, 1)
    return ngettext("%(n)s y", "%(n)s y", _plural_count(n)) % {"n": _tenths(n)}


def _plural_count(n: float) -> int:
    # Catalogs choose a plural form by a whole number; a fraction such as 2.5 takes
    # the form of the next whole number up, which is right in English and Russian.
    return math.ceil(n)


def _tenths(n: float) -> str:
    """2.5 as the language writes it ("2,5" in French), 2.0 as "2"."""
    return number_format(n, 0 if n.is_integer() else 1)


def missed(now: datetime) -> Memory:
    """A card for a question missed in a quiz: in its first learning step, due now."""
    return replace(new_memory(now), state=int(State.Learning), step=0)
