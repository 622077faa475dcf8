"""Who is a teacher, and the decorator that keeps everyone else off the teacher pages.

A teacher is a staff user in the "Teachers" group (made by migration 0004);
superusers count too, so that the first account can run a class.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

TEACHERS = "Teachers"


def is_teacher(user: AbstractBaseUser) -> bool:
    """Read once a request: the user object is the request's own (the page's
    decorator and its menu ask again)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if not user.is_staff:
        return False
    known = getattr(user, "learning_is_teacher", None)
    if known is None:
        known = user.groups.filter(name=TEACHERS).exists()
        user.learning_is_teacher = known
    return known


def teacher_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Visitors go to the log-in page; signed-in students get 403."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_teacher(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
