"""A student on a 390x844 touch phone: every kind of question by thumb, the way on
in the first screen after each answer, the result's actions, and flashcards with
undo and cloze cards. Every page is also checked by Visit.check (axe, no console
error or CSP violation, no sideways scroll at 360 px)."""

import re

import pytest

from learning import services
from learning.models import Attempt, CardState, Question, Review, Source

from .test_journeys import answer_right, sign_up

pytestmark = pytest.mark.django_db(transaction=True)

# Controls a thumb aims at; inline links in running text are exempt (WCAG 2.5.8).
TARGETS = (
    "main .btn, main button, main .tile, main .nav-chip, main select, main summary, "
    "main input[type=text], main input[type=password], .site-menu > summary"
)


def small_targets(page) -> list[str]:
    """Visible controls smaller than 44x44 CSS px."""
    return page.evaluate(
        """(selector) => Array.from(document.querySelectorAll(selector))
          .filter((el) => el.offsetParent !== null && !el.closest('.tile, .visually-hidden'))
          .map((el) => [el, el.getBoundingClientRect()])
          .filter(([el, r]) => r.width < 44 || r.height < 44)
          .map(([el, r]) => [el.tagName, el.textContent.trim().slice(0, 30), r.width, r.height])
        """,
        TARGETS,
    )


def in_first_screen(page, selector: str) -> bool:
    page.evaluate("window.scrollTo(0, 0)")
    box = page.locator(selector).first.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 844


def test_a_phone_journey_through_every_kind_the_result_and_flashcards(visit, statement):
    services.cloze_cards_build(source=Source.objects.get())
    tab = visit(phone=True)
    sign_up(tab, "pia")
    page = tab.page
    assert "Start here" in page.content()
    assert not small_targets(page), small_targets(page)
    tab.follow(page.get_by_role("link", name=re.compile("Start with")))
    tab.follow(page.get_by_role("button", name="Start the quiz"))
    kinds, wrong = set(), ""
    for n in range(1, 11):
        assert not small_targets(page), (n, small_targets(page))
        position = int(re.search(r"/questions/(\d+)/", page.url).group(1))
        item = Attempt.objects.get().items.select_related("question").get(position=position)
        if item.question.kind == "single" and not wrong:
            # One wrong answer, tapped, so that the result has a mistake to study.
            wrong = item.question.choices.filter(credit__lte=0).first().text
            page.locator(".tile", has_text=wrong).first.tap()
            tab.follow(page.get_by_role("button", name="Save answer"))
        else:
            answer_right(tab)
        kinds.add(item.question.kind)
        assert in_first_screen(page, ".action-bar .btn-primary"), n
        assert in_first_screen(page, ".action-bar .verdict"), n
        tab.follow(page.locator(".action-bar .btn-primary"))
    assert kinds == set(Question.Kind.values)
    assert "Finish and see my score" in page.content()
    tab.follow(page.get_by_role("button", name="Finish and see my score"))
    attempt = Attempt.objects.get()
    missed = attempt.items.exclude(credit__gte=1).count()
    assert missed >= 1
    assert in_first_screen(page, ".result-actions .btn")
    assert page.locator(".result-chips .nav-chip").count() == 10
    assert not small_targets(page), small_targets(page)
    tab.follow(page.get_by_role("link", name=f"Study the {missed} you missed"))
    # Flashcards: show, rate, undo.
    card = CardState.objects.get(pk=int(re.search(r"/cards/(\d+)/", page.url).group(1)))
    assert page.locator(".study-counts").is_visible()
    tab.follow(page.get_by_role("link", name="Show answer"))
    assert in_first_screen(page, ".rating-buttons .btn-rating-3")
    assert not small_targets(page), small_targets(page)
    tab.follow(page.locator(".btn-rating-3"))
    assert Review.objects.filter(card=card).count() == 1
    tab.follow(page.get_by_role("button", name=re.compile("Undo last rating")))
    assert Review.objects.filter(card=card).count() == 0
    assert f"/cards/{card.pk}/" in page.url
    # Cloze cards, paragraph by paragraph.
    page = tab.goto("/cards/")
    deck = page.get_by_label(re.compile("Paragraph by paragraph"))
    deck.check()
    tab.follow(page.get_by_role("button", name="Study"))
    assert "[…]" in page.locator("#card-front").inner_text()
    tab.follow(page.get_by_role("link", name="Show answer"))
    assert page.locator(".card-back blockquote").count() >= 1
