"""Instructions of N question pages or answer POSTs in-process, to run under callgrind.

Counts do not depend on how busy the machine is, so two commits can be compared on a
shared machine. Against a seeded DATA_DIR (`manage.py seed_load`, static files
collected), twice, and subtract:

    PYTHONHASHSEED=0 valgrind --tool=callgrind --callgrind-out-file=/dev/null \\
        .venv/bin/python bench/count_instructions.py 40 page     # then with 0
    ... count_instructions.py 40 post

The difference over 40 is one request's instructions ("Collected" in valgrind's
summary). The first run of a database starts the drill attempt: discard it.
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
from learning.models import Quiz  # noqa: E402


def main() -> None:
    n, what = int(sys.argv[1]), sys.argv[2]
    user = User.objects.get(username="student00001")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    quiz = Quiz.objects.get(slug="load-drill")
    attempt = services.attempt_start(user=user, quiz=quiz, rng=random.Random(1))
    item = attempt.items.select_related("question").get(position=1)
    url, data = f"/attempts/{attempt.pk}/questions/1/", answer_data(item)
    for _ in range(10):  # warm: templates compiled, connection open
        assert client.get(url).status_code == 200
        assert client.post(url, data).status_code == 302
    for _ in range(n):
        if what == "page":
            client.get(url)
        else:
            client.post(url, data)


if __name__ == "__main__":
    main()
