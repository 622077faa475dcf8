"""A student downloads everything the site holds about them, and deletes their account."""

import json

from django.contrib.auth.models import User
from django.urls import reverse

from learning import services
from learning.models import Attempt, AttemptItem, CardState, Review


def test_the_download_holds_the_students_attempts_answers_and_cards(alice_client, alice, quiz):
    attempt = services.attempt_start(user=alice, quiz=quiz)
    item = attempt.items.get(position=1)
    services.attempt_answer(item=item, response={"choice": item.choice_order[0]})
    services.attempt_finish(attempt=attempt)
    response = alice_client.get(reverse("learning:account_download"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"]["username"] == "alice"
    assert data["attempts"][0]["quiz"] == quiz.title
    assert data["attempts"][0]["answers"][0]["response"] == item.response
    assert len(data["cards"]) == CardState.objects.filter(user=alice).count() > 0


def test_the_download_holds_nothing_of_another_student(alice_client, bob, quiz):
    services.attempt_finish(attempt=services.attempt_start(user=bob, quiz=quiz))
    data = json.loads(alice_client.get(reverse("learning:account_download")).content)
    assert data["attempts"] == [] and data["cards"] == []


def test_deleting_needs_the_password(alice_client, alice):
    response = alice_client.post(reverse("learning:account_delete"), {"password": "nope"})
    assert response.status_code == 400
    assert "That is not your password" in response.content.decode()
    assert User.objects.filter(pk=alice.pk).exists()


def test_deleting_removes_the_person_and_keeps_anonymous_attempts(client, quiz):
    carol = User.objects.create_user("carol", password="a-long-pass-123")
    client.force_login(carol)
    attempt = services.attempt_start(user=carol, quiz=quiz)
    item = attempt.items.get(position=1)
    services.attempt_answer(item=item, response={"choice": item.choice_order[0]})
    services.attempt_finish(attempt=attempt)
    card = CardState.objects.filter(user=carol).first()
    services.card_review(card=card, rating=3, version=card.version)
    response = client.post(
        reverse("learning:account_delete"), {"password": "a-long-pass-123"}, follow=True
    )
    assert "are deleted" in response.content.decode()
    assert not User.objects.filter(username="carol").exists()
    assert not CardState.objects.filter(question__in=[item.question_id], user__username="carol")
    assert Review.objects.count() == 0
    kept = Attempt.objects.get(pk=attempt.pk)
    assert kept.user.username.startswith("deleted-") and not kept.user.is_active
    assert not kept.user.has_usable_password()
    assert AttemptItem.objects.filter(attempt=kept, answered_at__isnull=False).count() == 1
    assert client.get(reverse("learning:attempt_list")).status_code == 302  # signed out


def test_an_open_attempt_is_closed_before_the_account_goes(alice, quiz):
    attempt = services.attempt_start(user=alice, quiz=quiz)
    services.account_delete(user=alice)
    assert Attempt.objects.get(pk=attempt.pk).state == Attempt.State.FINISHED


def test_a_teacher_cannot_delete_their_account_here(tess_client, tess):
    html = tess_client.get(reverse("learning:account")).content.decode()
    assert "Delete my account" not in html
    tess_client.post(reverse("learning:account_delete"), {"password": "x"})
    assert User.objects.filter(pk=tess.pk).exists()


def test_sign_up_errors_are_summarised_beside_their_fields_and_typed_values_kept(client, db):
    response = client.post(
        reverse("learning:signup"),
        {"username": "dora", "email": "dora@", "password1": "x", "password2": "y"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="alert alert-danger error-summary"' in html and "autofocus" in html
    assert 'href="#id_email"' in html and 'value="dora"' in html
    assert 'value="x"' not in html


def test_sign_up_and_log_out_say_so(client, db):
    response = client.post(
        reverse("learning:signup"),
        {"username": "dora", "password1": "a-long-pass-123", "password2": "a-long-pass-123"},
        follow=True,
    )
    assert "Welcome, dora: your account is ready." in response.content.decode()
    response = client.post(reverse("logout"), follow=True)
    assert "You are logged out." in response.content.decode()


def test_a_new_students_home_shows_the_way_in_then_stops(alice_client, alice, quiz):
    html = alice_client.get("/").content.decode()
    assert "Start here" in html and f"Start with “{quiz.title}”" in html
    assert reverse("learning:card_decks") in html and "stretched-link" in html
    services.attempt_start(user=alice, quiz=quiz)
    assert "Start here" not in alice_client.get("/").content.decode()


def test_the_shipped_quizzes_are_listed_practice_first_and_the_exam_last(db):
    from django.core.management import call_command

    from learning.models import Quiz

    call_command("loaddata", "statement", verbosity=0)
    slugs = list(
        Quiz.objects.published().order_by("position", "title").values_list("slug", flat=True)
    )
    assert slugs[0] == "essentials" and slugs[-1] == "full-exam"
