"""Classes: making them, their join codes, who is in them and what is assigned."""

from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from ..models import Assignment, Classroom, Membership, Quiz
from ..models.classrooms import new_join_code, normalise_join_code
from .errors import AlreadyAssigned, DueInPast, JoinCodeExpired, JoinError, NotRestorable

# How long a join code works; the teacher makes a new one with a click.
JOIN_CODE_LIFETIME = timedelta(days=14)
# How long "Undo" brings a removed student back with the date they joined.
UNDO_REMOVAL = timedelta(minutes=30)


def _unused_join_code() -> str:
    while True:
        code = new_join_code()
        if not Classroom.objects.filter(join_code=code).exists():
            return code


@transaction.atomic
def classroom_create(*, teacher: AbstractBaseUser, name: str, now: datetime | None = None):
    now = now or timezone.now()
    return Classroom.objects.create(
        teacher=teacher,
        name=name,
        join_code=_unused_join_code(),
        code_expires_at=now + JOIN_CODE_LIFETIME,
    )


@transaction.atomic
def classroom_regenerate_code(*, classroom: Classroom, now: datetime | None = None) -> Classroom:
    """A new code, valid for the full lifetime; the old one stops working at once."""
    now = now or timezone.now()
    classroom.join_code = _unused_join_code()
    classroom.code_expires_at = now + JOIN_CODE_LIFETIME
    classroom.save(update_fields=["join_code", "code_expires_at"])
    return classroom


@transaction.atomic
def classroom_join(
    *, student: AbstractBaseUser, code: str, now: datetime | None = None
) -> tuple[Classroom, bool]:
    """Put the student in the class with this code; joining twice changes nothing.
    Gives the class, and whether the student was not in it before."""
    now = now or timezone.now()
    classroom = Classroom.objects.filter(join_code=normalise_join_code(code)).first()
    if classroom is None:
        raise JoinError
    if classroom.code_expired(now):
        raise JoinCodeExpired
    _membership, joined = Membership.objects.get_or_create(
        classroom=classroom, student=student, defaults={"joined_at": now}
    )
    return classroom, joined


@transaction.atomic
def membership_remove(*, classroom: Classroom, student_id: int) -> Membership | None:
    """Take the student out of the class; their attempts and cards stay theirs, so
    they come back with their history by rejoining. Gives the removed membership."""
    membership = Membership.objects.filter(classroom=classroom, student_id=student_id).first()
    if membership is not None:
        membership.delete()
    return membership


@transaction.atomic
def membership_restore(
    *,
    classroom: Classroom,
    student_id: int,
    joined_at: datetime,
    removed_at: datetime,
    now: datetime | None = None,
) -> Membership:
    """Undo a removal made in the last UNDO_REMOVAL, keeping the date they joined."""
    now = now or timezone.now()
    if now - removed_at > UNDO_REMOVAL:
        raise NotRestorable
    membership, _ = Membership.objects.get_or_create(
        classroom=classroom, student_id=student_id, defaults={"joined_at": joined_at}
    )
    return membership


def _check_due(due_at: datetime, now: datetime) -> None:
    if due_at <= now:
        raise DueInPast


@transaction.atomic
def assignment_set(
    *, classroom: Classroom, quiz: Quiz, due_at: datetime, now: datetime | None = None
) -> Assignment:
    """Assign the quiz to the class, or move the due date of an existing
    assignment; a due date that has passed is refused."""
    now = now or timezone.now()
    _check_due(due_at, now)
    assignment, _ = Assignment.objects.update_or_create(
        classroom=classroom, quiz=quiz, defaults={"due_at": due_at, "assigned_at": now}
    )
    return assignment


@transaction.atomic
def assignment_update(
    *, assignment: Assignment, quiz: Quiz, due_at: datetime, now: datetime | None = None
) -> Assignment:
    """Change an assignment's quiz or due date; the class can hold a quiz once,
    so choosing one assigned already refuses."""
    now = now or timezone.now()
    _check_due(due_at, now)
    clash = Assignment.objects.filter(classroom_id=assignment.classroom_id, quiz=quiz)
    if clash.exclude(pk=assignment.pk).exists():
        raise AlreadyAssigned
    assignment.quiz, assignment.due_at = quiz, due_at
    assignment.save(update_fields=["quiz", "due_at"])
    return assignment


@transaction.atomic
def assignment_remove(*, assignment: Assignment) -> None:
    """Unassign the quiz: the attempts students made at it stay theirs."""
    assignment.delete()
