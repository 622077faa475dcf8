"""Several application servers behind a load balancer, one killed mid-exam, and
one application server and one event-stream process killed mid-question of a live game.

The layout docs/scaling.md describes, on 127.0.0.1: PostgreSQL (the database
named by CLUSTER_DATABASE_URL, emptied first), Redis (a server this test starts
on a free port: the cache and Channels' layer), two identical application servers
(gunicorn) on two ports, two event-stream processes (uvicorn, as `make run` starts
them) for the live game, and HAProxy in front of them all checking /healthz and
sending /live/events/ to the event-stream processes. A scaled exam runs through the
balancer; one server is killed with SIGKILL in the middle. Then:

- every answer the site acknowledged is in the database, once;
- the students who were on the killed server go on, on the other, without
  signing in again (sessions live in the database);
- no request the balancer retried was stored twice (each student has one
  attempt and every item at most one answer, whatever was retried).

A live game runs through the same balancer: a host and PLAYERS phones (plain
requests, each phone also holding the game's event stream open). In the middle of
a question one gunicorn and one uvicorn are killed with SIGKILL. Then every phone
comes back with its rejoin cookie and the points it had, every acknowledged answer
is stored once, the game goes on to its end, and the streams that were cut reconnect
through the balancer and receive the next change (published by a gunicorn, carried
to the surviving uvicorn by Redis).

It needs PostgreSQL, redis-server and haproxy (Debian's packages): .ci/run
installs and starts them and sets CLUSTER_DATABASE_URL. Without that variable
the test is skipped, except in `make test-postgres` under CI=true, where it must run.
"""

import http.client
import json
import os
import random
import re
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest

from bench.servers import free_port, haproxy_config

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CSRF = secrets.token_hex(16)
STUDENTS = 40
QUESTIONS = 12
PLAYERS = 20
ROUNDS = 4
KILL_ROUND = 2

SETUP = f"""
import json
from django.contrib.auth.models import User
from learning.models import Bank, Choice, Passage, Question, Quiz, Source
from tests.signed_in import session_for

source = Source.objects.create(title="S", slug="s")
passage = Passage.objects.create(source=source, number=1, text="Lavrov chaired it.")
bank = Bank.objects.create(name="B", slug="b")
for n in range({QUESTIONS}):
    question = Question.objects.create(bank=bank, passage=passage, kind="single",
                                       prompt=f"Question {{n}}?", explanation="Because.",
                                       published=True)
    for k in range(3):
        Choice.objects.create(question=question, text=f"Option {{k}}", credit=1 if k == 0 else 0)
quiz = Quiz.objects.create(title="Exam", slug="exam", attempts_allowed=1, published=True,
                           feedback_timing="deferred", shuffle_questions=False)
quiz.banks.add(bank)
sessions = [
    session_for(User.objects.create_user(f"student{{n:02d}}")) for n in range({STUDENTS})
]
host = User.objects.create_user("host", is_staff=True, is_superuser=True)
print(json.dumps({{"students": sessions, "host": session_for(host)}}))
"""

VERIFY = """
import json
from django.db.models import Count
from learning.models import Attempt, AttemptItem
answered = {
    f"{a}:{p}": r
    for a, p, r in AttemptItem.objects.filter(answered_at__isnull=False).values_list(
        "attempt_id", "position", "response"
    )
}
per_student = list(
    Attempt.objects.values("user").annotate(n=Count("id")).values_list("n", flat=True)
)
print(json.dumps({"answered": answered, "attempts_per_student": per_student}))
"""

VERIFY_LIVE = """
import json
from django.db.models import Count, Sum
from learning.models import Game, LiveAnswer, Player
game = Game.objects.get()
answers = LiveAnswer.objects.filter(player__game=game, answered_at__isnull=False)
print(json.dumps({
    "phase": game.phase,
    "position": game.position,
    "answered": [f"{nick}:{pos}" for nick, pos in answers.values_list(
        "player__nickname", "game_question__position")],
    "twice": answers.values("player", "game_question").annotate(n=Count("id"))
        .filter(n__gt=1).count(),
    "points": dict(Player.objects.filter(game=game).values_list("nickname", "points")),
    "earned": dict(answers.values_list("player__nickname").annotate(p=Sum("points"))),
}))
"""


