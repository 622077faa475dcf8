"""The live game in a real browser: a projector and three phones (one reloads
mid-question, one has no JavaScript) play a five-question game to the podium."""

import socket
import threading
import time

import pytest
from django.urls import reverse

from learning import services
from learning.models import Game, LiveAnswer, Player, Quiz
from learning.services import live
from quizsite import live_asgi
from tests.e2e.conftest import SHOTS
from tests.e2e.test_journeys import PASSWORD
from tests.e2e.test_teaching import log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def event_streams(settings):
    """The event-stream process of `make run`, here as a thread of the test's own."""
    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(
        live_asgi.application, host="127.0.0.1", port=port, log_level="warning", lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    settings.LIVE_EVENTS_PORT = port
    yield port
    server.should_exit = True
    thread.join(5)


@pytest.fixture
def five_questions(make_question, make_quiz):
    for n in range(1, 6):
        make_question("single", prompt=f"Live question {n}: who chaired the conference?")
    return make_quiz(title="Live five", slug="live-five", shuffle_questions=False)


def shoot(page, name: str) -> None:
    """A screenshot of a state the script reached without loading a page (which
    `Visit.check` keeps only for the first of each address)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"live-{name}.png", full_page=True)


def join(tab, pin: str, nickname: str):
    page = tab.goto(f"/live/?pin={pin}")
    page.locator("#id_nickname").fill(nickname)
    tab.follow(page.get_by_role("button", name="Join"))
    assert "You are in" in page.content()
    return page


def right_tile(page):
    return page.locator(".live-answer button.live-tile", has_text="Sergei Lavrov")


def test_a_projector_and_three_phones_play_to_the_podium(visit, five_questions, event_streams):
    services.teacher_create(username="tess", password=PASSWORD)
    projector = visit()
    log_in(projector, "tess")
    page = projector.goto(f"/quizzes/{five_questions.slug}/")
    projector.follow(page.get_by_role("link", name="Play it live with the class"))
    page.locator("#id_seconds").fill("60")
    projector.follow(page.get_by_role("button", name="Open the lobby"))
    game = Game.objects.get()
    assert page.locator(".live-pin").inner_text() == game.pin
    assert page.locator("img.live-qr").evaluate("img => img.naturalWidth") > 0

    ada_tab, bea_tab, cy_tab = visit(), visit(), visit(javascript=False)
    ada, bea, cy = (
        join(t, game.pin, n) for t, n in ((ada_tab, "Ada"), (bea_tab, "Bea"), (cy_tab, "Cy"))
    )
    # The projector hears of each arrival without a reload.
    page.locator(".live-players", has_text="Cy").wait_for()
    # It is the game's whole screen: no site menu, a way back to the teaching pages.
    assert page.locator(".site-nav").is_hidden()
    assert page.get_by_role("link", name="Teaching").is_visible()
    panels = []  # the projector's fetches of its own view
    page.on("request", lambda r: r.headers.get("x-live-panel") and panels.append(r.url))
    phone_fetches = []  # Ada's fetches of her view (not her answers)
    ada.on(
        "request",
        lambda r: r.headers.get("x-live-panel") and r.method == "GET" and phone_fetches.append(r),
    )

    for number in range(1, 6):
        before = len(phone_fetches)
        page.get_by_role("button", name="Start" if number == 1 else "Next question").click()
        page.locator(".live-status", has_text=f"Question {number} of 5").wait_for()
        ada.locator(".live-answer").wait_for()
        ada.locator(".live-status", has_text=f"Question {number} of 5").wait_for()
        # The question came whole in the event: her phone asked the site for nothing,
        # and kept her own name and points.
        assert len(phone_fetches) == before
        assert "Ada" in ada.locator(".live-me").inner_text()
        # No key on a phone before answers close.
        assert "is-right" not in ada.content() and "EXPLAINED" not in ada.content()
        projector.check()
        ada_tab.check()
        if number == 1:
            shoot(page, "projector-question")
            shoot(ada, "phone-question")
        fetched = len(panels)
        right_tile(ada).click()
        ada.get_by_text("Answer received").wait_for()
        # The count of answers moves on the projector from the event, with no fetch.
        page.locator("[data-answered-live]", has_text="1 of 3 answered").wait_for()
        bea.locator(".live-answer").wait_for()
        if number == 2:
            points = Player.objects.get(nickname="Bea").points
            bea.reload()  # mid-question: the same player, the same points, still to answer
            assert f"{points} points" in bea.locator(".live-me").inner_text()
            assert "Bea" in bea.locator(".live-me").inner_text()
        bea.locator(".live-answer button.live-tile").last.click()
        bea.get_by_text("Answer received").wait_for()
        page.locator("[data-answered-live]", has_text="2 of 3 answered").wait_for()
        assert len(panels) == fetched
        # Without JavaScript: load the state with the button, answer with a plain form.
        cy_tab.follow(cy.get_by_role("link", name="Load the current state"))
        cy_tab.follow(right_tile(cy))
        # Everyone has answered: the question closes by itself, on every screen.
        page.get_by_role("heading", name="The answer").wait_for()
        assert "Paragraph 1" in page.content()
        ada.locator(".live-verdict.is-right").wait_for()
        # Her result came whole in the event too, her points with it.
        points = Player.objects.get(nickname="Ada").points
        assert f"{points} points" in ada.locator(".live-me").inner_text()
        assert len(phone_fetches) == before
        cy.reload()
        assert "Right" in cy.locator(".live-verdict").inner_text()
        if number == 1:
            projector.check()
            ada_tab.check()
            shoot(page, "projector-answer")
            shoot(ada, "phone-answer")

    page.get_by_role("button", name="Show the podium").click()
    page.get_by_role("heading", name="Podium").wait_for()
    projector.check()
    ada.get_by_role("heading", name="Game over").wait_for()
    ada_tab.check()
    shoot(page, "projector-podium")
    shoot(ada, "phone-summary")
    assert "5 of 5 right" in ada.content()
    assert LiveAnswer.objects.filter(answered_at__isnull=False).count() == 15
    assert Player.objects.count() == 3
    ranks = page.locator(".live-podium li").all_inner_texts()
    assert any("Ada" in r for r in ranks) and any("Cy" in r for r in ranks)
    assert Quiz.objects.get().pk == five_questions.pk


def test_the_lobby_groups_three_teams_and_fits_a_phone_with_a_long_nickname(
    visit, five_questions, event_streams
):
    tess = services.teacher_create(username="tess", password=PASSWORD)
    game = live.game_create(host=tess, quiz=five_questions, teams=3)
    names = ["Amina", "Maximilian-Alexander", "Bo", "Chen", "Dara", "Eli", "Farid"]
    for name in names:
        live.player_join(game=game, nickname=name)
    projector = visit()
    log_in(projector, "tess")
    # Checked on arrival: no serious axe violation, no sideways scroll at 360 px.
    page = projector.goto(reverse("learning:live_host", args=[game.pk]))
    for number in (1, 2, 3):
        assert page.get_by_role("heading", name=f"Team {number}").is_visible()
    # The host moves the long name to team 3 with its own, named button (the script
    # sends the form and puts the new panel in place).
    long = Player.objects.get(nickname="Maximilian-Alexander")
    page.locator(f"#team-{long.pk}").select_option("3")
    page.get_by_role("button", name="Move Maximilian-Alexander", exact=True).click()
    team_three = page.locator("section.live-team", has=page.get_by_role("heading", name="Team 3"))
    team_three.get_by_text("Maximilian-Alexander", exact=True).first.wait_for()
    assert Player.objects.get(pk=long.pk).team == 3
    projector.check()
    for size, name in (((1280, 800), "laptop"), ((390, 844), "handset"), ((360, 740), "phone")):
        page.set_viewport_size({"width": size[0], "height": size[1]})
        shoot(page, f"lobby-teams-{name}")


def test_end_game_asks_first_and_cancelled_leaves_the_game_going(
    visit, five_questions, event_streams
):
    tess = services.teacher_create(username="tess", password=PASSWORD)
    game = live.game_create(host=tess, quiz=five_questions)
    live.player_join(game=game, nickname="Ada")
    projector = visit()
    log_in(projector, "tess")
    page = projector.goto(reverse("learning:live_host", args=[game.pk]))
    asked = []

    def answer(dialog, accept):
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, False))
    page.get_by_role("button", name="End game").click()
    page.wait_for_timeout(500)
    assert asked == ["End the game now for everyone? The podium will show the points so far."]
    game.refresh_from_db()
    assert game.phase == Game.Phase.LOBBY
    page.once("dialog", lambda dialog: answer(dialog, True))
    page.get_by_role("button", name="End game").click()
    page.locator('.live-panel[data-phase="finished"]').wait_for()
    assert len(asked) == 2 and Game.objects.get().phase == Game.Phase.FINISHED
