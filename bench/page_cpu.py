"""CPU time a request of the pages of issue 25, in process, against a seeded
DATA_DIR (`manage.py seed_load`): the process's CPU time over REPEAT requests,
best of three rounds, and the queries of one request (after a first, warming one).

    DATA_DIR=... .venv/bin/python bench/page_cpu.py [REPEAT]
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# The bench's settings: the site's, plus the ceiling view every page is compared to.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ.setdefault("DJANGO_DEBUG", "0")

import django

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from bench import pages as pages_  # noqa: E402
from learning import services  # noqa: E402
from learning.models import CardState, Classroom, Quiz  # noqa: E402


def pages() -> list[tuple[str, str, str]]:
    classroom = Classroom.objects.order_by("pk").first()
    quiz = Quiz.objects.filter(slug="load-quiz-02").first()
    student = User.objects.get(username="student00001")
    # The drill's page of an open question, as the bench's students see it.
    attempt = services.attempt_start(user=student, quiz=Quiz.objects.get(slug="load-drill"))
    item = attempt.items.filter(answered_at__isnull=True).order_by("position").first()
    card = CardState.objects.filter(user=student).order_by("pk").first()
    return [
        ("ceiling", "/bench/ceiling/", "student00001"),
        (
            "question page",
            pages_.QUESTION.format(attempt=attempt.pk, position=item.position),
            "student00001",
        ),
        ("flashcard review page", pages_.CARD.format(card=card.pk), "student00001"),
        ("student home page", "/", "student00001"),
        ("classroom gradebook", f"/teach/classes/{classroom.pk}/gradebook/", "teacher001"),
        ("class overview", f"/teach/classes/{classroom.pk}/overview/", "teacher001"),
        (
            "question statistics",
            f"/teach/quizzes/{quiz.slug}/statistics/?attempts=all",
            "teacher001",
        ),
    ]


def main() -> None:
    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    ceiling = None
    for label, url, username in pages():
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(User.objects.get(username=username))
        assert client.get(url).status_code == 200, url
        queries: list[str] = []

        def count(run, sql, *args, queries=queries):
            queries.append(sql)
            return run(sql, *args)

        # Counted by a wrapper: the request_started signal empties connection.queries.
        with connection.execute_wrapper(count):
            client.get(url)
        rounds = []
        for _ in range(3):
            started = time.process_time()
            for _ in range(repeat):
                client.get(url)
            rounds.append((time.process_time() - started) / repeat * 1000)
        best = min(rounds)
        ceiling = ceiling or best
        print(
            f"{label}: {best:.2f} ms CPU a request ({100 * ceiling / best:.0f} % of the "
            f"ceiling's requests a second), {len(queries)} queries"
        )


if __name__ == "__main__":
    main()
