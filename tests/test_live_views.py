"""The live game's pages: who may host, join, rejoin after a reload, answer without
JavaScript, and what a phone is never shown before answers close."""

import html
import json
import random
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from learning import scoring
from learning.models import Game, GameQuestion, LiveAnswer, Passage, Player
from learning.selectors import live as selectors
from learning.services import live
from learning.views.live import pushed_views


@pytest.fixture
def host(tess):
    """The teacher's own browser, apart from the phones' `client`."""
    browser = Client()
    browser.force_login(tess)
    return browser


@pytest.fixture
def game(tess, quiz):
    return live.game_create(host=tess, quiz=quiz, seconds=30, rng=random.Random(2))


def host_url(game, name="live_host"):
    return reverse(f"learning:{name}", args=[game.pk])


def join(client, game, nickname="Ada"):
    return client.post(reverse("learning:live_join"), {"pin": game.pin, "nickname": nickname})


def control(client, game, action, **extra):
    game.refresh_from_db()
    data = {"action": action, "version": game.version, **extra}
    return client.post(host_url(game, "live_control"), data)


def test_a_teacher_starts_a_game_from_a_quiz(host, quiz):
    page = host.get(reverse("learning:live_new") + f"?quiz={quiz.slug}")
    assert page.status_code == 200
    response = host.post(
        reverse("learning:live_new"), {"quiz": quiz.slug, "seconds": 20, "teams": 0}
    )
    game = Game.objects.get()
    assert response.status_code == 302 and response.url == host_url(game)
    lobby = host.get(response.url)
    assert game.pin in lobby.content.decode()
    qr = host.get(host_url(game, "live_qr"))
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content


def test_a_countdown_outside_10_to_120_seconds_is_refused(host, quiz):
    response = host.post(reverse("learning:live_new"), {"quiz": quiz.slug, "seconds": 5})
    assert response.status_code == 400 and not Game.objects.exists()


def test_students_and_visitors_cannot_start_a_game(alice_client, quiz):
    assert alice_client.get(reverse("learning:live_new")).status_code == 403
    assert Client().get(reverse("learning:live_new")).status_code == 302


@pytest.mark.parametrize("name", ["live_host", "live_qr", "live_report"])
def test_only_the_host_sees_the_projector_and_report(game, client, tom, alice, name):
    client.force_login(tom)
    assert client.get(host_url(game, name)).status_code == 404
    client.force_login(alice)
    assert client.get(host_url(game, name)).status_code == 403


def test_a_player_cannot_use_the_host_controls(game, client, tom):
    join(client, game)
    assert control(client, game, "next").status_code == 302  # to the log-in page
    client.force_login(tom)
    assert control(client, game, "next").status_code == 404
    game.refresh_from_db()
    assert game.phase == Game.Phase.LOBBY


def test_join_play_and_rejoin_after_a_reload_with_the_same_points(game, client, host):
    response = join(client, game)
    join(Client(), game, "Bea")
    assert response.status_code == 302 and response.url == host_url(game, "live_play")
    assert "You are in" in client.get(response.url).content.decode()
    control(host, game, "next")
    page = client.get(response.url).content.decode()
    current = selectors.current_question(Game.objects.get(pk=game.pk))
    assert current.question.prompt in page
    answer = client.post(response.url, {"position": 1, **answer_data(current)})
    assert answer.status_code == 302
    assert "Answer received" in client.get(response.url).content.decode()
    # A reload keeps the player: the cookie, not the nickname, names them.
    player = Player.objects.get(nickname="Ada")
    assert client.get(response.url).status_code == 200
    assert Player.objects.count() == 2
    assert player.points > 0
    # Joining again from the same phone with the same nickname is refused, never a second Ada.
    assert join(client, game).status_code == 400


def answer_data(current) -> dict:
    if current.uses_tiles:
        right = next(i for i, c in enumerate(current.choices) if c.credit > 0)
        return {"answer": str(right)}
    return {"answer": "0"}


def answer_the_first_question(client, host, game):
    """One phone joins and answers the first question rightly; its question back."""
    join(client, game)
    control(host, game, "next")
    game.refresh_from_db()
    current = selectors.current_question(game)
    client.post(host_url(game, "live_play"), {"position": 1, **answer_data(current)})
    return current


def test_a_phone_without_the_cookie_is_sent_to_join(game, client):
    response = client.get(host_url(game, "live_play"))
    assert response.status_code == 302 and game.pin in response.url


def test_a_forged_cookie_is_not_a_player(game, client):
    join(client, game)
    client.cookies[f"live_{game.pk}"] = Player.objects.get().token  # unsigned
    assert client.get(host_url(game, "live_play")).status_code == 302


