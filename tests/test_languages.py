"""Choosing a language: the browser's first, the footer's switcher (no JavaScript
needed), a signed-in user's choice kept for their other devices; right to left
for Arabic."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from learning.models import Profile


def test_the_browsers_language_decides_for_a_visitor(client, db):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="ru,en;q=0.5")
    assert '<html lang="ru" dir="ltr">' in page.text


def test_arabic_pages_run_right_to_left_with_bootstraps_rtl_stylesheet(client, db):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="ar")
    assert '<html lang="ar" dir="rtl">' in page.text
    assert "bootstrap.rtl.min.css" in page.text
    english = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en").text
    assert 'dir="ltr"' in english and "bootstrap.rtl.min.css" not in english


def test_every_page_has_a_switcher_naming_each_language_in_itself(client, db):
    page = client.get(reverse("learning:quiz_list")).text
    assert f'action="{reverse("learning:choose_language")}"' in page
    assert 'name="language"' in page
    for name in ("English", "中文", "Русский", "العربية", "Français", "Español"):
        assert f">{name}</option>" in page
    assert len(settings.LANGUAGES) == 6


def test_the_switcher_sets_the_language_and_goes_back_to_the_page(client, db):
    back = reverse("learning:quiz_list")
    response = client.post(reverse("learning:choose_language"), {"language": "fr", "next": back})
    assert response.status_code == 302 and response["Location"] == back
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert '<html lang="fr"' in client.get(back).text


def test_a_signed_in_users_choice_follows_them_to_another_device(client, alice):
    client.force_login(alice)
    client.post(reverse("learning:choose_language"), {"language": "zh-hans", "next": "/"})
    assert Profile.language_of(alice) == "zh-hans"
    other = Client()
    other.post(
        reverse("login"),
        {"username": "alice", "password": "alice-password-1"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert other.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    assert '<html lang="zh-hans"' in other.get(reverse("learning:home")).text


def test_an_unknown_language_changes_nothing(client, alice):
    client.force_login(alice)
    client.post(reverse("learning:choose_language"), {"language": "xx", "next": "/"})
    assert Profile.language_of(alice) == ""
    assert client.get(reverse("learning:choose_language")).status_code == 405


@pytest.mark.parametrize("language", ["ar", "fr", "ru", "es"])
def test_charts_draw_with_dots_whatever_the_languages_decimal_comma(language):
    """SVG lengths are numbers, not prose: "12,5" is no width in Arabic or French."""
    from django.template.loader import render_to_string
    from django.utils import translation

    from learning import charts

    bars = charts.bar_chart([("a", 1), ("b", 3), ("c", 7)], title="t", description="d")
    line = charts.line_chart([("a", 33.3), ("b", 66.7)], title="t", description="d", mark=50)
    with translation.override(language):
        html = render_to_string("learning/_bar_chart.html", {"chart": bars, "chart_id": "b"})
        html += render_to_string("learning/_line_chart.html", {"chart": line, "chart_id": "l"})
    lengths = re.findall(r'\b(?:x|y|x1|y1|x2|y2|cx|cy|width|height|viewBox)="([^"]*)"', html)
    assert lengths and not [value for value in lengths if "," in value]
    (points,) = re.findall(r'points="([^"]*)"', html)
    assert all(re.fullmatch(r"[\d.]+,[\d.]+", pair) for pair in points.split())


def test_the_statements_english_is_marked_english_inside_an_arabic_page(client, alice, statement):
    """The prompt, options, review and quoted paragraph carry the source's language and
    their own direction, so an English sentence keeps its punctuation on a right-to-left page."""
    from learning import services
    from learning.models import Quiz

    client.force_login(alice)
    attempt = services.attempt_start(user=alice, quiz=Quiz.objects.get(slug="essentials"))
    item = attempt.items.get(position=1)
    page = client.get(item.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert '<html lang="ar" dir="rtl"' in page
    assert re.search(r'<legend class="question-prompt" lang="en" dir="auto">', page)
    services.attempt_finish(attempt=attempt)
    result = client.get(attempt.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ar", follow=True)
    html = result.content.decode()
    assert re.search(r'<blockquote class="blockquote" lang="en" dir="auto">', html) or (
        "blockquote" not in html
    )
    assert 'lang="en" dir="auto">' in html
