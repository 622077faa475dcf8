"""The student's home page: what to do now, mastery, scores, streak and weak passages."""

import datetime as dt
import re
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from learning import charts, services
from learning.models import Attempt, AttemptItem, CardState, Quiz, Review
from learning.selectors import progress


def finish(user, quiz, right: int, when) -> Attempt:
    """An attempt finished at `when` with the first `right` items answered right."""
    attempt = services.attempt_start(user=user, quiz=quiz, now=when - dt.timedelta(minutes=5))
    for item in attempt.items.order_by("position")[:right]:
        AttemptItem.objects.filter(pk=item.pk).update(
            response={}, credit=1, answered_at=when - dt.timedelta(minutes=1)
        )
    services.attempt_finish(attempt=attempt, now=when)
    return attempt


def test_the_charts_draw_known_numbers():
    share = charts.share_chart([("A", 1, 4), ("B", 0, 0)], title="T", description="D", width=400)
    assert [bar.width for bar in share.bars] == [100, 0]
    assert share.bars[0].percent == 25
    line = charts.line_chart([("1", 50), ("2", 100)], title="T", description="D", mark=70)
    assert line.points[0].y == 10 + 130 / 2 and line.points[1].y == 10
    assert line.mark_y == round(10 + 130 * 0.3, 2)


def test_a_streak_counts_days_in_a_row_ending_today_or_yesterday():
    today = dt.date(2026, 3, 10)
    days = {today - dt.timedelta(days=n) for n in (1, 2, 3, 5)}
    assert progress.streak(days, today) == 3
    assert progress.streak(days | {today}, today) == 4
    assert progress.streak(set(), today) == 0


def test_a_new_student_sees_friendly_empty_states(alice_client, quiz):
    html = alice_client.get("/").content.decode()
    assert "What to do now" in html
    assert "Nothing yet: finish a quiz" in html
    assert "Nothing yet: the passages you miss most" in html
    assert "Study streak: 0 days" in html


@pytest.fixture
def a_month_of_study(alice, quiz, six_kinds):
    """Alice took the six-question quiz on days 1, 8, 15 and 22 before today, getting
    2, 3, 5 and 6 right, and rated one card each day of the last three days."""
    now = timezone.now()
    attempts = [
        finish(alice, quiz, right, now - dt.timedelta(days=days))
        for days, right in [(22, 2), (15, 3), (8, 5), (1, 6)]
    ]
    card = CardState.objects.get(user=alice, question=six_kinds["matching"])
    for days in (0, 1, 2):
        Review.objects.create(
            card=card,
            user=alice,
            rating=1 if days else 3,
            state_before=1,
            reviewed_at=now - dt.timedelta(days=days),
            due_before=now,
            duration_ms=30_000,
        )
    return attempts


def test_the_home_page_charts_a_month_of_study(alice_client, a_month_of_study, quiz):
    html = alice_client.get("/").content.decode()
    points = [float(v) for v in re.findall(r'class="point"[^>]*data-value="([\d.]+)"', html)]
    assert points == [pytest.approx(100 * n / 6, abs=0.05) for n in (2, 3, 5, 6)]
    assert re.search(r'class="mark"[^>]*data-mark="50"', html)
    # The latest attempt got everything right: all six questions are known.
    assert re.search(r'max="6" value="6"', html)
    assert "Study streak: 3 days" in html
    # Three 30-second looks and four five-minute attempts; only this week's count.
    assert "Time this week:" in html
    weakest = re.findall(r"\?passage=\d+\">Paragraph (\d+)</a>\s*\((\d+) misses", html)
    assert weakest == [("1", str(4 + 3 + 1 + 2))]


def test_one_score_is_a_sentence_not_a_line_and_text_is_html(alice_client, alice, quiz):
    finish(alice, quiz, 3, timezone.now() - dt.timedelta(days=1))
    html = alice_client.get("/").content.decode()
    assert "One score so far: 50%" in html and 'class="point"' not in html
    assert '<meter class="share-meter"' in html


def test_the_home_page_query_count_does_not_grow_with_activity(
    alice_client, alice, quiz, six_kinds
):
    now = timezone.now()

    def queries() -> int:
        # Every view at one moment: the page's key holds the quarter of an hour
        # (`kept.FADING_SECONDS`), so two views either side of one rightly differ.
        frozen = mock.patch("django.utils.timezone.now", return_value=now)
        with frozen, CaptureQueriesContext(connection) as captured:
            assert alice_client.get("/").status_code == 200
        return len(captured)

    alice_client.get("/")
    finish(alice, quiz, 1, now - dt.timedelta(days=2))
    # The first visit after a change sums the student's work up; the next ones
    # read the summary kept under their progress stamp (selectors.progress).
    few = queries(), queries()
    for days in range(3, 30):
        finish(alice, quiz, days % 6, now - dt.timedelta(days=days))
    many = queries(), queries()
    print(f"queries: student home page {few} (1 attempt), {many} (28 attempts)")
    assert few == many
    assert few[1] < few[0]


def test_the_home_page_charts_only_the_four_quizzes_finished_last(
    alice_client, alice, make_quiz, six_kinds
):
    now = timezone.now()
    for n in range(6):
        quiz = make_quiz(title=f"Round {n}", slug=f"round-{n}", pass_mark=50)
        finish(alice, quiz, 1, now - dt.timedelta(days=10 - n))
    # Round 0, the oldest, is taken again today: it becomes the latest.
    finish(alice, Quiz.objects.get(slug="round-0"), 2, now)
    html = alice_client.get("/").content.decode()
    scores = html[html.index('id="scores-heading"') : html.index('id="quizzes-heading"')]
    charted = re.findall(r"<figcaption[^>]*>(Round \d)</figcaption>", scores)
    assert charted == ["Round 0", "Round 5", "Round 4", "Round 3"]
    assert 'href="/attempts/"' in scores


def test_the_home_page_lists_twelve_quizzes_and_links_to_the_rest(client, make_quiz, six_kinds):
    for n in range(13):
        make_quiz(title=f"Quiz {n:02}", slug=f"quiz-{n:02}")
    html = client.get("/").content.decode()
    assert re.findall(
        r'<h3 class="h5 card-title"><a class="stretched-link" href="/quizzes/quiz-(\d+)/">', html
    ) == [f"{n:02}" for n in range(12)]
    assert '<a href="/quizzes/">All quizzes →</a>' in html
    listed = client.get("/quizzes/").content.decode()
    assert "Quiz 12" in listed
