"""The live game's workflows: scoring, joining and rejoining, the host's controls,
one answer per player per question, the server's deadline, cards from mistakes."""

import datetime as dt
import random
import threading

import pytest
from django.db import connection
from django.utils import timezone

from learning import live_scoring, services
from learning.models import CardState, Choice, Game, LiveAnswer, Player
from learning.selectors import live as selectors
from learning.services import live

T0 = dt.datetime(2026, 5, 13, 9, 0, tzinfo=dt.UTC)


def at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


@pytest.fixture
def game(tess, quiz):
    return live.game_create(host=tess, quiz=quiz, seconds=20, rng=random.Random(1))


def start(game: Game, now: dt.datetime = T0) -> None:
    """The host presses Start (after players joined, which moved the version)."""
    game.refresh_from_db()
    live.game_control(game=game, action="next", version=game.version, now=now)


def right_response(game: Game) -> dict:
    current = selectors.current_question(game)
    question = current.question
    from learning import scoring

    return scoring.key_response(question.kind, [c.as_option() for c in current.choices])


def wrong_single(game: Game) -> dict:
    current = selectors.current_question(game)
    return {"choice": next(c.id for c in current.choices if c.credit <= 0)}


def test_points_fall_from_a_thousand_to_half_over_the_countdown():
    assert live_scoring.speed_points(1, 0, 20) == 1000
    assert live_scoring.speed_points(1, 10, 20) == 750
    assert live_scoring.speed_points(1, 20, 20) == 500
    assert live_scoring.speed_points(1, 99, 20) == 500
    assert live_scoring.speed_points(0.5, 0, 20) == 500
    assert live_scoring.speed_points(0, 0, 20) == 0


def test_a_streak_adds_a_hundred_per_answer_after_the_first_up_to_five_hundred():
    assert live_scoring.answer_points(credit=1, elapsed=0, limit=20, streak=0) == (1000, 1)
    assert live_scoring.answer_points(credit=1, elapsed=0, limit=20, streak=1) == (1100, 2)
    assert live_scoring.answer_points(credit=1, elapsed=0, limit=20, streak=9) == (1500, 10)
    assert live_scoring.answer_points(credit=0.5, elapsed=0, limit=20, streak=4) == (500, 0)


def test_a_game_freezes_its_questions_and_pin(game, quiz):
    assert game.phase == Game.Phase.LOBBY
    assert len(game.pin) == 6 and game.pin.isdigit()
    assert game.questions.count() == 6
    assert game.title == quiz.title


def test_a_game_from_a_bank_takes_n_published_questions(tess, bank, six_kinds):
    game = live.game_create(host=tess, bank=bank, count=3)
    assert game.questions.count() == 3


def test_a_bank_without_published_questions_is_refused(tess, bank):
    with pytest.raises(services.NoQuestions):
        live.game_create(host=tess, bank=bank, count=3)


def test_nicknames_are_unique_in_a_game(game):
    live.player_join(game=game, nickname="Ada")
    with pytest.raises(services.NicknameTaken):
        live.player_join(game=game, nickname=" Ada ")
    with pytest.raises(services.NicknameInvalid):
        live.player_join(game=game, nickname="   ")


def test_a_signed_in_student_joins_once_as_themselves(game, alice):
    first = live.player_join(game=game, nickname="Alice", user=alice)
    again = live.player_join(game=game, nickname="Other", user=alice)
    assert first.pk == again.pk
    assert Player.objects.filter(game=game).count() == 1


def test_the_token_rejoins_the_same_player_with_their_points(game):
    player = live.player_join(game=game, nickname="Ada")
    start(game)
    live.question_sent(game=game, player=player, now=at(0))
    live.answer_submit(
        game=game, player=player, position=1, response=right_response(game), now=at(0)
    )
    back = live.player_for_token(game_id=game.pk, token=player.token)
    assert back.pk == player.pk and back.points == 1000
    assert live.player_for_token(game_id=game.pk, token="forged") is None


def test_a_removed_player_cannot_come_back_by_token(game):
    player = live.player_join(game=game, nickname="Troll")
    live.player_remove(game=game, player_id=player.pk)
    assert live.player_for_token(game_id=game.pk, token=player.token) is None


