"""Response headers that depend on who is signed in."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class PrivatePagesMiddleware:
    """Tell browsers and proxies not to keep any page drawn for a signed-in user.

    On a shared school computer, Back after logging out would otherwise show the
    previous student's answers and grades from the browser's cache. A response
    that already says how to cache it (Django's log-in and admin views, the health
    check) keeps its header. Static files never get here: whitenoise answers them
    before this middleware runs.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # Checked first, so a response that set its header costs no session read.
        if not response.has_header("Cache-Control") and request.user.is_authenticated:
            response["Cache-Control"] = "private, no-store"
        return response
