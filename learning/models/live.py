"""The live class game: a host's game, its frozen questions, its players and their answers.

Every piece of a game's state is a row here, so that any application server (and the
event-stream process) reads the same game: nothing lives in a process's memory.
`Game.version` goes up by one on every change a screen must show; the event streams
send it, and each screen fetches its own view when it changes.
"""

import secrets
from datetime import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .bank import Bank, Question
from .quizzes import Quiz

# The countdown a teacher may set for each question, in seconds.
SECONDS_MIN, SECONDS_MAX = 10, 120
PIN_DIGITS = 6


def new_pin() -> str:
    """Six digits, the first never 0 (so it reads the same as a number)."""
    return str(secrets.randbelow(9 * 10 ** (PIN_DIGITS - 1)) + 10 ** (PIN_DIGITS - 1))


def new_token() -> str:
    return secrets.token_urlsafe(24)


class GameQuerySet(models.QuerySet["Game"]):
    def joinable(self) -> "GameQuerySet":
        return self.exclude(phase=Game.Phase.FINISHED)


class Game(models.Model):
    class Phase(models.TextChoices):
        LOBBY = "lobby", _("Lobby")
        QUESTION = "question", _("Question")
        REVEAL = "reveal", _("Answer shown")
        FINISHED = "finished", _("Finished")

    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="live_games",
        verbose_name=_("host"),
    )
    quiz = models.ForeignKey(
        Quiz, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("quiz")
    )
    bank = models.ForeignKey(
        Bank, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("bank")
    )
    title = models.CharField(max_length=200)
    pin = models.CharField(max_length=PIN_DIGITS, default=new_pin)
    seconds = models.PositiveSmallIntegerField(
        default=20,
        validators=[MinValueValidator(SECONDS_MIN), MaxValueValidator(SECONDS_MAX)],
    )
    # 0: everyone for themselves; otherwise players are dealt into this many teams.
    teams = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(8)])
    phase = models.CharField(max_length=10, choices=Phase.choices, default="lobby")
    position = models.PositiveSmallIntegerField(default=0)
    # How many questions the game has, frozen with them (every screen shows "3 of 10").
    size = models.PositiveSmallIntegerField(default=0)
    # Answers stored to the current question: the projector's count, read by the
    # event streams with the version (one row, no join).
    answered = models.PositiveIntegerField(default=0)
    # While paused the countdown is stopped; `remaining` holds what was left of it.
    paused = models.BooleanField(default=False)
    remaining = models.FloatField(null=True, blank=True)
    deadline = models.DateTimeField(null=True, blank=True)
    show_leaderboard = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)
    # The version of the game's last move (a control, or the clock closing answers):
    # a control pressed on a screen older than that is stale, and moves nothing. An
    # arrival only changes `version`, so a Start pressed as a player joins still starts.
    moved_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = GameQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("live game")
        verbose_name_plural = _("live games")
        constraints = [
            # A PIN names one game while it can be joined; finished games give theirs back.
            models.UniqueConstraint(
                fields=["pin"],
                condition=~models.Q(phase="finished"),
                name="live_game_unique_open_pin",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.pin})"

    def is_due(self, now: datetime) -> bool:
        """Answers to the current question close now (the server's clock decides)."""
        return (
            self.phase == self.Phase.QUESTION
            and not self.paused
            and self.deadline is not None
            and now >= self.deadline
        )

    def seconds_left(self, now: datetime) -> int:
        if self.phase != self.Phase.QUESTION:
            return 0
        if self.paused:
            return round(self.remaining or 0)
        return max(0, round((self.deadline - now).total_seconds())) if self.deadline else 0


class GameQuestionQuerySet(models.QuerySet["GameQuestion"]):
    def counted(self) -> "GameQuestionQuerySet":
        """The questions a game counts in its players' results ("7 of 10", the
        questions to study, the gradebook): opened, and answered by someone. One that
        closed before anyone answered (the host's close, or nobody in time) was
        skipped, and counts against nobody."""
        answered = LiveAnswer.objects.filter(game_question=models.OuterRef("pk"))
        answered = answered.filter(answered_at__isnull=False)
        return self.filter(opened_at__isnull=False).filter(models.Exists(answered))


class GameQuestion(models.Model):
    """A question of the game at its place, with the order its choices are shown in."""

    game = models.ForeignKey(Game, on_delete=models.CASCADE, related_name="questions")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    choice_order = models.JSONField(default=list)
    option_order = models.JSONField(default=list)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = GameQuestionQuerySet.as_manager()

    class Meta:
        ordering = ["game", "position"]
        constraints = [
            models.UniqueConstraint(fields=["game", "position"], name="live_question_unique_place")
        ]

    def __str__(self) -> str:
        return f"{self.game_id} #{self.position}"


class Player(models.Model):
    game = models.ForeignKey(Game, on_delete=models.CASCADE, related_name="players")
    nickname = models.CharField(max_length=24)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The secret a phone keeps (in a signed cookie) to come back as this player.
    token = models.CharField(max_length=40, default=new_token, unique=True)
    team = models.PositiveSmallIntegerField(null=True, blank=True)
    points = models.PositiveIntegerField(default=0)
    streak = models.PositiveSmallIntegerField(default=0)
    removed = models.BooleanField(default=False)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-points", "joined_at"]
        constraints = [
            models.UniqueConstraint(fields=["game", "nickname"], name="live_player_unique_name"),
            models.UniqueConstraint(
                fields=["game", "user"],
                condition=models.Q(user__isnull=False),
                name="live_player_one_per_user",
            ),
        ]

    def __str__(self) -> str:
        return self.nickname


class LiveAnswer(models.Model):
    """One player's one question: when their phone was sent it, and their one answer.

    The row is made when the phone is first sent the question (so the time a player
    takes is measured from then, not from the projector); the answer fills it once,
    by a conditional UPDATE, so racing taps store one answer."""

    player = models.ForeignKey(Player, on_delete=models.CASCADE, related_name="answers")
    game_question = models.ForeignKey(
        GameQuestion, on_delete=models.CASCADE, related_name="answers"
    )
    sent_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    response = models.JSONField(null=True, blank=True)
    credit = models.FloatField(null=True, blank=True)
    points = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["player", "game_question"], name="live_answer_one_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.player_id} @ {self.game_question_id}"

    @staticmethod
    def missed(credit: float | None) -> bool:
        """A question to study after the game: less than full credit, or no answer
        (`credit` None, or no row)."""
        return (credit or 0) < 1


class LiveResult(models.Model):
    """A signed-in player's result in a finished game of a quiz, for the gradebook of
    the host's classes. Apart from the quiz's attempts: a live game is practice
    scored for speed, so it neither counts as an attempt nor changes a grade."""

    game = models.ForeignKey(Game, on_delete=models.CASCADE, related_name="results")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="live_results"
    )
    quiz = models.ForeignKey(Quiz, on_delete=models.SET_NULL, null=True, related_name="+")
    # The sum of the credit the game gave, over the questions it asked.
    credit = models.FloatField()
    asked = models.PositiveSmallIntegerField()
    points = models.PositiveIntegerField()
    finished_at = models.DateTimeField()

    class Meta:
        ordering = ["-finished_at"]
        constraints = [
            models.UniqueConstraint(fields=["game", "user"], name="live_result_one_per_player")
        ]

    def __str__(self) -> str:
        return f"{self.game_id} · {self.user_id}"

    @property
    def percent(self) -> float:
        return 100 * self.credit / self.asked if self.asked else 0.0
