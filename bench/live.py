"""The live game's bench: N games of P players on this machine, as `make run` serves it.

    python bench/live.py            # LIVE_GAMES=5 LIVE_PLAYERS=33 by default

It makes a fresh SQLite database in a temporary folder, a bank of single-choice
questions and one host teacher per game, starts gunicorn (every page) and the
event-stream process (uvicorn, quizsite/live_asgi.py) as `make run` does, and drives
them from this process with aiohttp: every player joins by PIN and nickname, opens
the phone's page, holds the event stream it names, fetches its view when the stream
says the game changed (unless the event carries it: a question just opened or closed,
sent whole to a phone's stream), and answers each question after a random think time
(up to LIVE_THINK_MAX seconds); each host presses "next" LIVE_READ seconds after
everyone has answered. Every class's lobby opens at once and its phones join at
random moments within LIVE_JOIN seconds (30: students typing the PIN and a nickname;
0: one after another, 5 ms apart, as fast as the site takes them). LIVE_START=class
(the default) starts each game once its own class has joined, while others are still
joining; LIVE_START=school once every phone of every game has joined, all in the same
second. LIVE_STREAMS sets uvicorn's number of processes (1, as `make run`). Measured:

- push: from the host's "next" (before its POST is sent) to the moment a phone has
  its question view, per phone per question;
- ack: an answer's POST, sent to its answer received;
- lost answers: answers acknowledged against answers in the database;
- errors: any other status, a stream that broke, a traceback in the logs;
- server CPU per game: gunicorn's and uvicorn's CPU time over the run, divided by games
  (and each server's share), and the client's own CPU;
- the host's "next" POST, and the client's own lateness (how late a 10 ms sleep of its
  event loop wakes), overall and in the 2 s after each question's first "next": what
  of each latency is the client's and not the site's.

Each game's projector holds its event stream too and fetches its own view on each new
version, as live.js does; LIVE_PROJECTOR_COUNTS=1 makes it fetch on each new count of
answers as well, as the script did before it set the count from the event (to measure
the code of then with the same bench).

Results go to bench/results/DATE-live-GxP[-LIVE_LABEL].md.
"""

import asyncio
import datetime as dt
import html
import json
import os
import platform
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
import psutil

try:
    import uvloop
