"""Profile one page in-process with pyinstrument, against a seeded database.

    DATA_DIR=... .venv/bin/python bench/profile_page.py URL [USERNAME] [REPEAT]

Prints the query count of one request and pyinstrument's tree of REPEAT requests.
DEBUG stays off and the middleware is the site's own, as under gunicorn.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quizsite.settings")
os.environ.setdefault("DJANGO_DEBUG", "0")

import django

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from pyinstrument import Profiler  # noqa: E402


def main() -> None:
    url = sys.argv[1]
    username = sys.argv[2] if len(sys.argv) > 2 else "student00001"
    repeat = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username=username))
    with CaptureQueriesContext(connection) as queries:
        status = client.get(url).status_code
    print(f"{url}: {status}, {len(queries)} queries")
    for query in queries:
        print(f"  {query['time']}s {query['sql'][:160]}")
    profiler = Profiler(interval=0.0005)
    with profiler:
        for _ in range(repeat):
            client.get(url)
    print(
        profiler.output_text(
            unicode=True, color=False, show_all=os.environ.get("PROFILE_ALL") == "1"
        )
    )


if __name__ == "__main__":
    main()
