"""What the live game's screens read: the projector's view and each phone's.

Each function reads in a fixed number of queries whatever the class's size. The
key (right answer, credits, the distribution) is in a view only once the question
is closed; a phone's question view holds the choices' texts and nothing more.
"""

from dataclasses import dataclass, field, replace
from datetime import datetime

from django.db.models import Count, Q, Sum, prefetch_related_objects
from django.utils.translation import get_language, gettext

from .. import scoring
from ..models import (
    AttemptItem,
    Choice,
    ContentVersion,
    Game,
    GameQuestion,
    LiveAnswer,
    Player,
    Question,
)
from ..models.rows import one_or_none
from .live_summary import player_summary
from .memory import Kept

# Kahoot's four shapes, so that no tile is told apart by its colour alone.
SHAPES = ("triangle", "diamond", "circle", "square", "star", "hexagon")
TILE_KINDS = (Question.Kind.SINGLE, Question.Kind.TRUE_FALSE)
# The question each game shows now, per version (`current_question`): 60 games at once,
# each its question then its answer, with room to spare.
_kept = Kept(256)


@dataclass
class Tile:
    index: int
    text: str
    shape: str
    count: int = 0
    right: bool = False
    percent: int = 0


@dataclass
class Current:
    """The question on screen now: what everyone may see, and the key once closed."""

    game_question: GameQuestion
    question: Question
    choices: list[Choice]
    options: list[Choice]
    tiles: list[Tile]
    revealed: bool
    key_lines: list[str] = field(default_factory=list)
    answered: int = 0
    # Once closed: how many answers were right, partly right and wrong, with their
    # share (the projector's tally of the kinds with no tiles).
    verdicts: list[tuple[str, int, int]] = field(default_factory=list)

    @property
    def quoted(self) -> list:
        """What the projector quotes, read from the back of the room: the question's
        own paragraph (every one it cites, if it has none of its own)."""
        passage = self.question.passage
        return [passage] if passage else self.question.cited_passages()

    @property
    def also_cited(self) -> list[int]:
        """The numbers of the other paragraphs it cites, which the projector names."""
        quoted = {p.pk for p in self.quoted}
        return [p.number for p in self.question.cited_passages() if p.pk not in quoted]

    # Every choice the question has now (what an answer is graded with), in any order.
    graded_with: list[Choice] = field(default_factory=list)

    @property
    def uses_tiles(self) -> bool:
        return self.question.kind in TILE_KINDS

    def item(self) -> AttemptItem:
        """An unsaved attempt item laying the question out as the game froze it,
        for the answer form shared with quizzes."""
        return AttemptItem(
            question=self.question,
            position=self.game_question.position,
            choice_order=self.game_question.choice_order,
            option_order=self.game_question.option_order,
        )


def current_question(game: Game, *, tally: bool = True) -> Current | None:
    """The current question. Read once per process for each version of the game and
    of the content (then one query, the content's version; 3 the first time, 4 once
    closed, with the paragraphs it cites), since every phone of the class asks for
    the same question at once; the answers' tally, which only the projector shows,
    is counted each time (one query more). The count of answers is the game's own
    (`Game.answered`, moved in the answer's transaction) until the tally counts them."""
    if game.phase not in (Game.Phase.QUESTION, Game.Phase.REVEAL):
        return None
    key = ("live", game.pk, game.version, game.phase, game.position, get_language())
    kept = _kept.remember((*key, ContentVersion.objects.current()), lambda: _read_current(game))
    if kept is None:
        return None
    # A copy: the count of answers and the tally are this request's own.
    view = replace(kept, answered=game.answered, tiles=[replace(t) for t in kept.tiles])
    if view.revealed and tally:
        answers = LiveAnswer.objects.filter(
            game_question=view.game_question, answered_at__isnull=False
        )
        _tally(view, answers)
    return view


def _read_current(game: Game) -> Current | None:
    current = one_or_none(
        # The passage and its source: the prompt's `lang` (Question.language) and the quote.
        GameQuestion.objects.select_related("question__passage__source").filter(
            game=game, position=game.position
        )
    )
    if current is None:
        return None
    question = current.question
    by_id = {c.id: c for c in Choice.objects.filter(question=question)}
    choices = [by_id[i] for i in current.choice_order if i in by_id]
    options = [by_id[i] for i in current.option_order if i in by_id]
    tiles = [Tile(i, c.text, SHAPES[i % len(SHAPES)]) for i, c in enumerate(choices)]
    revealed = game.phase == Game.Phase.REVEAL
    view = Current(current, question, choices, options, tiles, revealed)
    view.graded_with = list(by_id.values())
    if revealed:
        key = [c.as_option() for c in choices]
        view.key_lines = scoring.key_lines(question.kind, key)
        # The quote's other paragraphs and their sources, read here and not by the template.
        prefetch_related_objects([question], "also_cites__source")
    return view


def _tally(view: Current, answers) -> None:
    place = {c.id: i for i, c in enumerate(view.choices)}
    rows = list(answers.values_list("response", "credit"))
    view.answered = len(rows)
    credits = [credit or 0 for _response, credit in rows]
    counts = {
        "right": sum(c >= 1 for c in credits),
        "partial": sum(0 < c < 1 for c in credits),
        "wrong": sum(c <= 0 for c in credits),
    }
    view.verdicts = [
        (verdict, n, round(100 * n / view.answered) if view.answered else 0)
        for verdict, n in counts.items()
    ]
    for response, _credit in rows:
        chosen = []
        if view.question.kind in TILE_KINDS:
            chosen = [response.get("choice")]
        elif view.question.kind == Question.Kind.MULTIPLE:
            chosen = response.get("choices", [])
        for cid in chosen:
            if cid in place:
                view.tiles[place[cid]].count += 1
    for tile, choice in zip(view.tiles, view.choices, strict=True):
        tile.right = choice.credit > 0
        tile.percent = round(100 * tile.count / view.answered) if view.answered else 0


