"""The session and the signed-in user, read on every signed-in page.

Both are Django's own (the `db` session engine's table and rules, where an
expired row is no session; `ModelBackend` and its rule that an inactive user is
nobody), but each is read by one statement written once (`models.fixed`): the
ORM spent 0.16 ms building the session's one-row query and 0.14 ms the user's,
against 0.02 ms each for the fixed statements (bench/README.md).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

from .models.fixed import FixedRead, fits_integer_column

_UNEXPIRED = FixedRead(
    [(Session, "s")], "FROM {Session} s WHERE s.session_key = %s AND s.expire_date > %s"
)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Session | None:
        # Adapted as the ORM adapts it (on SQLite, text in the connection's zone).
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        row = _UNEXPIRED.first([self.session_key, now])
        if row is None:
            # As Django's engine does: the cookie's key is dropped, and a new one
            # is made if the session is saved.
            self._session_key = None
            return None
        return row[0]


UserModel = get_user_model()
_USER_PK = UserModel._meta.pk.column
_USER = FixedRead([(UserModel, "u")], f"FROM {{{UserModel.__name__}}} u WHERE u.{_USER_PK} = %s")


class UserBackend(ModelBackend):
    """Django's username and password backend; it finds the signed-in user of
    every page by one fixed statement (0.14 ms of ORM work to 0.02 ms)."""

    def get_user(self, user_id: int) -> AbstractBaseUser | None:
        if not isinstance(user_id, int) or not fits_integer_column(user_id):
            return None
        row = _USER.first([user_id])
        user = row[0] if row else None
        return user if user is not None and self.user_can_authenticate(user) else None
