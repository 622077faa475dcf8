"""The live game's workflows: creating a game, joining, the host's controls, answers.

Every state change is a conditional UPDATE on `Game.version` (so two clicks of
"next", or a click racing the deadline, move the game once), and announces the new
version to the event streams after its transaction commits (`learning.live_push`).
Every function takes `now` so that tests can pin the clock.
"""

import random
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone

from .. import live_push, live_scoring
from ..models import Bank, Choice, Game, GameQuestion, LiveAnswer, Player, Quiz
from ..models.rows import one_or_none
from . import live_results
from .attempts import _layout, draw_questions
from .errors import (
    AnswersClosed,
    GameOver,
    GameStale,
    NicknameInvalid,
    NicknameTaken,
    NoQuestions,
    TeamInvalid,
    TeamsClosed,
)

NICKNAME_MAX = 24
# The latest a player's time starts after the question opened (`question_sent`):
# ample for a slow phone to be sent it, little for one that waits to ask.
SENT_GRACE = timedelta(seconds=5)


def game_create(
    *,
    host: AbstractBaseUser,
    quiz: Quiz | None = None,
    bank: Bank | None = None,
    count: int | None = None,
    seconds: int = 20,
    teams: int = 0,
    rng: random.Random | None = None,
) -> Game:
    """A game in its lobby, with its questions drawn from a quiz (its own rules of
    drawing) or N published questions of a bank, and choice orders frozen."""
    rng = rng or random.SystemRandom()
    if quiz is not None:
        drawn = [(q.id, q.kind) for q in draw_questions(quiz, rng)][: count or None]
        title = quiz.title
    else:
        pool = list(bank.questions.published().order_by("id").values_list("id", "kind"))
        drawn = rng.sample(pool, min(len(pool), count or len(pool)))
        title = bank.name
    if not drawn:
        raise NoQuestions
    choice_ids: dict[int, list[int]] = {qid: [] for qid, _kind in drawn}
    for qid, cid in Choice.objects.filter(question_id__in=choice_ids).values_list(
        "question_id", "id"
    ):
        choice_ids[qid].append(cid)
    for _try in range(5):
        try:
            with transaction.atomic():
                game = Game.objects.create(
                    host=host,
                    quiz=quiz,
                    bank=bank,
                    title=title,
                    seconds=seconds,
                    teams=teams,
                    size=len(drawn),
                )
                GameQuestion.objects.bulk_create(
                    GameQuestion(
                        game=game,
                        question_id=qid,
                        position=place,
                        choice_order=layout[0],
                        option_order=layout[1],
                    )
                    for place, (qid, kind) in enumerate(drawn, start=1)
                    for layout in [_layout(kind, choice_ids[qid], True, rng)]
                )
                return game
        except IntegrityError:
            continue  # That PIN is in use by an open game: draw another.
    raise IntegrityError("no free game PIN")


def _touch(game: Game) -> None:
    """A change that needs no order (a player joined or left): the next version."""
    Game.objects.filter(pk=game.pk).update(version=F("version") + 1)
    transaction.on_commit(lambda: live_push.publish(game.pk, None))


def _bump(game: Game, **fields) -> None:
    """Move the game from the version the caller read to the next one, or refuse."""
    moved = Game.objects.filter(pk=game.pk, version=game.version).update(
        version=F("version") + 1, moved_version=F("version") + 1, **fields
    )
    if not moved:
        game.refresh_from_db()
        raise GameStale
    for name, value in fields.items():
        setattr(game, name, value)
    game.version += 1
    game.moved_version = game.version
    version = game.version
    transaction.on_commit(lambda: live_push.publish(game.pk, version))


def player_join(*, game: Game, nickname: str, user: AbstractBaseUser | None = None) -> Player:
    """A new player in the game, or the signed-in student's own player again."""
    if game.phase == Game.Phase.FINISHED:
        raise GameOver
    if user is not None and user.is_authenticated:
        mine = Player.objects.filter(game=game, user=user, removed=False).first()
        if mine is not None:
            return mine
    else:
        user = None
    nickname = " ".join(nickname.split())
    if not 1 <= len(nickname) <= NICKNAME_MAX:
        raise NicknameInvalid
    try:
        with transaction.atomic():
            player = Player.objects.create(
                game=game, nickname=nickname, user=user, team=_team_for(game)
            )
            _touch(game)
    except IntegrityError:
        raise NicknameTaken from None
    return player


def _team_for(game: Game) -> int | None:
    """Random teams: the newcomer goes to a smallest team, chosen at random among them."""
    if not game.teams:
        return None
    sizes = dict.fromkeys(range(1, game.teams + 1), 0)
    for team, size in (
        Player.objects.filter(game=game, removed=False)
        .values_list("team")
        .annotate(size=Count("id"))
    ):
        if team in sizes:
            sizes[team] = size
    smallest = min(sizes.values())
    return random.choice([team for team, size in sizes.items() if size == smallest])


