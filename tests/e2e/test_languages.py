"""The site in each of the statement's readers' languages (Chinese, Arabic, Russian,
French, Spanish), in a real browser at phone width.

The browser asks for the language (Accept-Language, as a phone set to it does);
every page the journeys visit is checked by `Visit` (axe, no sideways scroll at
360 px, screenshots in var/screenshots/) and here for clipped text and for being
in the language asked for. The expected words come from the catalogs themselves
(`gettext` under `translation.override`), so a better translation never breaks
these tests, while an untranslated page does.
"""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from learning.models import Attempt
from tests.e2e.conftest import LAPTOP, PASSWORD, PHONE
from tests.e2e.test_journeys import answer_right

pytestmark = pytest.mark.django_db(transaction=True)

# Elements whose text would be cut off: wider content than box, overflow not shown.
CLIPPED = """() => [...document.querySelectorAll(
    'main button, main a.btn, main label, main h1, main h2, main th, main td, nav a, footer *')]
  .filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1
          && getComputedStyle(e).overflowX !== 'visible'
          && !e.closest('.visually-hidden, .visually-hidden-focusable'))
  .map(e => e.outerHTML.slice(0, 80))"""

# Texts of a chart drawn outside its drawing: right to left, an SVG text's "start"
# and "end" swap unless the chart is laid out left to right, as its coordinates are.
OUTSIDE = """() => [...document.querySelectorAll('svg.chart-svg, svg.heatmap-svg')]
  .filter(s => s.getBoundingClientRect().width > 0)
  .flatMap(s => { const box = s.getBoundingClientRect();
    return [...s.querySelectorAll('text')].filter(t => { const r = t.getBoundingClientRect();
      return r.width > 0 && (r.left < box.left - 1 || r.right > box.right + 1); })
    .map(t => t.textContent); })"""


def words(language: str, *messages: str) -> list[str]:
    with translation.override(language):
        return [gettext(message) for message in messages]


def check_language(tab, language: str, direction: str) -> None:
    page = tab.page
    html = page.locator("html")
    assert html.get_attribute("lang") == language, page.url
    assert html.get_attribute("dir") == direction, page.url
    page.set_viewport_size(PHONE)
    assert page.evaluate(CLIPPED) == [], page.url
    page.set_viewport_size(LAPTOP)
    assert page.evaluate(OUTSIDE) == [], page.url


@pytest.mark.parametrize(
    ("locale", "language", "direction"),
    [
        ("zh-CN", "zh-hans", "ltr"),
        ("ar", "ar", "rtl"),
        ("ru-RU", "ru", "ltr"),
        ("fr-FR", "fr", "ltr"),
        ("es-ES", "es", "ltr"),
    ],
    ids=["chinese", "arabic", "russian", "french", "spanish"],
)
def test_a_student_and_her_teacher_in_their_own_language(
    visit, class_9b, locale, language, direction
):
    student = visit(locale=locale)
    page = student.page
    create, join, start = words(language, "Create my account", "Join", "Start the quiz")

    page = student.goto("/signup/")
    check_language(student, language, direction)
    assert create in page.content()
    page.locator("#id_username").fill("mei")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    student.follow(page.get_by_role("button", name=create))

    page = student.goto("/join/")
    page.locator("#id_code").fill(class_9b.join_code)
    student.follow(page.get_by_role("button", name=join))
    check_language(student, language, direction)

    page = student.goto("/quizzes/essentials/")
    student.follow(page.get_by_role("button", name=start))
    check_language(student, language, direction)
    attempt = Attempt.objects.get()
    for position in range(1, attempt.items.count() + 1):
        if position > 1:
            student.goto(f"/attempts/{attempt.pk}/questions/{position}/")
        answer_right(student, by_hand=False)
        check_language(student, language, direction)
    page = student.goto(f"/attempts/{attempt.pk}/finish/")
    check_language(student, language, direction)
    student.follow(page.locator("main form button[type=submit]").last)
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.FINISHED and attempt.score == attempt.max_score
    passed = words(language, "Passed (pass mark %(mark)s)")[0].split("%(mark)s")[0]
    shown = page.locator("main").inner_text().replace("\xa0", " ")
    assert passed.strip(" (\uff08").replace("\xa0", " ") in shown
    check_language(student, language, direction)

    student.goto("/")  # the home page's charts of her work
    check_language(student, language, direction)
    (study,) = words(language, "Study")
    page = student.goto("/cards/")
    check_language(student, language, direction)
    assert study in page.content()

    teacher = visit(locale=locale)
    page = teacher.goto("/accounts/login/")
    page.locator("#id_username").fill("tess")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_load_state()
    page = teacher.goto(reverse("learning:classroom_detail", args=[class_9b.pk]))
    check_language(teacher, language, direction)
    assert "mei" in page.content()
    teacher.goto(reverse("learning:classroom_overview", args=[class_9b.pk]))
    check_language(teacher, language, direction)
    page = teacher.goto(reverse("admin:learning_question_add"))
    choose, prompt = words(language, "Add a question: choose its kind", "prompt")
    assert choose in page.title()
    page = teacher.goto(reverse("admin:learning_question_add") + "?kind=single")
    assert page.locator("html").get_attribute("lang") == language
    assert prompt.lower() in page.locator("label[for=id_prompt]").inner_text().lower()


def test_the_footer_switcher_works_without_javascript_and_follows_the_user(visit, statement):
    tab = visit(javascript=False)
    page = tab.goto("/signup/")
    page.locator("#id_username").fill("omar")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    tab.follow(page.get_by_role("button", name="Create my account"))
    page.locator("#language-choice").select_option("ar")
    tab.follow(page.locator("footer button[type=submit]"))
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    (quizzes,) = words("ar", "Quizzes")
    assert quizzes in page.locator("nav").inner_text()

    # Another device: a fresh browser that asks for English gets Arabic after signing in.
    other = visit(javascript=False)
    page = other.goto("/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.locator("#id_username").fill("omar")
    page.locator("#id_password").fill(PASSWORD)
    other.follow(page.locator("main form button[type=submit]"))
    assert page.locator("html").get_attribute("lang") == "ar"
