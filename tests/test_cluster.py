"""Several application servers behind a load balancer, one killed mid-exam.

The layout docs/scaling.md describes, on 127.0.0.1: PostgreSQL (the database
named by CLUSTER_DATABASE_URL, emptied first), Redis (a server this test starts
on a free port), two identical application servers on two ports, and HAProxy in
front of them checking /healthz. A scaled exam runs through the balancer; one
server is killed with SIGKILL in the middle. Then:

- every answer the site acknowledged is in the database, once;
- the students who were on the killed server go on, on the other, without
  signing in again (sessions live in the database);
- no request the balancer retried was stored twice (each student has one
  attempt and every item at most one answer, whatever was retried).

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

SETUP = f"""
import json
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import User
from django.contrib.sessions.backends.db import SessionStore
from learning.models import Bank, Choice, Passage, Question, Quiz, Source

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
sessions = []
for n in range({STUDENTS}):
    user = User.objects.create_user(f"student{{n:02d}}")
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    sessions.append(store.session_key)
print(json.dumps(sessions))
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
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Cookie": f"csrftoken={CSRF}" + (f"; sessionid={session}" if session else "")}
    body = None
    if data is not None:
        body = urlencode({**data, "csrfmiddlewaretoken": CSRF})
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status, response.getheader("Location", "")
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
        self.ports = {"a": free_port(), "b": free_port()}
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
        self.sessions = json.loads(self.manage("shell", "-c", SETUP).splitlines()[-1])
        for name, port in self.ports.items():
            self.start_server(name, port)
        config = self.tmp / "haproxy.cfg"
        config.write_text(haproxy_config(self.front, self.ports, int(self.env["WEB_CONCURRENCY"])))
        self._spawn("haproxy", [_required("haproxy"), "-f", str(config), "-db"])
        _wait_for(self.front)

    def start_server(self, name: str, port: int) -> None:
        self._spawn(
            name,
            [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py",
             "--bind", f"127.0.0.1:{port}", "quizsite.wsgi"],
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