@dataclass
class Standing:
    name: str
    points: int
    rank: int


def leaderboard(game: Game, limit: int | None = 5) -> list[Standing]:
    players = Player.objects.filter(game=game, removed=False).order_by("-points", "joined_at")
    rows = players.values_list("nickname", "points")
    return _ranked(list(rows[:limit] if limit else rows))


def _ranked(rows: list[tuple[str, float]]) -> list[Standing]:
    """Ranks as in sport: equal points share a rank, and the next rank skips."""
    standings, rank, last = [], 0, None
    for n, (name, points) in enumerate(rows, start=1):
        if points != last:
            rank, last = n, points
        standings.append(Standing(name, round(points), rank))
    return standings


def team_board(game: Game) -> list[Standing]:
    """Team mode: a team's score is the mean of its members' points."""
    if not game.teams:
        return []
    rows = (
        Player.objects.filter(game=game, removed=False, team__isnull=False)
        .values("team")
        .annotate(members=Count("id"), total=Sum("points"))
    )
    means = sorted(
        ((team_name(r["team"]), r["total"] / r["members"]) for r in rows),
        key=lambda row: -row[1],
    )
    return _ranked(means)


def team_name(team: int | None) -> str:
    return gettext("Team %(number)s") % {"number": team} if team else ""


def host_view(game: Game, now: datetime) -> dict:
    """The projector's context."""
    context = {
        "game": game,
        "current": current_question(game),
        "count": game.size,
        "seconds_left": game.seconds_left(now),
        "players": [],
        "leaders": [],
        "teams": [],
    }
    if game.phase == Game.Phase.LOBBY:
        context["players"] = list(
            Player.objects.filter(game=game, removed=False).order_by("joined_at")
        )
        context["team_choices"] = [(n, team_name(n)) for n in range(1, game.teams + 1)]
        # The projector shows each team under its heading, read from the back row.
        context["team_groups"] = [
            (name, [p for p in context["players"] if p.team == n])
            for n, name in context["team_choices"]
        ]
    else:
        context["player_count"] = Player.objects.filter(game=game, removed=False).count()
    if game.phase in (Game.Phase.REVEAL, Game.Phase.FINISHED):
        # Five after each question; at the end the podium's three and the next seven.
        finished = game.phase == Game.Phase.FINISHED
        context["leaders"] = leaderboard(game, limit=10 if finished else 5)
        context["teams"] = team_board(game)
    return context


def player_answer(game: Game, player: Player) -> LiveAnswer | None:
    return one_or_none(
        LiveAnswer.objects.filter(
            player=player, game_question__game=game, game_question__position=game.position
        )
    )


def player_view(
    game: Game,
    player: Player,
    answer: LiveAnswer | None,
    now: datetime,
    current: Current | None = None,
) -> dict:
    """A phone's context: the question without its key while open; then its own
    result, rank and points; at the end its summary. `current`, when the caller
    read it, saves reading it again."""
    current = current or current_question(game, tally=False)
    context = {
        "game": game,
        "player": player,
        "current": current,
        "answer": answer,
        "count": game.size,
        "seconds_left": game.seconds_left(now),
        "team": team_name(player.team),
        "points": player.points,
    }
    if game.phase == Game.Phase.QUESTION and answer is not None and answer.answered_at:
        # Not the points of the answer just given: they would tell whether it was
        # right before answers close.
        context["points"] -= answer.points
    if game.phase in (Game.Phase.REVEAL, Game.Phase.FINISHED):
        counts = Player.objects.filter(game=game, removed=False).aggregate(
            players=Count("id"), ahead=Count("id", filter=Q(points__gt=player.points))
        )
        context["rank"] = counts["ahead"] + 1
        context["player_count"] = counts["players"]
    if game.phase == Game.Phase.FINISHED:
        context["summary"] = player_summary(game, player)
    return context


def playing(game: Game, player_ids: set[int]) -> dict[int, Player]:
    """Those of these players who are still in the game (not removed by the host)."""
    return {p.pk: p for p in Player.objects.filter(game=game, pk__in=player_ids, removed=False)}


@dataclass
class Result:
    """A player's result to the question just closed, and their place in the game."""

    player: Player
    answer: LiveAnswer | None
    rank: int
    player_count: int


def results(game: Game, player_ids: set[int]) -> dict[int, Result]:
    """These players' results to the question just closed, for the event streams to
    send each phone its own: two queries for the whole class. Ranked as `player_view`
    ranks, one more than the players with more points."""
    players = list(Player.objects.filter(game=game, removed=False))
    answers = {
        answer.player_id: answer
        for answer in LiveAnswer.objects.filter(
            game_question__game=game,
            game_question__position=game.position,
            player_id__in=player_ids,
        )
    }
    points = [player.points for player in players]
    return {
        player.pk: Result(
            player,
            answers.get(player.pk),
            1 + sum(other > player.points for other in points),
            len(players),
        )
        for player in players
        if player.pk in player_ids
    }


def answered_before(player: Player, position: str, current: int) -> bool:
    """The player answered the question at `position` (as posted), one gone by."""
    if not position.isdecimal() or int(position) >= current:
        return False
    answers = LiveAnswer.objects.filter(player=player, answered_at__isnull=False)
    return answers.filter(game_question__position=int(position)).exists()
