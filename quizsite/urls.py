from django.contrib import admin
from django.urls import include, path

from learning.views.accounts import LoginView, LogoutView, PasswordChangeView

urlpatterns = [
    path("admin/", admin.site.urls),
    # Before Django's own: the same page, bringing back the user's language.
    path("accounts/login/", LoginView.as_view(), name="login"),
    # The same page again, spending the one-time password a teacher gave.
    path("accounts/password_change/", PasswordChangeView.as_view(), name="password_change"),
    path("accounts/logout/", LogoutView.as_view(), name="logout"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("learning.urls")),
]
