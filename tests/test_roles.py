"""The Teachers group, create_teacher, and who reaches the admin."""

import io

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command

from learning.roles import is_teacher

MANAGED = {
    "source",
    "passage",
    "bank",
    "question",
    "choice",
    "exclusiongroup",
    "quiz",
    "classroom",
    "membership",
    "assignment",
    "accommodation",
}
# The record of regrades is read, never written by hand: the regrade workflow makes it.
READ_ONLY = {"regrade", "regradeitem"}


@pytest.mark.django_db
def test_the_teachers_group_holds_exactly_the_content_and_class_permissions():
    group = Group.objects.get(name="Teachers")
    codenames = set(group.permissions.values_list("codename", flat=True))
    expected = {f"{a}_{m}" for m in MANAGED for a in ("add", "change", "delete", "view")}
    assert codenames == expected | {f"view_{m}" for m in READ_ONLY}


def run_create_teacher(monkeypatch, *args, stdin="tess-teaches-2020\n"):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    out = io.StringIO()
    call_command("create_teacher", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_create_teacher_reads_the_password_from_standard_input(monkeypatch):
    output = run_create_teacher(monkeypatch, "tess", "--email", "tess@example.org")
    tess = User.objects.get(username="tess")
    assert "created" in output
    assert tess.is_staff and not tess.is_superuser
    assert tess.check_password("tess-teaches-2020") and tess.email == "tess@example.org"
    assert is_teacher(tess)


@pytest.mark.django_db
def test_create_teacher_prompts_for_the_password_at_a_terminal(monkeypatch):
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    answers = iter(["tess-teaches-2020", "tess-teaches-2020"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    call_command("create_teacher", "tess", stdout=io.StringIO())
    assert User.objects.get(username="tess").check_password("tess-teaches-2020")


@pytest.mark.django_db
def test_create_teacher_refuses_two_different_passwords_at_a_terminal(monkeypatch):
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    answers = iter(["tess-teaches-2020", "something-else-2020"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    with pytest.raises(CommandError, match="differ"):
        call_command("create_teacher", "tess", stdout=io.StringIO())
    assert not User.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("stdin", "message"), [("\n", "empty"), ("123\n", "too short"), ("password\n", "common")]
)
def test_create_teacher_refuses_a_weak_or_empty_password(monkeypatch, stdin, message):
    with pytest.raises(CommandError, match=message):
        run_create_teacher(monkeypatch, "tess", stdin=stdin)
    assert not User.objects.exists()


def test_create_teacher_refuses_a_taken_username(monkeypatch, alice):
    with pytest.raises(CommandError, match="already taken"):
        run_create_teacher(monkeypatch, "alice")
    assert not User.objects.get(username="alice").is_staff


def test_a_student_is_not_a_teacher_and_a_superuser_is(alice):
    assert not is_teacher(alice)
    root = User.objects.create_superuser("root", password="root-password-1")
    assert is_teacher(root)
    staff_only = User.objects.create_user("sam", password="sam-password-1", is_staff=True)
    assert not is_teacher(staff_only)


def test_a_student_never_reaches_the_admin(alice_client):
    response = alice_client.get("/admin/learning/question/")
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_a_teacher_reaches_the_question_admin_but_not_the_users(tess_client):
    assert tess_client.get("/admin/learning/question/").status_code == 200
    assert tess_client.get("/admin/learning/quiz/add/").status_code == 200
    assert tess_client.get("/admin/auth/user/").status_code == 403


def test_a_teacher_page_asks_the_teachers_group_once(tess_client):
    """The decorator and the page frame (which asks twice) share one answer."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    tess_client.get(reverse("learning:teach_home"))
    with CaptureQueriesContext(connection) as captured:
        assert tess_client.get(reverse("learning:teach_home")).status_code == 200
    asked = [q["sql"] for q in captured if "auth_group" in q["sql"]]
    assert len(asked) == 1, asked
