"""A finished live game of a quiz reaches the gradebook of the host's classes: one
result per signed-in player, apart from the quiz's attempts and grades."""

import csv
import io
import random

import pytest
from django.urls import reverse

from learning import services
from learning.models import Attempt, LiveResult
from learning.services import live, live_results

from .test_live import T0, at, right_response, start


@pytest.fixture
def classroom(tess, alice, bob):
    classroom = services.classroom_create(teacher=tess, name="9B")
    alice.first_name, alice.last_name = "Alice", "Zhou"
    alice.save()
    for student in (alice, bob):
        services.classroom_join(student=student, code=classroom.join_code)
    return classroom


def end(game, now):
    game.refresh_from_db()
    live.game_control(game=game, action="end", version=game.version, now=now)


def answer(game, player, now):
    game.refresh_from_db()
    live.answer_submit(
        game=game, player=player, position=game.position, response=right_response(game), now=now
    )


def play_two_questions(tess, quiz, alice):
    """Alice (signed in) and a nickname play two questions: both get the first
    right; on the second only the nickname answers; then the host ends the game."""
    game = live.game_create(host=tess, quiz=quiz, seconds=20, rng=random.Random(1))
    ada = live.player_join(game=game, nickname="Ada", user=alice)
    guest = live.player_join(game=game, nickname="Guest")
    start(game)
    answer(game, ada, at(1))
    answer(game, guest, at(2))  # everyone answered: the question closes
    game.refresh_from_db()
    live.game_control(game=game, action="next", version=game.version, now=at(10))
    answer(game, guest, at(11))
    end(game, at(30))
    return game


def test_a_students_game_reaches_the_gradebook_and_a_nickname_changes_nothing(
    tess, tess_client, alice, quiz, classroom
):
    game = play_two_questions(tess, quiz, alice)
    result = LiveResult.objects.get()
    assert (result.user, result.game, result.quiz) == (alice, game, quiz)
    assert (result.asked, result.credit, result.percent) == (2, 1.0, 50.0)
    assert Attempt.objects.count() == 0  # not an attempt: the quiz's attempts stay whole
    html = tess_client.get(reverse("learning:classroom_gradebook", args=[classroom.pk]))
    html = html.content.decode()
    assert "Live games" in html and "1 game · 50% right" in html
    assert html.count("None played") == 1  # Bob did not play
    body = tess_client.get(reverse("learning:classroom_gradebook_csv", args=[classroom.pk]))
    rows = list(csv.reader(io.StringIO(body.content.decode().removeprefix("\ufeff"))))
    assert rows[0][-2:] == ["Live games played", "Live games: percent right"]
    alice_row = next(row for row in rows if row[1] == "alice")
    assert alice_row[-2:] == ["1", "50.0"]


def test_ending_twice_records_once(tess, alice, quiz):
    game = play_two_questions(tess, quiz, alice)
    with pytest.raises(services.Refused):
        end(game, at(40))
    live_results.record(game, at(50))
    assert LiveResult.objects.count() == 1
    assert LiveResult.objects.get().finished_at == at(30)


def test_a_game_ended_in_the_lobby_or_from_a_bank_records_nothing(tess, alice, quiz, bank):
    lobby = live.game_create(host=tess, quiz=quiz)
    live.player_join(game=lobby, nickname="Ada", user=alice)
    end(lobby, T0)
    from_bank = live.game_create(host=tess, bank=bank, count=2)
    live.player_join(game=from_bank, nickname="Ada", user=alice)
    start(from_bank)
    end(from_bank, at(5))
    assert not LiveResult.objects.exists()


def test_another_teachers_class_does_not_show_the_game(tom, client, alice, quiz, tess):
    client.force_login(tom)
    other = services.classroom_create(teacher=tom, name="Tom's")
    services.classroom_join(student=alice, code=other.join_code)
    play_two_questions(tess, quiz, alice)
    html = client.get(reverse("learning:classroom_gradebook", args=[other.pk]))
    assert "None played" in html.content.decode()
