"""Flashcards: each student's memory of each question, and every rating given."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connections, models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .. import scheduling
from .bank import Bank, Passage, Question
from .quizzes import Attempt, AttemptItem
from .rows import one_raw


def start_of_day(now: datetime) -> datetime:
    """Midnight of the site's local day: when the daily limits start again."""
    local = timezone.localtime(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


@dataclass(frozen=True)
class StudyScope:
    """Which cards to study: some decks (banks), the questions on one passage,
    the questions one finished attempt missed, or all."""

    banks: tuple[Bank, ...] = ()
    passage: Passage | None = None
    attempt: "Attempt | None" = None

    def where(self, prefix: str = "") -> models.Q:
        """The condition on questions, or on rows that reach them through `prefix`."""
        condition = models.Q()
        if self.attempt is not None:
            missed = self.attempt.items.exclude(credit__gte=1).values("question_id")
            condition &= models.Q(**{f"{prefix}id__in": missed})
        if self.banks:
            condition &= models.Q(**{f"{prefix}bank__in": self.banks})
        if self.passage is not None:
            condition &= models.Q(**{f"{prefix}passage": self.passage})
        return condition

    def sql(self, questions: str) -> tuple[str, list]:
        """`where()` for a fixed statement (`CardStateQuerySet.counts`): the same
        conditions on the question table named `questions` in it, as SQL to add
        to its WHERE and that SQL's parameters."""
        conditions, params = [], []
        if self.attempt is not None:
            # exclude(credit__gte=1) in where(): an item never answered is missed too.
            conditions.append(
                f"{questions}.id IN (SELECT question_id FROM {AttemptItem._meta.db_table} "
                "WHERE attempt_id = %s AND (credit IS NULL OR credit < 1))"
            )
            params.append(self.attempt.pk)
        if self.banks:
            placeholders = ", ".join(["%s"] * len(self.banks))
            conditions.append(f"{questions}.bank_id IN ({placeholders})")
            params += [bank.pk for bank in self.banks]
        if self.passage is not None:
            conditions.append(f"{questions}.passage_id = %s")
            params.append(self.passage.pk)
        return "".join(f" AND {condition}" for condition in conditions), params


class StudySettings(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="study_settings",
        verbose_name=_("student"),
    )
    new_per_day = models.PositiveSmallIntegerField(
        _("new cards a day"), default=20, validators=[MaxValueValidator(500)]
    )
    reviews_per_day = models.PositiveSmallIntegerField(
        _("reviews a day"), default=200, validators=[MaxValueValidator(9999)]
    )
    desired_retention = models.FloatField(
        _("desired retention"),
        default=0.9,
        validators=[MinValueValidator(0.70), MaxValueValidator(0.97)],
        help_text=_(
            "The share of cards you want to still remember when they come due: higher means "
            "more reviews."
        ),
    )

    class Meta:
        verbose_name = _("study settings")
        verbose_name_plural = _("study settings")

    def __str__(self) -> str:
        return str(self.user)

    @classmethod
    def for_user(cls, user: AbstractBaseUser) -> "StudySettings":
        """The student's settings, made with the defaults on first use."""
        return cls.for_user_id(user.pk)

    @classmethod
    def for_user_id(cls, user_id: int) -> "StudySettings":
        # raw(): every card page and rating reads the row, and the ORM took twice
        # raw()'s time to build its lookup (bench/README.md, sixteenth round).
        limits = one_raw(cls.objects.all(), "user_id = %s", [user_id])
        return limits or cls.objects.get_or_create(user_id=user_id)[0]


class CardStateQuerySet(models.QuerySet["CardState"]):
    def studied(self) -> "CardStateQuerySet":
        return self.exclude(state=CardState.State.NEW)

    def for_student(self, user) -> "CardStateQuerySet":
        """The student's cards on published questions. A question the teacher
        unpublishes keeps its cards and their history, but they leave every deck,
        count and page until it is published again."""
        return self.filter(user=user, question__published=True)

    def own(self, *, user_id: int, pk: int) -> "CardState | None":
        """The student's card `pk` if it is theirs and `for_student` (its question
        published), or None: the card page's and the rating's read, a fixed statement."""
        cards, questions = self.model._meta.db_table, Question._meta.db_table
        published = f"SELECT 1 FROM {questions} q WHERE q.id = {cards}.question_id AND q.published"
        return one_raw(self, f"id = %s AND user_id = %s AND EXISTS ({published})", [pk, user_id])

    def due_for(self, user, now: datetime) -> "CardStateQuerySet":
        """The cards the student should review now, the most overdue first (index user, due)."""
        return self.for_student(user).studied().filter(due__lte=now).order_by("due", "id")

    def counts(self, user, scope: StudyScope, now: datetime) -> dict[str, int]:
        """The student's cards in the scope (`for_student`, `scope.where`): all of
        them, the new ones, and those learning and to review that are due at `now`.
        With an attempt's scope, only the cards not rated since it finished.

        A fixed statement, raw SQL: the ORM spent 0.9 ms building this aggregate
        and the database 0.03 ms running it, the card page's costliest part
        (bench/README.md, fourteenth round). `tests/test_study_session.py` checks
        it against the ORM's count for every kind of scope."""
        connection = connections[self.db]
        field = self.model._meta.get_field("due")

        def at(moment: datetime):
            return field.get_db_prep_value(moment, connection)

        state = CardState.State
        in_scope, params = scope.sql("q")
        if scope.attempt is not None:
            in_scope += " AND (c.last_review IS NULL OR c.last_review < %s)"
            params.append(at(scope.attempt.finished_at))
        sql = (
            "SELECT COUNT(*), COUNT(CASE WHEN c.state = %s THEN 1 END), "
            "COUNT(CASE WHEN c.state IN (%s, %s) AND c.due <= %s THEN 1 END), "
            "COUNT(CASE WHEN c.state = %s AND c.due <= %s THEN 1 END) "
            f"FROM {CardState._meta.db_table} c "
            f"JOIN {Question._meta.db_table} q ON q.id = c.question_id "
            f"WHERE c.user_id = %s AND q.published{in_scope}"
        )
        head = [state.NEW, state.LEARNING, state.RELEARNING, at(now), state.REVIEW, at(now)]
        with connection.cursor() as cursor:
            cursor.execute(sql, [*head, user.pk, *params])
            total, new, learning, review = cursor.fetchone()
        return {"all": total, "new": new, "learning": learning, "review": review}


class CardState(models.Model):
    """The FSRS memory state of one student for one question, as columns.

    NEW is ours, not FSRS's: a card shown but not yet rated. FSRS's own states
    (learning, review, relearning) keep their numbers, so the column converts
    to `fsrs.State` as it is.
    """

    class State(models.IntegerChoices):
        NEW = 0, pgettext_lazy("card state", "New")
        LEARNING = 1, pgettext_lazy("card state", "Learning")
        REVIEW = 2, pgettext_lazy("card state", "Review")
        RELEARNING = 3, pgettext_lazy("card state", "Relearning")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="cards",
        verbose_name=_("student"),
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="cards", verbose_name=_("question")
    )
    state = models.PositiveSmallIntegerField(_("state"), choices=State.choices, default=State.NEW)
    step = models.PositiveSmallIntegerField(_("step"), null=True, blank=True)
    stability = models.FloatField(_("stability"), null=True, blank=True)
    difficulty = models.FloatField(_("difficulty"), null=True, blank=True)
    due = models.DateTimeField(_("due"))
    last_review = models.DateTimeField(_("last review"), null=True, blank=True)
    # Bumped by every rating: a form carrying an older version is a repeat.
    version = models.PositiveIntegerField(_("version"), default=0)
    note = models.CharField(_("note"), max_length=250, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = CardStateQuerySet.as_manager()

    class Meta:
        ordering = ["due", "id"]
        verbose_name = _("card")
        verbose_name_plural = _("cards")
        constraints = [
            models.UniqueConstraint(fields=["user", "question"], name="card_unique_per_user")
        ]
        indexes = [models.Index(fields=["user", "due"], name="card_user_due")]

    def __str__(self) -> str:
        return f"{self.user} · {self.question}"

    def get_absolute_url(self) -> str:
        return reverse("learning:card_review", args=[self.pk])

    @property
    def memory(self) -> scheduling.Memory:
        """The card's FSRS memory, as the scheduler takes it."""
        return scheduling.Memory(
            state=self.state,
            step=self.step,
            stability=self.stability,
            difficulty=self.difficulty,
            due=self.due,
            last_review=self.last_review,
        )


# How long a rating can be undone (Anki's undo).
UNDO_WINDOW = timedelta(hours=1)


def undo_start(now: datetime) -> datetime:
    """The earliest rating that undo may still take back at `now`."""
    return now - UNDO_WINDOW


def undoable_since(now: datetime) -> models.Q:
    """The ratings that undo may still take back at `now`."""
    return models.Q(reviewed_at__gte=undo_start(now))


class ReviewQuerySet(models.QuerySet["Review"]):
    def undoable(self, user: AbstractBaseUser, now: datetime) -> "ReviewQuerySet":
        """The student's ratings of the last UNDO_WINDOW, which undo may take back."""
        return self.filter(undoable_since(now), user=user)

    def done_today(self, user: AbstractBaseUser, now: datetime) -> dict[str, int]:
        """New cards first rated, and reviews of other cards, since local midnight;
        and how many ratings could be undone (the card page's Undo), in one query.

        A fixed statement, raw SQL, as `CardStateQuerySet.counts` is: the ORM
        spent 0.6 ms building it, the database 0.03 ms running it (index user,
        reviewed_at)."""
        connection = connections[self.db]
        field = self.model._meta.get_field("reviewed_at")
        midnight, undo = start_of_day(now), undo_start(now)
        midnight_, undo_, since = (
            field.get_db_prep_value(moment, connection)
            for moment in (midnight, undo, min(midnight, undo))
        )
        sql = (
            "SELECT COUNT(CASE WHEN reviewed_at >= %s AND state_before = %s THEN 1 END), "
            "COUNT(CASE WHEN reviewed_at >= %s AND state_before <> %s THEN 1 END), "
            "COUNT(CASE WHEN reviewed_at >= %s THEN 1 END) "
            f"FROM {self.model._meta.db_table} WHERE user_id = %s AND reviewed_at >= %s"
        )
        new = CardState.State.NEW
        with connection.cursor() as cursor:
            cursor.execute(sql, [midnight_, new, midnight_, new, undo_, user.pk, since])
            new_count, reviews, undoable = cursor.fetchone()
        return {"new": new_count, "reviews": reviews, "undoable": undoable}


class Review(models.Model):
    """One rating, with the card's state before it: enough to refit FSRS later."""

    class Rating(models.IntegerChoices):
        AGAIN = 1, _("Again")
        HARD = 2, _("Hard")
        GOOD = 3, _("Good")
        EASY = 4, _("Easy")

    card = models.ForeignKey(
        CardState, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("card")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reviews",
        verbose_name=_("student"),
    )
    rating = models.PositiveSmallIntegerField(_("rating"), choices=Rating.choices)
    reviewed_at = models.DateTimeField(_("reviewed"))
    duration_ms = models.PositiveIntegerField(_("time looked (ms)"), null=True, blank=True)
    state_before = models.PositiveSmallIntegerField(_("state before"), choices=CardState.State)
    step_before = models.PositiveSmallIntegerField(_("step before"), null=True, blank=True)
    stability_before = models.FloatField(_("stability before"), null=True, blank=True)
    difficulty_before = models.FloatField(_("difficulty before"), null=True, blank=True)
    due_before = models.DateTimeField(_("due before"))
    last_review_before = models.DateTimeField(_("last review before"), null=True, blank=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-reviewed_at"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        indexes = [models.Index(fields=["user", "reviewed_at"], name="review_user_time")]

    def __str__(self) -> str:
        return f"{self.card} · {self.get_rating_display()}"

    @property
    def memory_before(self) -> scheduling.Memory:
        """The card's memory as it was just before this rating."""
        return scheduling.Memory(
            state=self.state_before,
            step=self.step_before,
            stability=self.stability_before,
            difficulty=self.difficulty_before,
            due=self.due_before,
            last_review=self.last_review_before,
        )
