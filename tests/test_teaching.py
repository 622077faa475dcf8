"""The teacher's home, a student's page, and a student's attempt as the teacher
reviews it: comments and credit overrides the student sees, and 404 for
another teacher's students."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from learning import services
from learning.models import Attempt, Choice, Comment, CreditOverride, Passage
from tests.test_gradebook import finish


@pytest.fixture
def classroom(tess, alice, quiz):
    classroom = services.classroom_create(teacher=tess, name="9B")
    services.classroom_join(student=alice, code=classroom.join_code)
    services.assignment_set(
        classroom=classroom, quiz=quiz, due_at=timezone.now() + dt.timedelta(days=2)
    )
    return classroom


@pytest.fixture
def attempt(alice, quiz, classroom) -> Attempt:
    return finish(alice, quiz, right=1)


def review_url(attempt):
    return reverse("learning:teach_attempt", args=[attempt.pk])


def test_a_teacher_signs_in_to_their_teaching_home(client, tess):
    response = client.post(reverse("login"), {"username": "tess", "password": "tess-teaches-2020"})
    assert response.url == reverse("learning:teach_home")


def test_a_student_signs_in_to_the_home_page(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": "alice-password-1"})
    assert response.url == reverse("learning:home")


def test_a_page_asked_for_wins_over_the_teaching_home(client, tess):
    response = client.post(
        reverse("login") + "?next=/cards/",
        {"username": "tess", "password": "tess-teaches-2020", "next": "/cards/"},
    )
    assert response.url == "/cards/"


def test_the_teaching_home_shows_classes_due_work_results_and_ways_in(
    tess_client, classroom, attempt, alice
):
    html = tess_client.get(reverse("learning:teach_home")).content.decode()
    assert "9B" in html and "1 of 1 done" in html
    assert review_url(attempt) in html
    assert reverse("admin:learning_question_add") in html
    assert reverse("admin:learning_quiz_add") in html
    assert reverse("admin:learning_question_import") in html
    assert reverse("learning:card_decks") in html  # their own flashcards, in the menu
    assert "Questions most missed this week" in html


def test_the_teaching_home_is_for_teachers_only(alice_client):
    assert alice_client.get(reverse("learning:teach_home")).status_code == 403


def test_the_teacher_reads_the_students_review_with_keys_and_passages(
    tess_client, attempt, six_kinds
):
    html = tess_client.get(review_url(attempt)).content.decode()
    assert "EXPLAINED-single" in html  # the explanation, after the answer
    assert "Sergei Lavrov" in html  # the key
    assert "Paragraph 1" in html  # the quoted passage
    assert 'name="text"' in html and 'name="credit"' in html
    assert "<dt>Answer given</dt>" in html and "Your answer" not in html


def test_the_students_own_result_still_says_your_answer(alice_client, attempt):
    html = alice_client.get(reverse("learning:attempt_result", args=[attempt.pk])).content
    assert "<dt>Your answer</dt>" in html.decode() and "Answer given" not in html.decode()


def test_another_teachers_student_answers_404(client, tom, attempt, classroom, alice):
    client.force_login(tom)
    assert client.get(review_url(attempt)).status_code == 404
    url = reverse("learning:teach_comment", args=[attempt.pk])
    assert client.post(url, {"text": "Hello"}).status_code == 404
    url = reverse("learning:classroom_student", args=[classroom.pk, alice.pk])
    assert client.get(url).status_code == 404
    assert not Comment.objects.exists()


def test_a_student_outside_the_teachers_classes_answers_404(tess_client, bob, quiz):
    attempt = finish(bob, quiz, right=0)
    assert tess_client.get(review_url(attempt)).status_code == 404


def test_comments_per_attempt_and_per_question_reach_the_students_result(
    tess_client, client, attempt, alice
):
    url = reverse("learning:teach_comment", args=[attempt.pk])
    response = tess_client.post(url, {"text": "Well read, overall."})
    assert response.status_code == 302
    tess_client.post(url, {"text": "Look at paragraph 1 again.", "position": "2"})
    comments = list(Comment.objects.order_by("id"))
    assert comments[0].item is None and comments[1].item.position == 2
    client.force_login(alice)
    html = client.get(reverse("learning:attempt_result", args=[attempt.pk])).content.decode()
    assert "From your teacher" in html
    assert "Well read, overall." in html and "Look at paragraph 1 again." in html
    assert "Question 2" in html


def test_an_empty_comment_is_refused_with_a_message(tess_client, attempt):
    url = reverse("learning:teach_comment", args=[attempt.pk])
    response = tess_client.post(url, {"text": "   "})
    assert response.status_code == 400 and "Write the comment first." in response.content.decode()
    assert not Comment.objects.exists()


def test_a_comment_too_long_is_refused_with_a_message(tess_client, attempt):
    url = reverse("learning:teach_comment", args=[attempt.pk])
    response = tess_client.post(url, {"text": "x" * 2001})
    assert response.status_code == 400 and "at most 2000 characters" in response.content.decode()
    assert not Comment.objects.exists()


def test_a_comment_on_a_question_not_in_the_attempt_is_404(tess_client, attempt):
    url = reverse("learning:teach_comment", args=[attempt.pk])
    assert tess_client.post(url, {"text": "x", "position": "99"}).status_code == 404


def test_an_override_changes_one_credit_rescores_and_is_recorded(
    tess_client, client, tess, attempt, alice
):
    item = attempt.items.exclude(credit__gte=1).first()
    old_score = attempt.score
    url = reverse("learning:teach_override", args=[attempt.pk])
    response = tess_client.post(url, {"position": item.position, "credit": "1"})
    assert response.status_code == 302
    override = CreditOverride.objects.get()
    assert (override.by, override.old_credit, override.new_credit) == (tess, item.credit, 1.0)
    assert override.old_score == old_score
    attempt.refresh_from_db()
    assert attempt.score == pytest.approx(old_score + item.question.weight)
    assert override.new_score == attempt.score
    client.force_login(alice)
    html = client.get(reverse("learning:attempt_result", args=[attempt.pk])).content.decode()
    assert "changed your credit from 0.00 to 1.00" in html


@pytest.mark.parametrize("credit", ["1.5", "-1", "lots", ""])
def test_an_override_out_of_range_is_refused(tess_client, attempt, credit):
    url = reverse("learning:teach_override", args=[attempt.pk])
    response = tess_client.post(url, {"position": "1", "credit": credit})
    assert response.status_code == 400
    assert "Credit is a number from 0 to 1." in response.content.decode()
    assert not CreditOverride.objects.exists()


def test_an_open_attempt_takes_no_comment_or_override(tess_client, alice, quiz, classroom):
    attempt = services.attempt_start(user=alice, quiz=quiz)
    html = tess_client.get(review_url(attempt)).content.decode()
    assert "still sitting this attempt" in html and "EXPLAINED" not in html
    url = reverse("learning:teach_override", args=[attempt.pk])
    assert tess_client.post(url, {"position": "1", "credit": "1"}).status_code == 400
    assert not CreditOverride.objects.exists()


def test_a_regrade_by_the_key_keeps_the_teachers_override(tess, attempt):
    item = attempt.items.exclude(credit__gte=1).first()
    services.credit_override(item=item, by=tess, credit=1.0)
    plan = services.regrade_preview(quiz=attempt.quiz)
    assert all(c.item_id != item.pk for change in plan.changes for c in change.items)


def test_the_students_page_shows_attempts_mastery_cards_and_passages(
    tess_client, classroom, attempt, alice, quiz
):
    url = reverse("learning:classroom_student", args=[classroom.pk, alice.pk])
    html = tess_client.get(url).content.decode()
    assert review_url(attempt) in html
    assert "Mastery per bank" in html and "cards due now" in html
    assert "Weakest passages" in html and "answers right" in html
    html = tess_client.get(url, {"quiz": quiz.pk}).content.decode()
    assert "Attempts at this quiz" in html


def sit(student, quiz, **right_by_kind: bool) -> Attempt:
    """The student answers the single-choice and true/false questions named,
    right (True) or wrong (False), leaves the others, and finishes."""
    attempt = services.attempt_start(user=student, quiz=quiz)
    for item in attempt.items.select_related("question"):
        if item.question.kind in right_by_kind:
            credit = 1 if right_by_kind[item.question.kind] else 0
            choice = Choice.objects.filter(question=item.question, credit=credit).first()
            services.attempt_answer(item=item, response={"choice": choice.pk})
    return services.attempt_finish(attempt=attempt)


def test_the_passages_the_class_misreads_weakest_first(
    tess_client, classroom, bob, alice, quiz, passage, six_kinds
):
    services.classroom_join(student=bob, code=classroom.join_code)
    sit(alice, quiz, single=True, true_false=False)
    sit(bob, quiz, single=False, true_false=False)
    other = Passage.objects.create(source=passage.source, number=2, text="Paragraph two's text.")
    six_kinds["true_false"].also_cites.add(other)
    url = reverse("learning:classroom_passages", args=[classroom.pk])
    html = tess_client.get(url).content.decode()
    # Paragraph 2: the true/false question, wrong twice. Paragraph 1: all six
    # questions, met by both students, the single-choice one right once (a
    # question left unanswered is not right).
    assert html.index("0 of 2 answers right (0%)") < html.index("1 of 12 answers right (8.3%)")
    assert html.index("Paragraph two&#x27;s text.") < html.index("The conference was chaired")
    assert reverse("admin:learning_question_change", args=[six_kinds["single"].pk]) in html


def test_passages_misread_by_one_student_on_their_page(
    tess_client, classroom, alice, quiz, six_kinds
):
    sit(alice, quiz, single=True, true_false=False)
    url = reverse("learning:classroom_student", args=[classroom.pk, alice.pk])
    assert "1 of 6 answers right (16.7%)" in tess_client.get(url).content.decode()


def test_gradebook_cells_open_the_attempt_or_the_students_attempts(
    tess_client, classroom, attempt, alice, quiz
):
    html = tess_client.get(
        reverse("learning:classroom_gradebook", args=[classroom.pk])
    ).content.decode()
    assert review_url(attempt) in html
    finish(alice, quiz, right=0)
    html = tess_client.get(
        reverse("learning:classroom_gradebook", args=[classroom.pk])
    ).content.decode()
    student = reverse("learning:classroom_student", args=[classroom.pk, alice.pk])
    assert f"{student}?quiz={quiz.pk}" in html


def test_late_work_is_marked_late_on_the_students_page(tess_client, tess, alice, quiz):
    classroom = services.classroom_create(teacher=tess, name="9C")
    services.classroom_join(student=alice, code=classroom.join_code)
    now = timezone.now()
    services.assignment_set(
        classroom=classroom,
        quiz=quiz,
        due_at=now - dt.timedelta(hours=1),
        now=now - dt.timedelta(days=1),
    )
    finish(alice, quiz, right=1)
    url = reverse("learning:classroom_student", args=[classroom.pk, alice.pk])
    assert 'text-bg-warning">late</span>' in tess_client.get(url).content.decode()


def test_a_wrong_short_answer_can_be_accepted_from_the_review(tess_client, alice, quiz, classroom):
    attempt = services.attempt_start(user=alice, quiz=quiz)
    item = attempt.items.get(question__kind="short")
    services.attempt_answer(item=item, response={"text": "Lavrov's deputy"})
    services.attempt_finish(attempt=attempt)
    html = tess_client.get(review_url(attempt)).content.decode()
    regrade = reverse("admin:learning_quiz_regrade", args=[quiz.pk])
    assert f"{regrade}?accept={item.question_id}&amp;text=Lavrov%27s%20deputy" in html


@pytest.mark.parametrize(
    "data",
    [
        {"position": "99999999999999999999", "text": "x", "credit": "1"},
        {"position": "-1", "text": "x", "credit": "1"},
        {"position": "abc", "text": "x", "credit": "nan"},
        {"position": "1", "text": "\x00", "credit": "1e309"},
        {},
    ],
)
def test_hostile_input_to_the_teachers_forms_is_a_4xx(tess_client, attempt, classroom, data):
    for name in ("teach_comment", "teach_override"):
        response = tess_client.post(reverse(f"learning:{name}", args=[attempt.pk]), data)
        assert response.status_code in (400, 404), (name, data)
    for params in ({"sort": "-" * 500, "show": "\x00"}, {"sort": "99999999999999999999"}):
        url = reverse("learning:classroom_gradebook", args=[classroom.pk])
        assert tess_client.get(url, params).status_code == 200
    url = reverse("learning:classroom_student", args=[classroom.pk, attempt.user_id])
    assert tess_client.get(url, {"quiz": "x" * 50}).status_code in (200, 404)
    assert not Comment.objects.exists() and not CreditOverride.objects.exists()