def test_time_is_measured_from_when_this_phone_was_sent_the_question(game):
    fast = live.player_join(game=game, nickname="Fast phone")
    slow = live.player_join(game=game, nickname="Slow phone")
    start(game)
    live.question_sent(game=game, player=fast, now=at(0))
    live.question_sent(game=game, player=slow, now=at(4))
    response = right_response(game)
    live.answer_submit(game=game, player=fast, position=1, response=response, now=at(4))
    live.answer_submit(game=game, player=slow, position=1, response=response, now=at(8))
    fast.refresh_from_db()
    slow.refresh_from_db()
    assert fast.points == slow.points == 900


def test_a_stream_s_sent_moments_time_the_class_and_a_phone_ahead_of_them_the_opening(game):
    """The event stream stores when it sent each phone the question (after the
    events go out); a phone that answers before that row is there is timed from
    the question's opening, never from its own answer, and a page loaded later
    (a reload) does not restart a player's clock."""
    ada = live.player_join(game=game, nickname="Ada")
    bea = live.player_join(game=game, nickname="Bea")
    cy = live.player_join(game=game, nickname="Cy")
    start(game, now=at(0))
    response = right_response(game)
    live.answer_submit(game=game, player=cy, position=1, response=response, now=at(4))
    live.questions_sent(sent=[(game.pk, 1, {ada.pk, bea.pk, cy.pk}, at(1))])
    live.question_sent(game=game, player=bea, now=at(6))  # her page, reloaded
    live.answer_submit(game=game, player=ada, position=1, response=response, now=at(5))
    live.answer_submit(game=game, player=bea, position=1, response=response, now=at(5))
    sent = dict(LiveAnswer.objects.values_list("player__nickname", "sent_at"))
    assert sent == {"Ada": at(1), "Bea": at(1), "Cy": at(0)}
    points = dict(Player.objects.values_list("nickname", "points"))
    assert points["Ada"] == points["Bea"] == points["Cy"] == 900


def test_the_moments_sent_in_several_games_are_stored_in_one_read_and_one_insert(
    game, tess, quiz, django_assert_num_queries
):
    """The event streams store a whole school's opening at once: each player's row
    in their own game's question, none for a position the game does not have, and
    a moment already stored is kept."""
    other = live.game_create(host=tess, quiz=quiz)
    ada = live.player_join(game=game, nickname="Ada")
    bea = live.player_join(game=other, nickname="Bea")
    cy = live.player_join(game=other, nickname="Cy")
    start(game, now=at(0))
    start(other, now=at(0))
    live.question_sent(game=other, player=cy, now=at(1))
    sent = [(game.pk, 1, {ada.pk}, at(2)), (other.pk, 1, {bea.pk, cy.pk}, at(3))]
    with django_assert_num_queries(2):
        live.questions_sent(
            sent=[*sent, (game.pk, 9, {ada.pk}, at(2)), (other.pk, 2, set(), at(3))]
        )
    rows = LiveAnswer.objects.values_list("player__nickname", "game_question__game", "sent_at")
    assert sorted(rows) == [
        ("Ada", game.pk, at(2)),
        ("Bea", other.pk, at(3)),
        ("Cy", other.pk, at(1)),
    ]


def test_a_phone_that_asks_late_is_timed_from_five_seconds_after_the_opening_at_most(game):
    """Waiting to ask for the question (or reading the projector first) gains at
    most `SENT_GRACE`: a slow phone within it is not penalised."""
    slow = live.player_join(game=game, nickname="Slow phone")
    late = live.player_join(game=game, nickname="Late phone")
    start(game, now=at(0))
    assert live.question_sent(game=game, player=slow, now=at(3)).sent_at == at(3)
    assert live.question_sent(game=game, player=late, now=at(12)).sent_at == at(5)


def test_a_second_answer_is_refused_and_the_first_stands(game):
    player = live.player_join(game=game, nickname="Ada")
    live.player_join(game=game, nickname="Bea")
    start(game)
    live.answer_submit(game=game, player=player, position=1, response=wrong_single(game), now=at(1))
    with pytest.raises(services.AnswersClosed):
        live.answer_submit(
            game=game, player=player, position=1, response=right_response(game), now=at(2)
        )
    answer = LiveAnswer.objects.get(player=player)
    assert answer.credit == 0 and answer.points == 0


