"""Who is a teacher, and the decorator that keeps everyone else off the teacher pages.

A teacher is a staff user in the "Teachers" group (made by migration 0004);
superusers count too, so that the first account can run a class.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser, Group
from django.core.exceptions import PermissionDenied
from django.db import connections
from django.http import HttpRequest, HttpResponse

TEACHERS = "Teachers"


# Where the answer is kept on the user object. Django loads the signed-in user
# afresh for every request, so it is kept for one request: the decorator and the
# page frame (asked twice in base.html) cost one query between them, not three.
_KEPT = "_learning_is_teacher"


def is_teacher(user: AbstractBaseUser) -> bool:
    """Read once a request (see _KEPT)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if not user.is_staff:
        return False
    kept = getattr(user, _KEPT, None)
    if kept is None:
        kept = _in_teachers(user)
        setattr(user, _KEPT, kept)
    return kept


def _in_teachers(user: AbstractBaseUser) -> bool:
    """`user.groups.filter(name=TEACHERS).exists()` as a fixed statement, raw SQL:
    every teacher page asks it, and the ORM took ten times the database's time to
    build the join (bench/README.md, sixteenth round)."""
    through, groups = user.groups.through, Group._meta.db_table
    sql = (
        f"SELECT 1 FROM {through._meta.db_table} ug JOIN {groups} g ON g.id = ug.group_id"
        " WHERE ug.user_id = %s AND g.name = %s LIMIT 1"
    )
    with connections[through.objects.db].cursor() as cursor:
        cursor.execute(sql, [user.pk, TEACHERS])
        return cursor.fetchone() is not None


def teacher_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Visitors go to the log-in page; signed-in students get 403."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_teacher(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
