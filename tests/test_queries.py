"""Query counts of the quiz pages do not grow with the number of questions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from learning import services


@pytest.fixture
def sized_attempt(alice, make_question, make_quiz):
    def make(size: int, slug: str):
        kinds = ["single", "multiple", "true_false", "short", "ordering", "matching"]
        # Every kind, the last one a single choice so the test can answer it blind.
        for n in range(size):
            kind = "single" if n == size - 1 else kinds[n % 6]
            make_question(kind, prompt=f"{slug} {n}?", bank=bank_for(slug))
        quiz = make_quiz(slug=slug, title=slug, shuffle_questions=False)
        quiz.banks.set([bank_for(slug)])
        attempt = services.attempt_start(user=alice, quiz=quiz)
        for item in attempt.items.all()[: size - 1]:
            services.attempt_answer(item=item, response={"choice": item.choice_order[0]})
        return attempt

    def bank_for(slug):
        from learning.models import Bank

        return Bank.objects.get_or_create(slug=slug, defaults={"name": slug})[0]

    return make


def count(client, method, url, data=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, data or {})
    assert response.status_code in (200, 302), response.status_code
    return len(queries)


def test_question_answer_and_result_pages_cost_the_same_for_5_or_50_questions(
    alice_client, sized_attempt, django_assert_max_num_queries
):
    counts = {}
    for size in (5, 50):
        attempt = sized_attempt(size, f"size-{size}")
        last = attempt.items.get(position=size)
        question = reverse("learning:attempt_question", args=[attempt.pk, last.position])
        page = count(alice_client, "get", question)
        answer = count(alice_client, "post", question, {"answer": "0"})
        alice_client.post(reverse("learning:attempt_finish", args=[attempt.pk]))
        result = count(alice_client, "get", reverse("learning:attempt_result", args=[attempt.pk]))
        counts[size] = (page, answer, result)
    assert counts[5] == counts[50], counts
    page, answer, result = counts[50]
    print(f"queries: question page {page}, answer POST {answer}, result page {result}")
    # The session, the user, the attempt and its item (two fixed statements), the
    # content version and the navigator. The first page of a question in a process
    # reads it, the paragraphs it also cites and its choices too, the first of a
    # quiz the quiz; from then on they are kept (tests/test_kept_questions.py).
    with django_assert_max_num_queries(6):
        alice_client.get(question)
    # The result page's sixth query reads the paragraphs a question also cites,
    # its seventh the regrades and overrides to note, the next three what to do
    # next (the listed quizzes with the student's figures, their assignments
    # still due, their accommodations).
    assert page <= 10 and answer <= 6 and result <= 9
