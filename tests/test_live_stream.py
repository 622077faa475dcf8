"""The live game's event streams (quizsite/live_asgi.py): what a screen is sent,
and that a change made by any process reaches it."""

import asyncio
import concurrent.futures
import json

import pytest
from asgiref.sync import sync_to_async

from learning.models import Game
from learning.services import live
from quizsite import live_asgi


class Stream:
    """One connection to the ASGI application, driven by the test."""

    def __init__(self, path: str) -> None:
        self.scope = {"type": "http", "method": "GET", "path": path, "headers": []}
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


@pytest.mark.django_db(transaction=True)
def test_each_answer_moves_the_projector_s_count(alice, quiz):
    game = live.game_create(host=alice, quiz=quiz)
    ada = live.player_join(game=game, nickname="Ada")
    live.player_join(game=game, nickname="Bea")
    game.refresh_from_db()
    live.game_control(game=game, action="next", version=game.version)
    from learning.selectors import live as selectors

    choice = selectors.current_question(game).choices[0].id

    async def scenario():
        stream = Stream(f"/live/events/{game.pk}/")
        task = asyncio.ensure_future(
            live_asgi.application(stream.scope, stream.receive, stream.send)
        )
        await stream.until(lambda s: s.events())
        assert stream.events()[-1]["answered"] == 0
        await sync_to_async(live.answer_submit)(
            game=game, player=ada, position=1, response={"choice": choice}
        )
        await stream.until(lambda s: s.events()[-1]["answered"] == 1)
        assert stream.events()[-1]["version"] == game.version  # phones have nothing new
        await stream.inbox.put({"type": "http.disconnect"})
        await asyncio.wait_for(task, 5)

    run(scenario())


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
        streams = [Stream(f"/live/events/{game.pk}/") for game in games]
        tasks = [
            asyncio.ensure_future(live_asgi.application(s.scope, s.receive, s.send))
            for s in streams
        ]
        for stream in streams:
            await stream.until(lambda s: s.events())
        await sync_to_async(live.player_join)(game=games[1], nickname="Ada")
        await streams[1].until(lambda s: len(s.events()) >= 2)
        assert streams[1].events()[-1]["version"] == games[1].version + 1
        assert [e["version"] for e in streams[0].events()] == [games[0].version]
        # Each turn is one query for both games, never one per game.
        assert sorted(game.pk for game in games) in reads
        assert all(len(ids) == len(set(ids)) for ids in reads)
        assert all(abandoned.pk not in ids for ids in reads)
        for stream in streams:
            await stream.inbox.put({"type": "http.disconnect"})
        await asyncio.wait_for(asyncio.gather(*tasks), 5)
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
