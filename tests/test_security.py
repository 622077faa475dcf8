"""Hardening: the content security policy, the log-in lockout, cookies, password
reset, error pages, and Django's deployment check."""

import datetime as dt
import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse

from learning import services
from learning.security import client_ip
from quizsite.settings import _email_settings

from .test_settings import ROOT, settings_in_a_fresh_process

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style|\sstyle=", re.I)


def assert_strict_csp(response) -> None:
    policy = dict(
        [*part.strip().split(" ", 1), ""][:2]
        for part in response["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert "unsafe" not in response["Content-Security-Policy"]


def assert_nothing_inline(html: str) -> None:
    assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html)
    assert not INLINE_STYLE.search(html), INLINE_STYLE.search(html)


@pytest.fixture
def tess(db) -> User:
    """The teacher, who works in the admin."""
    return User.objects.create_superuser("tess", "tess@example.school", "tess-password-1")


def test_every_page_family_sends_a_strict_content_security_policy(client, alice, bob, quiz, tess):
    attempt = services.attempt_start(user=alice, quiz=quiz)
    client.force_login(alice)
    pages = [
        "/",
        reverse("learning:quiz_list"),
        quiz.get_absolute_url(),
        reverse("learning:attempt_question", args=[attempt.pk, 1]),
        reverse("learning:attempt_list"),
        reverse("password_change"),
        "/no-such-page/",
        reverse("learning:healthz"),
    ]
    for url in pages:
        assert_strict_csp(client.get(url))
    client.logout()
    for url in [reverse("login"), reverse("password_reset"), reverse("admin:login")]:
        assert_strict_csp(client.get(url))


def test_the_admin_works_under_the_policy_with_its_scripts_in_files(client, tess, quiz):
    client.force_login(tess)
    question = quiz.question_pool().first()
    for url in [
        reverse("admin:index"),
        reverse("admin:learning_question_changelist"),
        reverse("admin:learning_question_add"),
        reverse("admin:learning_question_change", args=[question.pk]),
        reverse("admin:learning_quiz_change", args=[quiz.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_strict_csp(response)
        html = response.content.decode()
        assert_nothing_inline(html)
    assert re.search(r'<script src="/static/admin/js/[^"]+"', html)


def test_our_templates_have_no_inline_script_or_style():
    for template in (ROOT / "learning" / "templates").rglob("*.html"):
        assert_nothing_inline(template.read_text())


def log_in(client, username, password, ip):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_five_wrong_passwords_lock_that_username_out_from_that_address(client, alice, bob):
    school = "203.0.113.7"
    for _ in range(4):
        assert log_in(client, "alice", "wrong", school).status_code == 200
    assert log_in(client, "alice", "wrong", school).status_code == 429
    response = log_in(client, "alice", "alice-password-1", school)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many tries" in html and "Try again in 15 minutes" in html
    assert reverse("password_reset") in html
    assert "_auth_user_id" not in client.session

    # Bob at the same school, and Alice at home, still log in.
    assert log_in(Client(), "bob", "bob-password-1", school).status_code == 302
    assert log_in(Client(), "alice", "alice-password-1", "198.51.100.9").status_code == 302


def test_the_lockout_lifts_after_15_minutes(client, alice):
    for _ in range(5):
        log_in(client, "alice", "wrong", "203.0.113.7")
    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16))
    assert log_in(client, "alice", "alice-password-1", "203.0.113.7").status_code == 302


def test_a_right_password_clears_the_count_of_wrong_ones(client, alice):
    for _ in range(4):
        log_in(client, "alice", "wrong", "203.0.113.7")
    assert log_in(client, "alice", "alice-password-1", "203.0.113.7").status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        log_in(client, "alice", "wrong", "203.0.113.7")
    assert log_in(client, "alice", "alice-password-1", "203.0.113.7").status_code == 302


def test_the_admin_log_in_is_locked_out_too(client, tess):
    for _ in range(5):
        client.post(reverse("admin:login"), {"username": "tess", "password": "x"})
    response = client.post(
        reverse("admin:login"), {"username": "tess", "password": "tess-password-1"}
    )
    assert response.status_code == 429


def test_behind_our_proxy_the_lockout_counts_the_forwarded_address(rf):
    behind = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    assert client_ip(behind) == "203.0.113.7"
    ipv6 = rf.get("/", REMOTE_ADDR="::1", HTTP_X_FORWARDED_FOR="2001:db8::1")
    assert client_ip(ipv6) == "2001:db8::1"


def test_a_forwarded_address_from_anyone_but_our_proxy_is_ignored(rf):
    spoofed = rf.get("/", REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert client_ip(spoofed) == "198.51.100.9"
    garbage = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="not-an-address")
    assert client_ip(garbage) == "127.0.0.1"
    assert client_ip(rf.get("/", REMOTE_ADDR="unix:", HTTP_X_FORWARDED_FOR="1.2.3.4")) == "unix:"


@pytest.mark.parametrize(
    "url",
    ["/", "/quizzes/", "/attempts/", "/cards/", "/cards/stats/", "/no-such-page/"],
)
def test_no_page_for_a_signed_in_student_may_be_stored_by_the_browser(alice_client, url):
    """On a shared computer, Back after logging out must not show the last student's page."""
    assert alice_client.get(url)["Cache-Control"] == "private, no-store"


def test_teacher_pages_may_not_be_stored_and_the_admin_keeps_its_own_header(tess_client):
    assert tess_client.get(reverse("learning:classroom_list"))["Cache-Control"] == (
        "private, no-store"
    )
    assert "no-store" in tess_client.get(reverse("admin:index"))["Cache-Control"]


def test_pages_for_visitors_keep_their_own_caching(client, db):
    assert "Cache-Control" not in client.get("/")
    # Django's log-in view forbids caching itself; its header stays as it set it.
    assert client.get(reverse("login"))["Cache-Control"] == (
        "max-age=0, no-cache, no-store, must-revalidate, private"
    )


def test_a_view_that_sets_its_own_cache_control_keeps_it(alice_client):
    response = alice_client.get(reverse("learning:healthz"))
    # never_cache's header, as the view set it.
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


def test_static_files_keep_whitenoises_caching_for_a_signed_in_student(settings, alice_client):
    settings.WHITENOISE_USE_FINDERS = True
    response = alice_client.get("/static/learning/site.css")
    assert response.status_code == 200
    assert "no-store" not in response["Cache-Control"]
    assert "max-age" in response["Cache-Control"]


def test_a_sign_in_lapses_after_a_school_day_or_when_the_browser_closes(client, alice, settings):
    cookie = log_in(client, "alice", "alice-password-1", "127.0.0.1").cookies["sessionid"]
    assert cookie["max-age"] == 12 * 3600
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    cookie = log_in(Client(), "alice", "alice-password-1", "127.0.0.1").cookies["sessionid"]
    assert cookie["max-age"] == "" and cookie["expires"] == ""


def test_session_and_csrf_cookies_are_httponly_and_samesite_lax(client, alice):
    client.get(reverse("login"))
    response = log_in(client, "alice", "alice-password-1", "127.0.0.1")
    for name in ("sessionid", "csrftoken"):
        cookie = response.cookies[name]
        assert cookie["httponly"] is True, name
        assert cookie["samesite"] == "Lax", name


def test_a_student_resets_a_forgotten_password_by_email(client, alice):
    alice.email = "alice@example.school"
    alice.save()
    page = client.get(reverse("login")).content.decode()
    assert reverse("password_reset") in page

    response = client.post(reverse("password_reset"), {"email": "alice@example.school"})
    assert response.status_code == 302
    assert "Check your email" in client.get(response.url).content.decode()
    (message,) = mail.outbox
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", message.body)[1]

    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    response = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-fresh-passphrase-3", "new_password2": "a-fresh-passphrase-3"},
        follow=True,
    )
    assert "Your new password is saved" in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password("a-fresh-passphrase-3")
    assert "This link no longer works" in client.get(link, follow=True).content.decode()


def test_each_reset_mail_names_its_account_when_siblings_share_an_address(client, alice, bob):
    User.objects.filter(pk__in=[alice.pk, bob.pk]).update(email="family@example.school")

    client.post(reverse("password_reset"), {"email": "family@example.school"})

    named = []
    for message in mail.outbox:
        assert message.to == ["family@example.school"]
        named.append(re.search(r'for the account "([^"]*)"', message.body)[1])
        # The name is the one the link resets, not merely some account's.
        link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", message.body)[1]
        assert Client().get(link, follow=True).context["form"].user.username == named[-1]
    assert sorted(named) == ["alice", "bob"]


def test_password_reset_does_not_tell_who_has_an_account(client, db):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.school"})
    assert response.status_code == 302
    assert not mail.outbox


@pytest.mark.urls("tests.broken_urls")
@pytest.mark.parametrize(
    ("url", "status", "heading"),
    [
        ("/no-such-page/", 404, "Page not found"),
        ("/forbidden/", 403, "Not allowed"),
        ("/suspicious/", 400, "Bad request"),
        ("/fails/", 500, "Something went wrong"),
    ],
)
def test_error_pages_are_friendly_and_show_no_internals(alice_client, url, status, heading):
    alice_client.raise_request_exception = False
    response = alice_client.get(url)
    assert response.status_code == status
    html = response.content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert reverse("learning:home") in html  # the site's own frame
    assert "SECRET-INTERNALS" not in html and "Traceback" not in html
    assert_strict_csp(response)


def test_a_form_sent_without_its_token_gets_a_friendly_page(alice, quiz):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(reverse("learning:quiz_start", args=[quiz.slug]))
    assert response.status_code == 403
    html = response.content.decode()
    assert "<h1>Please try again</h1>" in html and "Nothing was saved" in html
    assert "CSRF" not in html


def test_an_unknown_host_gets_400(client, db):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "<h1>Bad request</h1>" in response.content.decode()


def test_https_turns_on_secure_cookies_hsts_and_the_redirect(tmp_path):
    code = (
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER"
    )
    off = settings_in_a_fresh_process(tmp_path, expression=code)
    on = settings_in_a_fresh_process(tmp_path, expression=code, DJANGO_HTTPS="1")
    assert off == "False False False 0 None"
    assert on == "True True True 31536000 ('HTTP_X_FORWARDED_PROTO', 'https')"


def test_the_deployment_check_passes_with_https_and_real_hosts(tmp_path):
    """`manage.py check --deploy`, as docs/deployment.md runs it, with a generated key."""
    import os
    import subprocess
    import sys

    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={
            **clean,
            "DATA_DIR": str(tmp_path),
            "DJANGO_DEBUG": "0",
            "DJANGO_HTTPS": "1",
            "DJANGO_ALLOWED_HOSTS": "quiz.example.school",
            "DJANGO_CSRF_TRUSTED_ORIGINS": "https://quiz.example.school",
        },
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (1 silenced)" in result.stdout


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "console://",
            ("django.core.mail.backends.console.EmailBackend", "", 0, "", "", False, False),
        ),
        (
            "smtp://quiz%40example.school:p%40ss@smtp.example.school",
            (
                "django.core.mail.backends.smtp.EmailBackend",
                "smtp.example.school",
                587,
                "quiz@example.school",
                "p@ss",
                False,
                True,
            ),
        ),
        (
            "smtps://u:p@mail.example.school",
            (
                "django.core.mail.backends.smtp.EmailBackend",
                "mail.example.school",
                465,
                "u",
                "p",
                True,
                False,
            ),
        ),
        (
            "smtp+plain://relay.school.lan:2525",
            (
                "django.core.mail.backends.smtp.EmailBackend",
                "relay.school.lan",
                2525,
                "",
                "",
                False,
                False,
            ),
        ),
    ],
)
def test_email_url_becomes_djangos_email_settings(url, expected):
    assert _email_settings(url) == expected


def test_an_unknown_email_scheme_is_refused():
    with pytest.raises(ValueError, match="unknown scheme"):
        _email_settings("pop3://mail.example.school")
