"""Authoring in a real browser: one question of each kind written with its own
form, previewed with the right answers filled in, published; a timed quiz with
extra time for one student, which their countdown shows; a wrong key fixed and
regraded after a dry run, and the note on the student's result."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from learning import services
from learning.models import Bank, Choice, Question, Quiz, Regrade
from tests.e2e.conftest import SHOTS
from tests.e2e.test_journeys import PASSWORD
from tests.e2e.test_teaching import log_in

pytestmark = pytest.mark.django_db(transaction=True)
PHONE_SHOT = {"width": 390, "height": 844}


def admin_log_in(tab, username: str = "tess"):
    page = tab.goto("/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    tab.follow(page.get_by_role("button", name="Log in"))
    return page


def shoot(tab, name: str) -> None:
    """The page at the phone size the issue asks about (390 x 844), beside the
    laptop and 360 px shots the Visit helper keeps."""
    page = tab.page
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(PHONE_SHOT)
    sideways = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert sideways <= 0, f"{page.url} scrolls sideways by {sideways}px at 390 px"
    page.screenshot(path=SHOTS / f"authoring-{name}-390.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.screenshot(path=SHOTS / f"authoring-{name}-1280.png", full_page=True)
    page.screenshot(path=SHOTS / f"authoring-{name}-1280-first-screen.png")


def common(page, prompt: str) -> None:
    page.locator("#id_bank").select_option(label="Tess's extras")
    page.locator("#id_prompt").fill(prompt)
    page.locator("#id_explanation").fill("Paragraph 8 says so.")
    eighth = page.locator("#id_passage option", has_text=re.compile(r"^¶8 ")).get_attribute("value")
    page.locator("#id_passage").select_option(eighth)


def fill_single(page):
    for i, text in enumerate(["Wang Yi", "Sergei Lavrov", "Nobody"]):
        page.get_by_label(f"Option {i + 1}", exact=True).fill(text)
    page.get_by_label("Option 2 is right").check()


def fill_multiple(page):
    for i, text in enumerate(["counterterrorism", "narcotics control", "space tourism"]):
        page.get_by_label(f"Option {i + 1}", exact=True).fill(text)
    page.get_by_label("Option 1 is right").check()
    page.get_by_label("Option 2 is right").check()


def fill_true_false(page):
    page.get_by_label("False", exact=True).check()


def fill_short(page):
    page.get_by_label("Accepted answer 1", exact=True).fill("Sergei Lavrov")
    page.get_by_label("Accepted answer 2", exact=True).fill("Lavrov")
    page.get_by_label("Credit of answer 2 (%)").fill("50")


def fill_ordering(page):
    page.get_by_label("Items in their right order, one a line").fill(
        "Fight COVID-19\nSecurity\nDevelopment"
    )


def fill_matching(page):
    for i, (item, partner) in enumerate([("Chair", "Lavrov"), ("Date", "13 May")]):
        page.get_by_label(f"Item {i + 1}", exact=True).fill(item)
        page.get_by_label(f"Partner of item {i + 1}").fill(partner)


KINDS = [
    ("Single choice", "single", fill_single),
    ("Multiple response", "multiple", fill_multiple),
    ("True or false", "true_false", fill_true_false),
    ("Short answer", "short", fill_short),
    ("Ordering", "ordering", fill_ordering),
    ("Matching", "matching", fill_matching),
]


def test_a_teacher_writes_each_kind_previews_it_and_publishes_it(visit, statement):
    services.teacher_create(username="tess", password=PASSWORD)
    Bank.objects.create(name="Tess's extras", slug="tess-extras", position=9)
    tab = visit()
    page = admin_log_in(tab)
    shoot(tab, "admin-index")
    page = tab.goto("/admin/learning/question/")
    shoot(tab, "question-list")
    for label, kind, fill in KINDS:
        page = tab.goto("/admin/learning/question/add/")
        if kind == "single":
            shoot(tab, "choose-kind")
        tab.follow(page.get_by_role("link", name=label, exact=True))
        common(page, f"A {kind} question about paragraph 8?")
        fill(page)
        if kind == "short":
            page.get_by_label("Try an answer").fill("  lavrov ")
            tab.follow(page.get_by_role("button", name="Grade this answer"))
            assert "earns 50% of the credit" in page.content()
        shoot(tab, f"add-{kind}")
        tab.follow(page.get_by_role("button", name="Save and preview").first)
        question = Question.objects.get(kind=kind, bank__slug="tess-extras")
        assert not question.published
        tab.follow(page.get_by_role("link", name="Fill in the right answers"))
        if kind == "single":
            shoot(tab, "preview")
        tab.follow(page.get_by_role("button", name="Save answer"))
        assert "✓ Correct" in page.content(), kind
        tab.follow(page.get_by_role("button", name="Publish"))
        question.refresh_from_db()
        assert question.published, kind
        if kind == "matching":
            shoot(tab, "change-matching")
    assert Question.objects.filter(bank__slug="tess-extras", published=True).count() == 6


def test_a_draft_without_an_explanation_asks_for_one_before_publishing(visit, statement):
    services.teacher_create(username="tess", password=PASSWORD)
    bank = Bank.objects.get(slug="the-conference")
    draft = Question.objects.create(bank=bank, kind="true_false", prompt="Held by video?")
    Choice.objects.create(question=draft, text="True", credit=1)
    Choice.objects.create(question=draft, text="False", credit=0)
    tab = visit()
    admin_log_in(tab)
    page = tab.goto(f"/admin/learning/question/{draft.pk}/publish/")
    assert "It needs an explanation" in page.content()
    shoot(tab, "publish-refused")


def test_a_timed_quiz_with_extra_time_that_the_students_countdown_shows(
    visit, statement, django_user_model
):
    tess = services.teacher_create(username="tess", password=PASSWORD)
    classroom = services.classroom_create(teacher=tess, name="9B")
    for name in ("jack", "kim"):
        student = django_user_model.objects.create_user(name, password=PASSWORD)
        services.classroom_join(student=student, code=classroom.join_code)
    tab = visit()
    page = admin_log_in(tab)
    page = tab.goto("/admin/learning/quiz/add/")
    page.locator("#id_title").fill("Timed check")
    page.locator("#id_published").check()
    page.get_by_label("The conference", exact=True).check()
    page.locator("#id_time_limit").fill("20")
    page.get_by_text(re.compile("Add another Accommodation")).click()
    page.locator("#id_accommodations-0-student").select_option(label="jack")
    page.locator("#id_accommodations-0-time_factor").fill("1.5")
    shoot(tab, "quiz-add")
    tab.follow(page.get_by_role("button", name="Save and continue editing").first)
    quiz = Quiz.objects.get(title="Timed check")
    assert quiz.time_limit == dt.timedelta(minutes=20)
    assert quiz.accommodations.get().student.username == "jack"
    shoot(tab, "quiz-change")
    page = tab.goto("/admin/learning/quiz/")
    shoot(tab, "quiz-list")

    for name, minutes in (("jack", 30), ("kim", 20)):
        student = visit()
        log_in(student, name)
        page = student.goto(quiz.get_absolute_url())
        assert f"{minutes} min" in page.content()
        student.follow(page.get_by_role("button", name="Start the quiz"))
        timer = page.locator("time[data-countdown]")
        seconds = int(timer.get_attribute("data-countdown"))
        assert minutes * 60 - 120 < seconds <= minutes * 60
        assert re.match(rf"^{minutes - 1}:\d\d$|^{minutes}:00$", timer.inner_text())


def test_a_wrong_key_is_fixed_and_regraded_after_a_dry_run(visit, statement, django_user_model):
    tess = services.teacher_create(username="tess", password=PASSWORD)
    bank = Bank.objects.create(name="Tess's extras", slug="tess-extras", position=9)
    passage = Question.objects.first().passage
    question = Question.objects.create(
        bank=bank,
        kind="single",
        prompt="Who chaired the conference?",
        explanation="Paragraph 1.",
        passage=passage,
        published=True,
    )
    right = Choice.objects.create(question=question, text="Sergei Lavrov", credit=0)
    Choice.objects.create(question=question, text="Wang Yi", credit=1)  # the wrong key
    quiz = Quiz.objects.create(title="Key check", slug="key-check", published=True, pass_mark=50)
    quiz.banks.add(bank)
    student = django_user_model.objects.create_user("lena", password=PASSWORD)
    attempt = services.attempt_start(user=student, quiz=quiz)
    services.attempt_answer(item=attempt.items.get(), response={"choice": right.pk})
    attempt = services.attempt_finish(attempt=attempt)
    assert attempt.score == 0
    del tess

    tab = visit()
    page = admin_log_in(tab)
    page = tab.goto(f"/admin/learning/question/{question.pk}/change/")
    page.get_by_label("Option 1 is right").check()
    tab.follow(page.get_by_role("button", name="Save", exact=True).first)
    attempt.refresh_from_db()
    assert attempt.score == 0  # Moodle's rule: nothing changes before the regrade
    page = tab.goto(f"/admin/learning/quiz/{quiz.pk}/change/")
    tab.follow(page.get_by_role("link", name="Regrade…").first)
    assert "1 finished attempt would change." in page.content()
    assert "now passes" in page.content()
    shoot(tab, "regrade-dry-run")
    tab.follow(page.get_by_role("button", name="Regrade 1 attempt"))
    attempt.refresh_from_db()
    assert attempt.score == 1 and Regrade.objects.get().attempt == attempt

    reader = visit()
    log_in(reader, "lena")
    page = reader.goto(f"/attempts/{attempt.pk}/result/")
    assert "Regraded by your teacher" in page.content()
    assert "it is now 1 / 1" in page.content()
    shoot(reader, "result-regraded")


def test_the_statistics_page_offers_to_accept_a_wrong_short_answer(
    visit, statement, django_user_model
):
    services.teacher_create(username="tess", password=PASSWORD)
    bank = Bank.objects.create(name="Tess's extras", slug="tess-extras", position=9)
    question = Question.objects.create(
        bank=bank,
        kind="short",
        prompt="Name the chair.",
        explanation="Paragraph 1.",
        passage=Question.objects.first().passage,
        published=True,
    )
    Choice.objects.create(question=question, text="Sergei Lavrov", credit=1)
    quiz = Quiz.objects.create(title="Names", slug="names", published=True)
    quiz.banks.add(bank)
    for name in ("mia", "noah"):
        student = django_user_model.objects.create_user(name, password=PASSWORD)
        attempt = services.attempt_start(user=student, quiz=quiz)
        services.attempt_answer(
            item=attempt.items.get(), response={"text": "Sergei Viktorovich Lavrov"}
        )
        services.attempt_finish(attempt=attempt)
    tab = visit()
    admin_log_in(tab)
    page = tab.goto(f"/teach/quizzes/{quiz.slug}/statistics/")
    shoot(tab, "statistics")
    tab.follow(page.get_by_role("link", name="Accept this answer…"))
    assert "2 finished attempts would change." in page.content()
    tab.follow(page.get_by_role("button", name="Regrade 2 attempts"))
    assert question.choices.filter(text="Sergei Viktorovich Lavrov", credit=1).exists()
    assert timezone.now() >= Regrade.objects.first().at
