"""Settings for the quiz site, read from the environment.

Everything a school may want to change comes from an environment variable (or a
`.env` file beside manage.py); the defaults are the safe ones: DEBUG off, SQLite
in the data folder, a secret key generated once and kept there.
"""

import hashlib
import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def _read_env_file(path: Path) -> None:
    """Load KEY=VALUE lines from `.env` without overriding the real environment."""
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        os.environ.setdefault(key.strip(), value.strip().strip("'\""))


_read_env_file(BASE_DIR / ".env")


def envbool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("DATA_DIR") or BASE_DIR / "var")
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """The key from the environment, else one generated on first run and kept (mode 0600)."""
    if os.environ.get("DJANGO_SECRET_KEY"):
        return os.environ["DJANGO_SECRET_KEY"]
    path = DATA_DIR / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = envbool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("DJANGO_CSRF_TRUSTED_ORIGINS")
# Served over HTTPS by a reverse proxy on this machine (see docs/deployment.md).
HTTPS = envbool("DJANGO_HTTPS", False)

INSTALLED_APPS = [
    # First, so that our registration/ templates win over the admin's.
    "learning",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After the user is known, and after whitenoise, so static files keep their caching.
    "learning.middleware.PrivatePagesMiddleware",
    "learning.middleware.ForcedPasswordChangeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a lockout raised in authenticate() into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "quizsite.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "learning.context_processors.links",
            ],
        },
    },
]

WSGI_APPLICATION = "quizsite.wsgi.application"

# SQLite is tuned for a classroom of concurrent writers: WAL lets readers go on
# while one writes, NORMAL sync is safe under WAL, a busy timeout makes a writer
# wait its turn instead of failing, and IMMEDIATE transactions take the write
# lock at BEGIN so two transactions never deadlock upgrading a read lock.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}

# Each gunicorn worker is one thread, so a persistent connection per worker (kept
# DB_CONN_MAX_AGE seconds, checked before reuse) is all the pooling PostgreSQL
# needs; the database sees at most as many connections as there are workers.
if os.environ.get("DATABASE_URL"):
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ["DATABASE_URL"],
            conn_max_age=envint("DB_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        )
    }
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES["default"]["OPTIONS"] = SQLITE_OPTIONS
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "db.sqlite3",
            "OPTIONS": SQLITE_OPTIONS,
            # Kept open too: opening one costs each request a millisecond of
            # functions to register and pragmas to run (bench/README.md).
            "CONN_MAX_AGE": envint("DB_CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
        }
    }

# The tests' SQLite database is a file too, as a school's is, never Django's shared
# in-memory one: there a second connection (the event-stream thread of the live
# game's browser test) gets "database table is locked" at once instead of WAL's
# readers beside a writer and the busy timeout's wait.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache: with REDIS_URL (several application servers, docs/scaling.md) one Redis
# that every server shares, so whatever one server caches, the others see and can
# invalidate; without it each process keeps its own (one machine). The page frame
# (base.html) is the same for everyone of one language and role and changes only with
# the code, so it stays in each process ("frame"): a deploy restarts the processes and
# so empties it, and no server can hand another a frame with an older version's links.
REDIS_URL = os.environ.get("REDIS_URL", "")


def _code_version() -> str:
    """A digest of the site's code, templates, translations and static files. It
    begins every key of a cache that outlives a process (Redis, the files of
    "shared"), so that a new release never serves a section an older one drew."""
    digest = hashlib.blake2b(digest_size=8)
    for package in ("learning", "quizsite"):
        for path in sorted((BASE_DIR / package).rglob("*")):
            if path.suffix in {".py", ".html", ".mo", ".css", ".js"}:
                digest.update(path.read_bytes())
    return digest.hexdigest()


CODE_VERSION = _code_version()
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": CODE_VERSION,
    }
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "site",
        # Home page summaries, known questions, drawn charts and flashcards' backs,
        # a few KB each (bench/README.md, sixth and fourteenth rounds): room for a
        # school's worth per process, some 15 MB at most.
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
    "frame": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "frame"},
    # Teachers' sections (a class's gradebook and overview, a quiz's statistics) take a
    # tenth to half a second to draw, up to 200 KB of HTML for a class of 50:
    # kept where every process finds them, so that a teacher's next view is kept
    # whichever worker answers it (bench/README.md, nineteenth round). Redis with
    # REDIS_URL; else files in DATA_DIR/cache, which may be deleted at any time.
    "shared": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": CODE_VERSION,
    }
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": DATA_DIR / "cache",
        "KEY_PREFIX": CODE_VERSION,
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}

AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out pair is refused before its password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
# Seconds after a timed attempt's deadline during which an answer still arrives
# and is stored: a phone's submit at zero, sent on time, takes a moment over a
# school's Wi-Fi (README, "Timed attempts").
ANSWER_GRACE = envint("ANSWER_GRACE", 5)
LOGIN_REDIRECT_URL = "learning:home"
LOGOUT_REDIRECT_URL = "learning:home"