def test_answers_after_the_deadline_are_refused_and_close_the_question(game):
    player = live.player_join(game=game, nickname="Ada")
    start(game)
    with pytest.raises(services.AnswersClosed):
        live.answer_submit(
            game=game, player=player, position=1, response=right_response(game), now=at(21)
        )
    game.refresh_from_db()
    assert game.phase == Game.Phase.REVEAL
    assert not LiveAnswer.objects.filter(answered_at__isnull=False).exists()


def test_an_answer_to_another_question_is_refused(game):
    player = live.player_join(game=game, nickname="Ada")
    start(game)
    with pytest.raises(services.AnswersClosed):
        live.answer_submit(game=game, player=player, position=2, response={}, now=at(1))


def test_the_question_closes_when_everyone_has_answered(game):
    ada = live.player_join(game=game, nickname="Ada")
    bea = live.player_join(game=game, nickname="Bea")
    start(game)
    live.answer_submit(game=game, player=ada, position=1, response=wrong_single(game), now=at(1))
    game.refresh_from_db()
    assert game.phase == Game.Phase.QUESTION
    live.answer_submit(game=game, player=bea, position=1, response=wrong_single(game), now=at(2))
    game.refresh_from_db()
    assert game.phase == Game.Phase.REVEAL


def test_answers_to_earlier_questions_do_not_count_as_answering_this_one(game):
    ada = live.player_join(game=game, nickname="Ada")
    bea = live.player_join(game=game, nickname="Bea")
    start(game)
    for player in (ada, bea):
        live.answer_submit(
            game=game, player=player, position=1, response=wrong_single(game), now=at(1)
        )
    game.refresh_from_db()
    live.game_control(game=game, action="next", version=game.version, now=at(2))
    live.question_sent(game=game, player=bea, now=at(2))
    live.answer_submit(game=game, player=ada, position=2, response={}, now=at(3))
    game.refresh_from_db()
    assert game.phase == Game.Phase.QUESTION  # Bea has not answered question 2


def test_a_stale_click_of_next_moves_the_game_once(game):
    seen = game.version
    live.game_control(game=game, action="next", version=seen, now=at(0))
    with pytest.raises(services.GameStale):
        live.game_control(game=Game.objects.get(pk=game.pk), action="next", version=seen)
    game.refresh_from_db()
    assert game.position == 1 and game.phase == Game.Phase.QUESTION


def test_start_pressed_as_a_player_joins_still_starts_and_a_second_press_does_not(game):
    """The projector showed the lobby at `seen`; a phone joined before the press
    arrived (a newer version, not a move): Start starts. The same press again (a
    double click, the host's second device) is stale: it was pressed before that move."""
    live.player_join(game=game, nickname="Ada")
    seen = game.version
    live.player_join(game=game, nickname="Late")
    stale_copy = Game.objects.get(pk=game.pk)
    live.game_control(game=Game.objects.get(pk=game.pk), action="next", version=seen, now=at(0))
    game.refresh_from_db()
    assert game.phase == Game.Phase.QUESTION and game.position == 1
    with pytest.raises(services.GameStale):
        live.game_control(game=stale_copy, action="next", version=seen, now=at(1))
    game.refresh_from_db()
    assert game.phase == Game.Phase.QUESTION and game.position == 1


def test_a_press_from_before_the_clock_closed_the_question_moves_nothing(game):
    """The projector showed question 1 open; its time ran out (a move) before the
    host's "next" arrived: that press would skip the answer, and is stale."""
    live.player_join(game=game, nickname="Ada")
    start(game)
    seen = game.version
    assert live.game_close_if_due(game=game, now=at(game.seconds + 1))
    with pytest.raises(services.GameStale):
        live.game_control(game=game, action="next", version=seen, now=at(game.seconds + 2))
    game.refresh_from_db()
    assert game.phase == Game.Phase.REVEAL and game.position == 1


def test_pause_stops_the_clock_and_resume_gives_back_what_was_left(game):
    start(game)
    live.game_control(game=game, action="pause", version=game.version, now=at(5))
    assert not game.is_due(at(60))
    assert game.seconds_left(at(60)) == 15
    live.game_control(game=game, action="resume", version=game.version, now=at(60))
    assert game.deadline == at(75)


