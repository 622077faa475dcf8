"""The live game's event streams (quizsite/live_asgi.py): what a screen is sent,
and that a change made by any process reaches it."""

import asyncio
import concurrent.futures
import html
import json
import re

import pytest
from asgiref.sync import sync_to_async
from django.test import Client
from django.urls import reverse

from learning import live_push
from learning.models import Game, LiveAnswer, Player
from learning.selectors import live as selectors
from learning.services import live
from quizsite import live_asgi


class Stream:
    """One connection to the ASGI application, driven by the test."""

    def __init__(self, url: str) -> None:
        path, _, query = url.partition("?")
        self.scope = {"type": "http", "method": "GET", "path": path, "headers": []}
        self.scope["query_string"] = query.encode()
        self.sent: list[dict] = []
        self.inbox: asyncio.Queue = asyncio.Queue()
        self.got = asyncio.Event()

    async def receive(self) -> dict:
        return await self.inbox.get()

    async def send(self, message: dict) -> None:
        self.sent.append(message)
        self.got.set()

    def events(self) -> list[dict]:
        text = b"".join(m.get("body", b"") for m in self.sent).decode()
        return [
            json.loads(line[len("data: ") :])
            for line in text.splitlines()
            if line.startswith("data: ")
        ]

    async def until(self, check, timeout: float = 5.0) -> None:
        async def wait():
            while not check(self):
                self.got.clear()
                await self.got.wait()

        await asyncio.wait_for(wait(), timeout)


def run(coroutine):
    """Run the ASGI app's coroutine in a thread of its own: the browser tests'
    Playwright keeps an event loop running in this thread for the whole session."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


@pytest.mark.django_db(transaction=True)
def test_a_stream_sends_the_version_then_each_change(alice, quiz):
    game = live.game_create(host=alice, quiz=quiz)

    async def scenario():
        stream = Stream(f"/live/events/{game.pk}/")
        task = asyncio.ensure_future(
            live_asgi.application(stream.scope, stream.receive, stream.send)
        )
        await stream.until(lambda s: s.events())
        assert stream.sent[0]["status"] == 200
        headers = dict(stream.sent[0]["headers"])
        assert headers[b"content-type"] == b"text/event-stream"
        assert stream.events()[0] == {"version": game.version, "phase": "lobby", "answered": 0}
        await sync_to_async(live.player_join)(game=game, nickname="Ada")
        await stream.until(lambda s: len(s.events()) >= 2)
        assert stream.events()[-1]["version"] == game.version + 1
        await stream.inbox.put({"type": "http.disconnect"})
        await asyncio.wait_for(task, 5)
        assert game.pk not in live_asgi.watches

    run(scenario())


async def connect(*urls: str) -> list[Stream]:
    """Open these streams, as many screens would, and wait for each one's first event."""
    streams = [Stream(url) for url in urls]
    for stream in streams:
        stream.task = asyncio.ensure_future(
            live_asgi.application(stream.scope, stream.receive, stream.send)
        )
    for stream in streams:
        await stream.until(lambda s: s.events())
    return streams


async def hang_up(streams: list[Stream]) -> None:
    for stream in streams:
        await stream.inbox.put({"type": "http.disconnect"})
    await asyncio.wait_for(asyncio.gather(*(stream.task for stream in streams)), 5)


async def host_presses(game: Game, action: str = "next") -> Game:
    """The host's control, at the version the game is at now."""
    fresh = await sync_to_async(Game.objects.get)(pk=game.pk)
    await sync_to_async(live.game_control)(game=fresh, action=action, version=fresh.version)
    return fresh


async def until_phase(streams: list[Stream], phase: str) -> None:
    for stream in streams:
        await stream.until(lambda s: s.events()[-1]["phase"] == phase)


def phone(game: Game, nickname: str, language: str = "en") -> str:
    """A phone joins, as a browser does, in its language: its page's stream address."""
    client = Client(headers={"accept-language": language})
    client.post(reverse("learning:live_join"), {"pin": game.pin, "nickname": nickname})
    page = client.get(reverse("learning:live_play", args=[game.pk])).content.decode()
    return html.unescape(re.search(r'data-live-events="([^"]+)"', page).group(1))


