"""Grading, as pure functions: one response of any kind -> a fraction of credit in [0, 1].

Nothing here touches the database. A question's key is handed in as a list of
`Option`s (built from its choices) and a response as the plain dict stored on
the attempt item, keyed by choice id, so that the order in which options were
shown can never change a grade.
"""

import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from learning import answers
from learning.answers import normalise

__all__ = ["Match", "Option", "grade", "normalise", "short_match"]

Response = Mapping[str, Any]


@dataclass(frozen=True)
class Option:
    id: int
    text: str
    credit: float = 0.0
    position: int | None = None
    match: str = ""


@dataclass(frozen=True)
class Match:
    """Which accepted answer a short answer met, and whether only by the lenient rules."""

    option: Option
    lenient: bool


def clamp(value: float) -> float:
    return min(1.0, max(0.0, value))


def _ids(values: Iterable[Any]) -> set[int]:
    return {int(value) for value in values}


def grade_single(options: Sequence[Option], response: Response) -> float:
    chosen = response.get("choice")
    return clamp(next((o.credit for o in options if o.id == chosen), 0.0))


def grade_multiple(options: Sequence[Option], response: Response) -> float:
    chosen = _ids(response.get("choices", ()))
    return clamp(sum(o.credit for o in options if o.id in chosen))


def short_match(
    options: Sequence[Option],
    text: str,
    *,
    exact: bool = False,
    passages: Sequence[str] = (),
) -> Match | None:
    """The accepted answer that `text` meets, with the best credit.

    An answer equal to a key after `normalise` is graded by those keys alone:
    a teacher who listed that very answer meant its credit, even if a lenient
    reading would meet a key worth more. Otherwise every key is tried by the
    rules of `learning.answers`, with the cited `passages` (none unless `exact`).
    """
    keys = tuple(o.text for o in options if o.credit > 0)
    strict, lenient = [], []
    for option in options:
        verdict = answers.compare(option.text, text, exact=exact, passages=passages, keys=keys)
        if verdict is answers.Verdict.STRICT:
            strict.append(option)
        elif verdict is answers.Verdict.LENIENT:
            lenient.append(option)
    met = strict or lenient
    if not met:
        return None
    # Ties go to the lowest id, so the review names the same key in any shown order
    # (choices not saved yet, as in the admin's "try an answer", have none: the first wins).
    best = max(reversed(met), key=lambda o: (o.credit, -(o.id or 0)))
    return Match(option=best, lenient=not strict)


def grade_short(
    options: Sequence[Option],
    response: Response,
    *,
    exact: bool = False,
    passages: Sequence[str] = (),
) -> float:
    found = short_match(options, str(response.get("text", "")), exact=exact, passages=passages)
    return clamp(found.option.credit) if found else 0.0


def grade_ordering(options: Sequence[Option], response: Response) -> float:
    """The fraction of pairs of items the student put in the right relative order."""
    given = {int(key): int(value) for key, value in response.get("positions", {}).items()}
    pairs = list(itertools.combinations(sorted(options, key=lambda o: o.position or 0), 2))
    if not pairs:
        return 1.0 if options else 0.0
    right = sum(
        1
        for first, second in pairs
        if first.id in given and second.id in given and given[first.id] < given[second.id]
    )
    return right / len(pairs)


def grade_matching(options: Sequence[Option], response: Response) -> float:
    """The fraction of left-hand items given their own partner."""
    if not options:
        return 0.0
    given = {int(key): str(value) for key, value in response.get("matches", {}).items()}
    right = sum(1 for o in options if given.get(o.id) == o.match)
    return right / len(options)


GRADERS: dict[str, Callable[[Sequence[Option], Response], float]] = {
    "single": grade_single,
    "true_false": grade_single,
    "multiple": grade_multiple,
    "short": grade_short,
    "ordering": grade_ordering,
    "matching": grade_matching,
}


def grade(
    kind: str,
    options: Sequence[Option],
    response: Response,
    *,
    exact: bool = False,
    passages: Sequence[str] = (),
) -> float:
    """The credit for a response. `exact` and `passages` matter to short answers only."""
    if kind == "short":
        return grade_short(options, response, exact=exact, passages=passages)
    return GRADERS[kind](options, response)