def test_next_walks_every_question_then_the_podium(game):
    for _ in range(6):
        live.game_control(game=game, action="next", version=game.version, now=at(0))
        assert game.phase == Game.Phase.QUESTION
        live.game_control(game=game, action="next", version=game.version, now=at(1))
        assert game.phase == Game.Phase.REVEAL
    live.game_control(game=game, action="next", version=game.version, now=at(2))
    assert game.phase == Game.Phase.FINISHED
    with pytest.raises(services.GameOver):
        live.game_control(game=game, action="next", version=game.version)


def test_the_key_is_in_no_view_before_the_question_closes(game):
    player = live.player_join(game=game, nickname="Ada")
    start(game)
    view = selectors.player_view(game, player, None, at(1))
    assert view["current"].key_lines == []
    assert all(not tile.right and tile.count == 0 for tile in view["current"].tiles)
    live.game_control(game=game, action="skip", version=game.version, now=at(2))
    view = selectors.player_view(game, player, None, at(3))
    assert view["current"].key_lines


def test_signed_in_players_get_their_misses_as_due_cards(game, alice):
    """Alice's unanswered second question (Bea answered it) becomes a card; the third,
    closed before anyone answered, was skipped: no card, not counted."""
    player = live.player_join(game=game, nickname="Alice", user=alice)
    bea = live.player_join(game=game, nickname="Bea")
    start(game)
    for who in (player, bea):
        live.answer_submit(
            game=game, player=who, position=1, response=right_response(game), now=at(1)
        )
    game.refresh_from_db()
    live.game_control(game=game, action="next", version=game.version, now=at(3))
    live.question_sent(game=game, player=bea, now=at(3))
    live.answer_submit(game=game, player=bea, position=2, response=wrong_single(game), now=at(4))
    for action in ("skip", "next", "skip", "end"):
        game.refresh_from_db()
        live.game_control(game=game, action=action, version=game.version, now=at(5))
    first, second, third = (game.questions.get(position=n).question_id for n in (1, 2, 3))
    cards = set(CardState.objects.filter(user=alice).values_list("question_id", flat=True))
    assert cards == {second}
    assert first not in cards and third not in cards
    summary = selectors.player_summary(game, player)
    assert (summary.right, summary.asked) == (1, 2)
    assert [(s.question.pk, s.answered) for s in summary.study] == [(second, False)]


def test_teams_are_dealt_evenly_and_score_the_mean(tess, quiz):
    game = live.game_create(host=tess, quiz=quiz, teams=2)
    players = [live.player_join(game=game, nickname=f"P{i}") for i in range(4)]
    teams = [p.team for p in players]
    assert sorted(teams) == [1, 1, 2, 2]
    Player.objects.filter(pk=players[0].pk).update(points=1000)
    board = selectors.team_board(game)
    top = next(row for row in board if row.name == f"Team {players[0].team}")
    assert top.points == 500 and top.rank == 1


@pytest.mark.django_db(transaction=True)
def test_racing_taps_store_one_answer(alice, quiz):
    """Run against PostgreSQL (`make test-postgres`): SQLite's shared in-memory test
    database locks whole tables between threads, which a real file database does not."""
    if connection.vendor == "sqlite":
        pytest.skip("threads racing need a database server (make test-postgres)")
    game = live.game_create(host=alice, quiz=quiz, rng=random.Random(1))
    player = live.player_join(game=game, nickname="Ada")
    live.player_join(game=game, nickname="Bea")
    start(game, now=timezone.now())
    response = right_response(game)
    errors = []

    def tap():
        try:
            live.answer_submit(
                game=Game.objects.get(pk=game.pk), player=player, position=1, response=response
            )
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=tap) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert LiveAnswer.objects.filter(player=player, answered_at__isnull=False).count() == 1
    assert len(errors) == 3, errors
    assert all(isinstance(error, services.AnswersClosed) for error in errors), errors
    player.refresh_from_db()
    assert player.points == LiveAnswer.objects.get(player=player).points
    assert Choice.objects.exists()
