"""Who may start a quiz now, and on what terms: its open and close times, its
access password and the student's accommodations.

`attempt_start` asks here before it draws; the quiz page asks the same rules
(through `Quiz.window` and `Accommodation.objects.grant_for`) to say when the
quiz opens, so the page and the server never disagree.
"""

from datetime import datetime

from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext as _

from ..formatting import when
from ..models import Accommodation, Grant, Quiz
from .errors import QuizClosed, QuizNotOpen, WrongPassword


def access_check(*, quiz: Quiz, user: AbstractBaseUser, now: datetime, password: str) -> Grant:
    """The student's accommodations at the quiz, or a refusal: before it opens,
    after their close time, or with a wrong access password."""
    grant = Accommodation.objects.grant_for(quiz=quiz, user=user)
    window = quiz.window(now, grant.closes(quiz.closes_at))
    if window == "not_yet":
        raise QuizNotOpen(_("This quiz opens on %(when)s.") % {"when": when(quiz.opens_at)})
    if window == "closed":
        raise QuizClosed(
            _("This quiz closed on %(when)s.") % {"when": when(grant.closes(quiz.closes_at))}
        )
    # check_password compares in constant time; an empty guess is never right.
    if quiz.has_password and not (password and check_password(password, quiz.access_password)):
        raise WrongPassword
    return grant


def attempt_deadline(*, quiz: Quiz, grant: Grant, now: datetime) -> datetime | None:
    """When a new attempt must end: its (accommodated) time limit, but never after
    the student's close time, as in Moodle."""
    limit = grant.time_limit(quiz.time_limit)
    by_limit = now + limit if limit else None
    ends = [end for end in (by_limit, grant.closes(quiz.closes_at)) if end is not None]
    return min(ends) if ends else None


def password_hash(password: str) -> str:
    """The stored form of a quiz's access password; empty for none."""
    return make_password(password) if password else ""