def key_response(kind: str, options: Sequence[Option]) -> dict[str, Any]:
    """The response that earns full credit: what the review shows as the right answer."""
    if kind in ("single", "true_false"):
        best = max(options, key=lambda o: o.credit)
        return {"choice": best.id}
    if kind == "multiple":
        return {"choices": [o.id for o in options if o.credit > 0]}
    if kind == "short":
        best = max(options, key=lambda o: o.credit)
        return {"text": best.text}
    if kind == "ordering":
        return {"positions": {str(o.id): o.position for o in options}}
    if kind == "matching":
        return {"matches": {str(o.id): o.match for o in options}}
    raise ValueError(kind)


def key_answer(kind: str, options: Sequence[Option]) -> list[str]:
    """The one right answer as lines a student can read (for short answer, the
    best accepted one): a flashcard's back."""
    return describe(kind, options, key_response(kind, options))


def key_lines(kind: str, options: Sequence[Option]) -> list[str]:
    """The right answer as lines a student can read; for short answer, every accepted one."""
    if kind == "short":
        return [o.text for o in sorted(options, key=lambda o: -o.credit) if o.credit > 0]
    return key_answer(kind, options)


def describe(kind: str, options: Sequence[Option], response: Response | None) -> list[str]:
    """A response as lines a student can read, in the key's order."""
    if not response:
        return []
    by_id = {o.id: o for o in options}
    if kind in ("single", "true_false"):
        chosen = by_id.get(response.get("choice"))
        return [chosen.text] if chosen else []
    if kind == "multiple":
        chosen = _ids(response.get("choices", ()))
        return [o.text for o in options if o.id in chosen]
    if kind == "short":
        return [str(response.get("text", ""))]
    if kind == "ordering":
        positions = {int(k): int(v) for k, v in response.get("positions", {}).items()}
        ranked = sorted((p, by_id[i].text) for i, p in positions.items() if i in by_id)
        return [f"{p}. {text}" for p, text in ranked]
    if kind == "matching":
        matches = {int(k): str(v) for k, v in response.get("matches", {}).items()}
        return [f"{o.text} → {matches[o.id]}" for o in options if o.id in matches]
    raise ValueError(kind)


@dataclass(frozen=True)
class Line:
    """One line of a response as the review marks it: ✓ when `right`, ✗ otherwise."""

    text: str
    right: bool


def marked(kind: str, options: Sequence[Option], response: Response | None) -> list[Line]:
    """A response line by line, each marked right or wrong: every chosen option,
    every ordering line (in its place or not), every matching pair."""
    if not response:
        return []
    by_id = {o.id: o for o in options}
    if kind in ("single", "true_false"):
        chosen = by_id.get(response.get("choice"))
        return [Line(chosen.text, chosen.credit > 0)] if chosen else []
    if kind == "multiple":
        chosen = _ids(response.get("choices", ()))
        return [Line(o.text, o.credit > 0) for o in options if o.id in chosen]
    if kind == "short":
        return [Line(str(response.get("text", "")), grade_short(options, response) > 0)]
    if kind == "ordering":
        places = {o.id: n for n, o in enumerate(sorted(options, key=lambda o: o.position or 0), 1)}
        positions = {int(k): int(v) for k, v in response.get("positions", {}).items()}
        ranked = sorted((p, i) for i, p in positions.items() if i in by_id)
        return [Line(f"{p}. {by_id[i].text}", places[i] == p) for p, i in ranked]
    if kind == "matching":
        matches = {int(k): str(v) for k, v in response.get("matches", {}).items()}
        return [
            Line(f"{o.text} → {matches[o.id]}", matches[o.id] == o.match)
            for o in options
            if o.id in matches
        ]
    raise ValueError(kind)


def tally(kind: str, options: Sequence[Option], response: Response | None) -> tuple[int, int, int]:
    """(right, out of, wrong) in the units a student counts: for multiple
    response the right ticks of the key's and the wrong ticks; for ordering the
    pairs of items in the right order; for matching the right pairs. Other
    kinds have one answer: (1 or 0, 1, 0 or 1)."""
    response = response or {}
    if kind == "multiple":
        chosen = _ids(response.get("choices", ()))
        keys = [o for o in options if o.credit > 0]
        wrong = sum(1 for o in options if o.id in chosen and o.credit <= 0)
        return sum(1 for o in keys if o.id in chosen), len(keys), wrong
    if kind == "ordering":
        count = len(options) * (len(options) - 1) // 2
        right = round(grade_ordering(options, response) * count)
        return right, count, count - right
    if kind == "matching":
        right = round(grade_matching(options, response) * len(options))
        return right, len(options), len(options) - right
    right = int(grade(kind, options, response) > 0)
    return right, 1, 1 - right
