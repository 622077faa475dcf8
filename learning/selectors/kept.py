"""Cache keys of whole sections of pages, made of stamps read in a few small
queries, so that a repeat view reads a handful of short rows and returns the HTML
it drew before (bench/README.md, seventh round).

Every part of a key is read from the database: a student's progress stamp, a
class's stamp, a quiz's results stamp and the content version are each changed in
the same transaction as every write that changes what the section shows
(`models.versions`); what changes with no write (an attempt started or answered,
a card rated, a due date passing, the time zone and language of the reader) is
read into the key itself. A process or server that kept an older section never
shows it, whether or not they share a cache.
"""

import hashlib
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import get_language

from ..models import (
    Assignment,
    Attempt,
    CardState,
    Classroom,
    ClassStamp,
    ContentVersion,
    Membership,
    ProgressStamp,
    Quiz,
    QuizStamp,
    Review,
)

# The mastery counts cards whose chance of recall falls with time: a kept section
# that shows it is at most this old, even when nothing was written.
FADING_SECONDS = 900


def _key(kind: str, *parts) -> str:
    parts = (*parts, timezone.get_current_timezone_name(), get_language())
    return f"{kind}:" + hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def _fading(now: datetime) -> tuple:
    return timezone.localdate(now).isoformat(), int(now.timestamp() // FADING_SECONDS)


def _passed(assignments, now: datetime) -> list:
    """Which due dates have passed: an assignment not finished turns late then."""
    return sorted((pk, due_at <= now) for pk, due_at in assignments)


def class_key(kind: str, classroom: Classroom, now: datetime, *, fading: bool = False) -> str:
    """The key of what a class's gradebook (or, with `fading`, its overview)
    shows: the class's stamp (its name, roster and assignments), each student's
    progress stamp (their finished work and name), their open attempts (with the
    answers so far and their latest rating, with `fading`), which due dates have
    passed, the content version. Five queries (six with `fading`)."""
    stamps = dict(
        Membership.objects.filter(classroom=classroom).values_list(
            "student_id", "student__progressstamp__number"
        )
    )
    missing = [uid for uid, number in stamps.items() if number is None]
    if missing:
        stamps |= ProgressStamp.objects.of_many(missing)
    students = Q(user__memberships__classroom=classroom)
    open_attempts = Attempt.objects.in_progress().filter(students).order_by("pk")
    parts = [
        ClassStamp.objects.of_many([classroom.pk])[classroom.pk],
        sorted(stamps.items()),
        _passed(Assignment.objects.filter(classroom=classroom).values_list("pk", "due_at"), now),
        ContentVersion.objects.current(),
    ]
    if fading:
        answered = Count("items", filter=Q(items__answered_at__isnull=False))
        parts.append(list(open_attempts.annotate(n=answered).values_list("pk", "n")))
        parts.append(
            sorted(
                Review.objects.filter(students)
                .values("user_id")
                .annotate(latest=Max("pk"))
                .values_list("user_id", "latest")
            )
        )
        parts.append(_fading(now))
    else:
        parts.append(list(open_attempts.values_list("pk", flat=True)))
    return _key(kind, classroom.pk, *parts)


def statistics_key(quiz: Quiz, classroom: Classroom | None, every: bool) -> str:
    """The key of a quiz's question statistics: the quiz's results stamp (its
    finished attempts, regrades, overrides), the content version and, for one
    class's students, that class's stamp. Three queries, four for a class."""
    parts = [
        QuizStamp.objects.of_many([quiz.pk])[quiz.pk],
        ContentVersion.objects.current(),
        every,
    ]
    if classroom is not None:
        parts += [classroom.pk, ClassStamp.objects.of_many([classroom.pk])[classroom.pk]]
    return _key("statistics", quiz.pk, *parts)


def home_key(user: AbstractBaseUser, now: datetime, open_attempts: list) -> str:
    """The key of a student's home page: their progress stamp, their open attempts
    with the answers so far (`open_attempts`, annotated `answered`), their latest
    rating, the cards due now, their assignments with their classes' stamps and
    which due dates have passed, the content version, the day and quarter of an
    hour. Six queries (five with no assignment)."""
    assignments = list(
        Assignment.objects.for_student(user).values_list("pk", "due_at", "classroom_id")
    )
    classes = sorted({classroom_id for _pk, _due, classroom_id in assignments})
    latest = Review.objects.filter(user_id=user.pk).order_by("-pk").values_list("pk")[:1]
    return _key(
        "home",
        user.pk,
        ProgressStamp.objects.of_many([user.pk])[user.pk],
        [(a.pk, a.answered) for a in open_attempts],
        [*latest],
        CardState.objects.due_for(user, now).count(),
        sorted(ClassStamp.objects.of_many(classes).items()) if classes else [],
        _passed([(pk, due_at) for pk, due_at, _c in assignments], now),
        ContentVersion.objects.current(),
        _fading(now),
    )