@pytest.mark.django_db(transaction=True)
def test_a_question_that_opens_is_sent_whole_to_each_phone_without_its_key(alice, quiz):
    game = live.game_create(host=alice, quiz=quiz)
    other = live.game_create(host=alice, quiz=quiz)
    ada, bea, cy = phone(game, "Ada"), phone(game, "Bea", "fr"), phone(game, "Cy")
    live.player_remove(game=game, player_id=Player.objects.get(nickname="Cy").pk)
    token = re.search(r"p=([^&]+)", ada).group(1)
    ada_id = Player.objects.get(nickname="Ada").pk
    urls = [
        ada,
        bea,
        cy,  # removed by the host: nothing is sent to them
        f"/live/events/{game.pk}/",  # the projector
        f"/live/events/{game.pk}/?p={token[:-2]}xx",  # forged
        f"/live/events/{game.pk}/?p={live_push.stream_token(other.pk, ada_id)}",
        ada.replace("lang=en", "lang=xx"),  # no such language: the site's own
    ]

    async def scenario():
        streams = await connect(*urls)
        await host_presses(game)
        await until_phase(streams, "question")
        # The moment it was sent is stored just after the events go out.
        rows = LiveAnswer.objects.filter(game_question__game=game)
        for _ in range(50):
            if await sync_to_async(rows.count)() == 2:
                break
            await asyncio.sleep(0.05)
        await hang_up(streams)
        return [stream.events()[-1] for stream in streams]

    ada, bea, cy, projector, forged, elsewhere, unknown = run(scenario())
    game.refresh_from_db()
    current = selectors.current_question(game, tally=False)
    for event in (ada, bea, unknown):
        view = event["html"]
        assert f'data-version="{game.version}"' in view and 'data-phase="question"' in view
        assert html.escape(current.question.prompt) in view
        assert 'name="position" value="1"' in view
        # Nobody's name or points, no CSRF token (the page adds its own), no key.
        assert "live-me" not in view and "csrfmiddlewaretoken" not in view
        assert "is-right" not in view and "live-verdict" not in view
        assert html.escape(current.question.explanation) not in view
    assert "Question 1 of" in ada["html"] and "Question 1 sur" in bea["html"]
    assert unknown["html"] == ada["html"]
    for event in (cy, projector, forged, elsewhere):
        assert event["phase"] == "question" and "html" not in event
    # Each phone sent the question is timed from that moment, in one insert for all.
    rows = LiveAnswer.objects.filter(game_question__game=game)
    opened = game.questions.get(position=1).opened_at
    assert all(row.sent_at > opened for row in rows)
    assert sorted(rows.values_list("player__nickname", flat=True)) == ["Ada", "Bea"]
    assert all(row.sent_at and row.answered_at is None for row in rows)


@pytest.mark.django_db(transaction=True)
def test_when_answers_close_each_phone_is_sent_the_answer_and_its_own_result(alice, quiz):
    game = live.game_create(host=alice, quiz=quiz)
    urls = [phone(game, "Ada"), phone(game, "Bea", "fr"), f"/live/events/{game.pk}/"]
    ada = Player.objects.get(nickname="Ada")

    async def scenario():
        streams = await connect(*urls)
        await host_presses(game)
        await until_phase(streams, "question")
        fresh = await sync_to_async(Game.objects.get)(pk=game.pk)
        current = await sync_to_async(selectors.current_question)(fresh)
        right = next(c for c in current.choices if c.credit > 0)
        await sync_to_async(live.answer_submit)(
            game=fresh, player=ada, position=1, response={"choice": right.pk}
        )
        await host_presses(game, "skip")
        await until_phase(streams, "reveal")
        await hang_up(streams)
        return [stream.events()[-1] for stream in streams], current

    (ada_event, bea_event, projector), current = run(scenario())
    ada.refresh_from_db()
    assert ada.points > 0
    for event in (ada_event, bea_event):
        assert 'data-phase="reveal"' in event["html"] and 'class="live-mine"' in event["html"]
        assert "live-me" not in event["html"]  # each phone's own line comes apart
        for line in current.key_lines:
            assert html.escape(line) in event["html"]
    assert "The answer" in ada_event["html"] and "La réponse" in bea_event["html"]
    assert "Ada" in ada_event["me"] and f"{ada.points} points" in ada_event["me"]
    assert "Right" in ada_event["mine"] and f"+{ada.points} points" in ada_event["mine"]
    assert "You are number 1 of 2." in ada_event["mine"]
    assert "Bea" in bea_event["me"] and "Ada" not in bea_event["me"] + bea_event["mine"]
    assert "Vous êtes 2 sur 2." in bea_event["mine"] and "Aucune réponse" in bea_event["mine"]
    assert "html" not in projector and "mine" not in projector


