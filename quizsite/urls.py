import os

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("learning.urls")),
]

# The load bench's ceiling view exists only in a server the bench starts.
if os.environ.get("QUIZSITE_BENCH") == "1":
    from .bench import ceiling

    urlpatterns.append(path("bench/ceiling/", ceiling, name="bench_ceiling"))