LANGUAGE_CODE = "en"
# The languages of the statement's readers: the SCO's working languages (Chinese,
# Russian) and those its publisher writes in. The switcher names each in itself.
LANGUAGES = [
    ("en", _("English")),
    ("zh-hans", _("Simplified Chinese")),
    ("ru", _("Russian")),
    ("ar", _("Arabic")),
    ("fr", _("French")),
    ("es", _("Spanish")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# Files asked for at the site's root whatever the page says (browsers and feed
# readers ask for /favicon.ico), served by whitenoise like the static files.
WHITENOISE_ROOT = BASE_DIR / "learning" / "site_root"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Django's database sessions: signing out or a password change ends a session on
# every server at once, which a signed cookie could not do.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# A school day with room to spare: nobody signs in twice between the first lesson
# and the last, and a sign-in forgotten on a classroom computer has lapsed before
# the next morning's class sits down at it (Django's default is two weeks). A student
# doing homework in the evening signs in again, which costs seconds.
SESSION_COOKIE_AGE = envint("DJANGO_SESSION_COOKIE_AGE", 12 * 3600)
# Off by default: on a phone "closing the browser" rarely happens, so it would change
# nothing there; a school whose students share computers can sign them out with it.
SESSION_EXPIRE_AT_BROWSER_CLOSE = envbool("DJANGO_SESSION_EXPIRE_AT_BROWSER_CLOSE", False)
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_HTTPONLY = True
# No script of ours reads the CSRF cookie: forms carry the token in a hidden field.
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if HTTPS:
    # The proxy terminates TLS and sets X-Forwarded-Proto; gunicorn listens on
    # loopback only, so no client can send that header to Django directly.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    # A monitor on the machine itself may ask over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("DJANGO_HSTS_SECONDS", 365 * 24 * 3600)
    # Covers only names under the site's own host (quiz.example.school), never its parent.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True

SILENCED_SYSTEM_CHECKS = [
    # HSTS preloading is a promise made for a whole registered domain, by its owner,
    # on hstspreload.org; a school's quiz site is one host in it, so we don't send it.
    "security.W021",
]

# One policy for every page, the admin included: only our own files; no inline
# script or style anywhere (JavaScript and CSS live in static files, the progress
# bar is a <progress>, the admin's page data are JSON blocks, which are not run).
# Bootstrap draws its form controls with data: SVG images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

# The live game (docs/architecture.md). Its state is in the database; its event
# streams are served by a small ASGI process (quizsite/live_asgi.py, uvicorn) beside
# gunicorn. Unset, the pages open them on the site's own origin, where a proxy
# (Caddy, HAProxy) routes /live/events/ to that process; LIVE_EVENTS_PORT (which
# `make run` sets) opens them on that port of the host the page came from, and
# adds just that origin to the live pages' connect-src. With REDIS_URL, a change
# reaches every stream process on every machine through Channels' layer on Redis.
LIVE_EVENTS_PORT = envint("LIVE_EVENTS_PORT", 0)
CHANNEL_LAYERS = (
    {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "capacity": 1000, "expiry": 30},
        }
    }
    if REDIS_URL
    else {}
)

# Five wrong passwords for one username from one address lock that pair out for
# 15 minutes; the same student elsewhere, and classmates behind the school's one
# address, still get in. A right password clears the count.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "learning.security.client_ip"


def _email_settings(url: str) -> tuple[str, str, int, str, str, bool, bool]:
    """EMAIL_URL as (backend, host, port, user, password, use_ssl, use_tls).

    smtp://user:password@host:587 (STARTTLS), smtps://user:password@host:465 (TLS),
    smtp+plain://host:25 (neither: a relay on the school's own network), or
    console:// to print each mail to the log. %-encode an @ or : in the password.
    """
    parts = urlsplit(url)
    if parts.scheme in {"", "console"}:
        return "django.core.mail.backends.console.EmailBackend", "", 0, "", "", False, False
    if parts.scheme not in {"smtp", "smtps", "smtp+plain"}:
        raise ValueError(f"EMAIL_URL: unknown scheme {parts.scheme!r}")
    ssl, tls = parts.scheme == "smtps", parts.scheme == "smtp"
    return (
        "django.core.mail.backends.smtp.EmailBackend",
        parts.hostname or "localhost",
        parts.port or (465 if ssl else 587 if tls else 25),
        unquote(parts.username or ""),
        unquote(parts.password or ""),
        ssl,
        tls,
    )


(
    EMAIL_BACKEND,
    EMAIL_HOST,
    EMAIL_PORT,
    EMAIL_HOST_USER,
    EMAIL_HOST_PASSWORD,
    EMAIL_USE_SSL,
    EMAIL_USE_TLS,
) = _email_settings(os.environ.get("EMAIL_URL", "console://"))
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "quiz@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Everything goes to standard output, one line per event, for journald or docker
# to keep; gunicorn adds one access line per request (gunicorn.conf.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "line",
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own default handlers would print a second copy of each error.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # Failed log-ins and lockouts are warnings; its start-up and success lines are noise.
        "axes": {"level": "WARNING"},
    },
}
