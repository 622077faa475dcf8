"""Response headers that depend on who is signed in."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

# Set in the session at sign-in while the user still has a one-time password.
MUST_CHANGE_PASSWORD = "must_change_password"


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


class ForcedPasswordChangeMiddleware:
    """A student signed in with a teacher's one-time password goes to "Choose a
    new password" from every page until they have; logging out and the language
    switcher still work. The flag is in the session (set at sign-in), so other
    users' requests cost nothing."""

    ALLOWED = ("password_change", "logout", "learning:choose_language")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and request.session.get(MUST_CHANGE_PASSWORD):
            allowed = {reverse(name) for name in self.ALLOWED}
            if request.path not in allowed:
                return redirect("password_change")
        return self.get_response(request)
