"""Classes: making them, their join codes, who is in them and what is assigned."""

from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from ..models import Assignment, Classroom, Membership, Quiz
from ..models.classrooms import new_join_code, normalise_join_code
from .errors import JoinCodeExpired, JoinError

# How long a join code works; the teacher makes a new one with a click.
JOIN_CODE_LIFETIME = timedelta(days=14)


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
def membership_remove(*, classroom: Classroom, student_id: int) -> bool:
    deleted, _ = Membership.objects.filter(classroom=classroom, student_id=student_id).delete()
    return bool(deleted)


@transaction.atomic
def assignment_set(
    *, classroom: Classroom, quiz: Quiz, due_at: datetime, now: datetime | None = None
) -> Assignment:
    """Assign the quiz to the class, or move the due date of an existing assignment."""
    now = now or timezone.now()
    assignment, _ = Assignment.objects.update_or_create(
        classroom=classroom, quiz=quiz, defaults={"due_at": due_at, "assigned_at": now}
    )
    return assignment
