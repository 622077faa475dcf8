"""What the result page reads besides the review: the chips, what to do next."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser

from ..models import Accommodation, Assignment, Attempt, Quiz, Terms
from ..presenters import ItemView


@dataclass(frozen=True)
class NextSteps:
    """The result page's actions: study the missed cards, try again, the next quiz."""

    missed: int
    can_retry: bool
    attempts_left: int | None
    next_quiz: Quiz | None


def next_steps(
    user: AbstractBaseUser, attempt: Attempt, reviews: list[ItemView], now: datetime
) -> NextSteps:
    """Three queries whatever the number of quizzes: the listed quizzes with the
    student's figures, their assignments still due, their accommodations here."""
    quizzes = list(Quiz.objects.listed_for(user))
    assigned = list(
        Assignment.objects.for_student(user)
        .filter(due_at__gt=now)
        .order_by("due_at", "id")
        .values_list("quiz_id", flat=True)
    )
    this = next((q for q in quizzes if q.pk == attempt.quiz_id), None)
    used = this.attempts_used if this is not None else 0
    terms = Terms.of(
        attempt.quiz, Accommodation.objects.grant_for(quiz=attempt.quiz, user=user), now, used
    )
    can_retry = this is not None and terms.window == "open" and terms.attempts_left != 0
    return NextSteps(
        missed=sum(1 for view in reviews if view.verdict != "correct"),
        can_retry=can_retry,
        attempts_left=terms.attempts_left,
        next_quiz=_suggested(quizzes, this, assigned),
    )


def _suggested(quizzes: list[Quiz], this: Quiz | None, assigned: list[int]) -> Quiz | None:
    """The assigned quiz due soonest that the student has not finished, else
    the next one in the teacher's order (after this one, then from the top)."""
    start = quizzes.index(this) + 1 if this is not None else 0
    ahead = quizzes[start:] + quizzes[: max(0, start - 1)]
    by_id = {q.pk: q for q in ahead}
    ahead = [by_id[i] for i in assigned if i in by_id] + ahead
    return next((q for q in ahead if q.best_percent is None and q.size), None)
