"""Quizzes and the attempts students make at them."""

import math
from datetime import datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.validators import MaxValueValidator
from django.db import connections, models
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .bank import Bank, Question
from .new_items import NewItemsMixin
from .rows import one_raw


def answer_grace() -> timedelta:
    """How long after the deadline an answer sent before it is still taken (README)."""
    return timedelta(seconds=settings.ANSWER_GRACE)


class NavigatorEntry(NamedTuple):
    position: int
    answered: bool
    flagged: bool
    url: str


def question_urls(attempt_pk: int):
    """The address of each question page of one attempt, from one `reverse`: the
    navigator links every question, and reversing the route once per link was
    two fifths of a 100-question drill's page."""
    head, tail = reverse("learning:attempt_question", args=(attempt_pk, 0)).rsplit("/0/", 1)
    return lambda position: f"{head}/{position}/{tail}"


class QuizQuerySet(models.QuerySet["Quiz"]):
    def published(self) -> "QuizQuerySet":
        return self.filter(published=True)

    def listed_for(self, user: AbstractBaseUser) -> "QuizQuerySet":
        """The quizzes a visitor or student sees, with their figures, in the
        teacher's order (then by title)."""
        return self.published().with_stats(user).order_by("position", "title")

    def running(self, now: datetime) -> "QuizQuerySet":
        """Published quizzes that students are sitting or may sit now: assigned
        to a class and not yet due, or with an attempt in progress."""
        assigned = Q(assignments__due_at__gt=now)
        sitting = Q(attempts__state=Attempt.State.IN_PROGRESS)
        return self.published().filter(assigned | sitting).distinct()

    def with_stats(self, user: AbstractBaseUser) -> "QuizQuerySet":
        """Annotate the size of each quiz's question pool and, for a signed-in
        user, their attempts used and best finished score (percent).

        Each figure is its own correlated subquery: joining questions and
        attempts in one grouped query multiplies them, which took the quiz
        list 36 s with 100,000 attempts (bench/README.md)."""
        pool = (
            Question.objects.published()
            .filter(bank__quizzes=OuterRef("pk"))
            .exclude(dropped_from=OuterRef("pk"))
            .order_by()
            .values("bank__quizzes")
            .annotate(n=models.Count("id"))
            .values("n")
        )
        quizzes = self.annotate(pool_size=Coalesce(Subquery(pool), 0))
        if not user.is_authenticated:
            return quizzes
        mine = Attempt.objects.filter(quiz=OuterRef("pk"), user=user).order_by().values("quiz")
        used = mine.annotate(n=models.Count("id")).values("n")
        best = (
            mine.exclude(state=Attempt.State.IN_PROGRESS)
            .annotate(best=models.Max(100 * F("score") / F("max_score")))
            .values("best")
        )
        return quizzes.annotate(
            attempts_used=Coalesce(Subquery(used), 0), best_percent=Subquery(best)
        )

    def get_by_natural_key(self, slug: str) -> "Quiz":
        return self.get(slug=slug)