@pytest.mark.django_db(transaction=True)
def test_in_a_team_game_the_opening_brings_each_phone_its_line_with_its_team(alice, quiz):
    game = live.game_create(host=alice, quiz=quiz, teams=2)
    url = phone(game, "Ada")
    ada = Player.objects.get(nickname="Ada")
    other = 2 if ada.team == 1 else 1
    # The host moves her in the lobby: her phone is not told until the game starts.
    live.player_set_team(game=Game.objects.get(pk=game.pk), player_id=ada.pk, team=other)

    async def scenario():
        [stream] = await connect(url)
        await host_presses(game)
        await stream.until(lambda s: "html" in s.events()[-1])
        await hang_up([stream])
        return stream.events()[-1]

    event = run(scenario())
    assert "Ada" in event["me"] and f"Team {other}" in event["me"]


@pytest.mark.django_db(transaction=True)
def test_a_view_that_cannot_be_built_leaves_the_plain_event_and_every_game_going(
    alice, quiz, monkeypatch
):
    games = [live.game_create(host=alice, quiz=quiz) for _ in range(2)]
    urls = [phone(game, "Ada") for game in games]

    async def broken(game_id, version, phones):
        if game_id == games[0].pk:
            raise RuntimeError("a template that does not render")
        return await original(game_id, version, phones)

    original = live_asgi.views_sent_whole
    monkeypatch.setattr(live_asgi, "views_sent_whole", broken)

    async def scenario():
        streams = await connect(*urls)
        for game in games:
            await host_presses(game)
        await until_phase(streams, "question")
        # The broken game goes on: its next change still reaches its phone.
        await host_presses(games[0], "skip")
        await streams[0].until(lambda s: s.events()[-1]["phase"] == "reveal")
        await hang_up(streams)
        return [stream.events() for stream in streams]

    broken_events, other_events = run(scenario())
    assert all("html" not in event for event in broken_events)  # its phone fetches
    assert "html" in other_events[-1]


@pytest.mark.django_db(transaction=True)
def test_a_game_whose_views_take_long_holds_back_no_other_game(alice, quiz, monkeypatch):
    """A school presses Start within the same second: a game whose views are still
    being built delays neither the poll's next read nor another game's question."""
    games = [live.game_create(host=alice, quiz=quiz) for _ in range(2)]
    urls = [phone(game, "Ada") for game in games]
    original = live_asgi.views_sent_whole

    async def scenario():
        building, release = asyncio.Event(), asyncio.Event()

        async def slow(game_id, version, phones):
            if game_id == games[0].pk:
                building.set()
                await release.wait()
            return await original(game_id, version, phones)

        monkeypatch.setattr(live_asgi, "views_sent_whole", slow)
        streams = await connect(*urls)
        await host_presses(games[0])
        await asyncio.wait_for(building.wait(), 5)
        await host_presses(games[1])
        await streams[1].until(lambda s: "html" in s.events()[-1])
        assert streams[0].events()[-1]["phase"] == "lobby"
        release.set()
        await streams[0].until(lambda s: "html" in s.events()[-1])
        await hang_up(streams)

    run(scenario())


@pytest.mark.django_db(transaction=True)
def test_a_read_older_than_the_state_sent_never_takes_a_screen_back(alice, quiz):
    """A read in flight while the game moved on (or while its watch was made anew)
    is older than what the screens were sent: it is not sent after it."""
    game = live.game_create(host=alice, quiz=quiz)

    async def scenario():
        [stream] = await connect(f"/live/events/{game.pk}/")
        watch = live_asgi.watches[game.pk]
        older = (watch.state[0] - 1, *watch.state[1:])
        watch.offer(older)
        await sync_to_async(live.player_join)(game=game, nickname="Ada")
        await stream.until(lambda s: len(s.events()) >= 2)
        await asyncio.sleep(0.3)  # three turns of the poll
        await hang_up([stream])
        return [event["version"] for event in stream.events()]

    assert run(scenario()) == [game.version, game.version + 1]