def _required(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/local/sbin")
    if found is None:
        _skip_or_fail(f"{name} not found: install it from Debian's packages (.ci/run does)")
    return found


def _skip_or_fail(message: str) -> None:
    if os.environ.get("CI") == "true" and os.environ.get("EXPECT_DATABASE") == "postgresql":
        pytest.fail(message)
    pytest.skip(message)


def _wait_for(port: int, path: str = "/healthz", seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if _request(port, "GET", path)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"nothing answered on port {port} within {seconds} s")


def _request(port: int, method: str, path: str, data: dict | None = None, session: str = ""):
    """(status, Location) of one request, redirects not followed."""
    status, headers, _body = _fetch(
        port, method, path, data, f"sessionid={session}" * bool(session)
    )
    return status, headers.get("Location", "")


def _fetch(port: int, method: str, path: str, data: dict | None = None, cookies: str = "",
           panel: bool = False):  # fmt: skip
    """(status, headers, text) of one request with these cookies, redirects not followed;
    `panel` asks a live page for its panel only, as the page's script does."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Cookie": f"csrftoken={CSRF}" + (f"; {cookies}" if cookies else "")}
    if panel:
        headers["X-Live-Panel"] = "1"
    body = None
    if data is not None:
        body = urlencode({**data, "csrfmiddlewaretoken": CSRF})
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode()
        return response.status, response.headers, text
    finally:
        conn.close()


class Cluster:
    def __init__(self, tmp: Path, database_url: str) -> None:
        self.tmp = tmp
        self.processes: dict[str, subprocess.Popen] = {}
        self.redis_port = free_port()
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "DJANGO_SECRET_KEY": "cluster-" + secrets.token_hex(16),
            "DJANGO_DEBUG": "0",
            "DATA_DIR": str(tmp / "var"),
            "WEB_CONCURRENCY": "2",
            "LOG_LEVEL": "WARNING",
        }
        # The pages open the event streams on the site's own address: HAProxy routes them.
        self.env.pop("LIVE_EVENTS_PORT", None)
        self.ports = {"a": free_port(), "b": free_port()}
        self.events = {"ea": free_port(), "eb": free_port()}
        self.front = free_port()

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [str(BIN / "python"), "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def _spawn(self, name: str, args: list[str]) -> None:
        log = open(self.tmp / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
        self.processes[name] = subprocess.Popen(
            args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def start(self) -> None:
        self._spawn(
            "redis",
            [_required("redis-server"), "--port", str(self.redis_port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no"],
        )  # fmt: skip
        # Migrations run once, from one place, never on a server's start (docs/scaling.md).
        self.manage(
            "shell", "-c",
            "from django.db import connection\n"
            "connection.cursor().execute('DROP SCHEMA public CASCADE; CREATE SCHEMA public')",
        )  # fmt: skip
        self.manage("migrate", "--noinput")
        self.manage("collectstatic", "--noinput", "--verbosity", "0")
        made = json.loads(self.manage("shell", "-c", SETUP).splitlines()[-1])
        self.sessions, self.host = made["students"], made["host"]
        for name, port in self.ports.items():
            self.start_server(name, port)
        for name, port in self.events.items():
            self.start_events(name, port)
        config = self.tmp / "haproxy.cfg"
        workers = int(self.env["WEB_CONCURRENCY"])
        config.write_text(haproxy_config(self.front, self.ports, workers, self.events))
        self._spawn("haproxy", [_required("haproxy"), "-f", str(config), "-db"])
        _wait_for(self.front)

    def start_server(self, name: str, port: int) -> None:
        self._spawn(
            name,
            [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py",
             "--bind", f"127.0.0.1:{port}", "quizsite.wsgi"],
        )  # fmt: skip
        _wait_for(port)

    def start_events(self, name: str, port: int) -> None:
        """An event-stream process, as `make run` starts it beside gunicorn."""
        self._spawn(
            name,
            [str(BIN / "uvicorn"), "quizsite.live_asgi:application", "--host", "127.0.0.1",
             "--port", str(port), "--no-access-log", "--timeout-graceful-shutdown", "2"],
        )  # fmt: skip
        _wait_for(port)

    def kill(self, name: str) -> None:
        """SIGKILL the server's master and workers at once: no shutdown code runs."""
        os.killpg(self.processes[name].pid, signal.SIGKILL)
        self.processes[name].wait(timeout=10)

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)

    def served_by(self, name: str) -> int:
        """How many requests the server logged (gunicorn's access log)."""
        return sum(1 for line in (self.tmp / f"{name}.log").open() if '"POST ' in line)


