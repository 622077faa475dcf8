"""A timed attempt never loses an answer; the navigator, flags, the finish page,
one message for an empty answer, and feedback in words."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from learning import services
from learning.models import Attempt, Choice

from .test_quizzes import key_post, question_url, start


def started_ago(alice, quiz, **ago) -> Attempt:
    """Alice's attempt at a 20-minute quiz, started `ago` before now."""
    return services.attempt_start(user=alice, quiz=quiz, now=timezone.now() - dt.timedelta(**ago))


def item_of_kind(attempt, kind):
    return attempt.items.get(question__kind=kind)


def test_an_answer_arriving_within_the_grace_is_stored_and_ends_the_attempt(
    client, alice, timed_quiz, settings
):
    settings.ANSWER_GRACE = 5
    attempt = started_ago(alice, timed_quiz, minutes=20, seconds=2)
    item = item_of_kind(attempt, "short")
    client.force_login(alice)
    response = client.post(item.get_absolute_url(), key_post(item), follow=True)
    item.refresh_from_db()
    assert item.is_answered and item.credit == 1
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.TIMED_OUT
    assert attempt.finished_at == attempt.deadline and attempt.score == 1
    assert "arrived in time and is saved" in response.content.decode()


def test_an_answer_after_the_grace_is_refused_and_quoted_back(client, alice, timed_quiz, settings):
    settings.ANSWER_GRACE = 5
    attempt = started_ago(alice, timed_quiz, minutes=20, seconds=6)
    item = item_of_kind(attempt, "short")
    client.force_login(alice)
    response = client.post(item.get_absolute_url(), {"answer": "Sergei Lavrov"}, follow=True)
    html = response.content.decode()
    assert "Time is up" in html and "Your answer was: “Sergei Lavrov”" in html
    item.refresh_from_db()
    assert not item.is_answered
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.TIMED_OUT


def test_a_late_choice_is_quoted_by_its_text_not_its_number(client, alice, timed_quiz, settings):
    settings.ANSWER_GRACE = 0
    attempt = started_ago(alice, timed_quiz, minutes=21)
    item = item_of_kind(attempt, "single")
    shown = Choice.objects.get(pk=item.choice_order[1]).text
    client.force_login(alice)
    response = client.post(item.get_absolute_url(), {"answer": "1"}, follow=True)
    assert f"Your answer was: “{shown}”" in response.content.decode()


