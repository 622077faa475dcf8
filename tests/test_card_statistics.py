"""The flashcard statistics page and the SVG charts behind it."""

import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone

from learning import charts
from learning.models import CardState, Review, StudySettings


def test_a_bar_chart_scales_bars_to_the_largest_value():
    chart = charts.bar_chart([("a", 2), ("b", 4), ("c", 0)], title="T", description="D", height=140)
    plot = 140 - 16 - 24
    assert [bar.height for bar in chart.bars] == [plot / 2, plot, 0]
    assert chart.bars[1].y == 16 and chart.baseline == 16 + plot
    assert not chart.empty
    assert charts.bar_chart([("a", 0)], title="T", description="D").empty


def test_a_heatmap_puts_each_day_in_its_weekday_row_and_shades_by_count():
    end = dt.date(2026, 3, 1)  # a Sunday
    counts = {end: 8, end - dt.timedelta(days=1): 2}
    heat = charts.calendar_heatmap(counts, end=end, days=14, title="T", description="D")
    last = heat.cells[-1]
    assert (last.day, last.count, last.level, last.y) == (end, 8, 4, 6 * 14)
    assert heat.cells[-2].level == 1
    assert sum(cell.count for cell in heat.cells) == 10 and len(heat.cells) == 14


def test_the_statistics_page_draws_due_reviews_retention_and_states(alice_client, alice, six_kinds):
    now = timezone.now()
    questions = list(six_kinds.values())
    cards = [
        CardState.objects.create(
            user=alice,
            question=q,
            state=2,
            stability=5,
            difficulty=5,
            due=now + dt.timedelta(days=d),
            last_review=now - dt.timedelta(days=1),
        )
        for q, d in zip(questions[:4], [0, 1, 1, 40], strict=True)
    ]
    CardState.objects.create(user=alice, question=questions[4], state=1, step=0, due=now)
    for days_ago, rating in [(1, 3), (2, 1), (2, 3), (20, 3)]:
        Review.objects.create(
            card=cards[0],
            user=alice,
            rating=rating,
            state_before=2,
            reviewed_at=now - dt.timedelta(days=days_ago),
            due_before=now,
        )
    html = alice_client.get(reverse("learning:card_statistics")).content.decode()
    # Today, then only the days with cards, each with its count in words.
    rows = re.findall(r'share-label">([^<]*)</span>\s*<span class="share-count">(\d+) cards?', html)
    assert [n for _day, n in rows] == ["2", "2"] and rows[0][0] == "today"
    assert "40" not in "".join(day for day, _n in rows)  # the 40-day card is beyond
    assert 'class="heat-legend' in html
    heat = [int(n) for n in re.findall(r'data-count="(\d+)"', html)]
    assert len(heat) == 90 and sum(heat) == 4
    # True retention: 3 of 3 in the last week would be wrong; 2 of 3 is right.
    assert re.search(r"Last 7 days</td><td[^>]*>2</td><td[^>]*>3</td>", html)
    assert re.search(r"Last 30 days</td><td[^>]*>3</td><td[^>]*>4</td>", html)
    assert re.search(r"Known, coming back to check</td><td[^>]*>4</td>", html)
    assert re.search(r"Being learnt</td><td[^>]*>1</td>", html)
    assert re.search(r"Not seen yet</td><td[^>]*>1</td>", html)
    assert "Show data" in html and "<desc" in html


def test_a_student_with_nothing_yet_sees_a_friendly_empty_page(alice_client):
    response = alice_client.get(reverse("learning:card_statistics"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "nothing yet" in html and "No card is scheduled yet" in html


def test_study_settings_keep_retention_between_70_and_97_percent(alice_client, alice):
    url = reverse("learning:card_settings")
    data = {"new_per_day": 5, "reviews_per_day": 50, "desired_retention": "0.99"}
    response = alice_client.post(url, data)
    assert response.status_code == 400
    assert "less than or equal to 0.97" in response.content.decode()
    response = alice_client.post(url, data | {"desired_retention": "0.8"})
    assert response.status_code == 302
    settings = StudySettings.objects.get(user=alice)
    assert (settings.new_per_day, settings.reviews_per_day, settings.desired_retention) == (
        5,
        50,
        0.8,
    )


def test_card_pages_need_a_login(client, db):
    for name in ("card_decks", "card_study", "card_settings", "card_statistics"):
        response = client.get(reverse(f"learning:{name}"))
        assert response.status_code == 302 and "/accounts/login/" in response.url
