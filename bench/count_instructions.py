"""Instructions of N question pages or answer POSTs in-process, to run under callgrind.

Counts do not depend on how busy the machine is, so two commits can be compared on a
shared machine. Against a seeded DATA_DIR (`manage.py seed_load`, static files
collected), twice, and subtract:

    PYTHONHASHSEED=0 valgrind --tool=callgrind --callgrind-out-file=/dev/null \\
        .venv/bin/python bench/count_instructions.py 20 page     # then with 0
    ... count_instructions.py 20 post
    ... count_instructions.py 20 card    # the flashcard page, its back shown
    ... count_instructions.py 20 pagewarm   # pages (postwarm: answers) of questions
                                            # the process has shown before
    ... count_instructions.py 20 get /teach/classes/1/overview/ teacher001

The difference over 20 is one request's instructions ("Collected" in valgrind's
summary). Each run starts the student's drill attempt afresh, so every page
measured is of an open question and every answer is its question's first, as in
the exam (at most 25 of each: the drill has 30 questions).
"""

import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quizsite.settings")
os.environ["DJANGO_DEBUG"] = "0"

import django

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.test import Client  # noqa: E402

from bench.answers import answer_data  # noqa: E402
from learning import services  # noqa: E402
from learning.models import Attempt, CardState, Quiz  # noqa: E402


def main() -> None:
    n, what = int(sys.argv[1]), sys.argv[2]
    if what == "get":  # any page, its first five requests warm
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(User.objects.get(username=sys.argv[4]))
        for _ in range(5 + n):
            assert client.get(sys.argv[3]).status_code == 200
        return
    user = User.objects.get(username="student00001")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    quiz = Quiz.objects.get(slug="load-drill")
    # A new attempt each run: its questions are open, as in the exam, where each
    # page is seen before its answer and each answer is posted once.
    Attempt.objects.filter(user=user, quiz=quiz).delete()
    attempt = services.attempt_start(user=user, quiz=quiz, rng=random.Random(1))
    items = list(attempt.items.select_related("question").order_by("position"))
    warm, measured = items[:5], items[5 : 5 + n]
    if len(measured) < n:
        sys.exit(f"at most {len(items) - 5} requests: the attempt has {len(items)} questions")

    def url(item) -> str:
        return f"/attempts/{attempt.pk}/questions/{item.position}/"

    # Warm (templates compiled, connection open) on other questions than those
    # measured: a page of an open question, an answer to it.
    for item in warm:
        assert client.get(url(item)).status_code == 200
        assert client.post(url(item), answer_data(item)).status_code == 302
    if what in ("pagewarm", "postwarm"):  # as every student after the first sees them
        for item in items[5:25]:
            assert client.get(url(item)).status_code == 200
    if what == "card":
        card = CardState.objects.filter(user=user).order_by("pk").first()
        for _ in range(5 + n):  # the first five warm
            assert client.get(f"/cards/{card.pk}/?show=1").status_code == 200
        return
    for item in measured:
        if what in ("page", "pagewarm"):
            assert client.get(url(item)).status_code == 200
        else:
            assert client.post(url(item), answer_data(item)).status_code == 302


if __name__ == "__main__":
    main()