except ImportError:  # Windows
    uvloop = None

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
GAMES = int(os.environ.get("LIVE_GAMES", 5))
PLAYERS = int(os.environ.get("LIVE_PLAYERS", 33))
QUESTIONS = int(os.environ.get("LIVE_QUESTIONS", 5))
SECONDS = int(os.environ.get("LIVE_SECONDS", 20))
THINK_MAX = float(os.environ.get("LIVE_THINK_MAX", 8))
# How long each host leaves the answer and the quote on the screen before "next".
READ = float(os.environ.get("LIVE_READ", 1))
# "class": each host starts once its own class has joined, while the other classes
# are still joining; "school": once every phone of every game has joined, all at once.
START = os.environ.get("LIVE_START", "class")
JOIN = float(os.environ.get("LIVE_JOIN", 30))
PROJECTOR_COUNTS = os.environ.get("LIVE_PROJECTOR_COUNTS") == "1"
LABEL = os.environ.get("LIVE_LABEL", "")
WORKERS = int(os.environ.get("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1) + 1))
STREAMS = int(os.environ.get("LIVE_STREAMS", 1))
LOOP = "uvloop" if uvloop else "asyncio"
CSRF = "b" * 32

SETUP = """
import json
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from learning import services
from learning.models import Bank, Choice, Passage, Question, Source
from learning.services import live

source = Source.objects.create(title="Bench", slug="bench")
passage = Passage.objects.create(source=source, number=1, text="Lavrov chaired it.")
bank = Bank.objects.create(name="Bench live", slug="bench-live")
for n in range(__QUESTIONS__):
    q = Question.objects.create(bank=bank, passage=passage, kind="single", published=True,
                                prompt=f"Live bench question {n}?", explanation="Because.")
    for k in range(4):
        Choice.objects.create(question=q, text=f"Option {k}", credit=1 if k == 0 else 0)
games = []
for g in range(__GAMES__):
    host = services.teacher_create(username=f"host{g}", password="bench-host-2020")
    game = live.game_create(host=host, bank=bank, count=__QUESTIONS__, seconds=__SECONDS__)
    store = SessionStore()
    store[SESSION_KEY] = str(host.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = host.get_session_auth_hash()
    store.create()
    games.append({"id": game.pk, "pin": game.pin, "session": store.session_key})
print("GAMES=" + json.dumps(games))
"""

COUNT = """
from learning.models import LiveAnswer
print("STORED=%d" % LiveAnswer.objects.filter(answered_at__isnull=False).count())
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def percentiles(values: list[float]) -> tuple[float, float, float]:
    if len(values) < 2:
        return (values[0] if values else float("nan"),) * 3
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return statistics.median(values), cuts[94], cuts[98]


class Run:
    def __init__(self, site: str, events: str) -> None:
        self.site, self.events = site, events
        self.push: list[float] = []
        self.ack: list[float] = []
        self.acked = 0
        self.errors: list[str] = []
        self.opened: dict[tuple[int, int], float] = {}
        self.answered: dict[tuple[int, int], int] = {}
        self.pending: set[asyncio.Future] = set()
        self.push_at: dict[int, list[float]] = {}  # the same, by question
        self.push_by: dict[tuple[int, int], list[float]] = {}  # and by game and question
        self.next_done: dict[tuple[int, int], float] = {}  # the opening "next", answered after
        self.presses: list[float] = []  # the host's "next" POST, sent to answered
        self.lag: list[float] = []  # the client's event loop, late by
        self.lag_at: list[float] = []  # and when
        self.whole = 0  # phones' views that came whole in an event
        self.fetched = 0  # and that they fetched from the site
        self.stale = 0  # hosts' nexts refused as stale (pressed again)


async def player(
    run: Run, game: dict, n: int, ready: asyncio.Event, done: asyncio.Event, joins_at: float
):
    await asyncio.sleep(joins_at)
    jar = aiohttp.CookieJar(unsafe=True)
    jar.update_cookies({"csrftoken": CSRF})
    timeout = aiohttp.ClientTimeout(total=None, sock_read=None)
    async with aiohttp.ClientSession(cookie_jar=jar, timeout=timeout) as http:
        async with http.post(
            f"{run.site}/live/",
            data={"csrfmiddlewaretoken": CSRF, "pin": game["pin"], "nickname": f"P{n}"},
            allow_redirects=False,
        ) as response:
            if response.status != 302:
                run.errors.append(f"join {response.status}")
                return
        panel_url = f"{run.site}/live/{game['id']}/"
        # The phone's page, as a browser follows the join's redirect: it names the
        # stream to open (with the player's token and the page's language).
        async with http.get(panel_url) as response:
            page = await response.text()
        events = re.search(r'data-live-events="([^"]+)"', page)
        if response.status != 200 or events is None:
            run.errors.append(f"play page {response.status}")
            return
        ready.set()
        seen: set[int] = set()
        shown = None
        async with http.get(html.unescape(events.group(1))) as stream:
            async for line in stream.content:
                if done.is_set():
                    return
                if not line.startswith(b"data: "):
                    continue
                # As live.js: a phone fetches its view on a new version, and not for
                # another player's arrival in the lobby or a count of answers.
                state = json.loads(line[len(b"data: ") :])
                if state["phase"] == "lobby" or state["version"] == shown:
                    continue
                shown = state["version"]
                if "html" in state:
                    body = state["html"]  # a question just opened or closed, sent whole
                    run.whole += 1
                else:
                    async with http.get(panel_url, headers={"X-Live-Panel": "1"}) as response:
                        body = await response.text()
                    run.fetched += 1
                    if response.status != 200:
                        run.errors.append(f"panel {response.status}")
                        continue
                got = time.perf_counter()
                if 'data-phase="finished"' in body:
                    return
                match = re.search(r'name="position" value="(\d+)"', body)
                if not match or int(match.group(1)) in seen:
                    continue
                position = int(match.group(1))
                seen.add(position)
                run.push.append(got - run.opened[(game["id"], position)])
                run.push_at.setdefault(position, []).append(
                    got - run.opened[(game["id"], position)]
                )
                run.push_by.setdefault((game["id"], position), []).append(
                    got - run.opened[(game["id"], position)]
                )
                tiles = len(re.findall(r'name="answer" value="', body))
                run.pending.add(
                    asyncio.ensure_future(answer(run, http, game, panel_url, position, tiles))
                )


async def answer(run, http, game, url, position, tiles):
    await asyncio.sleep(random.uniform(0.5, THINK_MAX))
    data = {
        "csrfmiddlewaretoken": CSRF,
        "position": position,
        "answer": str(random.randrange(max(tiles, 1))),
    }
    sent = time.perf_counter()
    async with http.post(url, data=data, headers={"X-Live-Panel": "1"}) as response:
        body = await response.text()
    if response.status == 200:
        run.ack.append(time.perf_counter() - sent)
        run.acked += 1
        key = (game["id"], position)
        run.answered[key] = run.answered.get(key, 0) + 1
    else:
        alert = re.search(r'role="alert">([^<]*)<', body)
        run.errors.append(f"answer {response.status} {alert.group(1) if alert else ''}")


class Screen:
    """The projector's page, as live.js keeps it: the view shown, one fetch at a time
    (a change arriving meanwhile fetches once more afterwards), none while the host's
    control is on its way (its answer is the new view)."""

    def __init__(self, run: Run, game: dict, http) -> None:
        self.run, self.http = run, http
        self.url = f"{run.site}/teach/live/{game['id']}/"
        self.shown, self.version, self.latest = "", None, None
        self.changed, self.sending = asyncio.Event(), False

    def show(self, body: str) -> None:
        version = int(re.search(r'data-version="(\d+)"', body).group(1))
        if self.version is None or version >= self.version:
            self.shown, self.version = body, version

    async def fetch(self) -> None:
        while True:
            await self.changed.wait()
            self.changed.clear()
            if self.sending or self.latest == (self.version, 0):
                continue
            async with self.http.get(self.url, headers={"X-Live-Panel": "1"}) as response:
                body = await response.text()
            if response.status != 200:
                self.run.errors.append(f"projector {response.status}")
                continue
            self.show(body)

    async def press(self, opens: tuple[int, int] | None = None) -> None:
        """The host's "next", once the screen shows the game's latest change (as a
        teacher reads it), again if it did not move the game (a change just before).
        `opens`: the (game, position) it opens, timed from when its POST is sent."""
        while True:
            await self.current()
            pressed = self.phase()
            if opens:
                self.run.opened[opens] = time.perf_counter()
            if not await self.send():
                return  # refused outright (an error, counted): not pressed again
            if opens:
                self.run.next_done[opens] = time.perf_counter() - self.run.opened[opens]
            # Every "next" moves the phase; refused (a change just before), it is
            # pressed again on the view the answer brought back, as a teacher would.
            if self.phase() != pressed:
                return
            self.run.stale += 1

    async def current(self) -> None:
        """Until the screen shows the game's latest change, as a teacher reads it."""
        while self.latest is None or self.version < self.latest[0]:
            await asyncio.sleep(0.02)

    def phase(self) -> str:
        return re.search(r'data-phase="([^"]*)"', self.shown).group(1)

    async def send(self) -> bool:
        data = {"csrfmiddlewaretoken": CSRF, "action": "next", "version": self.version}
        self.sending = True
        sent = time.perf_counter()
        async with self.http.post(
            self.url + "control/", data=data, headers={"X-Live-Panel": "1"}
        ) as response:
            body = await response.text()
        self.run.presses.append(time.perf_counter() - sent)
        self.sending = False
        if response.status != 200:
            self.run.errors.append(f"next {response.status}")
            return False
        self.show(body)
        if self.latest and self.latest[0] > self.version:
            self.changed.set()  # a change the answer does not show
        return True


async def everyone_in(readies: list[asyncio.Event]) -> None:
    await asyncio.gather(*(ready.wait() for ready in readies))


async def projector(run: Run, game: dict, joined, done: asyncio.Event):
    """The host's screen: its event stream, its view, and the host pressing "next"
    once everyone has answered (and LIVE_READ seconds to read the answer)."""
    jar = aiohttp.CookieJar(unsafe=True)
    jar.update_cookies({"csrftoken": CSRF, "sessionid": game["session"]})
    timeout = aiohttp.ClientTimeout(total=None, sock_read=None)
    async with (
        aiohttp.ClientSession(cookie_jar=jar, timeout=timeout) as http,
        http.get(f"{run.events}/live/events/{game['id']}/") as stream,
    ):
        screen = Screen(run, game, http)
        tasks = [asyncio.ensure_future(screen.fetch())]

        async def listen() -> None:
            async for line in stream.content:
                if not line.startswith(b"data: "):
                    continue
                state = json.loads(line[len(b"data: ") :])
                screen.latest = (state["version"], state["answered"] if PROJECTOR_COUNTS else 0)
                screen.changed.set()

        tasks.append(asyncio.ensure_future(listen()))
        try:
            await (joined.wait() if isinstance(joined, asyncio.Event) else joined)
            await host(run, game, screen)
        finally:
            done.set()
            for task in tasks:
                task.cancel()


async def host(run: Run, game: dict, screen: Screen) -> None:
    # As a teacher starts: once the projector shows the whole class.
    while screen.shown.count('class="live-player-name"') < PLAYERS:
        await asyncio.sleep(0.05)
    for position in range(1, QUESTIONS + 2):
        await screen.current()  # the last answer may have closed the question
        if 'data-phase="question' in screen.shown:
            # Someone did not answer and no request closed it yet: close it first.
            await screen.press()
        await screen.press(opens=(game["id"], position))
        if position > QUESTIONS:
            break
        deadline = time.perf_counter() + SECONDS + 2
        while run.answered.get((game["id"], position), 0) < PLAYERS:
            if time.perf_counter() > deadline:
                break
            await asyncio.sleep(0.1)
        await asyncio.sleep(READ)  # the class reads the answer and the quote


def cpu(processes: list[psutil.Process]) -> list[float]:
    """Each server's CPU time so far: its own, its live workers', and that of the
    workers it has already reaped (gunicorn starts a new one every ~1,000 requests,
    and a worker gone would otherwise take its CPU time with it)."""
    totals = []
    for proc in processes:
        total = 0.0
        try:
            times = proc.cpu_times()
            total += times.user + times.system + times.children_user + times.children_system
            for child in proc.children(recursive=True):
                times = child.cpu_times()
                total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
        totals.append(total)
    return totals


async def lag(run: Run) -> None:
    """The client's own delay: how late a 10 ms sleep of its event loop wakes, which
    every latency measured here includes (the phones of a school share one process)."""
    while True:
        asked = time.perf_counter()
        await asyncio.sleep(0.01)
        run.lag.append(time.perf_counter() - asked - 0.01)
        run.lag_at.append(asked)


async def drive(run: Run, games: list[dict]) -> None:
    tasks, everyone, school = [], [], asyncio.Event()
    lateness = asyncio.ensure_future(lag(run))
    for game in games:
        readies = [asyncio.Event() for _ in range(PLAYERS)]
        everyone += readies
        done = asyncio.Event()
        # LIVE_START=school: every host waits until the whole school has joined.
        joined = school if START == "school" else asyncio.ensure_future(everyone_in(readies))
        tasks.append(asyncio.ensure_future(projector(run, game, joined, done)))
        for n in range(PLAYERS):
            joins_at = random.uniform(0, JOIN) if JOIN else 0.005 * (len(everyone) - PLAYERS + n)
            tasks.append(asyncio.ensure_future(player(run, game, n, readies[n], done, joins_at)))
    try:
        await asyncio.wait_for(everyone_in(everyone), timeout=JOIN + 120)
    except TimeoutError:
        run.errors.append("not every phone joined")  # each one's own error says why
    school.set()
    await asyncio.wait(tasks, timeout=JOIN + QUESTIONS * (SECONDS + READ + 6) + 120)
    for task in [*tasks, lateness]:
        task.cancel()
    # A phone or projector that died of an exception is an error of the bench's own.
    failed = [t for t in tasks if t.done() and not t.cancelled() and t.exception()]
    run.errors += [f"client {type(t.exception()).__name__}: {t.exception()}" for t in failed]


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="live-bench-"))
    env = {
        **os.environ,
        "DATA_DIR": str(work),
        "DJANGO_DEBUG": "0",
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "quizsite.settings",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DATABASE_URL", None)
    py = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*py, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*py, "collectstatic", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    setup = SETUP.replace("__QUESTIONS__", str(QUESTIONS)).replace("__GAMES__", str(GAMES))
    setup = setup.replace("__SECONDS__", str(SECONDS))
    out = subprocess.run(
        [*py, "shell", "-c", setup], env=env, check=True, cwd=ROOT, capture_output=True, text=True
    ).stdout
    games = json.loads(out.split("GAMES=", 1)[1])
    site_port, events_port = free_port(), free_port()
    env["LIVE_EVENTS_PORT"] = str(events_port)
    env["WEB_CONCURRENCY"] = str(WORKERS)
    logs = open(work / "server.log", "w")  # noqa: SIM115 (the servers write to it until the end)
    events = subprocess.Popen(
        [
            str(BIN / "uvicorn"),
            "quizsite.live_asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(events_port),
            "--no-access-log",
            # One process, as `make run` starts it: uvicorn would otherwise take
            # WEB_CONCURRENCY (set below for gunicorn) as its number of workers.
            "--workers",
            str(STREAMS),
        ],
        env=env,
        cwd=ROOT,
        stdout=logs,
        stderr=subprocess.STDOUT,
    )
    site = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "--config",
            "gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{site_port}",
            "--access-logfile",
            os.environ.get("LIVE_ACCESS_LOG", "/dev/null"),
        ],
        env=env,
        cwd=ROOT,
        stdout=logs,
        stderr=subprocess.STDOUT,
    )
    try:
        time.sleep(3)
        servers = [psutil.Process(site.pid), psutil.Process(events.pid)]
        before = cpu(servers)
        run = Run(f"http://127.0.0.1:{site_port}", f"http://127.0.0.1:{events_port}")
        started, client = time.perf_counter(), time.process_time()
        # uvloop's event loop (as the stream process's) where installed: less of each
        # latency is then the client's own.
        (uvloop.run if uvloop else asyncio.run)(drive(run, games))
        elapsed = time.perf_counter() - started
        run.client_cpu = time.process_time() - client
        used = [after - start for after, start in zip(cpu(servers), before, strict=True)]
    finally:
        site.terminate()
        events.terminate()
        site.wait(10)
        events.wait(10)
        logs.close()
    stored = int(
        subprocess.run(
            [*py, "shell", "-c", COUNT], env=env, capture_output=True, text=True, cwd=ROOT
        ).stdout.split("STORED=")[1]
    )
    tracebacks = (work / "server.log").read_text().count("Traceback")
    report(run, games, elapsed, used, stored, tracebacks)
    if not os.environ.get("BENCH_KEEP"):
        shutil.rmtree(work, ignore_errors=True)


