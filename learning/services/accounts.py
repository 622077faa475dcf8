"""A person's own settings that follow them from device to device."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from ..models import Profile


@transaction.atomic
def profile_set_language(*, user: AbstractBaseUser, language: str) -> Profile:
    """Keep the user's language, so that signing in on another device brings it back."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(language)
    profile, _ = Profile.objects.update_or_create(user=user, defaults={"language": language})
    return profile
