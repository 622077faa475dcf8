"""The site's own routes, and the ceiling the bench measures every page against."""

from django.urls import path

from quizsite.urls import urlpatterns as site_urlpatterns

from .ceiling import ceiling

urlpatterns = [path("bench/ceiling/", ceiling, name="bench_ceiling"), *site_urlpatterns]
