"""The live game's event streams, as a small ASGI application (uvicorn serves it).

Only `GET /live/events/<game id>/` is here, and `GET /healthz` for a balancer:
every page, form and answer stays on gunicorn's sync workers (serving the whole
site through ASGI cost ~60 % more CPU per page, docs/architecture.md). A stream
sends server-sent events carrying the game's version, phase and how many have
answered the current question; a screen that sees a new version fetches its own
view from the site. Two changes are sent whole, the moments a whole class would
otherwise ask the site at once: when a question opens or closes, each phone whose
stream names its player (a signed token, `live_push.stream_token`) gets its view in
the event itself (`learning.views.live.pushed_views`: the question rendered once
per game and language, each player's sent time stored in one statement; then the
answer, and each phone's own result). The projector and the rest fetch as before.
A stream sends a phone nothing a page would not show it then, so it needs no session.

One `Watch` per game per process fans a change out to every connection of that
game: through Channels' layer on Redis when REDIS_URL is set (changes published by
any server), else fed by the one `poll` task, which reads every followed game's
version from the database every `live_push.WATCH_INTERVAL` seconds in one query
(60 games: ten reads a second, not one per game or per phone).
"""

import asyncio
import concurrent.futures
import contextlib
import json
import logging
import os
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quizsite.settings")
django.setup()

from asgiref.sync import sync_to_async  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import DatabaseError, close_old_connections, connection  # noqa: E402
from django.template.loader import get_template  # noqa: E402
from django.urls import get_resolver  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.translation import gettext, override  # noqa: E402

from learning import live_push  # noqa: E402
from learning.models import Game  # noqa: E402
from learning.services import live  # noqa: E402
from learning.views.live import PUSHED_TEMPLATES, pushed_views  # noqa: E402

PATH = re.compile(r"^/live/events/(\d{1,12})/$")
HEARTBEAT = 15.0
LANGUAGES = {code for code, _name in settings.LANGUAGES}
# (version, phase, answers to the current question, position, paused): one row.
STATE = ("version", "phase", "answered", "position", "paused")
# The changes sent whole to the phones: a question opening, and closing.
WHOLE = (Game.Phase.QUESTION, Game.Phase.REVEAL)
logger = logging.getLogger(__name__)


def _read(game_id: int) -> tuple | None:
    close_old_connections()
    return Game.objects.filter(pk=game_id).values_list(*STATE).first()


async def read_state_or_none(game_id: int) -> tuple | None:
    """The game's state, or None when the database did not answer this time (a
    restart, a lock): the watch asks again at its next turn instead of dying."""
    try:
        return await read_state(game_id)
    except DatabaseError:
        logger.warning("live stream: reading game %s failed", game_id, exc_info=True)
        return None


read_state = sync_to_async(_read, thread_sensitive=False)


def _read_many(game_ids: list[int]) -> dict[int, tuple]:
    """Every followed game's state, in one query of one table."""
    close_old_connections()
    rows = Game.objects.filter(pk__in=game_ids).values_list("pk", *STATE)
    return {pk: tuple(state) for pk, *state in rows}


# The poll's own thread: its read never queues behind the views being built in the
# shared pool when a whole school opens a question at once.
POLL_THREAD = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="live-poll")


async def read_states(game_ids: list[int]) -> dict[int, tuple]:
    return await asyncio.get_running_loop().run_in_executor(POLL_THREAD, _read_many, game_ids)


@sync_to_async(thread_sensitive=False)
def views_sent_whole(game_id: int, version: int, phones: set[tuple[int, str]]) -> dict:
    """What the phones of these (player, language) pairs are sent whole of the
    question that opened or closed at `version` (`pushed_views`); nothing when the
    game has moved on already."""
    close_old_connections()
    game = Game.objects.filter(pk=game_id, version=version, phase__in=WHOLE).first()
    if game is None:
        return {}
    return pushed_views(game, phones, timezone.now())


@sync_to_async(thread_sensitive=False)
def questions_sent(sent: list[tuple[int, int, set[int], object]]) -> None:
    close_old_connections()
    live.questions_sent(sent=sent)


@sync_to_async(thread_sensitive=False)
def warm_up() -> None:
    """Before the first stream: what the first question sent whole would otherwise
    wait for (~0.1 s of one core, when a whole school presses Start): the site's URLs,
    which import every view, each language's catalog, and the templates of the views."""
    get_resolver().url_patterns  # noqa: B018 (the import is the point)
    for code in LANGUAGES:
        with override(code):
            gettext("Question")
    for name in PUSHED_TEMPLATES:
        get_template(name)


@sync_to_async(thread_sensitive=False)
def database_ok() -> bool:
    """The database answers: what a stream needs before it can send anything."""
    close_old_connections()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return False
    return True