@pytest.mark.django_db(transaction=True)
def test_a_phone_sent_the_question_answers_it_through_the_site(alice, quiz):
    """The view the stream sent, with the token the page adds, is an answer the site takes."""
    game = live.game_create(host=alice, quiz=quiz)
    client = Client(enforce_csrf_checks=True)
    join = client.get(reverse("learning:live_join")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', join).group(1)
    data = {"csrfmiddlewaretoken": token, "pin": game.pin, "nickname": "Ada"}
    assert client.post(reverse("learning:live_join"), data).status_code == 302
    page = client.get(reverse("learning:live_play", args=[game.pk])).content.decode()
    url = html.unescape(re.search(r'data-live-events="([^"]+)"', page).group(1))
    csrf = re.search(r'data-csrf="([^"]+)"', page).group(1)

    async def scenario():
        [stream] = await connect(url)
        await host_presses(game)
        await stream.until(lambda s: "html" in s.events()[-1])
        await hang_up([stream])
        return stream.events()[-1]["html"]

    view = run(scenario())
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', view))
    play = reverse("learning:live_play", args=[game.pk])
    data = {**fields, "answer": "0"}
    assert client.post(play, data, headers={"x-live-panel": "1"}).status_code == 403
    answer = client.post(play, data | {"csrfmiddlewaretoken": csrf}, headers={"x-live-panel": "1"})
    # Hers was the only phone: the question closes on her answer and shows its result.
    assert answer.status_code == 200 and 'data-phase="reveal"' in answer.content.decode()
    row = LiveAnswer.objects.get()
    assert row.answered_at >= row.sent_at


@pytest.mark.django_db(transaction=True)
def test_each_answer_moves_the_projector_s_count_and_no_phone_hears_of_it(alice, quiz):
    game = live.game_create(host=alice, quiz=quiz)
    ada = live.player_join(game=game, nickname="Ada")
    bea = live.player_join(game=game, nickname="Bea")
    bea_url = f"/live/events/{game.pk}/?p={live_push.stream_token(game.pk, bea.pk)}"

    async def scenario():
        streams = await connect(f"/live/events/{game.pk}/", bea_url)
        projector, phone = streams
        # Another player's arrival in the lobby: the projector shows it, a phone does not.
        await sync_to_async(live.player_join)(game=game, nickname="Cy")
        await projector.until(lambda s: len(s.events()) == 2)
        await host_presses(game)
        await until_phase(streams, "question")
        assert projector.events()[-1]["answered"] == 0
        fresh = await sync_to_async(Game.objects.get)(pk=game.pk)
        current = await sync_to_async(selectors.current_question)(fresh)
        await sync_to_async(live.answer_submit)(
            game=fresh, player=ada, position=1, response={"choice": current.choices[0].id}
        )
        await projector.until(lambda s: s.events()[-1]["answered"] == 1)
        assert projector.events()[-1]["version"] == fresh.version  # nothing else is new
        await asyncio.sleep(0.3)  # three turns of the watch
        await hang_up(streams)
        return phone.events()

    phone_events = run(scenario())
    assert [(e["phase"], e["answered"]) for e in phone_events] == [("lobby", 0), ("question", 0)]


@pytest.mark.django_db(transaction=True)
def test_without_redis_one_read_a_turn_follows_every_game(alice, quiz, monkeypatch):
    # A stream left open in an event loop that stopped (a server thread of an
    # earlier test) is dead: it is never read again.
    abandoned = live.game_create(host=alice, quiz=quiz)
    stopped = asyncio.new_event_loop()
    left = Stream(f"/live/events/{abandoned.pk}/")
    left_tasks = []

    async def open_and_stop():
        app = live_asgi.application(left.scope, left.receive, left.send)
        left_tasks.append(asyncio.ensure_future(app))
        await left.until(lambda s: s.events())

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(stopped.run_until_complete, open_and_stop()).result()
    assert abandoned.pk in live_asgi.watches

    games = [live.game_create(host=alice, quiz=quiz) for _ in range(2)]
    reads = []
    original = live_asgi.read_states

    async def counted(game_ids):
        reads.append(sorted(game_ids))
        return await original(game_ids)

    monkeypatch.setattr(live_asgi, "read_states", counted)

    async def scenario():
        streams = await connect(*(f"/live/events/{game.pk}/" for game in games))
        await sync_to_async(live.player_join)(game=games[1], nickname="Ada")
        await streams[1].until(lambda s: len(s.events()) >= 2)
        assert streams[1].events()[-1]["version"] == games[1].version + 1
        assert [e["version"] for e in streams[0].events()] == [games[0].version]
        # Each turn is one query for both games, never one per game (the first turn
        # may have read before the second stream was open: wait for the next).
        both = sorted(game.pk for game in games)
        for _ in range(50):
            if both in reads:
                break
            await asyncio.sleep(0.05)
        assert both in reads
        assert all(len(ids) == len(set(ids)) for ids in reads)
        assert all(abandoned.pk not in ids for ids in reads)
        await hang_up(streams)
        assert not live_asgi.watches

    run(scenario())

    async def cancel_what_was_left():
        pending = asyncio.all_tasks() - {asyncio.current_task()}
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(stopped.run_until_complete, cancel_what_was_left()).result()
    stopped.close()


@pytest.mark.django_db(transaction=True)
def test_the_stream_ends_with_the_game(alice, quiz):
    game = live.game_create(host=alice, quiz=quiz)

    async def scenario():
        stream = Stream(f"/live/events/{game.pk}/")
        task = asyncio.ensure_future(
            live_asgi.application(stream.scope, stream.receive, stream.send)
        )
        await stream.until(lambda s: s.events())
        fresh = await sync_to_async(Game.objects.get)(pk=game.pk)
        await sync_to_async(live.game_control)(game=fresh, action="end", version=fresh.version)
        await stream.until(lambda s: any(e["phase"] == "finished" for e in s.events()))
        await stream.until(
            lambda s: s.sent[-1].get("more_body") is False or "more_body" not in s.sent[-1]
        )
        await stream.inbox.put({"type": "http.disconnect"})
        await asyncio.wait_for(task, 5)

    run(scenario())


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/live/events/999999/", 404),
        ("GET", "/quizzes/", 404),
        ("POST", "/live/events/1/", 405),
    ],
)
def test_anything_else_is_refused(method, path, status):
    async def scenario():
        stream = Stream(path)
        stream.scope["method"] = method
        await live_asgi.application(stream.scope, stream.receive, stream.send)
        assert stream.sent[0]["status"] == status

    run(scenario())


