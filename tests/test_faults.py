"""Faults: the server killed mid-attempt, a write that fails halfway, two tabs racing.

The kill and race tests run a real gunicorn on a free port of 127.0.0.1 over a
database of their own: a temporary SQLite file, or the empty PostgreSQL
database named by FAULTS_DATABASE_URL (its tables are dropped first), so that
the same tests run on both databases. The server runs with DEBUG on only so
that it needs no collected static files.
"""

import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from unittest import mock
from urllib.parse import urlencode

import pytest
from django.utils import timezone

from learning import services
from learning.models import Attempt, AttemptItem, CardState, Review

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CSRF = secrets.token_hex(16)

SETUP = """
import datetime as dt, json
from django.contrib.auth.models import User
from learning.models import Bank, Choice, Passage, Question, Quiz, Source
from tests.signed_in import session_for

source = Source.objects.create(title="S", slug="s")
passage = Passage.objects.create(source=source, number=1, text="Lavrov chaired it.")
bank = Bank.objects.create(name="B", slug="b")
for n in range(8):
    question = Question.objects.create(bank=bank, passage=passage, kind="single",
                                       prompt=f"Question {n}?", explanation="Because.",
                                       published=True)
    for k in range(3):
        Choice.objects.create(question=question, text=f"Option {k}", credit=1 if k == 0 else 0)
quiz = Quiz.objects.create(title="Exam", slug="exam", time_limit=dt.timedelta(minutes=20),
                           feedback_timing="deferred", shuffle_questions=False,
                           published=True)
quiz.banks.add(bank)
once = Quiz.objects.create(title="Once", slug="once", attempts_allowed=1, shuffle_questions=False,
                           published=True)
once.banks.add(bank)
names = ("alice", "bob", *(f"racer{n}" for n in range(6)))
print(json.dumps([session_for(User.objects.create_user(name)) for name in names]))
"""

QUERY = """
import json, os
from learning.models import Attempt
attempt = Attempt.objects.get(pk=int(os.environ["ATTEMPT"]))
items = attempt.items.order_by("position")
print(json.dumps({
    "deadline": attempt.deadline.isoformat(),
    "state": attempt.state,
    "score": attempt.score,
    "answered": [i.position for i in items if i.answered_at is not None],
    "responses": {i.position: i.response for i in items},
}))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Site:
    """A gunicorn serving the site over its own database, which outlives restarts."""

    def __init__(self, tmp: Path) -> None:
        self.env = {
            **os.environ,
            "DATA_DIR": str(tmp),
            "DJANGO_DEBUG": "1",
            "DJANGO_SECRET_KEY": "faults-" + secrets.token_hex(16),
        }
        url = os.environ.get("FAULTS_DATABASE_URL", "")
        self.env.pop("DATABASE_URL", None)
        if url:
            self.env["DATABASE_URL"] = url
            self._manage(
                "shell",
                "-c",
                "from django.db import connection\n"
                "connection.cursor().execute('DROP SCHEMA public CASCADE; "
                "CREATE SCHEMA public')",
            )
        self._manage("migrate", "--noinput")
        self.sessions = json.loads(self._manage("shell", "-c", SETUP).splitlines()[-1])
        self.port = _free_port()
        self.server: subprocess.Popen | None = None

    def _manage(self, *args: str, env: dict | None = None) -> str:
        done = subprocess.run(
            [str(BIN / "python"), "manage.py", *args],
            cwd=ROOT,
            env=env or self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def start(self, workers: int = 2) -> None:
        self.server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "quizsite.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=self.env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if self.request("GET", "/quizzes/")[0] == 200:
                    return
            except OSError:
                time.sleep(0.1)
        raise AssertionError("the server did not start within 30 s")

    def kill(self) -> None:
        """SIGKILL the master and its workers at once: no shutdown code runs."""
        os.killpg(self.server.pid, signal.SIGKILL)
        self.server.wait(timeout=10)

    def stop(self) -> None:
        if self.server and self.server.poll() is None:
            self.kill()

    def request(self, method: str, path: str, data: dict | None = None, session: str = ""):
        """(status, Location, body) of one request, redirects not followed."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": f"csrftoken={CSRF}" + (f"; sessionid={session}" if session else "")}
        body = None
        if data is not None:
            body = urlencode({**data, "csrfmiddlewaretoken": CSRF})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            return response.status, response.getheader("Location", ""), response.read().decode()
        finally:
            conn.close()

    def attempt_state(self, attempt: int) -> dict:
        out = self._manage("shell", "-c", QUERY, env={**self.env, "ATTEMPT": str(attempt)})
        return json.loads(out.splitlines()[-1])


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """One server for the module: each test starts its own attempt."""
    site = Site(tmp_path_factory.mktemp("faults"))
    site.start()
    yield site
    site.stop()


def _start(site: Site, session: str) -> int:
    status, location, _ = site.request("POST", "/quizzes/exam/start/", {}, session)
    assert status == 302, status
    return int(re.search(r"/attempts/(\d+)/", location).group(1))


def _answer(site: Site, session: str, attempt: int, position: int):
    path = f"/attempts/{attempt}/questions/{position}/"
    return site.request("POST", path, {"answer": "0"}, session)


