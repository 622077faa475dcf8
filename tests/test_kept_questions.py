"""An attempt's pages keep each question, its paragraph and its choices per process
under the content version: read once for everyone, and a teacher's fix is on the
very next page and grades the very next answer."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from learning import services
from learning.models import AttemptItem, Choice, Passage, Question, Quiz


def url(item: AttemptItem) -> str:
    return reverse("learning:attempt_question", args=[item.attempt_id, item.position])


def item_of(user, quiz, kind: str) -> AttemptItem:
    attempt = services.attempt_start(user=user, quiz=quiz)
    return attempt.items.get(question__kind=kind)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def two_students(alice, bob, quiz):
    """Alice and Bob in the same quiz, each with a signed-in client."""
    return [(signed_in(user), user) for user in (alice, bob)]


def tables_read(client, path: str) -> str:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return " ".join(query["sql"] for query in captured)


def test_the_second_student_of_a_question_reads_neither_it_nor_its_choices(two_students, quiz):
    (alice_client, alice), (bob_client, bob) = two_students
    first = tables_read(alice_client, url(item_of(alice, quiz, "single")))
    assert '"learning_question"' in first and '"learning_choice"' in first
    second = tables_read(bob_client, url(item_of(bob, quiz, "single")))
    assert '"learning_question"' not in second and '"learning_choice"' not in second
    assert "learning_contentversion" in second


def test_a_fixed_choice_shows_and_grades_on_the_next_page(two_students, quiz):
    (alice_client, alice), (bob_client, bob) = two_students
    assert "Wang Yi" in alice_client.get(url(item_of(alice, quiz, "single"))).text
    # The teacher's fix: the key was wrong, and a choice is reworded.
    question = Question.objects.get(kind="single")
    Choice.objects.filter(question=question, text="Sergei Lavrov").update(credit=0)
    wang = Choice.objects.get(question=question, text="Wang Yi")
    wang.text, wang.credit = "Wang Yi of China", 1
    wang.save()
    item = item_of(bob, quiz, "single")
    page = bob_client.get(url(item)).text
    assert "Wang Yi of China" in page and "Wang Yi<" not in page
    bob_client.post(url(item), {"answer": str(item.choice_order.index(wang.pk))})
    item.refresh_from_db()
    assert item.credit == 1


def test_an_edited_prompt_and_paragraph_show_on_the_next_page(two_students, quiz):
    (alice_client, alice), (bob_client, bob) = two_students
    item = item_of(alice, quiz, "single")
    alice_client.post(url(item), {"answer": "0"})
    assert "chaired by Foreign Minister" in alice_client.get(url(item)).text  # the quote
    question = Question.objects.get(kind="single")
    question.prompt = "Who chaired the video conference?"
    question.save()
    Passage.objects.filter(pk=question.passage_id).update(text="Chaired from Moscow.")
    bobs = bob_client.get(url(item_of(bob, quiz, "single"))).text
    assert "Who chaired the video conference?" in bobs
    page = alice_client.get(url(item)).text
    assert "Chaired from Moscow." in page and "chaired by Foreign Minister" not in page


def test_a_short_answer_kept_is_graded_by_the_paragraphs_it_cites(two_students, quiz, passage):
    # "Mr. Lavrov" is right only by the other paragraph, which names his title.
    Passage.objects.filter(pk=passage.pk).update(text="The conference met on 13 May.")
    other = Passage.objects.create(
        source=passage.source, number=2, text="Foreign Minister Sergei Lavrov opened it."
    )
    Question.objects.get(kind="short").also_cites.add(other)
    for client, user in two_students:  # the first reads the question, the second keeps it
        item = item_of(user, quiz, "short")
        client.get(url(item))
        client.post(url(item), {"answer": "Mr. Lavrov"})
        item.refresh_from_db()
        assert item.credit == 1, user


def test_a_changed_quiz_setting_applies_at_the_next_answer(two_students, quiz):
    (alice_client, alice), (bob_client, bob) = two_students
    first, second = item_of(alice, quiz, "single"), item_of(bob, quiz, "single")
    assert alice_client.get(url(first)).status_code == 200  # the quiz kept, feedback at once
    assert bob_client.get(url(second)).status_code == 200
    right = Choice.objects.filter(question=first.question).order_by("-credit").first()
    answer = {"answer": str(first.choice_order.index(right.pk))}
    assert alice_client.post(url(first), answer).url == url(first)  # its feedback
    quiz.feedback_timing = Quiz.FeedbackTiming.DEFERRED
    quiz.save()
    answer = {"answer": str(second.choice_order.index(right.pk))}
    assert bob_client.post(url(second), answer).url != url(second)  # on to the next
    page = bob_client.get(url(second)).text
    assert "Your answer is saved." in page and "Correct" not in page
