"""Sign-up, the language switcher, log in (with the user's own language) and
password change: Django's own views, extended; log out is Django's as it is."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language

from .. import services
from ..forms import SignUpForm
from ..middleware import MUST_CHANGE_PASSWORD
from ..models import Profile
from ..roles import is_teacher


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("learning:home")
    form = SignUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            user = form.save()
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request, _("Welcome, %(name)s: your account is ready.") % {"name": user.username}
            )
            return redirect("learning:home")
        return render(request, "registration/signup.html", {"form": form}, status=400)
    return render(request, "registration/signup.html", {"form": form})


@require_POST
def choose_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language (the cookie, back to `next`); a signed-in user's
    choice is kept on their profile too, for their other devices."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.profile_set_language(user=request.user, language=language)
    return response


class LogoutView(auth_views.LogoutView):
    """Django's log-out, saying so on the page it lands on."""

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You are logged out. See you soon."))
        return response


class LoginView(auth_views.LoginView):
    """Django's log-in; it brings back the language the user chose on another
    device, sends a student with a one-time password to choose their own, and a
    teacher (with no page asked for) to their teaching home."""

    def form_valid(self, form) -> HttpResponse:
        language, must_change = Profile.at_sign_in(form.get_user())
        self.must_change = must_change
        response = super().form_valid(form)
        if must_change:
            # Read by ForcedPasswordChangeMiddleware on every request, without a query.
            self.request.session[MUST_CHANGE_PASSWORD] = True
        if language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            )
        return response

    def get_success_url(self) -> str:
        if getattr(self, "must_change", False):
            return reverse("password_change")
        return super().get_success_url()

    def get_default_redirect_url(self) -> str:
        if is_teacher(self.request.user):
            return reverse("learning:teach_home")
        return super().get_default_redirect_url()


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change; the one-time password, if any, is then spent."""

    def form_valid(self, form) -> HttpResponse:
        response = super().form_valid(form)
        services.password_changed(user=self.request.user)
        self.request.session.pop(MUST_CHANGE_PASSWORD, None)
        return response
