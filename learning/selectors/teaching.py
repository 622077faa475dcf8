"""What the teacher's own pages read: their home, a student of a class, and a
student's attempt as the teacher reviews it. Each costs a fixed number of
queries whatever the number of students."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import charts
from ..models import (
    Assignment,
    Attempt,
    AttemptItem,
    CardState,
    Classroom,
    Comment,
    CreditOverride,
    Membership,
    Question,
)
from ..presenters import ItemView
from .passages import passage_shares
from .progress import mastery_by_bank

RECENT_RESULTS = 10
MISSED_THIS_WEEK = 8


@dataclass
class ClassSummary:
    classroom: Classroom
    students: int
    # (assignment, students who finished it), soonest due first.
    due: list[tuple[Assignment, int]]


def _students_of(teacher: AbstractBaseUser) -> models.QuerySet:
    return Membership.objects.filter(classroom__teacher=teacher).values("student_id")


def teacher_home(teacher: AbstractBaseUser, *, now: datetime) -> dict:
    """Their classes with what is due and how many have done it, recent results
    and the questions most missed this week: five queries."""
    classes = list(Classroom.objects.taught_by(teacher))
    members: dict[int, set[int]] = defaultdict(set)
    for classroom_id, student_id in Membership.objects.filter(
        classroom__teacher=teacher
    ).values_list("classroom_id", "student_id"):
        members[classroom_id].add(student_id)
    assignments = list(
        Assignment.objects.filter(classroom__teacher=teacher, due_at__gt=now)
        .select_related("quiz")
        .order_by("due_at", "id")
    )
    finished = set(
        Attempt.objects.done()
        .filter(user_id__in=_students_of(teacher), quiz_id__in={a.quiz_id for a in assignments})
        .values_list("user_id", "quiz_id")
    )
    due: dict[int, list[tuple[Assignment, int]]] = defaultdict(list)
    for a in assignments:
        done = sum((s, a.quiz_id) in finished for s in members[a.classroom_id])
        due[a.classroom_id].append((a, done))
    recent = (
        Attempt.objects.done()
        .filter(user_id__in=_students_of(teacher))
        .select_related("user", "quiz")
        .order_by("-finished_at", "-id")[:RECENT_RESULTS]
    )
    missed = (
        AttemptItem.objects.filter(
            attempt__in=Attempt.objects.done().filter(user_id__in=_students_of(teacher)),
            answered_at__gte=now - timedelta(days=7),
        )
        .values("question_id", "question__prompt")
        .annotate(answers=Count("id"), misses=Count("id", filter=~Q(credit__gte=1)))
        .filter(misses__gt=0)
        .order_by("-misses", "question_id")[:MISSED_THIS_WEEK]
    )
    return {
        "classes": [ClassSummary(c, len(members[c.pk]), due[c.pk]) for c in classes],
        "recent": list(recent),
        "missed": list(missed),
    }


def student_page(
    classroom: Classroom, student: AbstractBaseUser, *, now: datetime, quiz_id: int | None
) -> dict:
    """A student of the class: their attempts (at one quiz when `quiz_id`),
    mastery per bank, cards due and weakest passages."""
    attempts = list(Attempt.objects.filter(user=student).select_related("quiz"))
    if quiz_id is not None:
        attempts = [a for a in attempts if a.quiz_id == quiz_id]
    due = dict(classroom.assignments.values_list("quiz_id", "due_at"))
    for attempt in attempts:
        # Late: finished after the class's due date for that quiz.
        due_at = due.get(attempt.quiz_id)
        attempt.late = bool(due_at and attempt.finished_at and attempt.finished_at > due_at)
    by_bank = mastery_by_bank(student, now)
    known, total = sum(k for _, k, _ in by_bank), sum(t for _, _, t in by_bank)
    return {
        "attempts": attempts,
        "mastery": charts.share_chart(
            by_bank,
            title=_("Questions known, per bank"),
            description=ngettext(
                "%(known)d of %(total)d question known.",
                "%(known)d of %(total)d questions known.",
                total,
            )
            % {"known": known, "total": total},
        ),
        "cards_due": CardState.objects.due_for(student, now).count(),
        "passages": passage_shares([student.pk], limit=5),
    }


def attempt_for_teacher(teacher: AbstractBaseUser, pk: int) -> Attempt | None:
    """A finished or open attempt of a student in one of the teacher's classes."""
    return (
        Attempt.objects.of_students_taught_by(teacher)
        .select_related("quiz", "user")
        .filter(pk=pk)
        .first()
    )


@dataclass
class ReviewedItem:
    view: ItemView
    comments: list[Comment]
    overrides: list[CreditOverride]


def attempt_feedback(attempt: Attempt) -> tuple[list[Comment], dict[int, list], dict[int, list]]:
    """The attempt's own comments, and the comments and overrides of each item
    (by item id): two queries."""
    general, by_item = [], defaultdict(list)
    for comment in Comment.objects.filter(attempt=attempt).select_related("author"):
        (by_item[comment.item_id] if comment.item_id else general).append(comment)
    overrides = defaultdict(list)
    for override in CreditOverride.objects.filter(item__attempt=attempt).select_related("by"):
        overrides[override.item_id].append(override)
    return general, by_item, overrides


def attempt_review(attempt: Attempt) -> dict:
    """The student's review of the attempt (answers, keys, quoted passages) with
    the comments and overrides on it: six queries for any number of questions."""
    items = attempt.items.select_related("question__passage__source").prefetch_related(
        Question.objects.citations("question__"),
        "question__choices",
    )
    general, by_item, overrides = attempt_feedback(attempt)
    reviewed = [
        ReviewedItem(
            ItemView.build(item, list(item.question.choices.all()), True),
            by_item.get(item.pk, []),
            overrides.get(item.pk, []),
        )
        for item in items
    ]
    return {"attempt": attempt, "items": reviewed, "comments": general}


def has_teacher_feedback() -> Exists:
    """For an attempt query: whether a teacher commented or overrode a credit,
    so that the result page reads the feedback only when there is some."""
    comments = Comment.objects.filter(attempt=OuterRef("pk"))
    overrides = CreditOverride.objects.filter(item__attempt=OuterRef("pk"))
    return Exists(comments) | Exists(overrides)


def result_feedback(attempt: Attempt) -> dict:
    """What the student's result page shows of the teacher's feedback: comments on
    the attempt, then per question (by position) its comments and overrides."""
    general, by_item, overrides = attempt_feedback(attempt)
    positions = dict(attempt.items.values_list("pk", "position"))
    questions = [
        (positions[pk], by_item.get(pk, []), overrides.get(pk, []))
        for pk in sorted(set(by_item) | set(overrides), key=positions.get)
    ]
    return {"comments": general, "questions": questions}