def test_a_wrong_pin_and_a_taken_nickname_are_told(game, client):
    response = client.post(reverse("learning:live_join"), {"pin": "000000", "nickname": "A"})
    assert response.status_code == 400 and "no game with this PIN" in response.content.decode()
    join(client, game, "Ada")
    other = join(client.__class__(), game, "Ada")
    assert other.status_code == 400 and "already has this nickname" in other.content.decode()


def test_a_pin_typed_in_groups_joins_and_five_digits_are_refused(game, client):
    spaced = f"{game.pin[:3]} {game.pin[3:]}"
    response = client.post(reverse("learning:live_join"), {"pin": spaced, "nickname": "Ada"})
    assert response.status_code == 302 and Player.objects.filter(nickname="Ada").exists()
    short = Client().post(reverse("learning:live_join"), {"pin": "12 345", "nickname": "Bo"})
    assert short.status_code == 400 and "six digits" in short.content.decode()


def test_the_new_game_form_says_what_is_missing(host, quiz, bank):
    neither = host.post(reverse("learning:live_new"), {"seconds": 20, "teams": 0})
    assert neither.status_code == 400 and "Choose a quiz or a bank." in neither.content.decode()
    both = host.post(
        reverse("learning:live_new"),
        {"quiz": quiz.slug, "bank": bank.pk, "seconds": 20, "teams": 0},
    )
    assert both.status_code == 400 and "not both" in both.content.decode()
    made = host.post(
        reverse("learning:live_new"), {"bank": bank.pk, "count": 99, "seconds": 30, "teams": 0}
    )
    game = Game.objects.get()
    lobby = host.get(made.url).content.decode()
    assert f"{game.size} questions, 30 s each" in lobby and game.size < 99


def test_the_phone_gets_no_key_before_answers_close(game, client, host):
    join(client, game)
    control(host, game, "next")
    game.refresh_from_db()
    current = selectors.current_question(game)
    page = client.get(host_url(game, "live_play")).content.decode()
    panel = client.get(host_url(game, "live_play"), headers={"X-Live-Panel": "1"})
    for text in (page, panel.content.decode()):
        assert "The answer" not in text and current.question.explanation not in text
        assert "is-right" not in text
    control(host, game, "skip")
    after = client.get(host_url(game, "live_play")).content.decode()
    assert "The answer" in after and current.question.explanation not in page


def test_a_second_post_is_refused_with_a_message_and_the_first_stands(game, client, host):
    join(client, game)
    join(client.__class__(), game, "Bea")
    control(host, game, "next")
    game.refresh_from_db()
    current = selectors.current_question(game)
    client.post(host_url(game, "live_play"), {"position": 1, "answer": "0"})
    again = client.post(host_url(game, "live_play"), {"position": 1, "answer": "1"})
    assert again.status_code == 409 and "closed" in again.content.decode()
    stored = LiveAnswer.objects.get(answered_at__isnull=False)
    assert stored.response == {"choice": current.choices[0].id}


def test_a_phone_s_points_do_not_tell_its_answer_before_answers_close(game, client, host):
    join(client, game)
    join(Client(), game, "Bea")
    control(host, game, "next")
    game.refresh_from_db()
    current = selectors.current_question(game)
    answered = client.post(
        host_url(game, "live_play"),
        {"position": 1, **answer_data(current)},
        headers={"X-Live-Panel": "1"},
    ).content.decode()
    ada = Player.objects.get(nickname="Ada")
    assert ada.points > 0 and "Answer received" in answered
    for text in (answered, client.get(host_url(game, "live_play")).content.decode()):
        assert "0 points" in text and f"{ada.points} points" not in text
    control(host, game, "skip")
    assert f"{ada.points} points" in client.get(host_url(game, "live_play")).content.decode()


def test_a_paused_question_waits_on_the_phone_instead_of_refusing_a_tap(game, client, host):
    join(client, game)
    control(host, game, "next")
    control(host, game, "pause")
    page = client.get(host_url(game, "live_play")).content.decode()
    assert "paused the game" in page and "live-tile" not in page
    control(host, game, "resume")
    assert "live-tile" in client.get(host_url(game, "live_play")).content.decode()


def test_an_answer_for_a_question_gone_by_is_refused(game, client, host):
    join(client, game)
    control(host, game, "next")
    response = client.post(host_url(game, "live_play"), {"position": 2, "answer": "0"})
    assert response.status_code == 409
    assert not LiveAnswer.objects.filter(answered_at__isnull=False).exists()