@pytest.fixture
def cluster(tmp_path):
    url = os.environ.get("CLUSTER_DATABASE_URL", "")
    if not url.startswith("postgres"):
        _skip_or_fail("CLUSTER_DATABASE_URL is not set to an empty PostgreSQL database")
    cluster = Cluster(tmp_path, url)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()


def test_an_exam_through_the_balancer_survives_a_killed_server(cluster):
    started = time.monotonic()
    acknowledged: dict[str, str] = {}
    trouble = {"retried": 0, "signed_out": 0, "failed": 0}
    lock = threading.Lock()
    halfway = threading.Barrier(STUDENTS + 1)

    def send(method: str, path: str, session: str, data: dict | None = None):
        # A student whose page failed presses the button again, as people do,
        # for up to ten seconds (the balancer needs a moment to mark a dead server).
        for _ in range(40):
            try:
                status, location = _request(cluster.front, method, path, data, session)
            except OSError:
                status, location = 0, ""
            if status in (200, 302):
                if "/accounts/login/" in location:
                    with lock:
                        trouble["signed_out"] += 1
                return status, location
            with lock:
                trouble["retried"] += 1
            time.sleep(0.25)
        with lock:
            trouble["failed"] += 1
        return status, location

    def student(session: str, rng: random.Random) -> None:
        status, location = send("POST", "/quizzes/exam/start/", session, {})
        attempt = int(re.search(r"/attempts/(\d+)/", location).group(1))
        for position in range(1, QUESTIONS + 1):
            if position == QUESTIONS // 2 + 1:
                halfway.wait(timeout=120)
            path = f"/attempts/{attempt}/questions/{position}/"
            choice = str(rng.randrange(3))
            status, location = send("POST", path, session, {"answer": choice})
            if status == 302 and location != path:  # sent onward: the answer was stored
                with lock:
                    acknowledged[f"{attempt}:{position}"] = choice
            time.sleep(rng.uniform(0, 0.05))
        send("POST", f"/attempts/{attempt}/finish/", session, {})

    threads = [
        threading.Thread(target=student, args=(s, random.Random(n)))
        for n, s in enumerate(cluster.sessions)
    ]
    for thread in threads:
        thread.start()
    halfway.wait(timeout=120)  # every student has answered half the exam
    served_by_a = cluster.served_by("a")
    cluster.kill("a")
    for thread in threads:
        thread.join(timeout=300)
    elapsed = time.monotonic() - started

    stored = json.loads(cluster.manage("shell", "-c", VERIFY).splitlines()[-1])
    answered = stored["answered"]
    print(
        f"cluster: {STUDENTS} students x {QUESTIONS} answers in {elapsed:.1f} s;"
        f" server a served {served_by_a} posts before its SIGKILL;"
        f" {len(acknowledged)} answers acknowledged, {len(answered)} stored;"
        f" {trouble['retried']} requests pressed again, {trouble['failed']} given up,"
        f" {trouble['signed_out']} sent to log in"
    )
    assert served_by_a > 0  # the killed server really carried part of the exam
    missing = [key for key in acknowledged if key not in answered]
    assert missing == []
    assert len(answered) == STUDENTS * QUESTIONS  # everyone finished every question
    assert stored["attempts_per_student"] == [1] * STUDENTS  # no retried start made two
    assert trouble["signed_out"] == 0 and trouble["failed"] == 0


