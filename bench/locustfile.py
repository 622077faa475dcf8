"""The bench's simulated users; bench/run.py starts locust with one class at a time.

Each user signs in with a session minted by `bench/run.py` (so no password
hashing is measured) and a CSRF cookie of its own, the way a browser would
after its first page. The saturation users never wait between requests; the
exam students think as long as real ones do (times from the environment).
"""

import itertools
import json
import os
import random
import re
import sys
from pathlib import Path

import gevent
from locust import HttpUser, constant, events, task
from locust.exception import StopUser

# Locust puts this file's folder on the path; the bench's modules are under the root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import pages

DATA = json.loads(Path(os.environ["BENCH_DATA"]).read_text(encoding="utf-8"))
CSRF = DATA["csrf"]
_next_user = itertools.count()


def env_float(name: str, default: float) -> float:
    return float(os.environ.get(name) or default)


class BenchUser(HttpUser):
    abstract = True
    wait_time = constant(0)

    def on_start(self) -> None:
        self.index = next(_next_user)
        self.student = DATA["students"][self.index % len(DATA["students"])]
        self.sign_in(self.student["session"])

    def sign_in(self, session: str) -> None:
        self.client.cookies.set("sessionid", session)
        self.client.cookies.set("csrftoken", CSRF)

    def expect(self, response, status: int) -> None:
        if response.status_code != status:
            response.failure(f"{response.status_code} instead of {status}")
        else:
            response.success()


class Ceiling(BenchUser):
    @task
    def ceiling(self) -> None:
        with self.client.get(pages.CEILING, name="ceiling", catch_response=True) as r:
            self.expect(r, 200)


class CeilingStart(BenchUser):
    """The exam's synchronized start made of the ceiling page: each student sends
    two requests, as Start and its first question page are two, then waits out the
    run. What the exam's own client and this machine do with the cheapest page
    Django serves through our middleware: a bound on the exam's start."""

    def on_start(self) -> None:
        super().on_start()
        for name in ("start", "question page"):
            with self.client.get(pages.CEILING, name=name, catch_response=True) as r:
                self.expect(r, 200)

    @task
    def wait(self) -> None:
        gevent.sleep(3600)


class QuestionPage(BenchUser):
    @task
    def question_page(self) -> None:
        attempt, position, _ = random.choice(self.student["answers"])
        url = pages.QUESTION.format(attempt=attempt, position=position)
        with self.client.get(url, name="question page", catch_response=True) as r:
            self.expect(r, 200)


class AnswerPost(BenchUser):
    """Answers every question of its students' open attempts in turn, then moves
    on to the next students of the pool that no other user has."""

    def on_start(self) -> None:
        super().on_start()
        self.queue = iter(self.student["answers"])

    @task
    def answer(self) -> None:
        step = next(self.queue, None)
        if step is None:
            self.index += self.environment.runner.user_count
            students = DATA["students"]
            if self.index >= len(students):
                raise StopUser
            self.student = students[self.index]
            self.sign_in(self.student["session"])
            self.queue = iter(self.student["answers"])
            return
        attempt, position, data = step
        url = pages.QUESTION.format(attempt=attempt, position=position)
        body = {**data, "csrfmiddlewaretoken": CSRF}
        with self.client.post(
            url, body, name="answer POST", allow_redirects=False, catch_response=True
        ) as r:
            self.expect(r, 302)


class CardPage(BenchUser):
    @task
    def card_page(self) -> None:
        card, _ = random.choice(self.student["cards"])
        with self.client.get(
            pages.CARD.format(card=card), name="flashcard review page", catch_response=True
        ) as r:
            self.expect(r, 200)


class RatingPost(BenchUser):
    """Rates its student's cards in turn, carrying each card's version as the page would."""

    def on_start(self) -> None:
        super().on_start()
        self.versions = dict((card, version) for card, version in self.student["cards"])
        self.cycle = itertools.cycle(list(self.versions))

    @task
    def rate(self) -> None:
        card = next(self.cycle)
        body = {
            "rating": random.choice("1334"),
            "version": self.versions[card],
            "csrfmiddlewaretoken": CSRF,
        }
        with self.client.post(
            f"/cards/{card}/", body, name="rating POST", allow_redirects=False, catch_response=True
        ) as r:
            self.expect(r, 302)
            self.versions[card] += 1


class StudentHome(BenchUser):
    @task
    def home(self) -> None:
        with self.client.get(pages.HOME, name="student home page", catch_response=True) as r:
            self.expect(r, 200)


class TeacherPage(BenchUser):
    abstract = True
    path = ""
    label = ""

    def on_start(self) -> None:
        self.index = next(_next_user)
        self.teacher = DATA["teachers"][self.index % len(DATA["teachers"])]
        self.sign_in(self.teacher["session"])

    @task
    def page(self) -> None:
        url = self.path.format(classroom=self.teacher["classroom"])
        with self.client.get(url, name=self.label, catch_response=True) as r:
            self.expect(r, 200)