class Quiz(models.Model):
    class FeedbackTiming(models.TextChoices):
        IMMEDIATE = "immediate", _("Immediately after each answer")
        DEFERRED = "deferred", _("In the review after finishing")

    class Grading(models.TextChoices):
        HIGHEST = "highest", _("Highest attempt")
        AVERAGE = "average", _("Average of attempts")
        FIRST = "first", _("First attempt")
        LAST = "last", _("Last attempt")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    banks = models.ManyToManyField(Bank, related_name="quizzes", verbose_name=_("banks"))
    question_count = models.PositiveSmallIntegerField(
        _("number of questions"),
        null=True,
        blank=True,
        help_text=_("Drawn at random from the banks; leave empty to use every question."),
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=True)
    shuffle_choices = models.BooleanField(_("shuffle choices"), default=True)
    # Kept as a duration (the admin's form reads and writes whole minutes), so
    # that no stored limit had to be converted.
    time_limit = models.DurationField(
        _("time limit"), null=True, blank=True, help_text=_("Empty for no limit.")
    )
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    # A hash made by Django's password hashers, never the password itself.
    access_password = models.CharField(_("access password"), max_length=128, blank=True)
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Quizzes are listed to students by this number.")
    )
    dropped_questions = models.ManyToManyField(
        Question,
        blank=True,
        related_name="dropped_from",
        verbose_name=_("dropped questions"),
        help_text=_("Questions thrown out of this quiz: they count for nobody."),
    )
    attempts_allowed = models.PositiveSmallIntegerField(
        _("attempts allowed"), null=True, blank=True, help_text=_("Empty for no limit.")
    )
    grading_method = models.CharField(
        _("grading method"), max_length=10, choices=Grading.choices, default=Grading.HIGHEST
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=50, validators=[MaxValueValidator(100)]
    )
    feedback_timing = models.CharField(
        _("feedback"),
        max_length=10,
        choices=FeedbackTiming.choices,
        default=FeedbackTiming.IMMEDIATE,
    )
    published = models.BooleanField(_("published"), default=False)

    objects = QuizQuerySet.as_manager()

    class Meta:
        ordering = ["position", "title"]
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("learning:quiz_detail", args=[self.slug])

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def question_pool(self) -> models.QuerySet[Question]:
        return (
            Question.objects.published()
            .filter(bank__in=self.banks.all())
            .exclude(dropped_from=self)
        )

    def window(self, now: datetime, closes_at: datetime | None = None) -> str:
        """ "not_yet", "open" or "closed" at `now`; `closes_at` is the student's own
        close time when an accommodation moves it later."""
        closes = closes_at or self.closes_at
        if self.opens_at is not None and now < self.opens_at:
            return "not_yet"
        if closes is not None and now >= closes:
            return "closed"
        return "open"

    @property
    def has_password(self) -> bool:
        return bool(self.access_password)

    @property
    def size(self) -> int:
        """Questions in one attempt; needs `with_stats()`."""
        if self.question_count is None:
            return self.pool_size
        return min(self.question_count, self.pool_size)

    @property
    def attempts_left(self) -> int | None:
        """Attempts the user may still start; needs `with_stats()` for a user."""
        if self.attempts_allowed is None:
            return None
        return max(0, self.attempts_allowed - self.attempts_used)

    @property
    def feedback_is_immediate(self) -> bool:
        return self.feedback_timing == self.FeedbackTiming.IMMEDIATE


class AttemptQuerySet(models.QuerySet["Attempt"]):
    def in_progress(self) -> "AttemptQuerySet":
        return self.filter(state=Attempt.State.IN_PROGRESS)

    def of_students_taught_by(self, teacher: AbstractBaseUser) -> "AttemptQuerySet":
        """The attempts a teacher may read: those of the students in their classes."""
        from .classrooms import Membership  # classrooms import this module

        return self.filter(
            user_id__in=Membership.objects.filter(classroom__teacher=teacher).values("student_id")
        )

    def open_at(self, now: datetime) -> "AttemptQuerySet":
        """In progress and taking answers at `now`: before the deadline, if it has
        one, plus the grace for answers sent before it (settings.ANSWER_GRACE)."""
        return self.in_progress().filter(
            Q(deadline__isnull=True) | Q(deadline__gt=now - answer_grace())
        )

    def done(self) -> "AttemptQuerySet":
        return self.exclude(state=Attempt.State.IN_PROGRESS)