class Phone:
    """One player: a rejoin cookie, and the game's event stream held open in a thread,
    reconnecting a second after a cut as a browser does (the stream's `retry: 1000`)."""

    def __init__(self, front: int, game: int, nickname: str) -> None:
        self.front, self.game, self.nickname = front, game, nickname
        self.cookie = ""
        self.events: list[tuple[int, dict]] = []  # (connection number, event)
        self.connections = 0
        self.lock = threading.Lock()
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.listen, daemon=True)

    def listen(self) -> None:
        while not self.done.is_set():
            conn = http.client.HTTPConnection("127.0.0.1", self.front, timeout=30)
            try:
                conn.request("GET", f"/live/events/{self.game}/")
                response = conn.getresponse()
                if response.status == 200:
                    with self.lock:
                        self.connections += 1
                    self.read(response, self.connections)
            except (OSError, http.client.HTTPException):
                pass  # cut: reconnect, through the balancer
            finally:
                conn.close()
            if not self.done.is_set():
                time.sleep(1)

    def read(self, response, number: int) -> None:
        while line := response.readline():
            if line.startswith(b"data: "):
                event = json.loads(line[len(b"data: ") :])
                with self.lock:
                    self.events.append((number, event))
                if event["phase"] == "finished":
                    self.done.set()
                    return

    def seen(self) -> list[tuple[int, dict]]:
        with self.lock:
            return list(self.events)


