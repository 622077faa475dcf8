"""Classes: a teacher's classroom, the students in it and the quizzes assigned to it."""

import secrets
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .quizzes import Quiz

# No look-alikes: no 0/O, 1/I/L, 2/Z, 5/S, 8/B, so a code read aloud or copied
# from a projector is typed right the first time.
JOIN_CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
JOIN_CODE_LENGTH = 8


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_join_code(text: str) -> str:
    """What a student typed, as stored: capitals, no spaces or dashes."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


class ClassroomQuerySet(models.QuerySet["Classroom"]):
    def taught_by(self, teacher: AbstractBaseUser) -> "ClassroomQuerySet":
        return self.filter(teacher=teacher)


class Classroom(models.Model):
    name = models.CharField(_("name"), max_length=200)
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="classrooms_taught",
        verbose_name=_("teacher"),
    )
    join_code = models.CharField(_("join code"), max_length=JOIN_CODE_LENGTH, unique=True)
    code_expires_at = models.DateTimeField(_("join code expires"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    students = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Membership",
        related_name="classrooms",
        verbose_name=_("students"),
    )

    objects = ClassroomQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("classroom")
        verbose_name_plural = _("classrooms")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("learning:classroom_detail", args=[self.pk])

    def code_expired(self, now: datetime) -> bool:
        """Whether the join code no longer lets anyone join."""
        return self.code_expires_at is not None and now >= self.code_expires_at


class Membership(models.Model):
    classroom = models.ForeignKey(
        Classroom, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("class")
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("student"),
    )
    joined_at = models.DateTimeField(_("joined"))

    class Meta:
        ordering = ["classroom", "student__username"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["classroom", "student"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.student} · {self.classroom}"


class AssignmentQuerySet(models.QuerySet["Assignment"]):
    def for_student(self, student: AbstractBaseUser) -> "AssignmentQuerySet":
        return self.filter(classroom__memberships__student=student)


class Assignment(models.Model):
    classroom = models.ForeignKey(
        Classroom, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("class")
    )
    quiz = models.ForeignKey(
        Quiz, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("quiz")
    )
    due_at = models.DateTimeField(_("due"))
    assigned_at = models.DateTimeField(_("assigned"))

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(fields=["classroom", "quiz"], name="assignment_unique_quiz")
        ]

    def __str__(self) -> str:
        return f"{self.quiz} · {self.classroom}"
