"""Regrading a quiz after its key changed, Moodle's way: a dry run first, and
scores change only when the teacher then chooses to regrade.

Three reasons bring a teacher here: a key fixed in the admin (the dry run
compares every stored credit with the credit the current key gives), an
answer to accept from the statistics page, and a question to drop from the
quiz. The last two are *adjustments*: the dry run shows their effect before
anything is stored, and the regrade stores the adjustment and the new scores
in one transaction.

A dropped question counts for nobody, by Moodle's convention of a question
worth 0 marks: its credit leaves the score and its weight leaves the maximum
(Canvas's "full marks for everyone" would lift every score by the same
amount and hide the question's effect on the pass mark).

The dry run lives here, beside the write, and not in selectors/: both run the
same computation, and the regrade refuses if the attempts changed since the
dry run the teacher saw (its fingerprint), so what they saw is what happens.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from ..models import (
    Attempt,
    AttemptItem,
    Choice,
    CreditOverride,
    Question,
    Quiz,
    Regrade,
    RegradeItem,
)
from ..scoring import normalise
from .errors import AlreadyAccepted, NothingToRegrade, NotShortAnswer, RegradeStale

# Credits are floats; a difference smaller than this is no change.
EPSILON = 1e-9


@dataclass(frozen=True)
class Adjustment:
    """A change to the key the regrade makes: accept `text` as a right answer to
    `accept`, or drop `drop` from the quiz. Neither: regrade by the key as it is."""

    accept: Question | None = None
    text: str = ""
    drop: Question | None = None

    def reason(self) -> str:
        if self.accept is not None:
            return _("“%(text)s” accepted as an answer to “%(question)s”.") % {
                "text": self.text,
                "question": Truncator(self.accept.prompt).chars(120),
            }
        if self.drop is not None:
            return _("“%(question)s” dropped from the quiz: it counts for nobody.") % {
                "question": Truncator(self.drop.prompt).chars(120)
            }
        return _("The key of a question was corrected.")


@dataclass(frozen=True)
class ItemChange:
    item_id: int
    position: int
    question: Question
    old_credit: float | None
    new_credit: float | None
    dropped: bool


@dataclass(frozen=True)
class AttemptChange:
    attempt: Attempt
    old_score: float
    new_score: float
    old_max: float
    new_max: float
    pass_mark: int
    items: list[ItemChange]

    @staticmethod
    def _percent(score: float, max_score: float) -> float | None:
        return round(100 * score / max_score, 1) if max_score else None

    @property
    def old_percent(self) -> float | None:
        return self._percent(self.old_score, self.old_max)

    @property
    def new_percent(self) -> float | None:
        return self._percent(self.new_score, self.new_max)

    @property
    def difference(self) -> float | None:
        if self.old_percent is None or self.new_percent is None:
            return None
        return round(self.new_percent - self.old_percent, 1)

    @property
    def crossing(self) -> str:
        """ "up" if the regrade makes the attempt pass, "down" if fail, else ""."""
        was = (self.old_percent or 0) >= self.pass_mark
        now = (self.new_percent or 0) >= self.pass_mark
        return "" if was == now else ("up" if now else "down")


@dataclass(frozen=True)
class RegradePlan:
    quiz: Quiz
    adjustment: Adjustment
    changes: list[AttemptChange] = field(default_factory=list)
    unchanged: int = 0
    in_progress: int = 0

    @property
    def fingerprint(self) -> str:
        """What the regrade would write, in short: equal only for the same changes."""
        parts = [
            f"{c.attempt.pk}:{c.new_score:.9f}/{c.new_max:.9f}:"
            + ",".join(f"{i.item_id}={i.new_credit}" for i in c.items)
            for c in self.changes
        ]
        return hashlib.sha256(";".join(parts).encode()).hexdigest()[:32]

    @property
    def crossing_up(self) -> list[AttemptChange]:
        return [c for c in self.changes if c.crossing == "up"]

    @property
    def crossing_down(self) -> list[AttemptChange]:
        return [c for c in self.changes if c.crossing == "down"]


def _check(quiz: Quiz, adjustment: Adjustment) -> None:
    if adjustment.accept is not None:
        question = adjustment.accept
        if question.kind != Question.Kind.SHORT:
            raise NotShortAnswer
        given = normalise(adjustment.text)
        if not given:
            raise NotShortAnswer(_("Type the answer to accept."))
        if any(normalise(c.text) == given and c.credit >= 1 for c in question.choices.all()):
            raise AlreadyAccepted


def regrade_preview(*, quiz: Quiz, adjustment: Adjustment | None = None) -> RegradePlan:
    """The dry run: every finished attempt at the quiz whose score the regrade
    would change, with its items' old and new credits. Stores nothing."""
    adjustment = adjustment or Adjustment()
    _check(quiz, adjustment)
    attempts = list(Attempt.objects.done().filter(quiz=quiz).select_related("user", "quiz"))
    items = list(
        AttemptItem.objects.filter(attempt__in=attempts)
        .select_related("question")
        .order_by("attempt_id", "position")
    )
    keys: dict[int, list[Choice]] = {}
    for choice in Choice.objects.filter(question_id__in={i.question_id for i in items}):
        keys.setdefault(choice.question_id, []).append(choice)
    if adjustment.accept is not None:
        extra = Choice(question=adjustment.accept, text=adjustment.text.strip(), credit=1.0)
        keys.setdefault(adjustment.accept.pk, []).append(extra)
    dropped = set(quiz.dropped_questions.values_list("pk", flat=True))
    if adjustment.drop is not None:
        dropped.add(adjustment.drop.pk)
    # A teacher's override of one question's credit stands: the key does not undo it.
    overridden = set(
        CreditOverride.objects.filter(item__attempt__in=attempts).values_list("item_id", flat=True)
    )
    by_attempt: dict[int, list[AttemptItem]] = {}
    for item in items:
        by_attempt.setdefault(item.attempt_id, []).append(item)
    changes, unchanged = [], 0
    for attempt in attempts:
        change = _attempt_change(
            attempt,
            by_attempt.get(attempt.pk, []),
            keys,
            dropped,
            adjustment.drop.pk if adjustment.drop is not None else None,
            overridden,
        )
        if change is None:
            unchanged += 1
        else:
            changes.append(change)
    in_progress = Attempt.objects.in_progress().filter(quiz=quiz).count()
    return RegradePlan(quiz, adjustment, changes, unchanged, in_progress)


