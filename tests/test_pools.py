"""The pool a start draws from is kept per process under the content version:
every change to what a start may draw is seen by the very next start."""

import random

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from learning import services
from learning.models import Bank, Choice, ContentVersion, ExclusionGroup, Question
from learning.selectors.progress import mastery_by_bank
from learning.services.attempts import draw_questions


def drawn(quiz) -> set[int]:
    return {q.id for q in draw_questions(quiz, random.Random(1))}


def started(user, quiz) -> set[int]:
    attempt = services.attempt_start(user=user, quiz=quiz)
    ids = set(attempt.items.values_list("question_id", flat=True))
    services.attempt_finish(attempt=attempt)
    return ids


@pytest.fixture
def kept(quiz):
    """The quiz's pool, read once and kept."""
    before = drawn(quiz)
    assert before == set(Question.objects.values_list("id", flat=True))
    return before


def test_a_kept_pool_is_not_read_again(quiz, kept):
    with CaptureQueriesContext(connection) as captured:
        draw_questions(quiz, random.Random(2))
    assert len(captured) == 1, [q["sql"] for q in captured]  # the content version


def test_a_question_added_to_a_bank_is_drawn_by_the_next_start(alice, quiz, kept, make_question):
    new = make_question("single", prompt="Added after the pool was kept?")
    assert new.id in started(alice, quiz)


def test_a_question_unpublished_in_bulk_is_not_drawn(alice, quiz, kept):
    gone = Question.objects.filter(kind="single")
    gone_ids = set(gone.values_list("id", flat=True))
    gone.update(published=False)  # the admin's action: no signal, one UPDATE
    assert not gone_ids & started(alice, quiz)


def test_a_question_moved_to_another_bank_leaves_the_pool(alice, quiz, kept):
    question = Question.objects.get(kind="matching")
    services.questions_move(questions=[question], bank=Bank.objects.create(name="Other", slug="o"))
    assert question.id not in started(alice, quiz)


def test_a_bank_added_to_the_quiz_is_drawn_from(alice, quiz, kept, make_question):
    other = Bank.objects.create(name="Other", slug="other")
    question = make_question("true_false", bank=other)
    assert question.id not in drawn(quiz)
    quiz.banks.add(other)
    assert question.id in started(alice, quiz)


def test_a_question_dropped_from_the_quiz_is_not_drawn(alice, quiz, kept):
    question = Question.objects.get(kind="short")
    quiz.dropped_questions.add(question)
    assert question.id not in started(alice, quiz)


def test_an_exclusion_group_made_later_keeps_its_questions_apart(quiz, kept):
    pair = list(Question.objects.filter(kind__in=["single", "short"]))
    ExclusionGroup.objects.create(name="Give each other away").questions.set(pair)
    for seed in range(20):
        ids = {q.id for q in draw_questions(quiz, random.Random(seed))}
        assert len(ids & {q.id for q in pair}) == 1


def test_a_choice_added_later_is_laid_out(alice, quiz, kept):
    question = Question.objects.get(kind="single")
    Choice.objects.bulk_create([Choice(question=question, text="Added later", credit=0)])
    attempt = services.attempt_start(user=alice, quiz=quiz)
    item = attempt.items.get(question=question)
    assert set(item.choice_order) == set(question.choices.values_list("id", flat=True))


def test_the_mastery_chart_counts_a_question_published_later(alice, quiz, make_question):
    now = timezone.now()
    before = sum(total for _, _, total in mastery_by_bank(alice, now))
    make_question("ordering", prompt="Published later?")
    after = sum(total for _, _, total in mastery_by_bank(alice, now))
    assert after == before + 1


def test_pressing_start_draws_a_question_added_since(
    alice_client, alice, quiz, kept, make_question
):
    new = make_question("single", prompt="Added before pressing Start?")
    response = alice_client.post(reverse("learning:quiz_start", args=[quiz.slug]))
    assert response.status_code == 302
    attempt = User.objects.get(pk=alice.pk).attempts.get()
    assert attempt.items.filter(question=new).exists()


def test_the_home_page_redraws_its_kept_chart_when_a_figure_changes(
    alice_client, quiz, make_question
):
    total = Question.objects.published().count()
    assert f"0 of {total} questions known" in alice_client.get("/").content.decode()
    make_question("ordering", prompt="Published since the chart was drawn?")
    html = alice_client.get("/").content.decode()
    assert f"0 of {total + 1} questions known" in html


def test_a_kept_chart_is_kept_per_language(alice_client, quiz):
    english = alice_client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    french = alice_client.get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    mastery = "Questions you know, per part of the text"
    assert mastery in english and mastery not in french


def test_the_content_version_is_its_rows_number_and_moves_with_the_content(db, make_question):
    ContentVersion.objects.all().delete()
    assert ContentVersion.objects.current() == 0
    make_question("single")
    first = ContentVersion.objects.current()
    assert first == ContentVersion.objects.get(pk=1).number != 0
    make_question("short")
    assert ContentVersion.objects.current() not in (0, first)
