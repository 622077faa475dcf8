"""What a student sees, in a real browser."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from learning import services
from learning.models import Attempt, AttemptItem, CardState, Choice, Question, Quiz
from learning.scheduling import interval_label, previews

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "sco-summit-2020!"


def sign_up(tab, username: str) -> None:
    page = tab.goto("/signup/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    tab.follow(page.get_by_role("button", name="Create my account"))


def labelled(text: str) -> re.Pattern:
    """A label's exact text; crispy forms adds a (hidden) asterisk to required fields."""
    return re.compile(rf"^\s*{re.escape(text)}\*?\s*$")


def answer_right(tab) -> AttemptItem:
    """Fill in the key of the question on screen, as a student who read the text would."""
    page = tab.page
    attempt_pk, position = map(
        int, re.search(r"/attempts/(\d+)/questions/(\d+)/", page.url).groups()
    )
    item = AttemptItem.objects.select_related("question").get(
        attempt_id=attempt_pk, position=position
    )
    choices = list(Choice.objects.filter(question=item.question))
    kind = item.question.kind
    if kind in ("single", "true_false", "multiple"):
        for choice in choices:
            if choice.credit > 0:
                page.get_by_label(labelled(choice.text)).check()
    elif kind == "short":
        page.get_by_role("textbox").fill(max(choices, key=lambda c: c.credit).text)
    elif kind == "ordering":
        for choice in choices:
            page.get_by_label(labelled(choice.text)).select_option(str(choice.position))
    else:
        for choice in choices:
            page.get_by_label(labelled(choice.text)).select_option(label=choice.match)
    tab.follow(page.get_by_role("button", name="Save answer"))
    return item


def take_the_essentials(tab) -> Attempt:
    page = tab.goto("/quizzes/essentials/")
    tab.follow(page.get_by_role("button", name="Start the quiz"))
    kinds = set()
    for n in range(1, 11):
        assert f"Question {n} of 10" in page.content()
        item = answer_right(tab)
        kinds.add(item.question.kind)
        assert "✓ Correct" in page.content(), item.question.ref
        if n < 10:
            tab.follow(page.get_by_role("link", name="Next →"))
    assert kinds == set(Question.Kind.values)
    tab.follow(page.get_by_role("link", name="Finish…"))
    assert "Every question is answered." in page.content()
    tab.follow(page.get_by_role("button", name="Finish and see my score"))
    return Attempt.objects.get(quiz__slug="essentials")


def join_class(tab, code: str) -> None:
    page = tab.goto("/join/")
    page.locator("#id_code").fill(code.lower())
    tab.follow(page.get_by_role("button", name="Join"))


@pytest.fixture
def class_9b(statement):
    """Tess's class, with "The essentials" assigned for next week."""
    tess = services.teacher_create(username="tess", password=PASSWORD)
    classroom = services.classroom_create(teacher=tess, name="9B")
    essentials = Quiz.objects.get(slug="essentials")
    due = timezone.now() + dt.timedelta(days=7)
    services.assignment_set(classroom=classroom, quiz=essentials, due_at=due)
    return classroom


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_new_student_joins_a_class_and_takes_the_essentials(visit, class_9b, javascript):
    tab = visit(javascript=javascript)
    sign_up(tab, "dana")
    join_class(tab, class_9b.join_code)
    page = tab.goto("/")
    assert "Assigned to you" in page.content() and "9B" in page.content()
    attempt = take_the_essentials(tab)
    html = tab.page.content()
    assert attempt.score == 10
    assert "10 / 10" in html and "Passed" in html
    assert html.count("Paragraph ") >= 10 and "<blockquote" in html


def test_flashcards_with_the_keyboard_alone(visit, statement):
    tab = visit()
    sign_up(tab, "erin")
    page = tab.goto("/cards/")
    page.get_by_role("button", name="Study").focus()
    tab.press("Enter")
    for rating in ("3", "1", "4", "2"):
        card = CardState.objects.get(pk=int(re.search(r"/cards/(\d+)/", page.url).group(1)))
        tab.press(" ")
        assert "show=1" in page.url
        shown = page.locator(f'button[data-key="{rating}"] .small').inner_text()
        tab.press(rating)
        card.refresh_from_db()
        applied = card.due - card.last_review
        expected = previews(
            card.reviews.latest("reviewed_at").memory_before, card.last_review, 0.9
        )[int(rating)]
        assert applied == expected and interval_label(applied) == shown
    assert CardState.objects.filter(user__username="erin").exclude(last_review=None).count() >= 2


def test_a_timed_quiz_counts_down_and_refuses_an_answer_after_the_deadline(visit, statement):
    quiz = Quiz.objects.get(slug="essentials")
    quiz.time_limit = dt.timedelta(seconds=4)
    quiz.save()
    tab = visit()
    sign_up(tab, "finn")
    page = tab.goto("/quizzes/essentials/")
    tab.follow(page.get_by_role("button", name="Start the quiz"))
    timer = page.locator("time[data-countdown]")
    first = timer.inner_text()
    page.wait_for_timeout(1500)
    assert timer.inner_text() != first  # JavaScript makes it tick
    attempt = Attempt.objects.get()
    while timezone.now() < attempt.deadline + dt.timedelta(milliseconds=300):
        page.wait_for_timeout(200)
    assert timer.inner_text() == "0:00"
    page.locator("form input, form select").first.focus()
    radios = page.locator("input[type=radio], input[type=checkbox]")
    if radios.count():
        radios.first.check()
    elif page.locator("input[type=text]").count():
        page.locator("input[type=text]").fill("Lavrov")
    else:
        selects = page.locator("main select")
        for i in range(selects.count()):
            selects.nth(i).select_option(index=i + 1)
    tab.follow(page.get_by_role("button", name="Save answer"))
    assert "Time is up" in page.content()
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.TIMED_OUT
    assert not attempt.items.filter(answered_at__isnull=False).exists()
