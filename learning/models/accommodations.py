"""Accommodations: more time, more attempts or a later close for one student or a
whole class at one quiz (WCAG 2.2.1, timing adjustable)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .classrooms import Classroom
from .quizzes import Quiz

TIME_FACTOR_MAX = 4


@dataclass(frozen=True)
class Grant:
    """What a student's accommodations add up to at one quiz. Where several
    apply (their own and their class's), each figure is the most generous one:
    an accommodation never takes away what another gives."""

    time_factor: float = 1.0
    extra_minutes: int = 0
    extra_attempts: int = 0
    closes_at: datetime | None = None

    def time_limit(self, base: timedelta | None) -> timedelta | None:
        if base is None:
            return None
        return base * self.time_factor + timedelta(minutes=self.extra_minutes)

    def attempts_allowed(self, base: int | None) -> int | None:
        return None if base is None else base + self.extra_attempts

    def closes(self, base: datetime | None) -> datetime | None:
        """The student's close time: a later one of their own, never an earlier one."""
        if base is None or self.closes_at is None:
            return base
        return max(base, self.closes_at)

    @property
    def is_nothing(self) -> bool:
        return self == Grant()


@dataclass(frozen=True)
class Terms:
    """A quiz as one student may sit it now: its rules with their accommodations."""

    window: str
    opens_at: datetime | None
    closes_at: datetime | None
    time_limit: timedelta | None
    attempts_left: int | None
    accommodated: bool

    @classmethod
    def of(cls, quiz: Quiz, grant: Grant, now: datetime, attempts_used: int = 0) -> "Terms":
        closes = grant.closes(quiz.closes_at)
        allowed = grant.attempts_allowed(quiz.attempts_allowed)
        return cls(
            window=quiz.window(now, closes),
            opens_at=quiz.opens_at,
            closes_at=closes,
            time_limit=grant.time_limit(quiz.time_limit),
            attempts_left=None if allowed is None else max(0, allowed - attempts_used),
            accommodated=not grant.is_nothing,
        )


class AccommodationQuerySet(models.QuerySet["Accommodation"]):
    def grant_for(self, *, quiz: Quiz, user: AbstractBaseUser) -> Grant:
        """The combined accommodations of `user` at `quiz`, their own and their classes'."""
        mine = models.Q(student_id=user.pk) | models.Q(classroom__memberships__student_id=user.pk)
        rows = list(self.filter(mine, quiz=quiz).distinct())
        if not rows:
            return Grant()
        closes = [row.closes_at for row in rows if row.closes_at is not None]
        return Grant(
            time_factor=max(row.time_factor for row in rows),
            extra_minutes=max(row.extra_minutes for row in rows),
            extra_attempts=max(row.extra_attempts for row in rows),
            closes_at=max(closes) if closes else None,
        )


class Accommodation(models.Model):
    quiz = models.ForeignKey(
        Quiz, on_delete=models.CASCADE, related_name="accommodations", verbose_name=_("quiz")
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="accommodations",
        verbose_name=_("student"),
    )
    classroom = models.ForeignKey(
        Classroom,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="accommodations",
        verbose_name=_("class"),
    )
    time_factor = models.FloatField(
        _("time factor"),
        default=1.0,
        validators=[MinValueValidator(1.0), MaxValueValidator(TIME_FACTOR_MAX)],
        help_text=_("1.5 gives half as long again; 1 changes nothing."),
    )
    extra_minutes = models.PositiveSmallIntegerField(
        _("extra minutes"), default=0, validators=[MaxValueValidator(1440)]
    )
    extra_attempts = models.PositiveSmallIntegerField(
        _("extra attempts"), default=0, validators=[MaxValueValidator(100)]
    )
    closes_at = models.DateTimeField(
        _("closes later at"),
        null=True,
        blank=True,
        help_text=_("A later close time than the quiz's, for this student or class."),
    )

    objects = AccommodationQuerySet.as_manager()

    class Meta:
        ordering = ["quiz", "id"]
        verbose_name = _("accommodation")
        verbose_name_plural = _("accommodations")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(student__isnull=False, classroom__isnull=True)
                    | models.Q(student__isnull=True, classroom__isnull=False)
                ),
                name="accommodation_for_one_student_or_class",
            )
        ]

    def __str__(self) -> str:
        return f"{self.quiz} · {self.student or self.classroom}"