def test_the_pages_own_submit_at_zero_with_nothing_chosen_finishes_the_attempt(
    client, alice, timed_quiz
):
    attempt = started_ago(alice, timed_quiz, minutes=20, seconds=1)
    client.force_login(alice)
    response = client.post(question_url(attempt, 1), {"timeout": "1"})
    assert response.status_code == 302
    assert response.url == reverse("learning:attempt_result", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.TIMED_OUT


def test_the_pages_own_submit_at_zero_stores_what_is_on_it(client, alice, timed_quiz):
    attempt = started_ago(alice, timed_quiz, minutes=19, seconds=59)
    item = item_of_kind(attempt, "multiple")
    client.force_login(alice)
    client.post(item.get_absolute_url(), {**key_post(item), "timeout": "1"})
    item.refresh_from_db()
    assert item.is_answered and item.credit == 1
    assert not Attempt.objects.get(pk=attempt.pk).is_open


def shown(item):
    """The item's choices and (matching) options in the order its page shows them."""
    by_id = {c.id: c for c in Choice.objects.filter(question_id=item.question_id)}
    return [by_id[i] for i in item.choice_order], [by_id[i] for i in item.option_order]


def test_half_a_matching_answer_on_the_page_at_zero_is_stored_and_graded(client, alice, timed_quiz):
    attempt = started_ago(alice, timed_quiz, minutes=19, seconds=59)
    item = item_of_kind(attempt, "matching")
    choices, options = shown(item)
    partners = [next(j for j, o in enumerate(options) if o.match == c.match) for c in choices]
    client.force_login(alice)
    # Two of the three items given their right partner, the third left blank.
    half = {"item_0": str(partners[0]), "item_1": str(partners[1]), "item_2": ""}
    assert client.post(item.get_absolute_url(), half).status_code == 400  # not at zero
    page = client.post(item.get_absolute_url(), {**half, "timeout": "1"}, follow=True)
    assert "The part of your last answer that you had given is saved" in page.content.decode()
    item.refresh_from_db()
    assert item.is_answered and item.credit == pytest.approx(2 / 3)
    assert set(item.response["matches"]) == {str(choices[0].id), str(choices[1].id)}
    assert not Attempt.objects.get(pk=attempt.pk).is_open
    result = client.get(reverse("learning:attempt_result", args=[attempt.pk]), {"show": "all"})
    html = result.content.decode()
    assert result.status_code == 200
    assert f"{choices[0].text} → {choices[0].match}" in html  # half the answer, in its review


def test_one_partner_for_every_item_at_zero_is_no_share_of_the_credit(client, alice, timed_quiz):
    attempt = started_ago(alice, timed_quiz, minutes=19, seconds=59)
    item = item_of_kind(attempt, "matching")
    client.force_login(alice)
    same = {f"item_{i}": "0" for i in range(len(item.choice_order))}
    client.post(item.get_absolute_url(), {**same, "timeout": "1"})
    item.refresh_from_db()
    assert not item.is_answered  # nothing of it stands: the attempt just ends
    assert not Attempt.objects.get(pk=attempt.pk).is_open


def test_half_an_ordering_answer_at_zero_keeps_the_places_given(client, alice, timed_quiz):
    attempt = started_ago(alice, timed_quiz, minutes=19, seconds=59)
    item = item_of_kind(attempt, "ordering")
    choices, _options = shown(item)
    client.force_login(alice)
    # The first two items shown, each at its right place; the others left blank
    # (or out of range, which counts as blank).
    posted = {f"item_{i}": "" for i in range(len(choices))}
    posted |= {"item_0": str(choices[0].position), "item_1": str(choices[1].position)}
    posted["item_2"] = "99"
    client.post(item.get_absolute_url(), {**posted, "timeout": "1"})
    item.refresh_from_db()
    assert item.is_answered
    assert item.response["positions"] == {
        str(choices[0].id): choices[0].position,
        str(choices[1].id): choices[1].position,
    }
    assert item.credit == pytest.approx(1 / 6)  # one of the six pairs of four items


def test_finishing_in_the_grace_closes_the_attempt_as_timed_out_at_its_deadline(alice, timed_quiz):
    attempt = started_ago(alice, timed_quiz, minutes=20, seconds=1)
    attempt = services.attempt_finish(attempt=attempt)
    assert attempt.state == Attempt.State.TIMED_OUT
    assert attempt.finished_at == attempt.deadline


def test_every_page_of_a_timed_attempt_shows_the_time_left_and_the_warnings(
    alice_client, timed_quiz
):
    attempt = start(alice_client, timed_quiz)
    for url in (question_url(attempt, 1), reverse("learning:attempt_finish", args=[attempt.pk])):
        html = alice_client.get(url).content.decode()
        assert 'class="attempt-bar"' in html and 'role="timer"' in html
        assert 'aria-live="polite"' in html and "5 minutes left" in html
        assert "data-autosubmit" in html


def test_a_flag_is_stored_shown_in_the_navigator_and_listed_on_the_finish_page(alice_client, quiz):
    attempt = start(alice_client, quiz)
    flag = reverse("learning:attempt_flag", args=[attempt.pk, 3])
    assert alice_client.post(flag, {"flagged": "1"}).status_code == 302
    assert attempt.items.get(position=3).flagged
    html = alice_client.get(question_url(attempt, 1)).content.decode()
    chip = r'<li><a href="([^"]+)" class="([^"]+)" data-position="(\d+)"(.*?)</a></li>'
    chips = re.findall(chip, html)
    # Every question is a link to its own page, read aloud with its state.
    assert [(href, int(n)) for href, _, n, _ in chips] == [
        (question_url(attempt, n), n) for n in range(1, attempt.items.count() + 1)
    ]
    current, _, third = chips[0], chips[1], chips[2]
    assert current[3].startswith(' aria-current="page">1<')
    assert third[1] == "nav-chip is-flagged" and "⚑" in third[3]
    assert third[3].endswith(", not answered, flagged</span>")
    assert all("aria-current" not in chip[3] for chip in chips[1:])
    finish = alice_client.get(reverse("learning:attempt_finish", args=[attempt.pk]))
    html = finish.content.decode()
    assert "Flagged for review" in html and question_url(attempt, 3) in html
    alice_client.post(flag, {"flagged": "0"}, headers={"X-Requested-With": "fetch"})
    assert not attempt.items.get(position=3).flagged


def test_the_navigator_says_what_the_items_hold(alice, quiz):
    attempt = services.attempt_start(user=alice, quiz=quiz)
    items = list(attempt.items.order_by("position"))
    services.attempt_answer(item=items[0], response={"choice": items[0].choice_order[0]})
    services.attempt_flag(item=items[1], flagged=True)
    services.attempt_answer(item=items[2], response={"choice": items[2].choice_order[0]})
    services.attempt_flag(item=items[2], flagged=True)
    rows = attempt.items.order_by("position").values_list("position", "answered_at", "flagged")
    entries = attempt.navigator()
    assert [(e.position, e.answered, e.flagged) for e in entries] == [
        (position, answered is not None, flagged) for position, answered, flagged in rows
    ]
    assert [(e.answered, e.flagged) for e in entries[:4]] == [
        (True, False),
        (False, True),
        (True, True),
        (False, False),
    ]
    assert [e.url for e in entries] == [question_url(attempt, i.position) for i in items]
    assert entries[0].answered is True and entries[3].flagged is False


def test_flagging_without_the_script_keeps_a_typed_answer_in_the_page_unsaved(
    client, alice, timed_quiz
):
    attempt = started_ago(alice, timed_quiz, minutes=5)
    item = item_of_kind(attempt, "short")
    client.force_login(alice)
    page = client.get(item.get_absolute_url()).content.decode()
    # The flag button sends the answer form, so what is typed goes with it.
    assert re.search(r'<form [^>]*id="answer-form"', page)
    assert re.search(r'<button type="submit" form="answer-form" name="flagged" value="1"', page)
    response = client.post(item.get_absolute_url(), {"answer": "Sergei Lav", "flagged": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Sergei Lav"' in html and "Flagged for review ⚑" in html
    assert "Type an answer before saving" not in html
    item.refresh_from_db()
    assert item.flagged and not item.is_answered
    # Saving from the page that came back stores the answer as usual.
    client.post(item.get_absolute_url(), key_post(item))
    item.refresh_from_db()
    assert item.is_answered and item.credit == 1 and item.flagged


def test_flagging_with_nothing_chosen_shows_no_error(client, alice, timed_quiz):
    attempt = started_ago(alice, timed_quiz, minutes=5)
    item = item_of_kind(attempt, "ordering")
    client.force_login(alice)
    response = client.post(item.get_absolute_url(), {"flagged": "1"})
    assert response.status_code == 200
    assert "before saving" not in response.content.decode()
    assert attempt.items.get(pk=item.pk).flagged


def test_flagging_after_the_deadline_quotes_the_typed_answer_back_and_stores_nothing(
    client, alice, timed_quiz, settings
):
    settings.ANSWER_GRACE = 5
    attempt = started_ago(alice, timed_quiz, minutes=20, seconds=6)
    item = item_of_kind(attempt, "short")
    client.force_login(alice)
    response = client.post(
        item.get_absolute_url(), {"answer": "Sergei Lavrov", "flagged": "1"}, follow=True
    )
    assert "Your answer was: “Sergei Lavrov”" in response.content.decode()
    item.refresh_from_db()
    assert not item.is_answered and not item.flagged


def test_nobody_flags_another_students_attempt(client, bob, alice, quiz):
    attempt = services.attempt_start(user=alice, quiz=quiz)
    client.force_login(bob)
    response = client.post(reverse("learning:attempt_flag", args=[attempt.pk, 1]), {"flagged": "1"})
    assert response.status_code == 404
    assert not attempt.items.filter(flagged=True).exists()


def test_a_finished_attempt_takes_no_flag(alice_client, alice, quiz):
    attempt = services.attempt_finish(attempt=services.attempt_start(user=alice, quiz=quiz))
    alice_client.post(reverse("learning:attempt_flag", args=[attempt.pk, 1]), {"flagged": "1"})
    assert not attempt.items.filter(flagged=True).exists()


def test_the_finish_page_sends_back_to_open_questions_first(alice_client, quiz):
    attempt = start(alice_client, quiz)
    item = attempt.items.get(position=1)
    alice_client.post(item.get_absolute_url(), key_post(item))
    html = alice_client.get(reverse("learning:attempt_finish", args=[attempt.pk])).content.decode()
    back = html.index("Back to the questions")
    assert 'class="btn btn-primary btn-lg" href="' + question_url(attempt, 2) in html[back - 200 :]
    assert "5 questions are not answered yet" in html
    assert "btn-outline-danger" not in html


def test_question_pages_have_no_red_finish_button(alice_client, quiz):
    attempt = start(alice_client, quiz)
    html = alice_client.get(question_url(attempt, 1)).content.decode()
    assert "btn-outline-danger" not in html and "btn-danger" not in html


@pytest.mark.parametrize("kind", ["single", "multiple", "ordering", "matching"])
def test_an_empty_answer_gets_one_message_for_the_group(alice_client, quiz, kind):
    attempt = start(alice_client, quiz)
    item = item_of_kind(attempt, kind)
    response = alice_client.post(item.get_absolute_url(), {})
    assert response.status_code == 400
    html = response.content.decode()
    assert html.count('class="answer-error"') == 1
    assert html.count("before saving") == 1
    assert "is-invalid" not in html


def test_options_are_tiles_and_true_false_a_pair(alice_client, quiz):
    attempt = start(alice_client, quiz)
    html = alice_client.get(item_of_kind(attempt, "true_false").get_absolute_url()).content
    assert b'class="tiles tiles-pair"' in html and html.count(b'class="tile"') == 2


def test_a_multiple_response_question_that_costs_marks_says_so(alice_client, quiz):
    attempt = start(alice_client, quiz)
    item = item_of_kind(attempt, "multiple")
    Choice.objects.filter(question=item.question, credit__lte=0).update(credit=-0.5)
    html = alice_client.get(item.get_absolute_url()).content.decode()
    assert "A wrong tick costs marks" in html


def test_feedback_marks_each_line_and_counts_in_words(alice_client, quiz):
    attempt = start(alice_client, quiz)
    item = item_of_kind(attempt, "matching")
    post = key_post(item)
    post["item_0"], post["item_1"] = post["item_1"], post["item_0"]
    html = alice_client.post(item.get_absolute_url(), post, follow=True).content.decode()
    count = item.question.choices.count()
    assert f"{count - 2} of {count} pairs matched" in html
    assert html.count('class="is-wrong"') == 2 and html.count('class="is-right"') == count - 2
    assert "credit" not in html.lower().replace("credits", "")
    # The verdict and the way on come before the explanation.
    assert html.index("Review and finish") < html.index("EXPLAINED-matching")
    assert "Show the paragraph it comes from" in html
