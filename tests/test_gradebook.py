"""The gradebook: grading methods, late marks, the page, the CSV, and its query count."""

import csv
import datetime as dt
import io
import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from learning import services
from learning.models import Attempt, Choice
from learning.selectors.gradebook import AttemptRecord, Standing, final_grade, standing_for

DUE = dt.datetime(2030, 5, 13, 9, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("method", "grade"), [("highest", 80), ("average", 50), ("first", 20), ("last", 50)]
)
def test_the_grade_follows_the_quizs_grading_method(method, grade):
    assert final_grade(method, [20, 80, 50]) == grade


def test_no_finished_attempt_has_no_grade():
    assert final_grade("highest", []) is None


def record(number, percent, finished_at, is_open=False):
    return AttemptRecord(number, is_open, percent, finished_at)


def test_a_cell_is_late_when_the_first_finish_comes_after_the_due_date():
    hour = dt.timedelta(hours=1)
    on_time = [record(1, 40, DUE - hour), record(2, 90, DUE + hour)]
    cell = standing_for(on_time, method="highest", due_at=DUE, now=DUE + 2 * hour)
    assert cell == Standing(Standing.GRADED, percent=90, late=False, attempts=2)
    late = standing_for([record(1, 40, DUE + hour)], method="first", due_at=DUE, now=DUE)
    assert late.late and late.percent == 40


def test_an_open_or_missing_attempt_is_late_only_after_the_due_date():
    hour = dt.timedelta(hours=1)
    open_one = [record(1, None, None, is_open=True)]
    assert standing_for(open_one, method="last", due_at=DUE, now=DUE - hour).status == "in_progress"
    assert standing_for(open_one, method="last", due_at=DUE, now=DUE + hour).late
    assert not standing_for([], method="last", due_at=DUE, now=DUE - hour).late
    assert standing_for([], method="last", due_at=DUE, now=DUE + hour) == Standing(
        Standing.NOT_STARTED, late=True
    )


def finish(student, quiz, right: int, now=None):
    """`student` sits the quiz and answers the first `right` single-choice-like items right."""
    attempt = services.attempt_start(user=student, quiz=quiz, now=now)
    for n, item in enumerate(attempt.items.select_related("question")):
        if n < right and item.question.kind in ("single", "true_false"):
            key = Choice.objects.get(question=item.question, credit=1)
            services.attempt_answer(item=item, response={"choice": key.pk}, now=now)
    return services.attempt_finish(attempt=attempt, now=now)


@pytest.fixture
def class_with_grades(tess, alice, bob, quiz, make_quiz):
    classroom = services.classroom_create(teacher=tess, name="9B")
    alice.first_name, alice.last_name = "Alice", "Zhou"
    alice.save()
    bob.first_name, bob.last_name = "=Bob", "Smith"  # a name a spreadsheet would run
    bob.save()
    for student in (alice, bob):
        services.classroom_join(student=student, code=classroom.join_code)
    now = timezone.now()
    services.assignment_set(classroom=classroom, quiz=quiz, due_at=now + dt.timedelta(days=1))
    other = make_quiz(title="Ünïcode quiz", slug="unicode")
    services.assignment_set(
        classroom=classroom,
        quiz=other,
        due_at=now - dt.timedelta(days=1),
        now=now - dt.timedelta(days=2),
    )
    finish(alice, quiz, right=6)
    finish(bob, other, right=0)
    return classroom


def test_the_gradebook_page_shows_grades_and_late_marks_sorted_by_name(
    tess_client, class_with_grades
):
    url = reverse("learning:classroom_gradebook", args=[class_with_grades.pk])
    html = tess_client.get(url).content.decode()
    assert html.index("=Bob Smith") < html.index("Alice Zhou")
    assert "33.3%" in html  # alice: the single and the true/false of six
    assert "late" in html and "not started" in html
    html = tess_client.get(url, {"sort": "-name"}).content.decode()
    assert html.index("Alice Zhou") < html.index("=Bob Smith")


def test_the_gradebook_csv_has_a_header_and_one_row_per_student(tess_client, class_with_grades):
    url = reverse("learning:classroom_gradebook_csv", args=[class_with_grades.pk])
    response = tess_client.get(url)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
    assert rows[0] == [
        "Student",
        "Username",
        "Ünïcode quiz",
        "Ünïcode quiz: late",
        "Practice",
        "Practice: late",
        "Live games played",
        "Live games: percent right",
    ]
    assert rows[1] == ["'=Bob Smith", "bob", "0.0", "late", "", "", "0", ""]
    assert rows[2] == ["Alice Zhou", "alice", "", "late", "33.3", "", "0", ""]
    assert len(rows) == 3


