"""The result page: the score and chips first, only the mistakes by default, and
what to do next: study exactly the missed cards, try again, the next quiz."""

from django.urls import reverse

from learning import services
from learning.models import CardState, Quiz

from .test_quizzes import key_post


def finished(alice, quiz, right_kinds=()):
    attempt = services.attempt_start(user=alice, quiz=quiz)
    for item in attempt.items.select_related("question"):
        if item.question.kind in right_kinds:
            from learning.forms import AnswerForm
            from learning.models import Choice

            choices = {c.id: c for c in Choice.objects.filter(question=item.question)}
            form = AnswerForm(
                key_post(item),
                question=item.question,
                choices=[choices[i] for i in item.choice_order],
                options=[choices[i] for i in item.option_order],
            )
            assert form.is_valid(), form.errors
            services.attempt_answer(item=item, response=form.response())
    return services.attempt_finish(attempt=attempt)


def result_url(attempt, query=""):
    return reverse("learning:attempt_result", args=[attempt.pk]) + query


def test_the_result_shows_counts_chips_and_only_the_mistakes(alice_client, alice, quiz):
    attempt = finished(alice, quiz, right_kinds=("single", "true_false"))
    html = alice_client.get(result_url(attempt)).content.decode()
    assert "2 right" in html and "4 wrong or not answered" in html
    assert html.count('class="nav-chip chip-') == 6
    assert html.count('class="card mb-3"') == 4
    assert "Show every question" in html
    everything = alice_client.get(result_url(attempt, "?all=1")).content.decode()
    assert everything.count('class="card mb-3"') == 6
    assert "Show only my mistakes" in everything


def test_studying_the_missed_cards_gives_exactly_those_then_done(alice_client, alice, quiz):
    attempt = finished(alice, quiz, right_kinds=("single",))
    html = alice_client.get(result_url(attempt)).content.decode()
    study = reverse("learning:card_study") + f"?attempt={attempt.pk}"
    assert "Study the 5 you missed" in html and study.replace("&", "&amp;") in html
    missed = set(attempt.items.exclude(credit__gte=1).values_list("question_id", flat=True))
    seen = set()
    for _ in range(5):
        response = alice_client.get(study)
        card = CardState.objects.get(pk=response.url.split("/")[2])
        seen.add(card.question_id)
        alice_client.post(
            card.get_absolute_url() + f"?attempt={attempt.pk}",
            {"rating": 3, "version": card.version},
        )
    assert seen == missed
    assert alice_client.get(study).status_code == 200  # done: no sixth card


def test_another_students_attempt_does_not_scope_my_study(client, bob, alice, quiz):
    attempt = finished(alice, quiz)
    client.force_login(bob)
    response = client.get(reverse("learning:card_study") + f"?attempt={attempt.pk}")
    assert "attempt=" not in response.get("Location", "")


def test_try_again_counts_the_attempts_left_and_the_next_quiz_is_suggested(
    alice_client, alice, quiz, make_quiz
):
    quiz.attempts_allowed = 3
    quiz.save()
    Quiz.objects.filter(pk=quiz.pk).update(position=1)
    following = make_quiz(title="Next one", slug="next-one", position=2)
    attempt = finished(alice, quiz)
    html = alice_client.get(result_url(attempt)).content.decode()
    assert "Try again (2 attempts left)" in html
    assert f"Next: {following.title}" in html


def test_no_try_again_once_the_attempts_are_used(alice_client, alice, quiz):
    quiz.attempts_allowed = 1
    quiz.save()
    attempt = finished(alice, quiz)
    html = alice_client.get(result_url(attempt)).content.decode()
    assert "Try again" not in html


def test_the_next_quiz_is_the_assigned_one_first(alice_client, alice, quiz, make_quiz, tess):
    import datetime as dt

    from django.utils import timezone

    make_quiz(title="Next in order", slug="next-in-order", position=5)
    assigned = make_quiz(title="Assigned one", slug="assigned-one", position=9)
    classroom = services.classroom_create(teacher=tess, name="9B")
    services.classroom_join(student=alice, code=classroom.join_code)
    services.assignment_set(
        classroom=classroom, quiz=assigned, due_at=timezone.now() + dt.timedelta(days=2)
    )
    attempt = finished(alice, quiz)
    html = alice_client.get(result_url(attempt)).content.decode()
    assert "Next: Assigned one" in html