def _wait(check, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "waited in vain"
        time.sleep(0.05)


def test_a_live_game_through_the_balancer_survives_a_killed_server_and_stream(cluster):
    started = time.monotonic()
    front, host = cluster.front, f"sessionid={cluster.host}"
    trouble = {"retried": 0, "failed": 0, "refused": 0}
    acknowledged: set[str] = set()
    lock = threading.Lock()

    def send(method, path, cookies, data=None, panel=False):
        # As in the exam: a failed page is tried again, for up to ten seconds.
        for _ in range(40):
            try:
                status, headers, text = _fetch(front, method, path, data, cookies, panel)
            except OSError:
                status, headers, text = 0, {}, ""
            if status in (200, 302, 409):
                return status, headers, text
            with lock:
                trouble["retried"] += 1
            time.sleep(0.25)
        with lock:
            trouble["failed"] += 1
        return status, headers, text

    status, headers, _text = send(
        "POST",
        "/teach/live/new/",
        host,
        {"quiz": "exam", "count": ROUNDS, "seconds": 120, "teams": 0},
    )
    assert status == 302, status
    game = int(re.search(r"/teach/live/(\d+)/", headers["Location"]).group(1))

    def host_panel() -> tuple[int, str, str]:
        status, _headers, text = send("GET", f"/teach/live/{game}/", host, panel=True)
        assert status == 200, status
        version = int(re.search(r'data-version="(\d+)"', text).group(1))
        phase = re.search(r'data-phase="([a-z-]+)"', text).group(1)
        pin = re.search(r'class="live-pin"[^>]*>(\d+)<', text)
        return version, phase, pin.group(1) if pin else ""

    def host_next() -> str:
        version, _phase, _pin = host_panel()
        status, _h, _t = send(
            "POST", f"/teach/live/{game}/control/", host, {"action": "next", "version": version}
        )
        assert status == 302, status
        return host_panel()[1]

    pin = host_panel()[2]
    phones = [Phone(front, game, f"Player {n:02d}") for n in range(PLAYERS)]

    def join(phone: Phone) -> None:
        status, headers, _text = send(
            "POST", "/live/", "", {"pin": pin, "nickname": phone.nickname}
        )
        assert status == 302 and headers["Location"] == f"/live/{game}/", status
        cookie = re.search(rf"(live_{game}=[^;]+)", headers["Set-Cookie"]).group(1)
        phone.cookie = cookie
        phone.thread.start()

    def panel(phone: Phone) -> tuple[str, int]:
        """The phone's page (its panel), and the points it shows."""
        status, headers, text = send("GET", f"/live/{game}/", phone.cookie, panel=True)
        assert status == 200, (status, headers.get("Location"))  # not sent to join again
        shown = re.search(r"<strong>([^<]+)</strong> · (\d+) point", text)
        assert shown and shown.group(1) == phone.nickname
        return text, int(shown.group(2))

    def answer(phone: Phone, position: int, rng: random.Random) -> None:
        text, _points = panel(phone)
        tiles = re.findall(r'name="answer" value="(\d+)"', text)
        assert f'name="position" value="{position}"' in text and tiles
        status, _headers, _text = send(
            "POST",
            f"/live/{game}/",
            phone.cookie,
            {"position": position, "answer": rng.choice(tiles)},
        )
        with lock:
            if status == 302:  # sent back to its page: the answer was stored
                acknowledged.add(f"{phone.nickname}:{position}")
            else:
                trouble["refused"] += 1

    def each(task, group, *args) -> None:
        threads = [threading.Thread(target=task, args=(p, *args)) for p in group]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)

    each(join, phones)
    _wait(lambda: all(phone.seen() for phone in phones))  # every stream read its first event
    rng = random.Random(26)
    before, after, cut_at = {}, {}, {}
    for position in range(1, ROUNDS + 1):
        assert host_next() == "question"
        if position != KILL_ROUND:
            each(answer, phones, position, rng)
        else:
            first, second = phones[: PLAYERS // 2], phones[PLAYERS // 2 :]
            each(answer, first, position, rng)
            each(lambda p: before.__setitem__(p.nickname, panel(p)[1]), phones)
            served_by_a = cluster.served_by("a")
            streams_before = {p.nickname: p.connections for p in phones}
            cut_at = {p.nickname: len(p.seen()) for p in phones}
            killed = time.monotonic()
            cluster.kill("a")
            cluster.kill("ea")
            # Mid-question: every phone comes back (its cookie), the rest answer.
            each(lambda p: after.__setitem__(p.nickname, panel(p)[1]), phones)
            each(answer, second, position, rng)
        _wait(lambda: host_panel()[1] == "reveal")  # everyone answered: closed by the server
    assert host_next() == "finished"
    elapsed = time.monotonic() - started
    for phone in phones:
        phone.thread.join(timeout=30)

    stored = json.loads(cluster.manage("shell", "-c", VERIFY_LIVE).splitlines()[-1])
    cut = [p for p in phones if p.connections > streams_before[p.nickname]]
    # The change after each cut stream came back: an event on its new connection
    # that differs from the state it was first sent there.
    later = {p.nickname: [e for n, e in p.seen() if n == p.connections] for p in cut}
    changed = [name for name, events in later.items() if any(e != events[0] for e in events)]
    print(
        f"live: {PLAYERS} players x {ROUNDS} questions in {elapsed:.1f} s; gunicorn a served"
        f" {served_by_a} posts before its SIGKILL, with uvicorn ea, mid-question {KILL_ROUND};"
        f" {len(cut)} streams cut and reconnected, {len(changed)} of them sent the next change;"
        f" {sum(len(p.seen()) - cut_at[p.nickname] for p in phones)} events after the kill;"
        f" {len(acknowledged)} answers acknowledged, {len(stored['answered'])} stored;"
        f" {trouble['retried']} requests pressed again, {trouble['failed']} given up,"
        f" {trouble['refused']} refused; {time.monotonic() - killed:.1f} s from the kill to the end"
    )
    assert served_by_a > 0 and cut  # the killed processes really carried part of the game
    assert after == before  # every phone rejoined with the points it had
    assert sorted(changed) == sorted(p.nickname for p in cut)
    assert all(p.seen()[-1][1]["phase"] == "finished" for p in phones)  # every stream saw the end
    assert acknowledged <= set(stored["answered"]) and stored["twice"] == 0
    assert len(stored["answered"]) == PLAYERS * ROUNDS  # every answer in, once
    assert stored["phase"] == "finished" and stored["position"] == ROUNDS
    assert stored["points"] == {p.nickname: stored["earned"].get(p.nickname, 0) for p in phones}
    assert trouble["failed"] == 0 and trouble["refused"] == 0
