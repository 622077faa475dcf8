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
from django.db.models import Count, F, OuterRef, Subquery, Sum
from django.utils import timezone
from django.utils.translation import get_language

from ..models import (
    Assignment,
    Attempt,
    AttemptItem,
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


def _scalar(queryset, field: str):
    """One value of a query, as a subquery of another."""
    return Subquery(queryset.order_by().values(field)[:1])


def _class_wide(classroom: Classroom, now: datetime) -> tuple:
    """The class's stamp, the content version and how many of its due dates have
    passed (an assignment not finished turns late then; the dates themselves are
    versioned by the class's stamp): one query."""
    passed = (
        Assignment.objects.filter(classroom=classroom, due_at__lte=now)
        .values("classroom")
        .annotate(n=Count("pk"))
    )
    row = (
        ClassStamp.objects.filter(pk=classroom.pk)
        .values_list("number", _scalar(ContentVersion.objects.filter(pk=1), "number"))
        .annotate(passed=_scalar(passed, "n"))
        .first()
    )
    if row is None:  # the class's first view
        ClassStamp.objects.of_many([classroom.pk])
        return _class_wide(classroom, now)
    return row


def class_key(kind: str, classroom: Classroom, now: datetime, *, fading: bool = False) -> str:
    """The key of what a class's gradebook (or, with `fading`, its overview)
    shows: the class's stamp (its name, roster and assignments), which of its due
    dates have passed, the content version, and for each student their progress
    stamp (their finished work, name and live games), their open attempts (with
    `fading`, the answers so far and their latest rating). Two queries."""
    student = OuterRef("student_id")
    fields = _open_work(student)
    if not fading:  # the gradebook shows no answers of an open attempt
        del fields["answered"]
    else:
        latest = Review.objects.filter(user_id=student).order_by("-pk").values("pk")[:1]
        fields["rated"] = Subquery(latest)
    rows = list(
        Membership.objects.filter(classroom=classroom)
        .annotate(stamp=F("student__progressstamp__number"), **fields)
        .order_by("student_id")
        .values_list("student_id", "stamp", *fields)
    )
    if any(row[1] is None for row in rows):  # students not seen before
        ProgressStamp.objects.of_many([row[0] for row in rows if row[1] is None])
        return class_key(kind, classroom, now, fading=fading)
    parts = [_class_wide(classroom, now), rows]
    if fading:
        parts.append(_fading(now))
    return _key(kind, classroom.pk, *parts)


def statistics_key(quiz: Quiz, classroom: Classroom | None, every: bool) -> str:
    """The key of a quiz's question statistics: the quiz's results stamp (its
    finished attempts, regrades, overrides), the content version and, for one
    class's students, that class's stamp. One query, two for a class."""
    row = (
        QuizStamp.objects.filter(pk=quiz.pk)
        .values_list("number", _scalar(ContentVersion.objects.filter(pk=1), "number"))
        .first()
    )
    if row is None:  # the quiz's first view
        QuizStamp.objects.of_many([quiz.pk])
        return statistics_key(quiz, classroom, every)
    parts = [row, every]
    if classroom is not None:
        parts += [classroom.pk, ClassStamp.objects.of_many([classroom.pk])[classroom.pk]]
    return _key("statistics", quiz.pk, *parts)


def _open_work(student) -> dict:
    """Subqueries of a student's open attempts: the sum of their ids (changed by an
    attempt opened; a closed one changes the progress stamp too) and their answers
    so far."""
    opened = Attempt.objects.in_progress().filter(user_id=student).values("user_id")
    answered = AttemptItem.objects.filter(
        attempt__user_id=student,
        attempt__state=Attempt.State.IN_PROGRESS,
        answered_at__isnull=False,
    ).values("attempt__user_id")
    return {
        "opened": _scalar(opened.annotate(n=Sum("pk")), "n"),
        "answered": _scalar(answered.annotate(n=Count("pk")), "n"),
    }


def home_key(user: AbstractBaseUser, now: datetime) -> str:
    """The key of a student's home page: their progress stamp, their open attempts
    and the answers so far in them, their latest rating, the cards due now, the
    content version, their assignments with their classes' stamps and which due
    dates have passed, the day and quarter of an hour. Two queries."""
    due = CardState.objects.due_for(user, now).values("user_id").annotate(n=Count("pk"))
    latest = Review.objects.filter(user_id=user.pk).order_by("-pk").values("pk")[:1]
    own = (
        ProgressStamp.objects.filter(pk=user.pk)
        .values_list("number", _scalar(ContentVersion.objects.filter(pk=1), "number"))
        .annotate(rated=Subquery(latest), due=_scalar(due, "n"), **_open_work(user.pk))
        .first()
    )
    assignments = list(
        Assignment.objects.for_student(user)
        .order_by("pk")
        .values_list("pk", "due_at", "classroom_id", "classroom__classstamp__number")
    )
    if own is None or any(a[3] is None for a in assignments):  # first views
        ProgressStamp.objects.of_many([user.pk])
        ClassStamp.objects.of_many(sorted({a[2] for a in assignments if a[3] is None}))
        return home_key(user, now)
    return _key(
        "home",
        user.pk,
        own,
        [(pk, due_at <= now, stamp) for pk, due_at, _c, stamp in assignments],
        _fading(now),
    )
