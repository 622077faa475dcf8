"""The site's URLs plus views that fail, to see the error pages a visitor gets."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from quizsite.urls import urlpatterns as site


def fails(request):
    raise RuntimeError("SECRET-INTERNALS in /srv/quizsite/learning/views.py")


def forbidden(request):
    raise PermissionDenied("SECRET-INTERNALS: not a teacher")


def suspicious(request):
    raise SuspiciousOperation("SECRET-INTERNALS: tampered")


urlpatterns = [
    path("fails/", fails),
    path("forbidden/", forbidden),
    path("suspicious/", suspicious),
    *site,
]
