"""A person's own settings that follow them from device to device, and
deleting their account."""

import secrets
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from ..models import Attempt, Profile
from .attempts import attempt_finish
from .errors import AccountNotDeletable


@transaction.atomic
def profile_set_language(*, user: AbstractBaseUser, language: str) -> Profile:
    """Keep the user's language, so that signing in on another device brings it back."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(language)
    profile, _ = Profile.objects.update_or_create(user=user, defaults={"language": language})
    return profile


@transaction.atomic
def account_delete(*, user: AbstractBaseUser, now: datetime | None = None) -> None:
    """Delete a student's account and everything personal (cards, ratings, classes,
    settings). Their attempts pass to a fresh anonymous, inactive account of their
    own, so that they leave every gradebook while the teachers' question statistics
    keep the anonymous counts (as GitHub's "ghost" keeps a deleted user's issues).
    An attempt still open is closed first, scored as it stands."""
    if user.is_staff:
        raise AccountNotDeletable
    now = now or timezone.now()
    for attempt in Attempt.objects.in_progress().filter(user=user):
        attempt_finish(attempt=attempt, now=now)
    User = get_user_model()
    ghost = User(username=f"deleted-{secrets.token_hex(8)}", is_active=False)
    ghost.set_unusable_password()
    ghost.save()
    Attempt.objects.filter(user=user).update(user=ghost)
    user.delete()
