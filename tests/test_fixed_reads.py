"""The reads written as fixed SQL (learning/models/fixed.py) give what the ORM gives,
and the session and user read that way keep Django's rules."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from learning import services
from learning.models import AttemptItem, Choice, Question
from learning.sessions import UserBackend


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


def test_a_students_item_is_read_in_one_query_as_the_orm_reads_it(
    answered_item, alice, django_assert_num_queries
):
    with django_assert_num_queries(1):
        item = AttemptItem.for_student(
            attempt_id=answered_item.attempt_id, user_id=alice.pk, position=2
        )
        attempt, quiz, question = item.attempt, item.attempt.quiz, item.question
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


def test_no_item_for_another_student_a_missing_position_or_an_id_past_the_column(
    answered_item, alice, bob
):
    attempt_id = answered_item.attempt_id
    assert AttemptItem.for_student(attempt_id=attempt_id, user_id=bob.pk, position=2) is None
    assert AttemptItem.for_student(attempt_id=attempt_id, user_id=alice.pk, position=99) is None
    for huge in (2**63, -(2**63) - 1, 10**30):
        assert AttemptItem.for_student(attempt_id=huge, user_id=alice.pk, position=2) is None
        found = AttemptItem.for_student(attempt_id=attempt_id, user_id=alice.pk, position=huge)
        assert found is None


def test_a_questions_choices_are_all_of_its_choices_as_the_orm_reads_them(six_kinds):
    question = six_kinds["matching"]
    fixed = sorted(Choice.objects.of_question(question.pk), key=lambda c: c.pk)
    orm = list(Choice.objects.filter(question=question).order_by("pk"))
    assert [fields_of(c) for c in fixed] == [fields_of(c) for c in orm]
    assert Choice.objects.of_question(Question.objects.latest("pk").pk + 1) == []


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


def test_a_session_naming_a_user_id_past_the_column_or_not_a_number_is_nobody(alice):
    assert UserBackend().get_user(alice.pk) == alice
    assert UserBackend().get_user(2**63) is None
    assert UserBackend().get_user(str(alice.pk)) is None
