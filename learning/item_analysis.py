"""Question statistics, Moodle's item analysis, as pure functions.

For each question, over the attempts that met it: the facility index (mean
credit, 0..1), the standard deviation of the credit, and the discrimination
index as the item-rest correlation

    Cov(x, X - x) / sqrt(Var(x) * Var(X - x))

with x the question's mark (credit times weight) and X the attempt's total.
Correlating with the rest of the attempt, not the whole, keeps a question from
correlating with itself. Where a number cannot be computed (one attempt, or no
spread at all) it is None rather than a misleading 0.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from math import sqrt
from statistics import fmean

TOO_EASY = 0.9
TOO_HARD = 0.2
POOR_DISCRIMINATION = 0.2
# Below this many answers a question is not flagged: after one answer "too easy"
# says only that one student got it right.
MIN_ANSWERS = 10


def standard_deviation(values: Sequence[float]) -> float | None:
    """The sample standard deviation (n - 1), as Moodle reports it."""
    if len(values) < 2:
        return None
    mean = fmean(values)
    return sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1))


def correlation(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson's r; None for fewer than two pairs or when either side never varies."""
    if len(xs) < 2 or len(xs) != len(ys):
        return None
    mx, my = fmean(xs), fmean(ys)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    # Below this the spread is rounding noise in floats, not a difference in answers.
    if sxx < 1e-12 or syy < 1e-12:
        return None
    return sxy / sqrt(sxx * syy)


def item_rest_correlation(marks: Sequence[float], totals: Sequence[float]) -> float | None:
    return correlation(marks, [total - mark for mark, total in zip(marks, totals, strict=True)])


def flags_for(facility: float | None, discrimination: float | None) -> list[str]:
    """What a teacher should look at: "too_easy", "too_hard", "poor", "negative"."""
    found = []
    if facility is not None and facility > TOO_EASY:
        found.append("too_easy")
    if facility is not None and facility < TOO_HARD:
        found.append("too_hard")
    if discrimination is not None and discrimination < 0:
        found.append("negative")
    elif discrimination is not None and discrimination < POOR_DISCRIMINATION:
        found.append("poor")
    return found


@dataclass
class ItemStats:
    key: int
    attempts: int
    facility: float | None
    sd: float | None
    discrimination: float | None
    flags: list[str] = field(default_factory=list)
    enough: bool = True

    @property
    def facility_percent(self) -> float | None:
        return None if self.facility is None else round(100 * self.facility, 1)


def analyse(
    attempts: Sequence[Mapping[int, float]],
    weights: Mapping[int, float],
    min_answers: int = MIN_ANSWERS,
) -> dict[int, ItemStats]:
    """Statistics per question from attempts given as {question: credit}; a
    question missing from an attempt was not drawn in it and does not count.
    Flags only for a question met in at least `min_answers` attempts."""
    totals = [sum(credit * weights.get(q, 1) for q, credit in a.items()) for a in attempts]
    keys = sorted({q for a in attempts for q in a})
    result = {}
    for q in keys:
        met = [(a[q], total) for a, total in zip(attempts, totals, strict=True) if q in a]
        credits = [credit for credit, _ in met]
        marks = [credit * weights.get(q, 1) for credit in credits]
        facility = fmean(credits) if credits else None
        discrimination = item_rest_correlation(marks, [total for _, total in met])
        result[q] = ItemStats(
            key=q,
            attempts=len(met),
            facility=facility,
            sd=standard_deviation(credits),
            discrimination=discrimination,
            flags=flags_for(facility, discrimination) if len(met) >= min_answers else [],
            enough=len(met) >= min_answers,
        )
    return result