def test_the_gradebook_and_its_csv_sort_names_with_numbers_as_numbers(tess_client, tess, quiz):
    classroom = services.classroom_create(teacher=tess, name="Numbers")
    for username in ("Number10", "number2", "Number1", "Number9"):
        student = User.objects.create_user(username=username, password="x-password-1")
        services.classroom_join(student=student, code=classroom.join_code)
    services.assignment_set(
        classroom=classroom, quiz=quiz, due_at=timezone.now() + dt.timedelta(days=1)
    )
    wanted = ["Number1", "number2", "Number9", "Number10"]
    url = reverse("learning:classroom_gradebook", args=[classroom.pk])
    html = tess_client.get(url).content.decode()
    assert re.findall(r'<th scope="row"><a [^>]*>([^<]*)</a>', html) == wanted
    html = tess_client.get(url, {"sort": "-name"}).content.decode()
    assert re.findall(r'<th scope="row"><a [^>]*>([^<]*)</a>', html) == wanted[::-1]
    body = tess_client.get(reverse("learning:classroom_gradebook_csv", args=[classroom.pk]))
    rows = list(csv.reader(io.StringIO(body.content.decode("utf-8").removeprefix("\ufeff"))))
    assert [row[0] for row in rows[1:]] == wanted


def gradebook_queries(client, classroom) -> tuple[int, int]:
    """The queries of the gradebook drawn and kept (`drawn_and_kept`)."""
    from tests.test_query_budgets import drawn_and_kept

    return drawn_and_kept(client, reverse("learning:classroom_gradebook", args=[classroom.pk]))


def test_the_gradebook_costs_the_same_queries_for_5_or_50_students(
    tess_client, tess, quiz, django_assert_max_num_queries
):
    classroom = services.classroom_create(teacher=tess, name="Big")
    services.assignment_set(
        classroom=classroom, quiz=quiz, due_at=timezone.now() + dt.timedelta(days=1)
    )
    counts = {}
    for size in (5, 50):
        have = classroom.students.count()
        for n in range(have, size):
            student = User.objects.create_user(f"student{n}")
            services.classroom_join(student=student, code=classroom.join_code)
            if n % 2:
                finish(student, quiz, right=n % 7)
        counts[size] = gradebook_queries(tess_client, classroom)
    assert Attempt.objects.count() == 25
    assert counts[5] == counts[50], counts
    print(f"gradebook queries: {counts}")
    assert counts[50][1] < counts[50][0]
    with django_assert_max_num_queries(counts[5][0]):
        tess_client.get(reverse("learning:classroom_gradebook_csv", args=[classroom.pk]))


def test_the_gradebook_sorts_by_a_quiz_and_keeps_to_late_or_not_started_work(
    tess_client, class_with_grades, quiz, make_quiz
):
    url = reverse("learning:classroom_gradebook", args=[class_with_grades.pk])
    practice = class_with_grades.assignments.get(quiz=quiz)
    # By "Practice", highest first: Alice (graded) before Bob (not started).
    html = tess_client.get(url, {"sort": f"-{practice.pk}"}).content.decode()
    assert html.index("Alice Zhou") < html.index("=Bob Smith")
    assert 'aria-sort="descending"' in html
    html = tess_client.get(url, {"sort": str(practice.pk)}).content.decode()
    assert html.index("Alice Zhou") < html.index("=Bob Smith")  # not started stays last
    # Both have late work (Alice never started the overdue quiz); only Bob has
    # not started "Practice"... and Alice has not started the other one.
    html = tess_client.get(url, {"show": "late"}).content.decode()
    assert "Alice Zhou" in html and "=Bob Smith" in html
    finish(class_with_grades.students.get(username="bob"), quiz, right=0)
    html = tess_client.get(url, {"show": "not_started"}).content.decode()
    assert "Alice Zhou" in html and "=Bob Smith" not in html
    assert "1 of 2 done" in html and "2 of 2 done" in html  # whole-class completion
    html = tess_client.get(url, {"show": "nonsense", "sort": "nonsense"}).content.decode()
    assert "Alice Zhou" in html and "=Bob Smith" in html


@pytest.mark.parametrize("sort", [" ", "a b", "-name ", "\x01", "é" * 300])
def test_a_sort_the_gradebook_does_not_know_sorts_by_name(tess_client, class_with_grades, sort):
    """Spaces and other odd values once reached the kept table's cache key (a 500
    where warnings are errors, a key memcached refuses)."""
    url = reverse("learning:classroom_gradebook", args=[class_with_grades.pk])
    response = tess_client.get(url, {"sort": sort})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("=Bob Smith") < html.index("Alice Zhou")
    assert 'aria-sort="descending"' not in html


def test_a_late_filter_drops_students_with_nothing_late(tess_client, tess, alice, bob, quiz):
    classroom = services.classroom_create(teacher=tess, name="9C")
    for student in (alice, bob):
        services.classroom_join(student=student, code=classroom.join_code)
    now = timezone.now()
    services.assignment_set(classroom=classroom, quiz=quiz, due_at=now + dt.timedelta(minutes=5))
    finish(alice, quiz, right=1)
    html = tess_client.get(
        reverse("learning:classroom_gradebook", args=[classroom.pk]), {"show": "late"}
    ).content.decode()
    assert "No student matches." in html
