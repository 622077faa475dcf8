"""Item analysis: the formulas against a worked example, degenerate cases, and the page."""

import math

import pytest
from django.urls import reverse

from learning import item_analysis
from tests.test_gradebook import finish

# Four attempts at three questions of weight 1, worked by hand:
#
#   attempt  q1 q2 q3  total
#   A         1  1  0    2
#   B         1  0  0    1
#   C         0  1  1    2
#   D         1  1  1    3
#
# q1: x = 1 1 0 1, rest = 1 0 2 2; deviations from the means (.75, 1.25) give
#     Sxy = -.75, Sxx = .75, Syy = 2.75, so r = -.75 / sqrt(.75 * 2.75) = -0.5222.
# q2: x = 1 0 1 1, rest = 1 1 1 2: Sxy = .25, Sxx = .75, Syy = .75, r = 1/3.
# q3: x = 0 0 1 1, rest = 2 1 1 2: Sxy = 0, so r = 0.
# Facilities .75, .75, .5; sample SDs sqrt(.75/3) = .5, .5, sqrt(1/3) = .5774.
EXAMPLE = [
    {1: 1.0, 2: 1.0, 3: 0.0},
    {1: 1.0, 2: 0.0, 3: 0.0},
    {1: 0.0, 2: 1.0, 3: 1.0},
    {1: 1.0, 2: 1.0, 3: 1.0},
]


def test_the_worked_example():
    result = item_analysis.analyse(EXAMPLE, {}, min_answers=1)
    assert [result[q].attempts for q in (1, 2, 3)] == [4, 4, 4]
    assert [result[q].facility for q in (1, 2, 3)] == [0.75, 0.75, 0.5]
    assert result[1].sd == pytest.approx(0.5)
    assert result[3].sd == pytest.approx(math.sqrt(1 / 3))
    assert result[1].discrimination == pytest.approx(-0.75 / math.sqrt(0.75 * 2.75))
    assert result[1].discrimination == pytest.approx(-0.5222, abs=1e-4)
    assert result[2].discrimination == pytest.approx(1 / 3)
    assert result[3].discrimination == pytest.approx(0)
    assert result[1].flags == ["negative"]
    assert result[2].flags == []
    assert result[3].flags == ["poor"]


def test_weights_count_in_the_rest_of_the_attempt():
    # With q3 worth 3, q1's rest becomes 1 0 4 4 (mean 2.25): Sxy = -1.75,
    # Sxx = .75, Syy = 12.75, so r = -1.75 / sqrt(9.5625) = -0.5659.
    result = item_analysis.analyse(EXAMPLE, {3: 3})
    assert result[1].discrimination == pytest.approx(-0.5659, abs=1e-4)
    assert result[3].facility == 0.5


def test_one_attempt_gives_a_facility_but_no_spread_or_discrimination():
    result = item_analysis.analyse([{1: 1.0, 2: 0.0}], {}, min_answers=1)
    assert result[1].facility == 1.0 and result[1].sd is None
    assert result[1].discrimination is None
    assert result[1].flags == ["too_easy"]
    assert result[2].flags == ["too_hard"]


def test_a_question_everyone_gets_right_has_no_discrimination():
    attempts = [{1: 1.0, 2: 0.0}, {1: 1.0, 2: 1.0}, {1: 1.0, 2: 0.5}]
    result = item_analysis.analyse(attempts, {}, min_answers=1)
    assert result[1].sd == 0 and result[1].discrimination is None
    assert result[1].flags == ["too_easy"]


def test_a_question_drawn_in_only_some_attempts_counts_only_those():
    attempts = [{1: 1.0, 2: 1.0}, {1: 0.0, 2: 0.0}, {2: 1.0, 3: 1.0}]
    result = item_analysis.analyse(attempts, {})
    assert result[1].attempts == 2 and result[3].attempts == 1


def test_no_attempts_no_statistics():
    assert item_analysis.analyse([], {}) == {}
    assert item_analysis.correlation([1.0], [1.0, 2.0]) is None


def test_the_statistics_page_uses_first_attempts_unless_asked(tess_client, quiz, alice, bob):
    finish(alice, quiz, right=6)
    finish(alice, quiz, right=0)
    finish(bob, quiz, right=0)
    url = reverse("learning:quiz_statistics", args=[quiz.slug])
    html = tess_client.get(url).content.decode()
    assert "Over 2 first finished attempts" in html
    assert "not enough answers yet" in html and "too hard" not in html
    assert "A single question?" in html
    html = tess_client.get(url, {"attempts": "all"}).content.decode()
    assert "Over all 3 finished attempts" in html


def test_the_statistics_page_without_attempts(tess_client, quiz):
    url = reverse("learning:quiz_statistics", args=[quiz.slug])
    assert "No finished attempt yet." in tess_client.get(url).content.decode()


def test_visitors_are_sent_to_log_in_from_the_statistics(client, quiz):
    response = client.get(reverse("learning:quiz_statistics", args=[quiz.slug]))
    assert response.status_code == 302


def test_the_statistics_can_keep_to_one_class_of_the_teacher(client, tess, tom, quiz, alice, bob):
    from learning import services

    classroom = services.classroom_create(teacher=tess, name="9B")
    services.classroom_join(student=alice, code=classroom.join_code)
    finish(alice, quiz, right=6)
    finish(bob, quiz, right=0)
    url = reverse("learning:quiz_statistics", args=[quiz.slug])
    client.force_login(tess)
    html = client.get(url, {"classroom": classroom.pk}).content.decode()
    assert "Students of 9B only." in html and "Over 1 first finished attempt." in html
    client.force_login(tom)
    assert client.get(url, {"classroom": classroom.pk}).status_code == 404


def test_flags_wait_for_ten_answers():
    nine = [{1: 1.0}] * 9
    assert item_analysis.analyse(nine, {})[1].flags == []
    assert not item_analysis.analyse(nine, {})[1].enough
    ten = [{1: 1.0}] * 10
    assert item_analysis.analyse(ten, {})[1].flags == ["too_easy"]


def test_the_statistics_page_flags_from_ten_students_with_counts(tess_client, quiz):
    from django.contrib.auth.models import User

    for n in range(10):
        finish(User.objects.create_user(f"student{n}"), quiz, right=0)
    html = tess_client.get(reverse("learning:quiz_statistics", args=[quiz.slug])).content.decode()
    assert "too hard" in html and "not enough answers yet" not in html
    assert "0% of 10" in html