def test_a_reloaded_form_of_an_earlier_question_shows_the_game_as_it_is_now(game, client, host):
    """Without the script, reloading the page an answer returned sends that form again:
    once the next question is open, the phone is shown it, not "answers are closed".
    A late first answer to a question gone by is still told it was too late."""
    late = Client()
    join(late, game, "Late")
    answer_the_first_question(client, host, game)
    data = {"position": 1, **answer_data(selectors.current_question(game))}
    control(host, game, "skip")
    control(host, game, "next")
    response = client.post(host_url(game, "live_play"), data)
    assert response.status_code == 302 and response.url == host_url(game, "live_play")
    page = client.get(response.url).content.decode()
    assert "closed" not in page and "Question 2 of" in page
    assert late.post(host_url(game, "live_play"), data).status_code == 409
    assert late.post(host_url(game, "live_play"), {"position": "²"}).status_code == 409
    assert LiveAnswer.objects.filter(answered_at__isnull=False).count() == 1


def test_bad_input_gets_a_4xx(game, client, host):
    join(client, game)
    control(host, game, "next")
    assert client.post(host_url(game, "live_play"), {"position": 1}).status_code == 400
    assert host.post(host_url(game, "live_control"), {"action": "x"}).status_code == 400
    bad = host.post(host_url(game, "live_control"), {"action": "next", "version": "z"})
    assert bad.status_code == 400


def test_the_host_removes_a_nickname(game, client, host):
    join(client, game, "Rude name")
    player = Player.objects.get()
    control(host, game, "remove", player=player.pk)
    assert "Rude name" not in host.get(host_url(game)).content.decode()
    assert client.get(host_url(game, "live_play")).status_code == 302


def test_the_projector_shows_the_quote_distribution_and_leaders_then_podium(game, client, host):
    current = answer_the_first_question(client, host, game)
    page = host.get(host_url(game)).content.decode()
    assert "Lavrov of Russia" in page  # the cited paragraph
    assert "Leaderboard" in page and "Ada" in page
    assert "1 answer" in page
    control(host, game, "end")
    podium = host.get(host_url(game)).content.decode()
    assert "Podium" in podium
    assert "1 of 1 right" in client.get(host_url(game, "live_play")).content.decode()
    report = host.get(host_url(game, "live_report") + "?format=csv")
    assert report["Content-Type"].startswith("text/csv")
    assert current.question.prompt in report.content.decode()


def test_the_podium_names_each_player_once_and_shows_the_next_seven(game, host):
    """The podium's three stand on their steps; places 4 to 10 follow, each once (the
    podium used to repeat the whole leaderboard under itself)."""
    for n in range(12):
        join(Client(), game, f"Player{n:02}")
    Player.objects.filter(game=game).update(points=0)
    for n, player in enumerate(Player.objects.filter(game=game).order_by("nickname")):
        Player.objects.filter(pk=player.pk).update(points=1000 - n * 10)
    control(host, game, "end")
    page = host.get(host_url(game)).content.decode()
    podium, rest = page.split('class="live-podium"')[1].split("The next places")
    assert [podium.count(f"Player{n:02}") for n in range(3)] == [1, 1, 1]
    assert [rest.count(f"Player{n:02}") for n in range(3, 12)] == [1] * 7 + [0, 0]
    assert all(page.count(f"Player{n:02}") == 1 for n in range(10))


def test_a_matching_question_lists_its_partners_whole_on_the_phone_and_projector(
    game, client, host
):
    """A phone's select cuts a long partner short at 390 px: the partners are listed
    whole, lettered, and each option starts with its letter."""
    join(client, game)
    while True:
        control(host, game, "next")
        game.refresh_from_db()
        current = selectors.current_question(game)
        if current.question.kind == "matching":
            break
        control(host, game, "skip")
    phone = client.get(host_url(game, "live_play")).content.decode()
    partners = [o.match for o in current.options]
    listed = phone.split('class="live-partners"')[1].split("</ol>")[0]
    assert re.findall(r"<li>(.*?)</li>", listed) == [html.escape(p) for p in partners]
    options = re.findall(r'<option value="\d+">(.*?)</option>', phone)
    assert options[: len(partners)] == [
        f"{'ABC'[n]} · {html.escape(p)}" for n, p in enumerate(partners)
    ]
    projector = host.get(host_url(game)).content.decode()
    lettered = projector.split('class="live-items live-partners" type="A"')[1].split("</ol>")[0]
    assert re.findall(r"<li>(.*?)</li>", lettered) == [html.escape(p) for p in partners]
    # The view the event stream sends the phones whole has them too.
    pushed = pushed_views(game, {(Player.objects.get().pk, "en")}, timezone.now())
    sent = next(iter(pushed.values()))["html"]
    assert 'class="live-partners"' in sent and f"A · {html.escape(partners[0])}" in sent


