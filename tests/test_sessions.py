"""Who is signed in: Django's database sessions and ModelBackend, and the one
read of a student's own item that every question page and answer makes."""

import datetime as dt

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.models import User
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from learning import services
from learning.models import AttemptItem, ContentVersion
from learning.selectors.questions import question_with_choices, quiz_of
from tests.signed_in import session_for


def fields_of(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


@pytest.fixture
def answered_item(alice, timed_quiz) -> AttemptItem:
    """An item of a timed attempt, answered: JSON, float, date-time and duration
    columns all hold values."""
    attempt = services.attempt_start(user=alice, quiz=timed_quiz)
    item = attempt.items.select_related("question").get(position=2)
    item.response = {"text": "Moscow, «Москва» ☃", "choices": [1, 2]}
    item.credit = 0.5
    item.answered_at = timezone.now()
    item.save()
    return item


def test_a_students_item_is_read_with_its_attempt_as_the_orm_reads_them(
    answered_item, alice, django_assert_num_queries
):
    with django_assert_num_queries(2):
        item = AttemptItem.objects.for_student(
            attempt_id=answered_item.attempt_id, user_id=alice.pk, position=2
        )
        attempt = item.attempt
    # Its quiz and question are the ones kept for every student
    # (tests/test_kept_questions.py).
    quiz = quiz_of(attempt.quiz_id, ContentVersion.objects.current())
    question, _ = question_with_choices(item.question_id)
    orm = AttemptItem.objects.select_related("attempt__quiz", "question").get(pk=item.pk)
    assert fields_of(item) == fields_of(orm)
    assert fields_of(attempt) == fields_of(orm.attempt)
    assert fields_of(quiz) == fields_of(orm.attempt.quiz)
    assert fields_of(question) == fields_of(orm.question)
    assert item.response == {"text": "Moscow, «Москва» ☃", "choices": [1, 2]}
    assert quiz.time_limit == dt.timedelta(minutes=20)
    assert attempt.deadline.tzinfo is not None
    assert isinstance(quiz.shuffle_choices, bool)
    assert not item._state.adding and item._state.db == "default"


def test_no_item_for_another_student_or_a_missing_position(answered_item, alice, bob):
    attempt_id = answered_item.attempt_id
    found = AttemptItem.objects.for_student
    assert found(attempt_id=attempt_id, user_id=bob.pk, position=2) is None
    assert found(attempt_id=attempt_id, user_id=alice.pk, position=99) is None


def test_an_attempt_or_position_past_the_integer_column_is_not_found(alice_client, answered_item):
    attempt_id = answered_item.attempt_id
    for huge in (2**63, 10**30):
        for args in ([huge, 2], [attempt_id, huge]):
            url = reverse("learning:attempt_question", args=[attempt_id, 2]).replace(
                f"/{attempt_id}/questions/2/", "/{}/questions/{}/".format(*args)
            )
            assert alice_client.get(url).status_code == 404


def test_the_question_page_shows_the_item_read_this_way(alice_client, quiz):
    attempt = services.attempt_start(user=User.objects.get(username="alice"), quiz=quiz)
    page = alice_client.get(reverse("learning:attempt_question", args=[attempt.pk, 1]))
    assert page.status_code == 200
    assert quiz.title in page.text
    assert attempt.items.get(position=1).question.prompt in page.text


def test_an_expired_session_signs_nobody_in(alice_client):
    home = reverse("learning:attempt_list")
    assert alice_client.get(home).status_code == 200
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    page = alice_client.get(home)
    assert page.status_code == 302 and page["Location"].startswith(reverse("login"))


def test_a_session_whose_row_is_gone_signs_nobody_in(alice_client):
    Session.objects.all().delete()
    page = alice_client.get(reverse("learning:attempt_list"))
    assert page.status_code == 302 and page["Location"].startswith(reverse("login"))


def test_a_deactivated_or_deleted_user_is_signed_out_of_every_session(alice_client, alice):
    home = reverse("learning:attempt_list")
    User.objects.filter(pk=alice.pk).update(is_active=False)
    page = alice_client.get(home)
    assert page.status_code == 302 and page["Location"].startswith(reverse("login"))
    User.objects.filter(pk=alice.pk).update(is_active=True)
    assert alice_client.get(home).status_code == 200
    alice.delete()
    assert alice_client.get(home).status_code == 302


def test_a_session_made_before_the_upgrade_asks_to_sign_in_once_more(client, alice):
    """Sessions of the first round name a sign-in backend that no longer exists:
    Django signs them out (CHANGELOG.md says so) and nothing else is lost."""
    store = SessionStore()
    store["_auth_user_id"] = str(alice.pk)
    store[BACKEND_SESSION_KEY] = "learning.sessions.UserBackend"
    store["_auth_user_hash"] = alice.get_session_auth_hash()
    store.create()
    client.cookies["sessionid"] = store.session_key
    page = client.get(reverse("learning:attempt_list"))
    assert page.status_code == 302 and page["Location"].startswith(reverse("login"))
    client.force_login(alice)
    assert client.get(reverse("learning:attempt_list")).status_code == 200


def test_a_session_made_for_the_server_tests_signs_its_user_in_until_the_password_changes(
    client, alice
):
    """The fault and cluster tests sign their users in with this."""
    client.cookies["sessionid"] = session_for(alice)
    assert client.get(reverse("learning:attempt_list")).status_code == 200
    alice.set_password("a-new-password-2")
    alice.save()
    assert client.get(reverse("learning:attempt_list")).status_code == 302