def running_here(task: asyncio.Task | None) -> bool:
    """The task runs, in this event loop: a process serves from one loop, but a
    test suite starts many one after another, and a task left in a loop that no
    longer runs is never done."""
    return task is not None and not task.done() and task.get_loop() is asyncio.get_running_loop()


@dataclass(eq=False)
class Listener:
    """One connection: its queue of events, and the player and language its phone named."""

    player: int | None
    language: str
    queue: asyncio.Queue = field(default_factory=asyncio.Queue)


class Watch:
    """Every connection of one game in this process, and the one task feeding them."""

    def __init__(self, game_id: int) -> None:
        self.game_id = game_id
        self.listeners: set[Listener] = set()
        self.state: tuple | None = None
        # The question opened or closed that this watch saw last: the next is sent whole.
        self.step: tuple[str, int] | None = None
        self.lock = asyncio.Lock()
        self.latest: tuple | None = None  # the poll's last read, sent by `sending`
        self.sending: asyncio.Task | None = None
        if settings.CHANNEL_LAYERS:
            self.task = asyncio.get_running_loop().create_task(self.listen())
        else:
            global poller
            if not running_here(poller):
                # Watches fed by a poller of a loop that no longer runs are dead.
                for game_id in [g for g, w in watches.items() if not running_here(w.task)]:
                    del watches[game_id]
                poller = asyncio.get_running_loop().create_task(poll())
            self.task = poller

    async def send(self, state: tuple | None) -> None:
        """Hand a new state to every connection, in order (one change at a time)."""
        async with self.lock:
            if state is None or state == self.state:
                return
            if self.state is not None and state[0] < self.state[0]:
                return  # an older read (one in flight while this watch was made): not back
            seen, self.state = self.state, state
            version, phase, _answered, position, paused = state
            views = {}
            if phase in WHOLE:
                step, self.step = self.step, (phase, position)
                # One that happened while this watch looked on (not a pause): sent whole.
                if seen is not None and step != self.step and not paused:
                    views = await self.whole(version)
            sent_at = timezone.now()
            # A phone's screen does not change for a count of answers, nor for anything
            # in the lobby (live.js ignores both): only the projector is sent those.
            phones_too = seen is None or (phase != Game.Phase.LOBBY and seen[0] != version)
            for listener in self.listeners:
                if phones_too or listener.player is None:
                    whole = views.get((listener.player, listener.language))
                    listener.queue.put_nowait((state, whole))
            if views and phase == Game.Phase.QUESTION:
                # After the events, off the moment the class waits for: a phone that
                # answers first is timed from the opening (`question_sent`).
                players = {player for player, _language in views}
                sent_moments.add(self.game_id, position, players, sent_at)

    def offer(self, state: tuple | None) -> None:
        """A state the poll read, sent by this watch's own task: a game whose views
        take long holds back neither the poll's next turn nor any other game."""
        if state is None:
            return
        self.latest = state
        if state != self.state and not running_here(self.sending):
            self.sending = asyncio.get_running_loop().create_task(self.send_latest())

    async def send_latest(self) -> None:
        while self.latest != self.state:
            state = self.latest
            try:
                await self.send(state)
            except Exception:
                # Logged; the poll's next turn offers the state again.
                logger.exception("live stream: game %s's change was not sent", self.game_id)
                return
            if self.latest is state:
                return  # sent (or older than the one sent): nothing newer came meanwhile

    async def whole(self, version: int) -> dict:
        phones = {(lis.player, lis.language) for lis in self.listeners if lis.player is not None}
        if not phones:
            return {}
        try:
            return await views_sent_whole(self.game_id, version, phones)
        except Exception:
            # Whatever failed (the database, a template), the plain event still goes
            # out and the phones fetch their view from the site, as the projector does.
            logger.exception("live stream: sending game %s's views failed", self.game_id)
            return {}

    async def listen(self) -> None:
        from channels.layers import get_channel_layer

        layer = get_channel_layer()
        channel = await layer.new_channel()
        group = live_push.group_name(self.game_id)
        await layer.group_add(group, channel)
        try:
            await self.send(await read_state_or_none(self.game_id))
            while self.listeners:
                # Read anyway now and then: a message lost is never lost for long.
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(layer.receive(channel), timeout=HEARTBEAT)
                await self.send(await read_state_or_none(self.game_id))
        finally:
            await layer.group_discard(group, channel)


class SentMoments:
    """When each phone was sent each question, stored for every game in one insert:
    the streams of a whole school open questions in the same second, and one writer
    at a time suits the database (SQLite has one), instead of one per game."""

    def __init__(self) -> None:
        self.rows: list[tuple[int, int, set[int], object]] = []
        self.task: asyncio.Task | None = None

    def add(self, game_id: int, position: int, players: set[int], sent_at) -> None:
        self.rows.append((game_id, position, players, sent_at))
        if not running_here(self.task):
            self.task = asyncio.get_running_loop().create_task(self.store())

    async def store(self) -> None:
        while self.rows:
            rows, self.rows = self.rows, []
            try:
                await questions_sent(rows)
            except Exception:
                # Their answers are then timed from the question's opening (`question_sent`).
                logger.exception("live stream: storing %s sent moments failed", len(rows))