def _differs(old: float | None, new: float | None) -> bool:
    if old is None or new is None:
        return (old is None) != (new is None)
    return abs(old - new) > EPSILON


def _attempt_change(
    attempt: Attempt,
    items: Sequence[AttemptItem],
    keys: dict[int, list[Choice]],
    dropped: set[int],
    newly_dropped: int | None,
    overridden: set[int],
) -> AttemptChange | None:
    changed, score, max_score = [], 0.0, 0.0
    for item in items:
        question = item.question
        is_dropped = question.pk in dropped
        new = item.credit
        if item.is_answered and item.pk not in overridden:
            new = question.grade(keys.get(question.pk, []), item.response or {})
        if not is_dropped:
            max_score += question.weight
            score += (new or 0.0) * question.weight
        if _differs(item.credit, new) or question.pk == newly_dropped:
            changed.append(
                ItemChange(item.pk, item.position, question, item.credit, new, is_dropped)
            )
    old_score, old_max = attempt.score or 0.0, attempt.max_score
    if not changed and not _differs(old_score, score) and not _differs(old_max, max_score):
        return None
    return AttemptChange(
        attempt, old_score, score, old_max, max_score, attempt.quiz.pass_mark, changed
    )


@transaction.atomic
def quiz_regrade(
    *,
    quiz: Quiz,
    by: AbstractBaseUser,
    fingerprint: str,
    adjustment: Adjustment | None = None,
    now: datetime | None = None,
) -> RegradePlan:
    """Store the adjustment and regrade every attempt the dry run listed, with a
    Regrade record per attempt and the old and new credit of each changed item.
    Refuses, storing nothing, if the result would differ from the dry run whose
    `fingerprint` the teacher saw."""
    now = now or timezone.now()
    adjustment = adjustment or Adjustment()
    plan = regrade_preview(quiz=quiz, adjustment=adjustment)
    if plan.fingerprint != fingerprint:
        raise RegradeStale
    if not plan.changes:
        raise NothingToRegrade
    if adjustment.accept is not None:
        text = adjustment.text.strip()[:500]
        Choice.objects.update_or_create(
            question=adjustment.accept, text=text, defaults={"credit": 1.0}
        )
    if adjustment.drop is not None:
        quiz.dropped_questions.add(adjustment.drop)
    reason = adjustment.reason()[:300]
    for change in plan.changes:
        attempt = change.attempt
        Attempt.objects.filter(pk=attempt.pk).update(
            score=change.new_score, max_score=change.new_max
        )
        regrade = Regrade.objects.create(
            attempt=attempt,
            by=by,
            at=now,
            reason=reason,
            old_score=change.old_score,
            new_score=change.new_score,
            old_max_score=change.old_max,
            new_max_score=change.new_max,
        )
        for item in change.items:
            AttemptItem.objects.filter(pk=item.item_id).update(credit=item.new_credit)
        RegradeItem.objects.bulk_create(
            RegradeItem(
                regrade=regrade,
                item_id=item.item_id,
                old_credit=item.old_credit,
                new_credit=item.new_credit,
                dropped=item.dropped,
            )
            for item in change.items
        )
    return plan