def player_for_token(*, game_id: int, token: str) -> Player | None:
    """The player a phone's cookie names in this game, with the game (never a removed one)."""
    if not token:
        return None
    return one_or_none(
        Player.objects.select_related("game").filter(game_id=game_id, token=token, removed=False)
    )


@transaction.atomic
def player_remove(*, game: Game, player_id: int) -> None:
    if Player.objects.filter(game=game, pk=player_id, removed=False).update(removed=True):
        _touch(game)


@transaction.atomic
def player_set_team(*, game: Game, player_id: int, team: int) -> None:
    """The host puts a player into one of the game's teams, in the lobby only (a
    player's points then count for one team all game long)."""
    if game.phase != Game.Phase.LOBBY:
        raise TeamsClosed
    if not 1 <= team <= game.teams:
        raise TeamInvalid
    if Player.objects.filter(game=game, pk=player_id, removed=False).update(team=team):
        _touch(game)


# Every move writes the game's row first, then its question's: always in this order,
# so that two moves racing on PostgreSQL wait for each other instead of deadlocking.
def _open(game: Game, position: int, now: datetime) -> None:
    deadline = now + timedelta(seconds=game.seconds)
    fields = {"phase": Game.Phase.QUESTION, "position": position, "answered": 0}
    _bump(game, **fields, paused=False, remaining=None, deadline=deadline)
    GameQuestion.objects.filter(game=game, position=position).update(opened_at=now)


def _close(game: Game, now: datetime) -> None:
    _bump(game, phase=Game.Phase.REVEAL, paused=False, remaining=None, deadline=now)
    GameQuestion.objects.filter(game=game, position=game.position).update(closed_at=now)


def _finish(game: Game, now: datetime) -> None:
    _bump(game, phase=Game.Phase.FINISHED, paused=False, deadline=None, finished_at=now)
    live_results.cards_from_mistakes(game, now)
    live_results.record(game, now)


ACTIONS = ("next", "pause", "resume", "skip", "end", "leaderboard")


@transaction.atomic
def game_control(*, game: Game, action: str, version: int, now: datetime | None = None) -> Game:
    """The host's controls. `version` is the one their screen showed: pressed on a
    screen from before the game's last move, a control is stale, so a double click
    (or two devices) moves the game once; an arrival is no move, so Start starts."""
    now = now or timezone.now()
    # The game as it is now, kept from other moves until this one is stored (NO KEY:
    # on PostgreSQL a player's join, whose row refers to the game's, goes on meanwhile).
    game.refresh_from_db(from_queryset=Game.objects.select_for_update(no_key=True))
    if version < game.moved_version:
        raise GameStale
    if game.phase == Game.Phase.FINISHED:
        raise GameOver
    if action == "next":
        if game.phase == Game.Phase.QUESTION:
            _close(game, now)
        elif game.position < game.size:
            _open(game, game.position + 1, now)
        else:
            _finish(game, now)
    elif action == "skip" and game.phase == Game.Phase.QUESTION:
        _close(game, now)
    elif action == "pause" and game.phase == Game.Phase.QUESTION and not game.paused:
        _bump(game, paused=True, remaining=max(0.0, (game.deadline - now).total_seconds()))
    elif action == "resume" and game.paused:
        _bump(
            game,
            paused=False,
            deadline=now + timedelta(seconds=game.remaining or 0),
            remaining=None,
        )
    elif action == "end":
        _finish(game, now)
    elif action == "leaderboard":
        _bump(game, show_leaderboard=not game.show_leaderboard)
    return game


def game_close_if_due(*, game: Game, now: datetime | None = None) -> bool:
    """Close the current question if its deadline has passed; True if it did. Every
    page of a game calls this first: the server's clock closes answers."""
    now = now or timezone.now()
    if not game.is_due(now):
        return False
    try:
        with transaction.atomic():
            _close(game, now)
    except GameStale:
        pass  # Another request closed it first; the game was refreshed.
    return True


def question_sent(
    *,
    game: Game,
    player: Player,
    game_question: GameQuestion | None = None,
    now: datetime | None = None,
    answering: bool = False,
) -> LiveAnswer:
    """Mark that this player's phone was sent the current question (once: the first
    time counts), and return their row for it. `game_question`, the current one,
    saves a query when the caller has it. `answering`: the phone answers and has no
    row yet (an event stream sent it the question and has not stored the moment
    yet): it is timed from the question's opening, never from its own answer. A
    phone that asks for the question late is timed from `SENT_GRACE` after the
    opening at the latest, so that waiting (or reading the projector first) gains
    at most that."""
    now = now or timezone.now()
    current = game_question or GameQuestion.objects.select_related("question").get(
        game=game, position=game.position
    )
    opened = current.opened_at or now
    sent = opened if answering else min(now, opened + SENT_GRACE)
    LiveAnswer.objects.bulk_create(
        [LiveAnswer(player=player, game_question=current, sent_at=sent)], ignore_conflicts=True
    )
    row = LiveAnswer.objects.get(player=player, game_question=current)
    row.game_question = current
    return row


