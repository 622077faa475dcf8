"""A signed-in session for the tests that drive a real server over HTTP
(tests/test_faults.py, tests/test_cluster.py), where Django's test client and its
force_login are not at hand. Their setup scripts import it in `manage.py shell`."""

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.sessions.backends.db import SessionStore


def session_for(user: AbstractBaseUser) -> str:
    """The key of a new database session signed in as `user`, as Django's login
    leaves it: the server finds the user from its `sessionid` cookie alone."""
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key
