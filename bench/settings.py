"""The bench's server: the project's settings, plus the ceiling route (bench/urls.py).

The bench starts gunicorn with DJANGO_SETTINGS_MODULE=bench.settings; nothing in
quizsite/ knows about the bench.
"""

from quizsite.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
