"""Cloze cards from the passages: which phrases are blanked, the deck they make,
and studying one like any card with the whole paragraph on the back."""

import itertools

from django.core.management import call_command
from django.urls import reverse

from learning import cloze, services
from learning.models import Bank, CardState, Question

TEXT = (
    "State Councilor and Foreign Minister Wang Yi attended a video conference in Beijing "
    "on 13 May. The conference was chaired by Sergei Lavrov of Russia, SCO chair for year "
    "2020. SCO members face COVID-19 together."
)


def phrases(text, keys=(), limit=4):
    return [c.phrase for c in cloze.clozes(text, list(keys), limit)]


def test_a_questions_key_comes_before_names_dates_and_numbers():
    assert phrases(TEXT, ["Sergei Lavrov"], limit=1) == ["Sergei Lavrov"]


def test_dates_names_and_years_are_found_without_titles():
    found = phrases(TEXT)
    assert "Wang Yi" in found and "13 May" in found
    assert not any(p.startswith(("State", "Foreign")) for p in found)


def test_a_phrase_seen_twice_or_inside_a_name_is_never_blanked():
    found = phrases(TEXT, limit=10)
    assert "SCO" not in found  # twice in the text
    assert "19" not in found  # part of COVID-19


def test_clozes_do_not_overlap_and_keep_the_texts_order():
    found = cloze.clozes(TEXT, ["Sergei Lavrov of Russia", "Lavrov"], limit=10)
    spans = [(c.start, c.end) for c in found]
    assert spans == sorted(spans)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))
    assert "Lavrov" not in [c.phrase for c in found]


def test_the_front_blanks_the_phrase_only():
    first = cloze.clozes(TEXT, ["Sergei Lavrov"], limit=1)[0]
    front = first.front(TEXT)
    assert "Sergei Lavrov" not in front and cloze.BLANK in front
    assert front.replace(cloze.BLANK, "Sergei Lavrov") == TEXT


def test_building_makes_a_deck_of_published_cards_and_running_again_changes_nothing(
    passage, six_kinds
):
    made = services.cloze_cards_build(source=passage.source)
    assert made >= 1
    deck = Bank.objects.get(slug=f"{passage.source.slug}-paragraphs")
    cards = list(deck.questions.order_by("ref").values_list("ref", "prompt"))
    assert all(cloze.BLANK in prompt for _ref, prompt in cards)
    # The short answer's key, "Sergei Lavrov", is blanked.
    assert deck.questions.filter(choices__text="Sergei Lavrov", published=True).exists()
    call_command("build_cloze_cards", verbosity=0)
    assert list(deck.questions.order_by("ref").values_list("ref", "prompt")) == cards


def test_a_cloze_card_is_studied_like_any_with_the_whole_paragraph_on_the_back(
    alice_client, alice, passage
):
    services.cloze_cards_build(source=passage.source)
    deck = Bank.objects.get(slug=f"{passage.source.slug}-paragraphs")
    response = alice_client.get(reverse("learning:card_study") + f"?deck={deck.slug}")
    card = CardState.objects.get(user=alice)
    assert Question.objects.get(pk=card.question_id).bank == deck
    front = alice_client.get(response.url).content.decode()
    assert cloze.BLANK in front
    back = alice_client.get(response.url + "&show=1").content.decode()
    assert passage.text in back
