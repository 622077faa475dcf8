"""What the site keeps about a person beyond Django's user: their language, and
whether they must choose a new password before anything else."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name=_("user"),
    )
    # Empty: the browser's language (Accept-Language) decides.
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, blank=True
    )
    # Set when a teacher made the account or reset its password: the one-time
    # password on the slip works once, then the student picks their own.
    must_change_password = models.BooleanField(_("must choose a new password"), default=False)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return str(self.user)

    @classmethod
    def at_sign_in(cls, user: AbstractBaseUser) -> tuple[str, bool]:
        """The user's language ("" if never chosen) and whether they must choose a
        new password: one query, made once at sign-in."""
        row = cls.objects.filter(user=user).values_list("language", "must_change_password").first()
        return row or ("", False)

    @classmethod
    def language_of(cls, user: AbstractBaseUser) -> str:
        """The language the user chose on any device, or "" if they never chose."""
        return cls.objects.filter(user=user).values_list("language", flat=True).first() or ""
