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
from django.db import connections
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
    Question,
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


def _fetch(sql: str, params: list) -> list[tuple]:
    with connections[ProgressStamp.objects.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _at(model, field: str, moment: datetime):
    """`moment` as the database's column of `model.field` holds it."""
    return model._meta.get_field(field).get_db_prep_value(moment, connections[model.objects.db])


# The keys are read by fixed statements, raw SQL: the ORM spent 2 to 3 ms building
# the subqueries of one key and the database 0.2 ms running them, most of a kept
# page's time (bench/README.md, sixteenth round). Each follows a queryset's rule
# (named beside it); tests/test_kept_pages.py and tests/test_kept_summary.py check
# that every change they stand for shows at once.
_VERSION = f"(SELECT number FROM {ContentVersion._meta.db_table} WHERE id = 1)"


def _open_work(student: str, *, answered: bool) -> tuple[str, list]:
    """Columns of a student's open attempts (`Attempt.objects.in_progress()`): the
    sum of their ids (changed by an attempt opened; a closed one changes the
    progress stamp too) and, with `answered`, their answers so far. `student` is
    the SQL of the student's id."""
    attempts, items = Attempt._meta.db_table, AttemptItem._meta.db_table
    state = Attempt.State.IN_PROGRESS
    sql = f", (SELECT SUM(a.id) FROM {attempts} a WHERE a.state = %s AND a.user_id = {student})"
    params = [state]
    if answered:
        sql += (
            f", (SELECT COUNT(*) FROM {items} i JOIN {attempts} a ON a.id = i.attempt_id"
            f" WHERE i.answered_at IS NOT NULL AND a.state = %s AND a.user_id = {student})"
        )
        params.append(state)
    return sql, params


def _latest_rating(student: str) -> str:
    return (
        f", (SELECT r.id FROM {Review._meta.db_table} r WHERE r.user_id = {student}"
        " ORDER BY r.id DESC LIMIT 1)"
    )


def _class_wide(classroom: Classroom, now: datetime) -> tuple:
    """The class's stamp, the content version and how many of its due dates have
    passed (an assignment not finished turns late then; the dates themselves are
    versioned by the class's stamp): one query."""
    rows = _fetch(
        f"SELECT s.number, {_VERSION}, (SELECT COUNT(*) FROM {Assignment._meta.db_table} d"
        " WHERE d.classroom_id = s.classroom_id AND d.due_at <= %s)"
        f" FROM {ClassStamp._meta.db_table} s WHERE s.classroom_id = %s",
        [_at(Assignment, "due_at", now), classroom.pk],
    )
    if not rows:  # the class's first view
        ClassStamp.objects.of_many([classroom.pk])
        return _class_wide(classroom, now)
    return rows[0]


def class_key(kind: str, classroom: Classroom, now: datetime, *, fading: bool = False) -> str:
    """The key of what a class's gradebook (or, with `fading`, its overview)
    shows: the class's stamp (its name, roster and assignments), which of its due
    dates have passed, the content version, and for each student their progress
    stamp (their finished work, name and live games), their open attempts (with
    `fading`, the answers so far and their latest rating). Two queries."""
    # The gradebook shows no answers of an open attempt.
    work, params = _open_work("m.student_id", answered=fading)
    if fading:
        work += _latest_rating("m.student_id")
    rows = _fetch(
        f"SELECT m.student_id, p.number{work} FROM {Membership._meta.db_table} m"
        f" LEFT JOIN {ProgressStamp._meta.db_table} p ON p.user_id = m.student_id"
        " WHERE m.classroom_id = %s ORDER BY m.student_id",
        [*params, classroom.pk],
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
    rows = _fetch(
        f"SELECT number, {_VERSION} FROM {QuizStamp._meta.db_table} WHERE quiz_id = %s",
        [quiz.pk],
    )
    if not rows:  # the quiz's first view
        QuizStamp.objects.of_many([quiz.pk])
        return statistics_key(quiz, classroom, every)
    parts = [rows[0], every]
    if classroom is not None:
        parts += [classroom.pk, ClassStamp.objects.of_many([classroom.pk])[classroom.pk]]
    return _key("statistics", quiz.pk, *parts)


def home_key(user: AbstractBaseUser, now: datetime) -> str:
    """The key of a student's home page: their progress stamp, their open attempts
    and the answers so far in them, their latest rating, the cards due now
    (`CardState.objects.due_for`), the content version, their assignments with
    their classes' stamps and which due dates have passed, the day and quarter of
    an hour. Two queries."""
    work, params = _open_work("p.user_id", answered=True)
    due = (
        f", (SELECT COUNT(*) FROM {CardState._meta.db_table} c"
        f" JOIN {Question._meta.db_table} q ON q.id = c.question_id"
        " WHERE c.user_id = p.user_id AND q.published AND c.state <> %s AND c.due <= %s)"
    )
    own = _fetch(
        f"SELECT p.number, {_VERSION}{_latest_rating('p.user_id')}{due}{work}"
        f" FROM {ProgressStamp._meta.db_table} p WHERE p.user_id = %s",
        [CardState.State.NEW, _at(CardState, "due", now), *params, user.pk],
    )
    # Its classes' assignments (`Assignment.objects.for_student`).
    assignments = _fetch(
        f"SELECT d.id, d.due_at <= %s, d.classroom_id, s.number"
        f" FROM {Assignment._meta.db_table} d"
        f" JOIN {Membership._meta.db_table} m ON m.classroom_id = d.classroom_id"
        f" LEFT JOIN {ClassStamp._meta.db_table} s ON s.classroom_id = d.classroom_id"
        " WHERE m.student_id = %s ORDER BY d.id",
        [_at(Assignment, "due_at", now), user.pk],
    )
    if not own or any(a[3] is None for a in assignments):  # first views
        ProgressStamp.objects.of_many([user.pk])
        ClassStamp.objects.of_many(sorted({a[2] for a in assignments if a[3] is None}))
        return home_key(user, now)
    return _key(
        "home",
        user.pk,
        own[0],
        [(pk, bool(passed), stamp) for pk, passed, _c, stamp in assignments],
        _fading(now),
    )
