"""A new student signs up and takes "The essentials" from the shipped fixtures."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from learning.models import Attempt, Bank, ExclusionGroup, Question, Quiz
from learning.scoring import normalise
from tests.test_quizzes import key_post


def test_a_new_student_completes_the_essentials_meeting_every_kind(client, statement):
    response = client.post(
        reverse("learning:signup"),
        {"username": "dana", "password1": "sco-summit-2020!", "password2": "sco-summit-2020!"},
        follow=True,
    )
    assert "The essentials" in response.content.decode()
    essentials = Quiz.objects.get(slug="essentials")
    response = client.post(reverse("learning:quiz_start", args=[essentials.slug]), follow=True)
    assert "Question 1 of 10" in response.content.decode()
    attempt = Attempt.objects.get(user__username="dana")
    kinds = set()
    for item in attempt.items.select_related("question").order_by("position"):
        kinds.add(item.question.kind)
        page = client.get(item.get_absolute_url()).content.decode()
        assert f"Question {item.position} of 10" in page
        after = client.post(item.get_absolute_url(), key_post(item, short=True), follow=True)
        html = after.content.decode()
        assert "✓ Correct" in html, item.question.ref
        assert f"Paragraph {item.question.passage.number} of" in html
    assert kinds == set(Question.Kind.values)
    response = client.post(reverse("learning:attempt_finish", args=[attempt.pk]), follow=True)
    html = response.content.decode()
    assert "10 / 10" in html and "100%" in html and "Passed" in html
    assert html.count("✓ Correct") == 10


@pytest.fixture
def every_question_quiz(statement):
    # Every question in one attempt: exclusion groups would keep one of each group.
    ExclusionGroup.objects.all().delete()
    quiz = Quiz.objects.create(
        title="Everything", slug="everything", shuffle_questions=False, published=True
    )
    quiz.banks.set(Bank.objects.all())
    return quiz


def test_no_question_page_shows_its_key_before_the_answer_is_stored(
    alice_client, every_question_quiz
):
    """Every shipped question, unanswered: no explanation, no accepted answer, no
    credit, no quoted passage."""
    alice_client.post(reverse("learning:quiz_start", args=[every_question_quiz.slug]))
    attempt = Attempt.objects.get()
    items = attempt.items.select_related("question__passage").prefetch_related("question__choices")
    assert len(items) == Question.objects.count()
    for item in items:
        question = item.question
        html = alice_client.get(item.get_absolute_url()).content.decode()
        body = html[html.index('<main id="main"') :]
        assert escape(question.explanation) not in body, question.ref
        assert escape(question.passage.text) not in body, question.ref
        assert "credit" not in body and "Correct answer" not in body
        if question.kind == Question.Kind.SHORT:
            prompt = normalise(question.prompt)
            for choice in question.choices.all():
                if normalise(choice.text) not in prompt:
                    assert choice.text not in body, question.ref


def test_the_review_quotes_explanations_and_passages_as_the_key_check_expects(
    alice_client, every_question_quiz
):
    """The check above looks for the escaped texts; after finishing they are there."""
    alice_client.post(reverse("learning:quiz_start", args=[every_question_quiz.slug]))
    attempt = Attempt.objects.get()
    response = alice_client.post(reverse("learning:attempt_finish", args=[attempt.pk]), follow=True)
    body = response.content.decode()
    for question in Question.objects.select_related("passage"):
        assert escape(question.explanation) in body, question.ref
        assert escape(question.passage.text) in body, question.ref