def questions_sent(*, sent: list[tuple[int, int, set[int], datetime]]) -> None:
    """Mark that the event streams sent these questions, each a (game, position,
    players, moment), to those players' phones (the first time counts, as in
    `question_sent`): one read of the games' questions and one bulk insert for the
    whole batch, however many games."""
    sent = [
        (game_id, position, players, now) for game_id, position, players, now in sent if players
    ]
    if not sent:
        return
    wanted = {(game_id, position) for game_id, position, _players, _now in sent}
    rows = GameQuestion.objects.filter(game_id__in={game_id for game_id, _ in wanted})
    current = {
        (game_id, position): pk
        for game_id, position, pk in rows.values_list("game_id", "position", "pk")
        if (game_id, position) in wanted
    }
    LiveAnswer.objects.bulk_create(
        [
            LiveAnswer(player_id=pk, game_question_id=current[game_id, position], sent_at=now)
            for game_id, position, players, now in sent
            if (game_id, position) in current
            for pk in players
        ],
        ignore_conflicts=True,
    )


def answer_submit(
    *,
    game: Game,
    player: Player,
    position: int,
    response: dict,
    now: datetime | None = None,
    game_question: GameQuestion | None = None,
    choices: list[Choice] | None = None,
) -> LiveAnswer:
    """Store and score the player's one answer to the question at `position`.

    Refused unless that question is open and its deadline ahead. The answer is a
    conditional UPDATE of the player's row (only while unanswered), so racing taps
    store one; the points are the server's. When everyone still playing has
    answered, the question closes. `game_question` (the current one, with its
    question) and `choices` (that question's), when the caller read them, save
    reading them again; `player` comes back with its new points and streak."""
    now = now or timezone.now()
    if game.phase != Game.Phase.QUESTION or game.position != position or game.paused:
        raise AnswersClosed
    if game.is_due(now):
        game_close_if_due(game=game, now=now)
        raise AnswersClosed
    row = None
    if game_question is not None:
        # The phone was sent the question before it answers: its row is there.
        row = one_or_none(LiveAnswer.objects.filter(player=player, game_question=game_question))
        if row is not None:
            row.game_question = game_question
    row = row or question_sent(
        game=game, player=player, game_question=game_question, now=now, answering=True
    )
    question = row.game_question.question
    if choices is None:
        choices = list(Choice.objects.filter(question=question))
    credit = question.grade(choices, response)
    elapsed = (now - row.sent_at).total_seconds()
    with transaction.atomic():
        # First the game's row, only while this question is open: the lock it takes
        # holds off a close (and the game's other answers) until this one is stored.
        counted = Game.objects.filter(
            pk=game.pk, phase=Game.Phase.QUESTION, position=position, deadline__gt=now
        ).update(answered=F("answered") + 1)
        if not counted:
            raise AnswersClosed
        current = Player.objects.select_for_update().get(pk=player.pk)
        points, streak = live_scoring.answer_points(
            credit=credit, elapsed=elapsed, limit=game.seconds, streak=current.streak
        )
        stored = LiveAnswer.objects.filter(pk=row.pk, answered_at__isnull=True).update(
            response=response, credit=credit, points=points, answered_at=now
        )
        if not stored:
            raise AnswersClosed  # answered already: the count above is rolled back
        Player.objects.filter(pk=player.pk).update(points=F("points") + points, streak=streak)
    player.points, player.streak = current.points + points, streak
    row.response, row.credit, row.points, row.answered_at = response, credit, points, now
    if not _close_if_all_answered(game, row.game_question, now):
        live_push.publish(game.pk, None)  # the projector's count of answers moved
    return row


def _close_if_all_answered(game: Game, current: GameQuestion, now: datetime) -> bool:
    """Close the question if everyone still playing has answered it; True if closed."""
    answered = LiveAnswer.objects.filter(game_question=current, answered_at__isnull=False)
    waiting = (
        Player.objects.filter(game=game, removed=False)
        .exclude(pk__in=answered.values("player_id"))
        .exists()
    )
    if waiting:
        return False
    game.refresh_from_db()
    if game.phase == Game.Phase.QUESTION and game.position == current.position:
        try:
            with transaction.atomic():
                _close(game, now)
        except GameStale:
            pass
    return True