def row(name: str, values: list[float], count: str) -> str:
    p50, p95, p99 = percentiles(values)
    return f"| {name} | {p50:.0f} | {p95:.0f} | {p99:.0f} | {count} |"


def late_after(run: Run, position: int) -> list[float]:
    first = min(at for (_game, n), at in run.opened.items() if n == position)
    return [late for late, at in zip(run.lag, run.lag_at, strict=True) if 0 <= at - first < 2]


def p95_of(times: dict[tuple[int, int], float], position: int) -> float:
    return percentiles([1000 * v for (_game, n), v in times.items() if n == position])[1]


def on_most_phones(run: Run) -> dict[tuple[int, int], float]:
    """The issue's measure: for each "next", the time until 95 % of its game's phones
    had the question (a phone that never had it counts as never)."""
    reach = {}
    for key in run.opened:
        if key[1] > QUESTIONS:
            continue
        times = sorted(run.push_by.get(key, []))
        times += [float("inf")] * (PLAYERS - len(times))
        reach[key] = times[max(0, -(-PLAYERS * 95 // 100) - 1)]
    return reach


def report(run, games, elapsed, cpus, stored, tracebacks) -> None:
    used = sum(cpus)
    push = [1000 * v for v in run.push]
    most = on_most_phones(run)
    ack = [1000 * v for v in run.ack]
    expected = len(games) * PLAYERS * QUESTIONS
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    lines = [
        f"# Live game bench: {len(games)} games x {PLAYERS} players, {QUESTIONS} questions",
        "",
        f"{dt.date.today()} · commit {commit} · {os.cpu_count()} cores "
        f"({platform.processor() or platform.machine()}) · SQLite · gunicorn {WORKERS} sync "
        f"workers + {STREAMS} uvicorn event-stream process · client (aiohttp, {LOOP} loop) on the "
        "same machine",
        "",
        "| measure | p50 | p95 | p99 | count |",
        "|---|---|---|---|---|",
        row("host's next → question on a phone (ms)", push, f"{len(push)} of {expected}"),
        row(
            "host's next → question on 95 % of its game's phones (ms)",
            [1000 * v for v in most.values()],
            f"{len(most)} nexts",
        ),
        row("answer acknowledged (ms)", ack, str(len(ack))),
        row(
            "the host's next answered (ms)", [1000 * v for v in run.presses], str(len(run.presses))
        ),
        row(
            "the client's own lateness (ms)",
            [1000 * v for v in run.lag],
            f"every 10 ms; max {1000 * max(run.lag, default=0):.0f}",
        ),
        "",
        "- the client's lateness at most, in the 2 s after each question's first next: "
        + ", ".join(
            f"{n}: {1000 * max(late_after(run, n), default=0):.0f} ms" for n in sorted(run.push_at)
        ),
        "- next → question p95 by question: "
        + ", ".join(
            f"{n}: {percentiles([1000 * v for v in run.push_at[n]])[1]:.0f} ms"
            for n in sorted(run.push_at)
        ),
        "- by question, p95 of the opening next answered / of 95 % of the phones reached: "
        + ", ".join(
            f"{n}: {p95_of(run.next_done, n):.0f} / {p95_of(most, n):.0f} ms"
            for n in sorted(run.push_at)
        ),
        f"- phones that never saw a question before it closed: {expected - len(push)}; "
        f"phones' views sent whole in the event {run.whole}, fetched from the site {run.fetched}; "
        f"hosts' nexts refused as stale and pressed again: {run.stale}",
        f"- answers acknowledged {run.acked}, stored in the database {stored}: "
        f"**{run.acked - stored if run.acked >= stored else 0} lost**"
        + ("" if run.acked == stored else f" (stored - acknowledged = {stored - run.acked})"),
        f"- errors: {len(run.errors)} {sorted(set(run.errors))[:5]}; tracebacks in the "
        f"servers' log: {tracebacks}",
        f"- run {elapsed:.0f} s; server CPU {used:.1f} s in all, **{used / len(games):.2f} s "
        f"per game** ({1000 * used / max(run.acked, 1):.1f} ms per answer, all requests included): "
        f"gunicorn {cpus[0] / len(games):.2f} s, the event-stream process "
        f"{cpus[1] / len(games):.2f} s per game; the client's own CPU {run.client_cpu:.1f} s",
        "",
        f"Settings: LIVE_GAMES={len(games)} LIVE_PLAYERS={PLAYERS} LIVE_QUESTIONS={QUESTIONS} "
        f"LIVE_SECONDS={SECONDS} LIVE_THINK_MAX={THINK_MAX} LIVE_READ={READ} LIVE_START={START} "
        f"LIVE_JOIN={JOIN} "
        f"WEB_CONCURRENCY={WORKERS}" + (" LIVE_PROJECTOR_COUNTS=1" if PROJECTOR_COUNTS else ""),
        "",
        "Load average at the end (1, 5, 15 min): {:.1f}, {:.1f}, {:.1f} on {} cores: anything "
        "above the cores is other work sharing them, and the latencies include its "
        "queueing.".format(*os.getloadavg(), os.cpu_count() or 1),
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    name = f"{dt.date.today()}-live-{len(games)}x{PLAYERS}" + (f"-{LABEL}" if LABEL else "")
    out = ROOT / "bench" / "results" / f"{name}.md"
    out.write_text(text)


if __name__ == "__main__":
    main()
