"""Teacher-set teams: the host moves players between the game's teams in the lobby
with a plain form; nobody else can; a team scores the mean of its members."""

import random

import pytest
from django.test import Client
from django.urls import reverse

from learning.models import Game, Player
from learning.selectors import live as selectors
from learning.services import live


@pytest.fixture
def host(tess):
    browser = Client()
    browser.force_login(tess)
    return browser


@pytest.fixture
def game(tess, quiz):
    return live.game_create(host=tess, quiz=quiz, teams=2, rng=random.Random(3))


def move(client, game, player, team):
    url = reverse("learning:live_team", args=[game.pk])
    return client.post(url, {"player": player.pk, "team": team})


def test_the_lobby_has_a_team_form_for_each_player_and_the_host_moves_them(host, game):
    ada, bea, cy, dan = (
        live.player_join(game=game, nickname=n) for n in ["Ada", "Bea", "Cy", "Dan"]
    )
    page = host.get(reverse("learning:live_host", args=[game.pk])).content.decode()
    assert page.count('name="team"') == 4
    assert f'for="team-{ada.pk}" class="visually-hidden">Team of Ada</label>' in page
    for player in (ada, bea):
        response = move(host, game, player, 1)
        assert response.status_code == 302
    for player in (cy, dan):
        assert move(host, game, player, 2).status_code == 302
    teams = dict(Player.objects.filter(game=game).values_list("nickname", "team"))
    assert teams == {"Ada": 1, "Bea": 1, "Cy": 2, "Dan": 2}
    page = host.get(reverse("learning:live_host", args=[game.pk])).content.decode()
    assert f'<select id="team-{ada.pk}"' in page
    assert '<option value="1" selected>Team 1</option>' in page
    # The team's score stays the mean of its members' points.
    Player.objects.filter(pk=ada.pk).update(points=900)
    Player.objects.filter(pk=bea.pk).update(points=300)
    Player.objects.filter(pk=cy.pk).update(points=500)
    board = {row.name: row.points for row in selectors.team_board(game)}
    assert board == {"Team 1": 600, "Team 2": 250}


def test_a_team_outside_the_game_or_bad_input_is_refused_with_400(host, game):
    ada = live.player_join(game=game, nickname="Ada")
    before = Player.objects.get(pk=ada.pk).team
    for team in (0, 3, "x"):
        response = move(host, game, ada, team)
        assert response.status_code == 400
        assert response.content.decode() == "Choose one of this game's teams."
    assert Player.objects.get(pk=ada.pk).team == before


def test_a_game_without_teams_shows_no_team_form(host, tess, quiz):
    solo = live.game_create(host=tess, quiz=quiz, teams=0)
    ada = live.player_join(game=solo, nickname="Ada")
    page = host.get(reverse("learning:live_host", args=[solo.pk])).content.decode()
    assert 'name="team"' not in page
    assert move(host, solo, ada, 1).status_code == 400


def test_teams_are_fixed_once_the_game_starts(host, game):
    ada = live.player_join(game=game, nickname="Ada")
    before = ada.team
    game.refresh_from_db()
    live.game_control(game=game, action="next", version=game.version)
    response = move(host, game, ada, 2 if before == 1 else 1)
    assert response.status_code == 302  # the projector shows the game where it is
    assert Player.objects.get(pk=ada.pk).team == before
    game.refresh_from_db()
    assert game.phase == Game.Phase.QUESTION


def test_only_the_host_can_move_players(game, client, tom, alice):
    ada = live.player_join(game=game, nickname="Ada")
    before = ada.team
    target = 2 if before == 1 else 1
    phone = Client()
    phone.post(reverse("learning:live_join"), {"pin": game.pin, "nickname": "Bea"})
    assert move(phone, game, ada, target).status_code == 302  # to the log-in page
    client.force_login(tom)
    assert move(client, game, ada, target).status_code == 404
    client.force_login(alice)  # a student: the game is not hers either
    assert move(client, game, ada, target).status_code == 404
    assert client.get(reverse("learning:live_team", args=[game.pk])).status_code == 404
    assert Player.objects.get(pk=ada.pk).team == before


def test_the_lobby_groups_players_under_their_teams_heading_and_each_move_names_its_player(
    host, game
):
    ada, bea, cy = (live.player_join(game=game, nickname=n) for n in ["Ada", "Bea", "Cy"])
    for player, team in ((ada, 1), (bea, 2), (cy, 2)):
        move(host, game, player, team)
    page = host.get(reverse("learning:live_host", args=[game.pk])).content.decode()
    one, two = page.index(">Team 1 <span"), page.index(">Team 2 <span")
    assert one < page.index(">Ada</span>") < two < page.index(">Bea</span>")
    assert two < page.index(">Cy</span>")
    assert 'Team 1 <span class="live-team-size">· 1 player</span>' in page
    assert 'Team 2 <span class="live-team-size">· 2 players</span>' in page
    for name in ("Ada", "Bea", "Cy"):
        assert f'Move <span class="visually-hidden">{name}</span></button>' in page
    host.cookies["django_language"] = "fr"
    page = host.get(reverse("learning:live_host", args=[game.pk]), HTTP_ACCEPT_LANGUAGE="fr")
    assert 'Déplacer <span class="visually-hidden">Ada</span>' in page.content.decode()
