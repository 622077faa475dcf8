"""What a teacher does for their students: accounts from a class list, one-time
passwords, comments on an attempt and overrides of one question's credit."""

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser, User
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone

from .. import roster
from ..models import Attempt, AttemptItem, Classroom, Comment, CreditOverride, Membership, Profile
from .errors import (
    AttemptStillOpen,
    CommentEmpty,
    CreditOutOfRange,
    CreditUnchanged,
    NotResettable,
    RosterProblems,
)


def _class_names(classroom: Classroom) -> set[str]:
    """The names and usernames of the class's students, casefolded."""
    taken = set()
    for first, last, username in classroom.students.values_list(
        "first_name", "last_name", "username"
    ):
        taken.add(f"{first} {last}".strip().casefold())
        taken.add(username.casefold())
    return taken


def roster_check(*, classroom: Classroom, lines: list[tuple[int, str]]) -> roster.Roster:
    return roster.check(lines, _class_names(classroom))


@transaction.atomic
def roster_create(
    *, classroom: Classroom, lines: list[tuple[int, str]], now: datetime | None = None
) -> dict[int, str]:
    """An account for every name, each already in the class and with a one-time
    password it must change at first sign-in; {user id: password}. With any
    problem in the list nothing is created (RosterProblems lists them)."""
    now = now or timezone.now()
    checked = roster_check(classroom=classroom, lines=lines)
    if checked.problems:
        raise RosterProblems(problems=checked.problems)
    bases = [roster.username_base(name) for name in checked.names]
    taken = set()
    for base in set(bases):
        taken |= {
            u.lower()
            for u in User.objects.filter(username__istartswith=base).values_list(
                "username", flat=True
            )
        }
    passwords: dict[int, str] = {}
    for name, base in zip(checked.names, bases, strict=True):
        username = roster.unique_username(base, taken)
        taken.add(username)
        first, last = roster.split_name(name)
        password = roster.one_time_password()
        user = User.objects.create_user(
            username, first_name=first, last_name=last, password=password
        )
        Profile.objects.create(user=user, must_change_password=True)
        Membership.objects.create(classroom=classroom, student=user, joined_at=now)
        passwords[user.pk] = password
    return passwords


@transaction.atomic
def student_password_reset(*, classroom: Classroom, student: AbstractBaseUser) -> str:
    """A new one-time password for a student of this class; their sessions end.
    Never for staff: a teacher who joined the class is not the class's to reset."""
    if not Membership.objects.filter(classroom=classroom, student=student).exists():
        raise NotResettable
    if student.is_staff or student.is_superuser:
        raise NotResettable
    password = roster.one_time_password()
    student.set_password(password)
    student.save(update_fields=["password"])
    Profile.objects.update_or_create(user=student, defaults={"must_change_password": True})
    return password


@transaction.atomic
def password_changed(*, user: AbstractBaseUser) -> None:
    """The user chose their own password: the one-time one is gone."""
    Profile.objects.filter(user=user, must_change_password=True).update(must_change_password=False)


@transaction.atomic
def comment_add(
    *,
    attempt: Attempt,
    author: AbstractBaseUser,
    text: str,
    item: AttemptItem | None = None,
    now: datetime | None = None,
) -> Comment:
    text = text.strip()
    if not text:
        raise CommentEmpty
    if attempt.is_open:
        raise AttemptStillOpen
    return Comment.objects.create(
        attempt=attempt, item=item, author=author, text=text, at=now or timezone.now()
    )


def _score(attempt: Attempt) -> float:
    items = attempt.items.exclude(question__dropped_from=attempt.quiz_id)
    total = items.filter(credit__isnull=False).aggregate(
        total=Sum(F("credit") * F("question__weight"))
    )["total"]
    return float(total or 0.0)


@transaction.atomic
def credit_override(
    *, item: AttemptItem, by: AbstractBaseUser, credit: float, now: datetime | None = None
) -> CreditOverride:
    """Give one question of a finished attempt this credit (0 to 1) by hand, and
    rescore the attempt; recorded with the old and new credit and score."""
    attempt = Attempt.objects.select_for_update().get(pk=item.attempt_id)
    if attempt.is_open:
        raise AttemptStillOpen
    if not 0 <= credit <= 1:
        raise CreditOutOfRange
    item.refresh_from_db(fields=["credit"])
    if item.credit is not None and abs(item.credit - credit) < 1e-9:
        raise CreditUnchanged
    old_credit, old_score = item.credit, attempt.score or 0.0
    AttemptItem.objects.filter(pk=item.pk).update(credit=credit)
    new_score = _score(attempt)
    Attempt.objects.filter(pk=attempt.pk).update(score=new_score)
    return CreditOverride.objects.create(
        item=item,
        by=by,
        at=now or timezone.now(),
        old_credit=old_credit,
        new_credit=credit,
        old_score=old_score,
        new_score=new_score,
    )