def test_after_a_sigkill_every_acknowledged_answer_and_the_deadline_survive(site):
    alice = site.sessions[0]
    attempt = _start(site, alice)
    before = site.attempt_state(attempt)
    for position in (1, 2, 3, 4):
        status, location, _ = _answer(site, alice, attempt, position)
        assert status == 302 and f"/questions/{position + 1}/" in location

    site.kill()
    site.start()

    after = site.attempt_state(attempt)
    assert after["answered"] == [1, 2, 3, 4]
    assert after["deadline"] == before["deadline"]
    assert after["state"] == "in_progress"
    status, location, _ = site.request("GET", f"/attempts/{attempt}/", session=alice)
    assert status == 302 and location.endswith(f"/attempts/{attempt}/questions/5/")
    for position in range(5, 9):
        assert _answer(site, alice, attempt, position)[0] == 302
    status, location, _ = site.request("POST", f"/attempts/{attempt}/finish/", {}, alice)
    assert status == 302 and location.endswith(f"/attempts/{attempt}/result/")
    done = site.attempt_state(attempt)
    assert done["state"] == "finished"
    assert done["answered"] == list(range(1, 9))
    assert done["deadline"] == before["deadline"]


def test_two_tabs_answering_at_once_store_one_answer_and_the_other_is_told(site):
    alice = site.sessions[0]
    attempt = _start(site, alice)
    for position in (1, 2, 3):
        path = f"/attempts/{attempt}/questions/{position}/"
        gate = threading.Barrier(2)
        results = []

        def tab(choice: str, path=path, gate=gate, results=results):
            gate.wait()
            results.append(site.request("POST", path, {"answer": choice}, alice))

        tabs = [threading.Thread(target=tab, args=(c,)) for c in ("0", "1")]
        for t in tabs:
            t.start()
        for t in tabs:
            t.join(timeout=30)
        onward = [r for r in results if r[0] == 302 and r[1] != path]
        told = [r for r in results if r[0] == 302 and r[1] == path]
        assert len(onward) == 1 and len(told) == 1, results
        # The tab that lost is sent back to the question, which says the first answer stands.
        status, _, page = site.request("GET", path, session=alice)
        assert status == 200 and "already answered" in page
    state = site.attempt_state(attempt)
    assert state["answered"] == [1, 2, 3]


def test_a_double_click_on_start_for_the_last_attempt_lands_both_clicks_on_it(site):
    """Two Start requests at once when one attempt remains: the one that loses
    the race is sent to the attempt the other opened, not told it has none left."""
    for racer in site.sessions[2:]:
        gate = threading.Barrier(3)
        results = []

        def click(racer=racer, gate=gate, results=results):
            gate.wait()
            results.append(site.request("POST", "/quizzes/once/start/", {}, racer))

        clicks = [threading.Thread(target=click) for _ in range(3)]
        for t in clicks:
            t.start()
        for t in clicks:
            t.join(timeout=30)
        assert [status for status, _, _ in results] == [302, 302, 302], results
        assert len({location for _, location, _ in results}) == 1, results
        assert "/attempts/" in results[0][1]


def test_another_students_attempt_cannot_be_answered_through_the_server(site):
    alice, bob = site.sessions[:2]
    attempt = _start(site, alice)
    before = site.attempt_state(attempt)
    status, _, _ = _answer(site, bob, attempt, 8)
    assert status == 404
    assert site.attempt_state(attempt) == before


# Failures injected halfway through a multi-row write --------------------------


class Injected(Exception):
    pass


def test_a_failure_while_writing_the_items_leaves_no_attempt(alice, timed_quiz):
    with (
        mock.patch.object(AttemptItem.objects, "insert_new", side_effect=Injected),
        pytest.raises(Injected),
    ):
        services.attempt_start(user=alice, quiz=timed_quiz)
    assert not Attempt.objects.exists()
    assert not AttemptItem.objects.exists()
    attempt = services.attempt_start(user=alice, quiz=timed_quiz)
    assert attempt.number == 1 and attempt.items.count() == 6


def test_a_failure_while_logging_a_rating_leaves_the_card_as_it_was(alice, quiz):
    card = CardState.objects.create(
        user=alice, question=quiz.question_pool().first(), due=timezone.now()
    )
    with (
        mock.patch.object(Review.objects, "create", side_effect=Injected),
        pytest.raises(Injected),
    ):
        services.card_review(card=card, rating=3, version=0)
    card.refresh_from_db()
    assert card.version == 0 and card.state == CardState.State.NEW and card.last_review is None
    assert not Review.objects.exists()
    services.card_review(card=card, rating=3, version=0)
    assert Review.objects.count() == 1


def test_a_failure_while_turning_mistakes_into_cards_leaves_the_attempt_open(alice, quiz):
    attempt = services.attempt_start(user=alice, quiz=quiz)
    item = attempt.items.get(position=1)
    services.attempt_answer(item=item, response={"choice": item.choice_order[-1]})
    with (
        mock.patch.object(CardState.objects, "bulk_create", side_effect=Injected),
        pytest.raises(Injected),
    ):
        services.attempt_finish(attempt=attempt)
    attempt.refresh_from_db()
    assert attempt.is_open and attempt.score is None and attempt.finished_at is None
    assert not CardState.objects.exists()
    assert services.attempt_finish(attempt=attempt).state == Attempt.State.FINISHED
