"""What a student sees, in a real browser."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from learning.models import Attempt, AttemptItem, CardState, Choice, Question, Quiz
from learning.scheduling import interval_label, previews
from tests.e2e.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def sign_up(tab, username: str) -> None:
    page = tab.goto("/signup/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    tab.follow(page.get_by_role("button", name="Create my account"))


def labelled(text: str) -> re.Pattern:
    """A label's exact text; crispy forms adds a (hidden) asterisk to required fields."""
    return re.compile(rf"^\s*{re.escape(text)}\*?\s*$")


def answer_right(tab, *, by_hand: bool = True) -> AttemptItem:
    """Fill in the key of the question on screen, as a student who read the text would:
    with JavaScript `by_hand` moves and taps ordering and matching items (the buttons
    are named in English); otherwise the numbered selects behind them are set."""
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
    elif kind == "ordering" and tab.javascript and by_hand:
        order_by_taps(page, [c.text for c in sorted(choices, key=lambda c: c.position)])
    elif kind == "ordering":
        for choice in choices:
            page.get_by_label(labelled(choice.text)).select_option(str(choice.position), force=True)
    elif tab.javascript and by_hand:
        match_by_taps(page, [(c.text, c.match) for c in choices])
    else:
        for choice in choices:
            page.get_by_label(labelled(choice.text)).select_option(label=choice.match, force=True)
    tab.follow(page.locator("form.answer-form button[type=submit]"))
    return item


def order_by_taps(page, wanted: list[str]) -> None:
    """Put the ordering list in `wanted` order with its "move up" buttons."""
    for place, text in enumerate(wanted):
        texts = page.locator(".order-item .order-text").all_inner_texts()
        for _ in range(texts.index(text) - place):
            page.get_by_role("button", name=f"Move “{text}” up").click()
    assert page.locator(".order-item .order-text").all_inner_texts() == wanted


def match_by_taps(page, pairs: list[tuple[str, str]]) -> None:
    """Tap each item, then its partner."""
    items, partners = page.locator(".match-list").nth(0), page.locator(".match-list").nth(1)
    for text, match in pairs:
        items.locator("button", has_text=text).first.click()
        partners.get_by_role("button", name=match, exact=True).click()


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
            tab.follow(page.get_by_role("link", name="Next question →"))
    assert kinds == set(Question.Kind.values)
    tab.follow(page.get_by_role("link", name="Review and finish →"))
    assert "Every question is answered." in page.content()
    tab.follow(page.get_by_role("button", name="Finish and see my score"))
    return Attempt.objects.get(quiz__slug="essentials")


def join_class(tab, code: str) -> None:
    page = tab.goto("/join/")
    page.locator("#id_code").fill(code.lower())
    tab.follow(page.get_by_role("button", name="Join"))


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


def test_a_timed_quiz_counts_down_and_sends_the_answer_on_the_page_at_zero(visit, statement):
    quiz = Quiz.objects.get(slug="essentials")
    quiz.time_limit = dt.timedelta(seconds=12)
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
    # A question answered whole by one action (the draw's order is random: a
    # matching question half paired at zero is not an answer, and is refused).
    item = attempt.items.select_related("question").filter(question__kind="short").first()
    page = tab.goto(item.get_absolute_url())
    typed = fill_something(page, item)
    with page.expect_navigation(url=re.compile(r"/result/"), timeout=25_000):
        pass  # the page sends itself at zero
    tab.check()
    assert "Your last answer arrived in time and is saved" in page.content()
    item.refresh_from_db()
    assert item.is_answered and typed
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.TIMED_OUT


def test_without_javascript_a_late_answer_is_refused_and_quoted_back(visit, statement, settings):
    settings.ANSWER_GRACE = 1
    quiz = Quiz.objects.get(slug="essentials")
    quiz.time_limit = dt.timedelta(seconds=3)
    quiz.save()
    tab = visit(javascript=False)
    sign_up(tab, "gus")
    page = tab.goto("/quizzes/essentials/")
    tab.follow(page.get_by_role("button", name="Start the quiz"))
    attempt = Attempt.objects.get()
    item = attempt.items.select_related("question").get(position=1)
    typed = fill_something(page, item)
    while timezone.now() < attempt.deadline + dt.timedelta(seconds=1, milliseconds=300):
        page.wait_for_timeout(200)
    tab.follow(page.get_by_role("button", name="Save answer"))
    assert "Time is up" in page.content() and f"Your answer was: “{typed}" in page.content()
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.TIMED_OUT
    assert not attempt.items.filter(answered_at__isnull=False).exists()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_flagging_a_question_keeps_the_answer_typed_in_it(visit, statement, javascript):
    tab = visit(javascript=javascript)
    sign_up(tab, "hana")
    page = tab.goto("/quizzes/essentials/")
    tab.follow(page.get_by_role("button", name="Start the quiz"))
    item = Attempt.objects.get().items.filter(question__kind="short").first()
    page = tab.goto(item.get_absolute_url())
    page.get_by_role("textbox").fill("Lavrov")
    flag = page.get_by_role("button", name="Flag for review")
    if javascript:
        flag.click()
        page.get_by_role("button", name="Flagged for review").wait_for()
    else:
        tab.follow(flag)
        assert "Flagged for review" in page.content()
    assert page.get_by_role("textbox").input_value() == "Lavrov"
    item.refresh_from_db()
    assert item.flagged and not item.is_answered
    tab.follow(page.get_by_role("button", name="Save answer"))
    item.refresh_from_db()
    assert item.is_answered and item.response == {"text": "Lavrov"}


def fill_something(page, item) -> str:
    """Answer the question on screen somehow; the text a refusal would quote."""
    kind = item.question.kind
    if kind == "short":
        page.locator("input[type=text]").fill("Lavrov")
        return "Lavrov"
    if kind in ("single", "true_false", "multiple"):
        page.locator(".tile").first.click()
        return page.locator(".tile .tile-text").first.inner_text()
    if page.locator(".order-item").count():
        return page.locator(".order-item .order-text").first.inner_text()
    if page.locator(".match-list").count():
        page.locator(".match-list").nth(0).locator("button").first.click()
        page.locator(".match-list").nth(1).locator("button").first.click()
        return page.locator(".match-list").nth(1).locator("button").first.inner_text()
    selects = page.locator("main select")
    for i in range(selects.count()):
        selects.nth(i).select_option(index=i + 1)
    return page.locator("main label.form-label").first.inner_text()


def test_an_ordering_question_is_put_in_order_by_dragging(visit, statement):
    """With JavaScript, the items of an ordering question move by drag (pointer
    events, as a finger or a mouse sends them); the numbered selects behind follow."""
    tab = visit()
    sign_up(tab, "gus")
    page = tab.goto("/quizzes/essentials/")
    tab.follow(page.get_by_role("button", name="Start the quiz"))
    item = Attempt.objects.get().items.filter(question__kind="ordering").first()
    page = tab.goto(item.get_absolute_url())
    items = page.locator(".order-item")
    last, first = items.nth(items.count() - 1), items.nth(0)
    label = last.locator(".order-text").inner_text()
    start, end = last.bounding_box(), first.bounding_box()
    page.mouse.move(start["x"] + 8, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(end["x"] + 8, end["y"] + 3, steps=10)
    page.mouse.up()
    assert page.locator(".order-item").first.locator(".order-text").inner_text() == label
    selects = "[...document.querySelectorAll('select')]"
    place = page.evaluate(f"label => {selects}.find(s => s.dataset.label === label).value", label)
    assert place == "1"
    tab.follow(page.get_by_role("button", name="Save answer"))
    item.refresh_from_db()
    assert item.is_answered
