"""Flashcards a student answers from memory: answerable fronts, the session's
counts, undo of the last rating, and the done page."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from learning import services
from learning.models import CardState, Review, StudyScope
from learning.models.cards import start_of_day
from learning.selectors import cards as selectors


def front(client, card) -> str:
    return client.get(card.get_absolute_url()).content.decode()


def card_for(alice, question) -> CardState:
    return CardState.objects.create(user=alice, question=question, due=timezone.now())


def test_a_choice_cards_front_lists_its_options(alice_client, alice, six_kinds):
    html = front(alice_client, card_for(alice, six_kinds["multiple"]))
    for text in ("Counterterrorism", "Narcotics control", "Space tourism", "Deep-sea mining"):
        assert f"<li>{text}</li>" in html
    assert "Show answer" in html and "Counterterrorism</li>" in html


def test_a_matching_cards_front_lists_items_and_partners(alice_client, alice, six_kinds):
    html = front(alice_client, card_for(alice, six_kinds["matching"]))
    for text in ("Chair", "Date", "Sergei Lavrov", "13 May 2020"):
        assert f"<li>{text}</li>" in html


def test_an_ordering_cards_front_lists_its_items(alice_client, alice, six_kinds):
    html = front(alice_client, card_for(alice, six_kinds["ordering"]))
    for text in ("Fight COVID-19", "Security", "Development", "Multilateralism"):
        assert f"<li>{text}</li>" in html


def test_the_session_counts_new_learning_and_to_review(alice_client, alice, six_kinds):
    now = timezone.now()
    learning = card_for(alice, six_kinds["single"])
    services.card_review(card=learning, rating=1, version=0, now=now - dt.timedelta(hours=1))
    html = front(alice_client, learning)
    assert "1 being learnt" in html
    # Five questions never shown are new; the daily limit (20) does not bind.
    assert "5 new" in html and "0 to review" in html
    assert "<progress" in html


def test_undo_puts_the_card_back_as_it_was_and_forgets_the_rating(alice_client, alice, six_kinds):
    card = card_for(alice, six_kinds["short"])
    before = (card.state, card.due, card.version)
    alice_client.post(card.get_absolute_url(), {"rating": 4, "version": 0})
    assert Review.objects.count() == 1
    html = front(alice_client, services.card_next(user=alice))
    assert "Undo last rating" in html and 'data-key="u"' in html
    response = alice_client.post(reverse("learning:card_undo"))
    assert response.status_code == 302 and response.url == card.get_absolute_url()
    card.refresh_from_db()
    assert Review.objects.count() == 0
    assert (card.state, card.due) == before[:2] and card.version == before[2] + 2


def test_undo_with_nothing_to_undo_says_so(alice_client):
    response = alice_client.post(reverse("learning:card_undo"), follow=True)
    assert "There is no rating to undo" in response.content.decode()


def test_undo_is_offered_for_an_hour_across_midnight_and_not_after(alice, six_kinds):
    """The session's counts start again at midnight; the undo of the last rating
    lasts an hour, whatever the day (both come from one query of the ratings)."""
    midnight = start_of_day(timezone.now())
    card = card_for(alice, six_kinds["short"])
    services.card_review(card=card, rating=3, version=0, now=midnight - dt.timedelta(minutes=10))
    after = selectors.session(alice, StudyScope(), midnight + dt.timedelta(minutes=10))
    assert after["studied"] == 0 and after["can_undo"]
    later = selectors.session(alice, StudyScope(), midnight + dt.timedelta(minutes=51))
    assert later["studied"] == 0 and not later["can_undo"]
    card.refresh_from_db()
    services.card_review(card=card, rating=3, version=card.version, now=midnight)
    today = selectors.session(alice, StudyScope(), midnight + dt.timedelta(minutes=61))
    assert today["studied"] == 1 and not today["can_undo"]


def test_undo_never_touches_another_students_rating(client, alice, bob, six_kinds):
    card = card_for(alice, six_kinds["short"])
    services.card_review(card=card, rating=3, version=0)
    client.force_login(bob)
    client.post(reverse("learning:card_undo"))
    assert Review.objects.filter(user=alice).count() == 1


def test_the_done_page_congratulates_and_says_what_was_studied_and_what_comes_next(
    alice_client, alice, make_question, bank
):
    question = make_question("short")
    card = card_for(alice, question)
    alice_client.post(card.get_absolute_url(), {"rating": 3, "version": 0})
    html = alice_client.get(reverse("learning:card_study")).content.decode()
    assert "Congratulations, you are done for now" in html
    assert "You studied 1 card today." in html and "The next card is due in" in html
