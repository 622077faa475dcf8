"""What the result page reads besides the review: the chips, what to do next."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser

from ..models import Accommodation, Attempt, Quiz, Terms
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
    """Two queries whatever the number of quizzes: the listed quizzes with the
    student's figures, and their accommodations at this one."""
    quizzes = list(Quiz.objects.listed_for(user))
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
        next_quiz=_suggested(quizzes, this),
    )


def _suggested(quizzes: list[Quiz], this: Quiz | None) -> Quiz | None:
    """The next quiz in the teacher's order that the student has not finished
    yet (after this one, then from the top), else none."""
    start = quizzes.index(this) + 1 if this is not None else 0
    ahead = quizzes[start:] + quizzes[: max(0, start - 1)]
    return next((q for q in ahead if q.best_percent is None and q.size), None)
