"""Exclusion groups: questions that give each other away are never drawn into one
attempt, whatever the draw; the review quotes every paragraph a question cites."""

import random

import pytest
from django.urls import reverse

from learning import services
from learning.models import Choice, ExclusionGroup, Question
from learning.services.attempts import draw_questions


@pytest.fixture
def twelve(make_question, passage):
    """Twelve single-choice questions, in groups {0, 1, 2}, {2, 3} and {4, 5}."""
    questions = [make_question("single", prompt=f"Question {n}?") for n in range(12)]
    for name, members in (("a", [0, 1, 2]), ("b", [2, 3]), ("c", [4, 5])):
        group = ExclusionGroup.objects.create(name=name)
        group.questions.set([questions[n] for n in members])
    return questions


def _clashes(drawn_ids: list[int]) -> list[str]:
    return [
        group.name
        for group in ExclusionGroup.objects.prefetch_related("questions")
        if len({q.pk for q in group.questions.all()} & set(drawn_ids)) > 1
    ]


@pytest.mark.parametrize("count", [None, 3, 8, 11, 12])
def test_no_draw_ever_holds_two_questions_of_one_group(twelve, make_quiz, count):
    quiz = make_quiz(question_count=count)
    for seed in range(300):
        drawn = [q.id for q in draw_questions(quiz, random.Random(seed))]
        assert len(drawn) == len(set(drawn))
        assert not _clashes(drawn), (seed, drawn)
        # Taking question 2 passes over 0, 1 and 3, and one of 4 and 5 goes:
        # at most four of the twelve are lost to the groups.
        assert len(drawn) >= min(count or 12, 8)


def test_a_quiz_of_all_its_questions_keeps_one_of_each_group_at_random(twelve, make_quiz):
    quiz = make_quiz(question_count=None, shuffle_questions=False)
    kept = {frozenset(q.id for q in draw_questions(quiz, random.Random(s))) for s in range(50)}
    assert len(kept) > 1  # which member is kept varies
    for drawn in kept:
        assert not _clashes(list(drawn))


def test_an_attempt_started_by_a_student_holds_no_two_of_a_group(alice, twelve, make_quiz):
    quiz = make_quiz(question_count=6)
    for seed in range(40):
        attempt = services.attempt_start(user=alice, quiz=quiz, rng=random.Random(seed))
        assert not _clashes(list(attempt.items.values_list("question_id", flat=True)))
        services.attempt_finish(attempt=attempt)


def test_the_review_quotes_every_paragraph_a_question_cites(alice_client, alice, quiz, passage):
    second = passage.source.passages.create(number=7, text="QUOTED-SEVEN the second paragraph.")
    question = Question.objects.get(kind="single", bank__quizzes=quiz)
    question.also_cites.add(second)
    attempt = services.attempt_start(user=alice, quiz=quiz)
    item = attempt.items.get(question=question)
    chosen = Choice.objects.get(question=question, credit=1).pk
    services.attempt_answer(item=item, response={"choice": chosen})
    page = alice_client.get(item.get_absolute_url()).text
    assert passage.text in page and "QUOTED-SEVEN" in page
    assert page.index(passage.text) < page.index("QUOTED-SEVEN")  # in the text's order
    services.attempt_finish(attempt=attempt)
    result = reverse("learning:attempt_result", args=[attempt.pk]) + "?all=1"
    result = alice_client.get(result).text
    assert passage.text in result and "QUOTED-SEVEN" in result


def test_teachers_manage_exclusion_groups_in_the_admin(tess_client, twelve):
    page = tess_client.get(reverse("admin:learning_exclusiongroup_changelist"))
    assert page.status_code == 200 and ">a<" in page.text.replace("\n", "")
    add = reverse("admin:learning_exclusiongroup_add")
    response = tess_client.post(add, {"name": "d", "questions": [twelve[6].pk, twelve[7].pk]})
    assert response.status_code == 302
    assert set(ExclusionGroup.objects.get(name="d").questions.all()) == {twelve[6], twelve[7]}
