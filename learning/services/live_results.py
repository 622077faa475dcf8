"""What a finished live game leaves behind for the gradebook: one `LiveResult` per
signed-in player of a game of a quiz (see docs/architecture.md, "Live games in the
gradebook")."""

from datetime import datetime

from ..models import Game, GameQuestion, LiveAnswer, LiveResult, Player, ProgressStamp


def record(game: Game, now: datetime) -> None:
    """Each signed-in player's result in a game of a quiz, for the gradebook (in the
    transaction that finishes the game; a game finishes once, and the constraint
    keeps one result per player whatever happens)."""
    asked = GameQuestion.objects.filter(game=game, opened_at__isnull=False).count()
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
