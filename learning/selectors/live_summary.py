"""What a finished live game leaves to read: each player's summary ("7 of 10; study
these 3", with their answers) and the teacher's report by question."""

from dataclasses import dataclass

from django.db.models import Count, Q

from .. import scoring
from ..models import Choice, Game, GameQuestion, LiveAnswer, Player, Question


@dataclass
class ToStudy:
    """A question of the game the player did not get fully right, with its answer."""

    question: Question
    key_lines: list[str]
    # False when they sent no answer (time ran out, or the host closed it once others
    # had answered: closed before anyone had, it is not counted at all).
    answered: bool


@dataclass
class Summary:
    right: int
    asked: int
    study: list[ToStudy]


def player_summary(game: Game, player: Player) -> Summary:
    """ "7 of 10; study these 3": the questions asked, the player's right answers, and
    the others with their answers (every question is closed: the key may be shown)."""
    asked = list(
        GameQuestion.objects.counted()
        .filter(game=game)
        # The passage and its source: each prompt's `lang` (Question.language).
        .select_related("question__passage__source")
        .order_by("position")
    )
    credits = dict(
        LiveAnswer.objects.filter(player=player, answered_at__isnull=False).values_list(
            "game_question_id", "credit"
        )
    )
    missed = [gq for gq in asked if LiveAnswer.missed(credits.get(gq.id))]
    # Every asked question's choices, so that the page costs the same queries however
    # many the player missed.
    keys: dict[int, list] = {gq.question_id: [] for gq in asked}
    for choice in Choice.objects.filter(question__in=keys).order_by("id"):
        keys[choice.question_id].append(choice.as_option())
    study = [
        ToStudy(
            gq.question, scoring.key_lines(gq.question.kind, keys[gq.question_id]), gq.id in credits
        )
        for gq in missed
    ]
    return Summary(len(asked) - len(study), len(asked), study)


def game_report(game: Game) -> list[dict]:
    """Per question: how many answered, how many right, the mean credit, hardest first
    by the teacher's eye (the template keeps the game's order)."""
    rows = (
        GameQuestion.objects.filter(game=game)
        .select_related("question")
        .annotate(
            answered=Count("answers", filter=Q(answers__answered_at__isnull=False)),
            right=Count("answers", filter=Q(answers__credit__gte=1)),
        )
        .order_by("position")
    )
    report = []
    for row in rows:
        share = round(100 * row.right / row.answered) if row.answered else None
        report.append(
            {
                "position": row.position,
                "question": row.question,
                "asked": row.opened_at is not None,
                "answered": row.answered,
                "right": row.right,
                "percent": share,
            }
        )
    return report
