"""A quiz's open and close times, access password and accommodations, applied by
the server at start and shown on the quiz page."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from learning import services
from learning.models import Accommodation, Attempt

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def test_a_quiz_before_its_opening_refuses_to_start_and_says_when_it_opens(alice, timed_quiz):
    timed_quiz.opens_at = NOW + dt.timedelta(hours=2)
    timed_quiz.save()
    with pytest.raises(services.QuizNotOpen, match="opens on"):
        services.attempt_start(user=alice, quiz=timed_quiz, now=NOW)
    assert not Attempt.objects.exists()


def test_a_closed_quiz_refuses_to_start(alice, timed_quiz):
    timed_quiz.closes_at = NOW - dt.timedelta(minutes=1)
    timed_quiz.save()
    with pytest.raises(services.QuizClosed, match="closed on"):
        services.attempt_start(user=alice, quiz=timed_quiz, now=NOW)


def test_the_quiz_page_says_when_it_opens_in_the_schools_time_zone(
    alice_client, timed_quiz, settings
):
    timed_quiz.opens_at = timezone.now() + dt.timedelta(days=1)
    timed_quiz.save()
    html = alice_client.get(timed_quiz.get_absolute_url()).content.decode()
    assert "This quiz opens on" in html and "(UTC)" in html
    assert "Start the quiz" not in html


def test_a_start_posted_to_a_closed_quiz_is_refused_with_a_message(alice_client, timed_quiz):
    timed_quiz.closes_at = timezone.now() - dt.timedelta(hours=1)
    timed_quiz.save()
    response = alice_client.post(reverse("learning:quiz_start", args=[timed_quiz.slug]))
    assert response.status_code == 403
    assert "This quiz closed on" in response.content.decode()
    assert not Attempt.objects.exists()


def test_a_deadline_never_runs_past_the_close_time(alice, timed_quiz):
    timed_quiz.closes_at = NOW + dt.timedelta(minutes=5)
    timed_quiz.save()
    attempt = services.attempt_start(user=alice, quiz=timed_quiz, now=NOW)
    assert attempt.deadline == NOW + dt.timedelta(minutes=5)


def test_an_access_password_is_stored_hashed_and_checked_at_start(alice, bob, timed_quiz):
    timed_quiz.access_password = services.password_hash("room-12")
    timed_quiz.save()
    assert "room-12" not in timed_quiz.access_password
    for wrong in ("", "room-13"):
        with pytest.raises(services.WrongPassword):
            services.attempt_start(user=alice, quiz=timed_quiz, now=NOW, password=wrong)
    attempt = services.attempt_start(user=alice, quiz=timed_quiz, now=NOW, password="room-12")
    # Resuming an open attempt needs no password again.
    assert services.attempt_start(user=alice, quiz=timed_quiz, now=NOW) == attempt


def test_the_quiz_page_asks_for_the_password_and_refuses_a_wrong_one(alice_client, timed_quiz):
    timed_quiz.access_password = services.password_hash("room-12")
    timed_quiz.save()
    html = alice_client.get(timed_quiz.get_absolute_url()).content.decode()
    assert 'type="password" name="password"' in html
    url = reverse("learning:quiz_start", args=[timed_quiz.slug])
    response = alice_client.post(url, {"password": "guess"})
    assert response.status_code == 403 and "not the password" in response.content.decode()
    assert alice_client.post(url, {"password": "room-12"}).status_code == 302


def test_extra_time_for_one_student_lengthens_only_their_deadline(alice, bob, timed_quiz):
    Accommodation.objects.create(quiz=timed_quiz, student=alice, time_factor=1.5, extra_minutes=5)
    mine = services.attempt_start(user=alice, quiz=timed_quiz, now=NOW)
    theirs = services.attempt_start(user=bob, quiz=timed_quiz, now=NOW)
    assert mine.deadline == NOW + dt.timedelta(minutes=35)
    assert theirs.deadline == NOW + dt.timedelta(minutes=20)


def test_a_class_accommodation_gives_extra_attempts_and_a_later_close(tess, alice, timed_quiz):
    classroom = services.classroom_create(teacher=tess, name="9B")
    services.classroom_join(student=alice, code=classroom.join_code)
    timed_quiz.closes_at = NOW
    timed_quiz.save()
    Accommodation.objects.create(
        quiz=timed_quiz, classroom=classroom, extra_attempts=1, closes_at=NOW + dt.timedelta(days=1)
    )
    for _ in range(3):  # two allowed, one extra
        services.attempt_finish(
            attempt=services.attempt_start(user=alice, quiz=timed_quiz, now=NOW), now=NOW
        )
    with pytest.raises(services.AttemptsExhausted):
        services.attempt_start(user=alice, quiz=timed_quiz, now=NOW)


def test_the_most_generous_of_several_accommodations_applies(tess, alice, timed_quiz):
    classroom = services.classroom_create(teacher=tess, name="9B")
    services.classroom_join(student=alice, code=classroom.join_code)
    Accommodation.objects.create(quiz=timed_quiz, classroom=classroom, time_factor=2)
    Accommodation.objects.create(quiz=timed_quiz, student=alice, time_factor=1.25)
    grant = Accommodation.objects.grant_for(quiz=timed_quiz, user=alice)
    assert grant.time_limit(timed_quiz.time_limit) == dt.timedelta(minutes=40)


def test_the_quiz_page_shows_the_students_own_time_limit(alice_client, alice, timed_quiz):
    Accommodation.objects.create(quiz=timed_quiz, student=alice, time_factor=1.5)
    html = alice_client.get(timed_quiz.get_absolute_url()).content.decode()
    assert "30 min" in html and "with your extra time" in html