class Gradebook(TeacherPage):
    path, label = pages.GRADEBOOK, "classroom gradebook"


class ClassOverview(TeacherPage):
    path, label = pages.OVERVIEW, "class overview"


class QuestionStatistics(TeacherPage):
    path, label = pages.STATISTICS, "question statistics"


# The exam -------------------------------------------------------------------

ACKS: list[tuple[int, int]] = []
FINISHED: list[int] = []
EXAM_SIZE = int(os.environ.get("BENCH_EXAM_SIZE") or 30)
_ATTEMPT = re.compile(r"/attempts/(\d+)/")
_POSITION = re.compile(r"/questions/(\d+)/")
_ITEM_FIELD = re.compile(r'name="item_(\d+)"')
_ANSWER_INPUT = re.compile(r'<input[^>]*name="answer"[^>]*>')


def answer_for(page: str) -> dict[str, str]:
    """A valid answer to the question on this page, read from its form the way a
    student reads it: ordering places count from 1, matching partners from 0."""
    items = sorted({int(i) for i in _ITEM_FIELD.findall(page)})
    if items:
        matching = '<option value="0"' in page
        return {f"item_{i}": str(i if matching else i + 1) for i in items}
    field = _ANSWER_INPUT.search(page)
    if field and 'type="text"' in field.group(0):
        return {"answer": "a guess"}
    return {"answer": "0"}


class ExamStudent(BenchUser):
    """Presses Start, then reads each question and thinks before answering it.

    With BENCH_FINISH=1 the student answers every remaining question and finishes
    the attempt, then leaves."""

    finishing = os.environ.get("BENCH_FINISH") == "1"

    def on_start(self) -> None:
        super().on_start()
        slug = os.environ.get("BENCH_EXAM", "load-exam")
        body = {"csrfmiddlewaretoken": CSRF}
        with self.client.post(
            f"/quizzes/{slug}/start/",
            body,
            name="start",
            allow_redirects=False,
            catch_response=True,
        ) as r:
            self.expect(r, 302)
            location = r.headers.get("Location", "")
            found = _ATTEMPT.search(location)
        if found is None:
            raise StopUser
        self.attempt = int(found.group(1))
        # Start sends the student to the first unanswered question of the new
        # or resumed attempt, or to its finish page when every one is answered.
        at = _POSITION.search(location)
        self.position = int(at.group(1)) if at else EXAM_SIZE + 1
        if self.finishing:
            self.think = (env_float("FINISH_THINK_MIN", 1), env_float("FINISH_THINK_MAX", 3))
        else:
            self.think = (env_float("THINK_MIN", 30), env_float("THINK_MAX", 90))

    @task
    def answer_next(self) -> None:
        if self.position > EXAM_SIZE:
            self.finish()
        url = pages.QUESTION.format(attempt=self.attempt, position=self.position)
        with self.client.get(url, name="question page", catch_response=True) as r:
            self.expect(r, 200)
            page = r.text
        if r.status_code != 200:
            return
        if 'name="answer"' not in page and 'name="item_' not in page:
            # Answered in another tab: go on to the next question.
            self.position += 1
            return
        gevent.sleep(random.uniform(*self.think))
        body = {**answer_for(page), "csrfmiddlewaretoken": CSRF}
        with self.client.post(
            url, body, name="answer", allow_redirects=False, catch_response=True
        ) as r:
            moved_on = r.status_code == 302 and r.headers.get("Location", "") != url
            if moved_on and "/result/" not in r.headers["Location"]:
                r.success()
                ACKS.append((self.attempt, self.position))
                self.position += 1
            else:
                r.failure(f"{r.status_code} to {r.headers.get('Location', '')}")

    def finish(self) -> None:
        body = {"csrfmiddlewaretoken": CSRF}
        with self.client.post(
            f"/attempts/{self.attempt}/finish/",
            body,
            name="finish",
            allow_redirects=False,
            catch_response=True,
        ) as r:
            if r.status_code == 302 and "/result/" in r.headers.get("Location", ""):
                r.success()
                FINISHED.append(self.attempt)
            else:
                r.failure(f"{r.status_code} to {r.headers.get('Location', '')}")
        if len(FINISHED) >= self.environment.runner.target_user_count:
            self.environment.runner.quit()
        raise StopUser


@events.quitting.add_listener
def _write_acknowledged(environment, **kwargs) -> None:
    path = os.environ.get("BENCH_ACKS")
    if path:
        with open(path, "w", encoding="utf-8") as out:
            json.dump({"answers": ACKS, "finished": FINISHED}, out)