def test_the_summary_marks_unanswered_questions_and_leaves_out_skipped_ones(game, client, host):
    """A question others answered but this player did not is to study, and says so;
    one the host closed before anyone answered was skipped: it counts against nobody
    (not in "N of M", not to study), and the report says "skipped"."""
    bea = Client()
    join(bea, game, "Bea")
    answer_the_first_question(client, host, game)
    control(host, game, "next")  # close the first
    control(host, game, "next")  # open the second: only Bea answers
    game.refresh_from_db()
    bea.get(host_url(game, "live_play"))
    data = {"position": 2, **answer_data(selectors.current_question(game))}
    assert bea.post(host_url(game, "live_play"), data).status_code in (200, 302)
    control(host, game, "skip")
    control(host, game, "next")  # open the third, and close it before anyone answers
    control(host, game, "skip")
    control(host, game, "end")
    page = client.get(host_url(game, "live_play")).content.decode()
    assert re.search(r"\d of 2 right", page)
    assert page.count("(not answered)") == 1
    prompts = {gq.position: gq.question.prompt for gq in GameQuestion.objects.filter(game=game)}
    assert html.escape(prompts[2]) in page.split("(not answered)")[0].rsplit("<li>", 1)[1]
    assert html.escape(prompts[3]) not in page
    # Every question is closed now: each one to study shows its answer.
    second = GameQuestion.objects.get(game=game, position=2).question
    key = scoring.key_lines(second.kind, [c.as_option() for c in second.choices.order_by("id")])
    studied = page.split('class="live-study"')[1].split("</ul></li></ul>")[0]
    assert "The answer" in studied and all(f"<li>{html.escape(k)}</li>" in studied for k in key)
    report = host.get(host_url(game, "live_report")).content.decode()
    assert report.count("skipped: nobody answered") == 1 and "not asked" in report


def test_the_projector_tallies_verdicts_and_quotes_only_the_question_s_own_paragraph(
    game, client, host, passage
):
    """After a question with no tiles the projector shows how many were right, partly
    right and wrong; it quotes the question's own paragraph and names the others it
    cites (four paragraphs made the screen three projectors tall). The phone quotes all."""
    join(client, game)
    while True:
        control(host, game, "next")
        game.refresh_from_db()
        current = selectors.current_question(game)
        if not current.uses_tiles and current.question.kind != "multiple":
            break
        control(host, game, "skip")
    other = Passage.objects.create(source=passage.source, number=4, text="QUOTED-ELSEWHERE.")
    current.question.also_cites.add(other)
    data = {"position": game.position, **answer_data(current)}
    client.post(host_url(game, "live_play"), data)  # the only player: it closes
    projector = host.get(host_url(game)).content.decode()
    verdicts = projector.split('class="live-verdicts"')[1].split("</ul>")[0]
    # Right and not right always; partly right only when some answers were.
    assert ["Right" in verdicts, "Not right" in verdicts] == [True, True]
    partial = LiveAnswer.objects.filter(credit__gt=0, credit__lt=1).exists()
    assert ("Partly right" in verdicts) == partial
    assert verdicts.count("1 answer (100&nbsp;%)") == 1
    assert verdicts.count("0 answers (0&nbsp;%)") == (2 if partial else 1)
    assert "Lavrov of Russia" in projector and "QUOTED-ELSEWHERE" not in projector
    assert "Also cited: paragraph 4" in projector
    assert "QUOTED-ELSEWHERE" in client.get(host_url(game, "live_play")).content.decode()


def test_the_panel_is_what_the_script_fetches(game, client, host):
    join(client, game)
    panel = host.get(host_url(game), headers={"X-Live-Panel": "1"})
    assert panel.status_code == 200 and b"<html" not in panel.content
    assert f'data-version="{Game.objects.get().version}"'.encode() in panel.content


def test_a_control_sent_by_the_script_answers_with_the_new_view_and_no_redirect(game, client, host):
    """The projector's script shows the view the control brings back: one request
    for the host's "next", not a redirect and a second one. Without the script the
    form still redirects to the page."""
    join(client, game, "Rude name")
    game.refresh_from_db()
    data = {"action": "next", "version": game.version}
    started = host.post(host_url(game, "live_control"), data, headers={"X-Live-Panel": "1"})
    game.refresh_from_db()
    assert started.status_code == 200 and b"<html" not in started.content
    view = started.content.decode()
    assert f'data-version="{game.version}"' in view and 'data-phase="question"' in view
    # Pressed twice (the same version): the game moves once and the view says where it is.
    again = host.post(host_url(game, "live_control"), data, headers={"X-Live-Panel": "1"})
    assert again.status_code == 200 and f'data-version="{game.version}"' in again.content.decode()
    removed = host.post(
        host_url(game, "live_control"),
        {"action": "remove", "version": game.version, "player": Player.objects.get().pk},
        headers={"X-Live-Panel": "1"},
    )
    assert f'data-version="{game.version + 1}"' in removed.content.decode()
    assert control(host, game, "pause").status_code == 302


