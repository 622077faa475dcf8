"""Grading is pure: these tests need no database."""

import random

from hypothesis import given
from hypothesis import strategies as st

from learning import scoring
from learning.scoring import Option, grade, key_response, normalise
from tests.conftest import KINDS


def options(kind: str) -> list[Option]:
    return [
        Option(id=i + 10, text=text, credit=credit, position=position, match=match)
        for i, (text, credit, position, match) in enumerate(KINDS[kind])
    ]


KIND_NAMES = ["single", "true_false", "multiple", "short", "ordering", "matching"]


def test_short_answers_match_after_case_space_and_punctuation_are_folded():
    assert normalise("  Sergei   LAVROV. ") == "sergei lavrov"
    assert normalise("\uff33\uff23\uff2f") == "sco"  # full-width SCO
    assert normalise("“Fast lanes”") == "fast lanes"
    opts = options("short")
    assert grade("short", opts, {"text": "sergei lavrov!"}) == 1
    assert grade("short", opts, {"text": "Wang Yi"}) == 0
    assert grade("short", opts, {"text": "   "}) == 0


def test_short_answer_gives_the_best_credit_among_matching_answers():
    opts = [Option(1, "Lavrov", 0.5), Option(2, "lavrov", 1.0)]
    assert grade("short", opts, {"text": "LAVROV"}) == 1


def test_multiple_response_adds_credits_and_clamps_to_zero():
    opts = options("multiple")
    right = [10, 11]
    assert grade("multiple", opts, {"choices": right}) == 1
    assert grade("multiple", opts, {"choices": [10]}) == 0.5
    assert grade("multiple", opts, {"choices": [10, 12]}) == 0
    assert grade("multiple", opts, {"choices": [12, 13]}) == 0
    assert grade("multiple", opts, {"choices": [10, 11, 12, 13]}) == 0


def test_ordering_counts_the_pairs_in_the_right_relative_order():
    opts = options("ordering")
    assert grade("ordering", opts, {"positions": {"10": 1, "11": 2, "12": 3, "13": 4}}) == 1
    # Swapping the last two breaks one pair of six.
    swapped = {"10": 1, "11": 2, "12": 4, "13": 3}
    assert grade("ordering", opts, {"positions": swapped}) == 5 / 6
    assert grade("ordering", opts, {"positions": {"10": 4, "11": 3, "12": 2, "13": 1}}) == 0


def test_matching_counts_the_pairs_matched_right():
    opts = options("matching")
    given_ = {"10": "Sergei Lavrov", "11": "13 May 2020", "12": "13 May 2020"}
    assert grade("matching", opts, {"matches": given_}) == 2 / 3


def test_the_review_describes_answers_in_words():
    opts = options("ordering")
    key = key_response("ordering", opts)
    assert scoring.describe("ordering", opts, key)[0] == "1. Fight COVID-19"
    assert scoring.describe("single", options("single"), None) == []
    assert (
        scoring.describe(
            "matching", options("matching"), key_response("matching", options("matching"))
        )[0]
        == "Chair → Sergei Lavrov"
    )


def random_response(kind: str, opts: list[Option], data) -> dict:
    ids = [o.id for o in opts]
    if kind in ("single", "true_false"):
        return {"choice": data.draw(st.sampled_from([*ids, 999]))}
    if kind == "multiple":
        return {"choices": data.draw(st.lists(st.sampled_from(ids), unique=True))}
    if kind == "short":
        return {"text": data.draw(st.text(max_size=30))}
    if kind == "ordering":
        places = data.draw(st.permutations(range(1, len(ids) + 1)))
        return {"positions": {str(i): p for i, p in zip(ids, places, strict=True)}}
    partners = [*(o.match for o in opts), "nonsense"]
    return {"matches": {str(i): data.draw(st.sampled_from(partners)) for i in ids}}


@given(kind=st.sampled_from(KIND_NAMES), data=st.data())
def test_credit_is_always_between_zero_and_one(kind, data):
    opts = options(kind)
    credit = grade(kind, opts, random_response(kind, opts, data))
    assert 0 <= credit <= 1


@given(kind=st.sampled_from(KIND_NAMES), seed=st.integers())
def test_the_key_always_earns_full_credit_in_any_order_shown(kind, seed):
    opts = options(kind)
    random.Random(seed).shuffle(opts)
    assert grade(kind, opts, key_response(kind, opts)) == 1


@given(kind=st.sampled_from(KIND_NAMES), seed=st.integers(), data=st.data())
def test_the_order_options_are_shown_in_never_changes_the_credit(kind, seed, data):
    opts = options(kind)
    response = random_response(kind, opts, data)
    shown = list(opts)
    random.Random(seed).shuffle(shown)
    assert grade(kind, shown, response) == grade(kind, opts, response)