class Attempt(models.Model):
    class State(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        FINISHED = "finished", _("Finished")
        TIMED_OUT = "timed_out", _("Timed out")

    quiz = models.ForeignKey(
        Quiz, on_delete=models.CASCADE, related_name="attempts", verbose_name=_("quiz")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="attempts",
        verbose_name=_("student"),
    )
    number = models.PositiveSmallIntegerField(_("attempt number"))
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.IN_PROGRESS
    )
    started_at = models.DateTimeField(_("started"))
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    score = models.FloatField(_("score"), null=True, blank=True)
    max_score = models.FloatField(_("maximum score"), default=0)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        constraints = [
            # The database, not only the service, keeps a student to one open
            # attempt per quiz and one row per attempt number, so two racing
            # "Start" clicks cannot both succeed.
            models.UniqueConstraint(
                fields=["user", "quiz"],
                condition=models.Q(state="in_progress"),
                name="attempt_one_open_per_quiz",
            ),
            models.UniqueConstraint(
                fields=["user", "quiz", "number"], name="attempt_unique_number"
            ),
        ]
        indexes = [
            models.Index(fields=["user", "-started_at"]),
            # A student's open attempts, found without reading their history (the
            # partial unique index above serves only a literal state, not a parameter).
            models.Index(fields=["user", "state"], name="attempt_user_state"),
        ]

    def __str__(self) -> str:
        return f"{self.quiz} · {self.user} · #{self.number}"

    def get_absolute_url(self) -> str:
        if self.is_open:
            return reverse("learning:attempt_resume", args=[self.pk])
        return reverse("learning:attempt_result", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state == self.State.IN_PROGRESS

    @property
    def percent(self) -> float | None:
        if self.score is None or not self.max_score:
            return None
        return round(100 * self.score / self.max_score, 1)

    @property
    def passed(self) -> bool | None:
        percent = self.percent
        return None if percent is None else percent >= self.quiz.pass_mark

    @property
    def duration(self) -> timedelta | None:
        return self.finished_at - self.started_at if self.finished_at else None

    def is_overdue(self, now: datetime) -> bool:
        """Still open, but its deadline and the grace after it have passed: due to
        be closed as timed out."""
        return self.is_open and self.deadline is not None and now >= self.deadline + answer_grace()

    def is_past_deadline(self, now: datetime) -> bool:
        """The deadline has passed (an answer may still be arriving within the grace)."""
        return self.deadline is not None and now >= self.deadline

    def seconds_left(self, now: datetime) -> int | None:
        """Whole seconds to the deadline, rounded up (never below 0), or None
        without a limit. Rounded up, the page's countdown reaches zero at or just
        after the deadline, so its own submit at zero lands in the grace."""
        if self.deadline is None:
            return None
        return max(0, math.ceil((self.deadline - now).total_seconds()))

    def navigator(self) -> list["NavigatorEntry"]:
        """Every item's position, whether it is answered and whether it is flagged:
        the navigator on every page of an attempt.

        A fixed statement, raw SQL: the ORM took 0.3 ms to build this query and
        turn each answer's time back into a datetime it does not need, the
        database 0.02 ms to run it (bench/README.md, fifteenth round).
        `tests/test_attempt_pages.py` checks it against the ORM's rows."""
        sql = (
            "SELECT position, answered_at IS NOT NULL, flagged "
            f"FROM {AttemptItem._meta.db_table} WHERE attempt_id = %s ORDER BY position"
        )
        with connections[AttemptItem.objects.db].cursor() as cursor:
            cursor.execute(sql, [self.pk])
            rows = cursor.fetchall()
        url = question_urls(self.pk)
        return [
            NavigatorEntry(position, bool(answered), bool(flagged), url(position))
            for position, answered, flagged in rows
        ]


class AttemptItemQuerySet(NewItemsMixin, models.QuerySet["AttemptItem"]):
    def for_student(self, *, attempt_id: int, user_id: int, position: int) -> "AttemptItem | None":
        """The item at `position` of the user's own attempt, with its attempt: the
        question page and every answer read it (and its quiz and question kept,
        `selectors.questions`). Two fixed statements (`one_raw`), not the ORM's join."""
        attempt = one_raw(Attempt.objects.all(), "id = %s AND user_id = %s", [attempt_id, user_id])
        if attempt is None:
            return None
        item = one_raw(self, "attempt_id = %s AND position = %s", [attempt_id, position])
        if item is not None:
            item.attempt = attempt
        return item


class AttemptItem(models.Model):
    attempt = models.ForeignKey(
        Attempt, on_delete=models.CASCADE, related_name="items", verbose_name=_("attempt")
    )
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="attempt_items", verbose_name=_("question")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    # The order in which the choices (ordering items, matching left-hand items)
    # were shown, as choice ids, frozen when the attempt starts.
    choice_order = models.JSONField(_("choice order"), default=list)
    # Matching only: the order of the right-hand options in every select.
    option_order = models.JSONField(_("option order"), default=list)
    response = models.JSONField(_("response"), null=True, blank=True)
    credit = models.FloatField(_("credit"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    # The student's own "come back to this" mark; it changes nothing in grading.
    flagged = models.BooleanField(_("flagged for review"), default=False)

    objects = AttemptItemQuerySet.as_manager()

    class Meta:
        # The column, not the relation: "attempt" would join the attempt to order by
        # its own ordering (the start time) on every read of an item.
        ordering = ["attempt_id", "position"]
        verbose_name = _("attempt item")
        verbose_name_plural = _("attempt items")
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="item_unique_position")
        ]

    def __str__(self) -> str:
        return f"{self.attempt} · {self.position}"

    def get_absolute_url(self) -> str:
        return reverse("learning:attempt_question", args=[self.attempt_id, self.position])

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None
