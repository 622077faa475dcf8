"""Issue 22's journey: a class set up from a pasted list, sign-in slips printed,
a student signing in with a slip, and the teacher's comment and override on
that student's attempt, read by the student."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from learning import services
from learning.models import Attempt, Classroom, Comment, CreditOverride
from tests.e2e.conftest import SHOTS
from tests.e2e.test_journeys import PASSWORD, take_the_essentials
from tests.e2e.test_teaching import log_in

pytestmark = pytest.mark.django_db(transaction=True)

NAMES = [
    "Amira Haddad", "Bao Nguyen", "Carlos Ruiz", "Daria Ivanova", "Elif Yilmaz",
    "Farid Karimi", "Grace Okafor", "Hugo Martin", "Ines Silva", "Jonas Becker",
    "Kenji Sato", "Lena Novak", "Mateo Rossi", "Nadia Petrova", "Omar Aziz",
    "Priya Sharma", "Quentin Dubois", "Rosa Garcia", "Sami Laine", "Tara Kelly",
    "Umar Farouk", "Vera Sokolova", "Wen Li", "Yusuf Demir", "Zoë O'Neil",
]  # fmt: skip


def test_a_class_from_a_pasted_list_to_a_commented_attempt(visit, statement):
    services.teacher_create(username="tess", password=PASSWORD)
    tab = visit()
    log_in(tab, "tess")
    page = tab.page
    assert page.url.endswith("/teach/"), page.url
    tab.follow(page.get_by_role("link", name="Open or make a class"))
    page.locator("#id_name").fill("9B")
    tab.follow(page.get_by_role("button", name="Create"))
    classroom = Classroom.objects.get()
    due = (timezone.localtime() + dt.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    page.locator("#id_quiz").select_option(label="The essentials")
    page.locator("#id_due_at").fill(due)
    tab.follow(page.get_by_role("button", name="Assign"))

    tab.follow(page.get_by_role("link", name="Add students from a list"))
    page.locator("#id_names").fill("\n".join(NAMES))
    tab.follow(page.get_by_role("button", name="Make the accounts"))
    assert classroom.students.count() == 25
    assert page.locator(".slip").count() == 25
    page.emulate_media(media="print")
    assert not page.locator("nav.navbar").is_visible()
    page.screenshot(path=SHOTS / "slips-print.png", full_page=True)
    page.emulate_media(media="screen")
    slip = page.locator(".slip", has_text="Zoë O'Neil")
    username = slip.locator("dd code").nth(0).inner_text()
    password = slip.locator("dd code").nth(1).inner_text()
    assert username == "zoe.oneil" and re.fullmatch(r"[a-z]{4}-[a-z]{4}-[a-z]{4}-\d\d", password)

    student = visit()
    page = student.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    student.follow(page.get_by_role("button", name="Log in"))
    assert "/accounts/password_change/" in page.url and "one-time password" in page.content()
    student.goto("/quizzes/")
    assert "/accounts/password_change/" in page.url
    page.locator("#id_old_password").fill(password)
    page.locator("#id_new_password1").fill("zoe-reads-the-text-7")
    page.locator("#id_new_password2").fill("zoe-reads-the-text-7")
    student.follow(page.get_by_role("button", name="Change my password"))
    page = student.goto(f"/join/?code={classroom.join_code}")
    student.follow(page.get_by_role("button", name="Join"))
    assert "You are already in 9B." in page.content()
    attempt = take_the_essentials(student)

    # The teacher opens that attempt from the gradebook, comments and overrides.
    page = tab.goto(f"/teach/classes/{classroom.pk}/gradebook/")
    row = page.locator("tr", has_text="Zoë O'Neil")
    tab.follow(row.locator("td a").first)
    assert page.url.endswith(f"/teach/attempts/{attempt.pk}/")
    assert "Paragraph " in page.content() and "<blockquote" in page.content()
    page.locator("#comment-all").fill("Careful reading throughout.")
    tab.follow(page.get_by_role("button", name="Save the comment").first)
    page.locator("#comment-3").fill("See paragraph 4 once more.")
    tab.follow(page.locator("#q3").get_by_role("button", name="Save the comment"))
    page.locator("#credit-2").fill("0.5")
    tab.follow(page.locator("#q2").get_by_role("button", name="Change the credit"))
    assert Comment.objects.count() == 2
    override = CreditOverride.objects.get()
    assert (override.old_credit, override.new_credit) == (1.0, 0.5)
    assert Attempt.objects.get().score == pytest.approx(
        attempt.score - 0.5 * override.item.question.weight
    )

    page = student.goto(f"/attempts/{attempt.pk}/result/")
    html = page.content()
    assert "From your teacher" in html and "Careful reading throughout." in html
    assert "See paragraph 4 once more." in html
    assert "changed your credit from 1.00 to 0.50" in html
