"""What a finished live game leaves behind for the gradebook: one `LiveResult` per
signed-in player of a game of a quiz (see docs/architecture.md, "Live games in the
gradebook"), and each signed-in player's missed questions as cards due now."""

from datetime import datetime

from django.utils.translation import gettext as _

from .. import scheduling
from ..models import (
    CardState,
    Game,
    GameQuestion,
    LiveAnswer,
    LiveResult,
    Player,
    ProgressStamp,
)


def record(game: Game, now: datetime) -> None:
    """Each signed-in player's result in a game of a quiz, for the gradebook (in the
    transaction that finishes the game; a game finishes once, and the constraint
    keeps one result per player whatever happens)."""
    asked = GameQuestion.objects.counted().filter(game=game).count()
    if game.quiz_id is None or not asked:
        return
    credit: dict[int, float] = {}
    for player_id, value in LiveAnswer.objects.filter(
        player__game=game, answered_at__isnull=False
    ).values_list("player_id", "credit"):
        credit[player_id] = credit.get(player_id, 0.0) + (value or 0.0)
    players = list(Player.objects.filter(game=game, user__isnull=False, removed=False))
    LiveResult.objects.bulk_create(
        [
            LiveResult(
                game=game,
                user_id=player.user_id,
                quiz_id=game.quiz_id,
                credit=credit.get(player.pk, 0.0),
                asked=asked,
                points=player.points,
                finished_at=now,
            )
            for player in players
        ],
        ignore_conflicts=True,
    )
    # The gradebook shows each student's games (`selectors.kept`).
    ProgressStamp.objects.bump(*[player.user_id for player in players], create=False)


def cards_from_mistakes(game: Game, now: datetime) -> None:
    """Each signed-in player's missed questions (less than full credit, or none
    given) become cards due now, unless they are learning them already."""
    missed: dict[int, set[int]] = {}
    answered = {
        (user_id, qid): credit
        for user_id, qid, credit in LiveAnswer.objects.filter(
            player__game=game, player__user__isnull=False, answered_at__isnull=False
        ).values_list("player__user_id", "game_question__question_id", "credit")
    }
    asked = list(
        GameQuestion.objects.counted().filter(game=game).values_list("question_id", flat=True)
    )
    for user_id in Player.objects.filter(game=game, user__isnull=False, removed=False).values_list(
        "user_id", flat=True
    ):
        missed[user_id] = {q for q in asked if LiveAnswer.missed(answered.get((user_id, q)))}
    due = scheduling.missed(now)
    note = (_("missed in the live game “%(title)s”") % {"title": game.title})[:250]
    CardState.objects.bulk_create(
        [
            CardState(
                user_id=user_id,
                question_id=qid,
                state=due.state,
                step=due.step,
                due=due.due,
                note=note,
            )
            for user_id, questions in missed.items()
            for qid in questions
        ],
        ignore_conflicts=True,
    )
