"""The home page's summary of a student's work is kept under their progress stamp:
every write that changes it shows on the very next visit."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from learning import services
from learning.models import Attempt, CardState, ProgressStamp, StudySettings

KNOWN = re.compile(r"(\d+) of (\d+) questions? known")


def known(client) -> int:
    return int(KNOWN.search(client.get("/").content.decode()).group(1))


def answer_right(attempt, count: int) -> None:
    for item in attempt.items.select_related("question").order_by("position")[:count]:
        right = item.question.choices.order_by("-credit").first()
        services.attempt_answer(item=item, response={"choice": right.pk})


@pytest.fixture
def single_quiz(make_question, make_quiz):
    for n in range(3):
        make_question("single", prompt=f"Question {n}?")
    return make_quiz(shuffle_questions=False, shuffle_choices=False)


def test_an_answer_in_an_open_attempt_shows_at_once(alice_client, alice, single_quiz):
    assert known(alice_client) == 0
    attempt = services.attempt_start(user=alice, quiz=single_quiz)
    assert known(alice_client) == 0
    answer_right(attempt, 1)
    assert known(alice_client) == 1  # no stamp changed: the open attempt's answers count


def test_finishing_an_attempt_shows_its_score(alice_client, alice, single_quiz):
    attempt = services.attempt_start(user=alice, quiz=single_quiz)
    answer_right(attempt, 2)
    before = alice_client.get("/").content.decode()
    assert "Nothing yet: finish a quiz" in before
    services.attempt_finish(attempt=attempt)
    after = alice_client.get("/").content.decode()
    assert "Nothing yet: finish a quiz" not in after and "1 attempt; pass mark" in after


def test_a_credit_override_shows_at_once(alice_client, alice, tess, single_quiz):
    attempt = services.attempt_start(user=alice, quiz=single_quiz)
    answer_right(attempt, 2)
    item = attempt.items.select_related("question").order_by("position").last()
    wrong = item.question.choices.order_by("credit").first()
    services.attempt_answer(item=item, response={"choice": wrong.pk})
    services.attempt_finish(attempt=attempt)
    assert known(alice_client) == 2
    services.credit_override(item=item, by=tess, credit=1)
    assert known(alice_client) == 3


def test_deleting_an_attempt_shows_at_once(alice_client, alice, single_quiz):
    attempt = services.attempt_start(user=alice, quiz=single_quiz)
    answer_right(attempt, 2)
    services.attempt_finish(attempt=attempt)
    assert known(alice_client) == 2
    Attempt.objects.filter(pk=attempt.pk).delete()
    assert known(alice_client) == 0


def test_rating_a_card_shows_at_once(alice_client, alice, single_quiz):
    card = CardState.objects.create(
        user=alice, question=single_quiz.question_pool().first(), due=timezone.now()
    )
    StudySettings.for_user(alice)  # made now, so that the rating is the only change
    assert "Study streak: 0 days" in alice_client.get("/").content.decode()
    services.card_review(card=card, rating=3, version=0)
    assert "Study streak: 1 day" in alice_client.get("/").content.decode()


def test_a_known_card_is_forgotten_with_a_lower_retention_wanted(alice_client, alice, single_quiz):
    now = timezone.now()
    CardState.objects.create(
        user=alice,
        question=single_quiz.question_pool().first(),
        due=now + dt.timedelta(days=30),
        state=CardState.State.REVIEW,
        stability=1.0,
        difficulty=5.0,
        last_review=now - dt.timedelta(days=3),
    )
    settings = StudySettings.for_user(alice)
    settings.desired_retention = 0.95
    settings.save()
    assert known(alice_client) == 0  # three days after a one-day stability: below 95 %
    settings.desired_retention = 0.5
    settings.save()
    assert known(alice_client) == 1


def test_the_stamp_belongs_to_the_student(alice_client, alice, bob, single_quiz):
    alice_client.get("/")
    before = ProgressStamp.objects.of(alice.pk)
    services.attempt_finish(attempt=services.attempt_start(user=bob, quiz=single_quiz))
    assert ProgressStamp.objects.of(alice.pk) == before


def test_the_gradebook_redraws_its_kept_rows_when_a_standing_changes(
    tess_client, tess, alice, single_quiz
):
    from django.urls import reverse

    from learning.models import Membership

    classroom = services.classroom_create(teacher=tess, name="Class")
    Membership.objects.create(classroom=classroom, student=alice, joined_at=timezone.now())
    services.assignment_set(
        classroom=classroom, quiz=single_quiz, due_at=timezone.now() + dt.timedelta(days=1)
    )
    url = reverse("learning:classroom_gradebook", args=[classroom.pk])

    def cell() -> str:
        html = tess_client.get(url).content.decode()
        return re.search(r"<tbody>.*?</tbody>", html, re.S).group(0)

    assert "not started" in cell()
    attempt = services.attempt_start(user=alice, quiz=single_quiz)
    assert "in progress" in cell()
    answer_right(attempt, 3)
    services.attempt_finish(attempt=attempt)
    assert "100%" in cell()


def test_a_kept_page_shows_what_a_fresh_one_does(alice_client, alice, single_quiz):
    attempt = services.attempt_start(user=alice, quiz=single_quiz)
    answer_right(attempt, 2)
    services.attempt_finish(attempt=attempt)
    figures = re.compile(r"<main.*?</main>", re.S)
    fresh = figures.search(alice_client.get("/").content.decode()).group(0)
    kept = figures.search(alice_client.get("/").content.decode()).group(0)
    assert "2 of 3 questions known" in fresh and "share-row" in fresh
    assert kept == fresh