def test_the_countdown_says_each_second_in_the_language_s_own_plural(game, host):
    """The script speaks the countdown every ten seconds and in the last five: the
    page gives it each of those texts, so that it never says "1 seconds" (nor picks
    an Arabic plural itself, which has six forms)."""
    arabic = Client(headers={"accept-language": "ar"})
    join(arabic, game)
    control(host, game, "next")

    def texts(page):
        found = re.search(r'data-texts="([^"]+)"', page.content.decode())
        return json.loads(html.unescape(found.group(1)))

    phone = texts(arabic.get(host_url(game, "live_play"), headers={"X-Live-Panel": "1"}))
    assert phone["1"] == "ثانية واحدة" and phone["2"] == "ثانيتان" and phone["3"] == "3 ثوانٍ"
    assert sorted(map(int, phone)) == [0, 1, 2, 3, 4, 5, 10, 20, 30]
    projector = texts(host.get(host_url(game), headers={"X-Live-Panel": "1"}))
    assert projector["1"] == "1 second" and projector["30"] == "30 seconds"


def test_the_projector_counts_answers_from_the_game_and_gives_the_script_its_template(
    game, client, host
):
    join(client, game)
    join(Client(), game, "Bea")
    control(host, game, "next")
    game.refresh_from_db()
    current = selectors.current_question(game)
    client.post(host_url(game, "live_play"), {"position": 1, **answer_data(current)})
    panel = host.get(host_url(game), headers={"X-Live-Panel": "1"}).content.decode()
    assert '<span data-answered-live="1" data-template="# of 2 answered">1 of 2 answered' in panel


def test_the_projector_is_a_full_screen_page_with_a_way_back_to_teaching(game, host):
    page = host.get(host_url(game)).content.decode()
    assert '<body class="live-projector">' in page  # live.css hides the site's menu
    assert f'href="{reverse("learning:teach_home")}"' in page.split('id="live"')[1]


def test_the_prompt_is_marked_with_its_source_s_language_on_both_screens(game, client, host):
    from learning.models import Source

    Source.objects.update(language="ru")
    join(client, game)
    control(host, game, "next")
    phone = client.get(host_url(game, "live_play")).content.decode()
    projector = host.get(host_url(game)).content.decode()
    assert 'id="live-prompt" lang="ru" dir="auto">' in phone
    assert '<h1 class="live-prompt" lang="ru" dir="auto">' in projector


def test_a_question_mended_while_it_is_open_reaches_the_next_phone_and_its_answer(
    game, client, host
):
    """Phones of one question share what their server read for the first of them;
    a teacher's edit of the question or its key is seen by the very next phone."""
    join(client, game)
    late = Client()
    join(late, game, "Bea")
    control(host, game, "next")
    game.refresh_from_db()
    current = selectors.current_question(game)
    assert current.question.prompt in client.get(host_url(game, "live_play")).content.decode()
    question = current.question
    question.prompt = "Which city hosted the mended meeting?"
    question.save()
    wrong = next(c for c in question.choices.all() if c.credit == 0)
    question.choices.update(credit=0)
    wrong.credit = 1
    wrong.save()
    page = late.get(host_url(game, "live_play")).content.decode()
    assert "Which city hosted the mended meeting?" in page
    game.refresh_from_db()
    place = next(i for i, c in enumerate(selectors.current_question(game).choices) if c == wrong)
    late.post(host_url(game, "live_play"), {"position": 1, "answer": str(place)})
    assert LiveAnswer.objects.get(player__nickname="Bea").credit == 1


def test_the_projector_shows_the_same_distribution_however_often_it_is_loaded(game, client, host):
    current = answer_the_first_question(client, host, game)
    client.get(host_url(game, "live_play"))  # the phone's result, read without the tally
    counts = [
        re.findall(r'class="live-count">(.*?)</span>\n', host.get(host_url(game)).content.decode())
        for _ in range(3)
    ]
    assert counts[0] == counts[1] == counts[2] and len(counts[0]) == len(current.choices)
    assert sum("1 answer (100&nbsp;%)" in line for line in counts[0]) == 1