@pytest.mark.django_db(transaction=True)
def test_a_stream_whose_first_read_fails_answers_503_not_500(alice, quiz, monkeypatch):
    from django.db import OperationalError

    game = live.game_create(host=alice, quiz=quiz)

    async def unreachable(game_id):
        raise OperationalError("database is locked")

    monkeypatch.setattr(live_asgi, "read_state", unreachable)

    async def scenario():
        stream = Stream(f"/live/events/{game.pk}/")
        await live_asgi.application(stream.scope, stream.receive, stream.send)
        assert stream.sent[0]["status"] == 503
        assert stream.sent[1]["body"] == b"database unreachable"
        assert game.pk not in live_asgi.watches

    run(scenario())


@pytest.mark.django_db(transaction=True)
def test_the_balancer_s_health_check_answers():
    async def scenario():
        stream = Stream("/healthz")
        await live_asgi.application(stream.scope, stream.receive, stream.send)
        assert stream.sent[0]["status"] == 200
        assert stream.sent[1]["body"] == b"ok"

    run(scenario())


@pytest.fixture
def redis_layer(settings):
    """A Redis server of Debian's package on a free port, as Channels' layer."""
    import shutil
    import socket
    import subprocess
    import time

    from channels.layers import channel_layers

    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server not installed (apt-get install redis-server)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(100):
        with socket.socket() as client:
            if client.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.05)
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [f"redis://127.0.0.1:{port}/0"]},
        }
    }
    channel_layers.backends = {}
    yield
    channel_layers.backends = {}
    process.terminate()
    process.wait(5)


@pytest.mark.django_db(transaction=True)
def test_with_redis_a_change_reaches_the_stream_through_the_channel_layer(
    alice, quiz, redis_layer, monkeypatch
):
    game = live.game_create(host=alice, quiz=quiz)
    reads = []
    original = live_asgi.read_state_or_none

    async def counted(game_id):
        reads.append(game_id)
        return await original(game_id)

    monkeypatch.setattr(live_asgi, "read_state_or_none", counted)

    async def scenario():
        stream = Stream(f"/live/events/{game.pk}/")
        task = asyncio.ensure_future(
            live_asgi.application(stream.scope, stream.receive, stream.send)
        )
        await stream.until(lambda s: s.events())
        await asyncio.sleep(0.3)
        before = len(reads)  # no polling: nothing is read until a message comes
        await sync_to_async(live.player_join)(game=game, nickname="Ada")
        await stream.until(lambda s: len(s.events()) >= 2, timeout=5)
        assert stream.events()[-1]["version"] == game.version + 1
        assert len(reads) == before + 1
        await stream.inbox.put({"type": "http.disconnect"})
        await asyncio.wait_for(task, 5)

    run(scenario())