sent_moments = SentMoments()
watches: dict[int, Watch] = {}
poller: asyncio.Task | None = None


async def poll() -> None:
    """Without Redis: read every followed game's state in one query each turn, and
    hand each to its watch (which sends only what changed), while any is followed."""
    while watches:
        try:
            states = await read_states(list(watches))
        except DatabaseError:
            # A restart or a lock: ask again at the next turn instead of dying.
            logger.warning("live stream: reading the followed games failed", exc_info=True)
            states = {}
        for game_id, state in states.items():
            if game_id in watches:
                watches[game_id].offer(state)
        await asyncio.sleep(live_push.WATCH_INTERVAL)


async def _stream(send, game_id: int, state: tuple, listener: Listener) -> None:
    """One connection: `state` is what its first read found, sent at once when the
    game's watch has read nothing yet."""
    watch = watches.get(game_id)
    if watch is None or not running_here(watch.task):
        watch = watches[game_id] = Watch(game_id)
    watch.listeners.add(listener)
    if watch.state is None:
        await watch.send(state)
    else:
        listener.queue.put_nowait((watch.state, None))
    try:
        await send({"type": "http.response.body", "body": b"retry: 1000\n\n", "more_body": True})
        while True:
            try:
                state, whole = await asyncio.wait_for(listener.queue.get(), timeout=HEARTBEAT)
            except TimeoutError:
                await send({"type": "http.response.body", "body": b": ping\n\n", "more_body": True})
                continue
            version, phase, answered = state[:3]
            event = {"version": version, "phase": phase, "answered": answered, **(whole or {})}
            body = f"id: {version}\nevent: state\ndata: {json.dumps(event)}\n\n".encode()
            await send({"type": "http.response.body", "body": body, "more_body": True})
            if phase == Game.Phase.FINISHED:
                break
        await send({"type": "http.response.body", "body": b""})
    finally:
        watch.listeners.discard(listener)
        if not watch.listeners:
            watches.pop(game_id, None)


def _listener(game_id: int, query_string: bytes) -> Listener:
    """Who this connection is: the player its phone's token names (none for the
    projector, or a token that is not this game's) and the page's language."""
    query = parse_qs(query_string.decode("latin-1"))
    player = live_push.stream_player(game_id, query.get("p", [""])[0])
    language = query.get("lang", [""])[0]
    return Listener(player, language if language in LANGUAGES else settings.LANGUAGE_CODE)


async def _respond(send, status: int, text: bytes) -> None:
    headers = [(b"content-type", b"text/plain; charset=utf-8")]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": text})


async def application(scope, receive, send) -> None:
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await warm_up()
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    if scope["type"] == "http" and scope["path"] == "/healthz":
        # HAProxy's check on each event-stream process (docs/scaling.md).
        if await database_ok():
            await _respond(send, 200, b"ok")
        else:
            await _respond(send, 503, b"database unreachable")
        return
    match = PATH.match(scope["path"]) if scope["type"] == "http" else None
    if match is None:
        await _respond(send, 404, b"Not found")
        return
    if scope["method"] != "GET":
        await _respond(send, 405, b"Method not allowed")
        return
    game_id = int(match.group(1))
    try:
        state = await read_state(game_id)
    except DatabaseError:
        # The database not answering is the service unavailable for now, not a crash
        # in this code: 503 (the page's script opens the stream again a little later).
        logger.warning("live stream: reading game %s failed", game_id, exc_info=True)
        await _respond(send, 503, b"database unreachable")
        return
    if state is None:
        await _respond(send, 404, b"No such game")
        return
    headers = [
        (b"content-type", b"text/event-stream"),
        (b"cache-control", b"no-store"),
        # Without a token only versions travel here, and with one what that phone's
        # page shows it; the token in the address is the credential, never a cookie,
        # so the site's pages on any origin (`make run`'s second port too) may read.
        (b"access-control-allow-origin", b"*"),
        # Proxies (Caddy, HAProxy, nginx) must pass each event on as it comes.
        (b"x-accel-buffering", b"no"),
    ]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    listener = _listener(game_id, scope.get("query_string", b""))
    streaming = asyncio.ensure_future(_stream(send, game_id, state, listener))
    gone = asyncio.ensure_future(_disconnected(receive))
    await asyncio.wait({streaming, gone}, return_when=asyncio.FIRST_COMPLETED)
    for task in (streaming, gone):
        task.cancel()
    await asyncio.gather(streaming, gone, return_exceptions=True)


async def _disconnected(receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass
