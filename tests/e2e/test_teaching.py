"""What a teacher does, in a real browser."""

import csv
import datetime as dt
import io
import re

import pytest
from django.utils import timezone

from learning import services
from learning.models import Attempt, Bank, Classroom, Question, Quiz
from tests.e2e.conftest import HANDSET, LAPTOP, SMALL_TARGETS
from tests.e2e.test_journeys import PASSWORD, answer_right, sign_up
from tests.test_gradebook import finish

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(tab, username: str) -> None:
    page = tab.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    tab.follow(page.get_by_role("button", name="Log in"))


def test_a_teacher_writes_a_question_in_the_admin_and_a_student_meets_it(visit, statement):
    services.teacher_create(username="tess", password=PASSWORD)
    Bank.objects.create(name="Tess's extras", slug="tess-extras", position=9)
    tab = visit()
    page = tab.goto("/admin/login/")
    page.locator("#id_username").fill("tess")
    page.locator("#id_password").fill(PASSWORD)
    tab.follow(page.get_by_role("button", name="Log in"))

    page = tab.goto("/admin/learning/question/add/")
    tab.follow(page.get_by_role("link", name="Multiple response", exact=True))
    page.locator("#id_bank").select_option(label="Tess's extras")
    page.locator("#id_prompt").fill("Which areas of security cooperation did Wang Yi name?")
    page.locator("#id_explanation").fill("Paragraph 8 names counterterrorism and narcotics.")
    eighth = page.locator("#id_passage option", has_text=re.compile(r"^¶8 ")).get_attribute("value")
    page.locator("#id_passage").select_option(eighth)
    for i, (text, right) in enumerate(
        [("counterterrorism", True), ("narcotics control", True), ("space tourism", False)]
    ):
        page.get_by_label(f"Option {i + 1}", exact=True).fill(text)
        if right:
            page.get_by_label(f"Option {i + 1} is right").check()
    tab.follow(page.get_by_role("button", name="Save and continue editing").first)
    question = Question.objects.get(bank__slug="tess-extras")
    assert sorted(question.choices.values_list("credit", flat=True)) == [-1, 0.5, 0.5]

    tab.follow(page.get_by_role("link", name="Preview").first)
    assert question.prompt in page.content()
    page.get_by_label("counterterrorism").check()
    page.get_by_label("narcotics control").check()
    tab.follow(page.get_by_role("button", name="Save answer"))
    assert "Correct" in page.content()
    # A new question is a draft: the teacher publishes it after the preview.
    tab.follow(page.get_by_role("button", name="Publish"))
    question.refresh_from_db()
    assert question.published

    page = tab.goto("/admin/learning/quiz/add/")
    page.locator("#id_title").fill("Tess's check")
    page.locator("#id_published").check()
    page.get_by_label("Tess's extras").check()
    tab.follow(page.get_by_role("button", name="Save", exact=True).first)
    quiz = Quiz.objects.get(title="Tess's check")
    assert list(quiz.banks.all()) == [question.bank]

    student = visit()
    sign_up(student, "gail")
    page = student.goto(quiz.get_absolute_url())
    student.follow(page.get_by_role("button", name="Start the quiz"))
    assert question.prompt in page.content()
    answer_right(student)
    assert "✓ Correct" in page.content()


def test_a_teacher_runs_a_class_and_reads_the_gradebook(visit, statement, django_user_model):
    services.teacher_create(username="tess", password=PASSWORD)
    tab = visit()
    log_in(tab, "tess")
    page = tab.goto("/teach/classes/")
    page.locator("#id_name").fill("9B")
    tab.follow(page.get_by_role("button", name="Create"))
    classroom = Classroom.objects.get()
    due = (timezone.localtime() + dt.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    page.locator("#id_quiz").select_option(label="The essentials")
    page.locator("#id_due_at").fill(due)
    tab.follow(page.get_by_role("button", name="Assign"))
    assert "The essentials" in page.content()

    students = {}
    for name in ("hana", "ivan"):
        students[name] = django_user_model.objects.create_user(name, password=PASSWORD)
        services.classroom_join(student=students[name], code=classroom.join_code)
    page = tab.goto(f"/teach/classes/{classroom.pk}/gradebook/")
    assert page.content().count("not started") == 2
    essentials = Quiz.objects.get(slug="essentials")
    for name, right in (("hana", 10), ("ivan", 4)):
        finish(students[name], essentials, right=right)
    page.reload()
    tab.check()
    html = page.content()
    assert "not started" not in html and html.count("%") >= 2
    for size in (HANDSET, LAPTOP):
        page.set_viewport_size(size)
        assert page.evaluate(SMALL_TARGETS) == [], size
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as CSV").click()
    body = download.value.path().read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:3] == ["Student", "Username", "The essentials"]
    assert {row[1] for row in rows[1:]} == {"hana", "ivan"}
    graded = {row[1]: row[2] for row in rows[1:]}
    expected = {a.user.username: f"{a.percent:.1f}" for a in Attempt.objects.select_related("user")}
    assert graded == expected

    page = tab.goto(f"/teach/classes/{classroom.pk}/overview/")
    assert "Grades per assigned quiz" in page.content()
