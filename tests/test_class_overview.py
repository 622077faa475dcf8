"""A teacher's class overview: grades per quiz, mastery per student and bank, most missed."""

import datetime as dt
import re

from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from learning import charts, grid_chart, services
from tests.test_gradebook import finish


def test_a_histogram_counts_grades_in_ten_bins_with_the_pass_mark():
    chart = charts.histogram([0, 9.9, 10, 55, 100, 100], title="T", description="D", mark=70)
    assert [bar.value for bar in chart.bars] == [2, 1, 0, 0, 0, 1, 0, 0, 0, 2]
    assert chart.marks == [("70%", 252.0)]


def test_a_share_grid_shades_each_cell_by_its_share():
    grid = grid_chart.share_grid(
        ["a", "b"], ["x", "y"], [[(0, 4), (4, 4)], [(2, 4), (0, 0)]], title="T", description="D"
    )
    assert [[c.level for c in row] for row in grid.cells] == [[0, 4], [2, 0]]
    assert [label for label, _, _ in grid.lines] == ["a", "b"]


def make_class(tess, quiz, size: int, right: list[int]):
    classroom = services.classroom_create(teacher=tess, name=f"Class of {size}")
    services.assignment_set(
        classroom=classroom, quiz=quiz, due_at=timezone.now() + dt.timedelta(days=1)
    )
    for n in range(size):
        student = User.objects.create_user(f"s{size}-{n}", password="x")
        services.classroom_join(student=student, code=classroom.join_code)
        if n < len(right):
            finish(student, quiz, right=right[n])
    return classroom


def test_the_overview_charts_match_the_class_data(tess_client, tess, quiz):
    # Six questions in a fixed order; `finish` answers right only the single-choice and
    # true/false ones among the first n: right=6 scores 2 of 6, right=0 scores 0.
    classroom = make_class(tess, quiz, 4, right=[6, 0, 6])
    url = reverse("learning:classroom_overview", args=[classroom.pk])
    html = tess_client.get(url).content.decode()
    bars = [int(v) for v in re.findall(r'class="bar"[^>]*data-value="(\d+)"', html)]
    assert bars == [1, 0, 0, 2, 0, 0, 0, 0, 0, 0]
    assert "1 student has not started." in html
    assert re.search(r'class="mark"[^>]*data-mark="50%"', html)
    cells = re.findall(r'data-known="(\d+)" data-total="(\d+)"', html)
    assert sorted(cells) == [("0", "6"), ("0", "6"), ("2", "6"), ("2", "6")]
    # Four questions were missed by all three who finished, two by one of them.
    assert [int(n) for n in re.findall(r"missed (\d+) times?", html)] == [3, 3, 3, 3, 1, 1]
    assert f"?classroom={classroom.pk}" in html


def test_an_empty_class_shows_friendly_empty_states(tess_client, tess):
    classroom = services.classroom_create(teacher=tess, name="New")
    html = tess_client.get(reverse("learning:classroom_overview", args=[classroom.pk])).content
    assert b"Nothing yet: assign a quiz" in html and b"no student has joined" in html


def test_the_overview_costs_the_same_queries_for_5_or_30_students(tess_client, tess, quiz):
    counts = []
    for size in (5, 30):
        classroom = make_class(tess, quiz, size, right=[6, 2])
        url = reverse("learning:classroom_overview", args=[classroom.pk])
        tess_client.get(url)  # the first visit reads the banks' questions once (pools.py)
        with CaptureQueriesContext(connection) as queries:
            assert tess_client.get(url).status_code == 200
        counts.append(len(queries))
    print(f"queries: class overview {counts[0]} (5 students), {counts[1]} (30 students)")
    assert counts[0] == counts[1]


def test_another_teachers_class_overview_answers_404(client, tom, tess, quiz):
    classroom = make_class(tess, quiz, 1, right=[])
    client.force_login(tom)
    assert (
        client.get(reverse("learning:classroom_overview", args=[classroom.pk])).status_code == 404
    )


def test_a_student_cannot_see_a_class_overview(alice_client, tess, quiz):
    classroom = make_class(tess, quiz, 1, right=[])
    response = alice_client.get(reverse("learning:classroom_overview", args=[classroom.pk]))
    assert response.status_code == 403


def test_the_overview_names_its_banks_counts_its_bars_and_keys_its_colours(tess_client, tess, quiz):
    classroom = make_class(tess, quiz, 4, right=[6, 0, 6])
    html = tess_client.get(reverse("learning:classroom_overview", args=[classroom.pk])).content
    html = html.decode()
    # The bank's name heads its column of the grid, written slanted above it.
    assert re.search(r'<text class="tick"[^>]*rotate\(-45[^>]*>The conference<title>', html)
    # Each bar with students carries its count: 1 student at 0-9 %, 2 at 30-39 %.
    counts = re.findall(r'<text class="tick bar-count-inside"[^>]*>(\d+)</text>', html)
    counts += re.findall(r'<text class="tick" text-anchor="middle"[^>]*dy="-3">(\d+)</text>', html)
    assert sorted(int(c) for c in counts) == [1, 2]
    assert "Colour legend" in html and "0\u201319% known" in html and "80\u2013100% known" in html


def test_the_grid_writes_each_students_name_escaped_and_shortened(tess_client, tess, quiz):
    classroom = make_class(tess, quiz, 1, right=[6])
    student = classroom.students.get()
    student.first_name, student.last_name = '<b>Zoë & "Jo"</b>', "Hartley-Montgomery"
    student.save()
    html = tess_client.get(reverse("learning:classroom_overview", args=[classroom.pk])).content
    html = html.decode()
    name = "&lt;b&gt;Zoë &amp; &quot;Jo&quot;&lt;/b&gt; Hartley-Montgomery"
    assert "<b>Zoë" not in html
    # The row's label is shortened as `truncatechars:16` does; its tooltip and the
    # data table name the student whole.
    label = "&lt;b&gt;Zoë &amp; &quot;Jo&quot;&lt;/…"
    assert re.search(rf'<text class="label" x="0" y="[\d.]+">{label}</text>', html)
    assert f"<title>{name}: 2/6 (33%)</title></rect>" in html
    assert f'<tr><th scope="row">{name}</th><td class="text-end">2/6</td></tr>' in html
