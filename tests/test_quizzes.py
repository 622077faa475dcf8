"""The quiz pages: list, quiz, question pages, finishing, result and history."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from learning import services
from learning.formatting import percent
from learning.models import Attempt, AttemptItem, Choice, Quiz


def start(client, quiz) -> Attempt:
    response = client.post(reverse("learning:quiz_start", args=[quiz.slug]))
    assert response.status_code == 302
    return Attempt.objects.latest("id")


def question_url(attempt, position) -> str:
    return reverse("learning:attempt_question", args=[attempt.pk, position])


def page_choices(html: str) -> list[str]:
    """The option texts in the order the page shows them."""
    return re.findall(
        r'id="id_answer_\d+"[^>]*>\s*<span class="tile-text"[^>]*>(.*?)</span>', html, re.S
    )


def key_post(item: AttemptItem, short: bool = False) -> dict:
    """The form data that answers an item right, as a student would fill it in."""
    choices = {c.id: c for c in Choice.objects.filter(question=item.question)}
    shown = [choices[i] for i in item.choice_order]
    kind = item.question.kind
    if kind in ("single", "true_false"):
        return {"answer": str(next(i for i, c in enumerate(shown) if c.credit == 1))}
    if kind == "multiple":
        return {"answer": [str(i) for i, c in enumerate(shown) if c.credit > 0]}
    if kind == "short":
        best = max(shown or choices.values(), key=lambda c: c.credit)
        return {"answer": f"  {best.text.upper()}. " if short else "  sergei LAVROV "}
    if kind == "ordering":
        return {f"item_{i}": str(c.position) for i, c in enumerate(shown)}
    options = [choices[i].match for i in item.option_order]
    return {f"item_{i}": str(options.index(c.match)) for i, c in enumerate(shown)}


def test_the_home_page_explains_the_site_and_lists_open_quizzes(client, quiz):
    Quiz.objects.create(title="Hidden draft", slug="draft", published=False)
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "SCO foreign ministers" in html
    assert quiz.title in html and "Hidden draft" not in html
    assert reverse("learning:signup") in html and reverse("login") in html


def test_the_quiz_page_shows_size_limit_and_attempts(alice_client, timed_quiz):
    response = alice_client.get(timed_quiz.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "20 min" in html
    assert "0 / 2" in html  # attempts used of allowed
    assert "Start the quiz" in html


def test_a_visitor_must_log_in_to_start(client, quiz):
    response = client.post(reverse("learning:quiz_start", args=[quiz.slug]))
    assert response.status_code == 302 and reverse("login") in response.url
    assert not Attempt.objects.exists()


def test_starting_is_post_only(alice_client, quiz):
    response = alice_client.get(reverse("learning:quiz_start", args=[quiz.slug]))
    assert response.status_code == 405


def test_starting_freezes_questions_and_choice_order(alice_client, quiz):
    attempt = start(alice_client, quiz)
    items = list(attempt.items.all())
    assert len(items) == 6
    assert [item.position for item in items] == [1, 2, 3, 4, 5, 6]
    single = next(i for i in items if i.question.kind == "single")
    shown = page_choices(alice_client.get(single.get_absolute_url()).content.decode())
    by_id = dict(Choice.objects.values_list("id", "text"))
    assert shown == [by_id[i] for i in single.choice_order]
    # Reloading shows the same order: it was frozen at the start.
    again = page_choices(alice_client.get(single.get_absolute_url()).content.decode())
    assert again == shown


def test_a_draw_of_n_takes_n_questions_and_meets_every_kind(
    alice_client, six_kinds, make_question, make_quiz
):
    for n in range(4):
        make_question("single", prompt=f"Extra {n}?")
    quiz = make_quiz(question_count=6, slug="draw")
    attempt = start(alice_client, quiz)
    kinds = {item.question.kind for item in attempt.items.select_related("question")}
    assert attempt.items.count() == 6
    assert len(kinds) == 6


def test_an_unfinished_attempt_is_resumed_not_restarted(alice_client, quiz):
    first = start(alice_client, quiz)
    second = start(alice_client, quiz)
    assert first == second
    assert Attempt.objects.count() == 1


def test_the_question_page_shows_progress_and_navigation(alice_client, quiz):
    attempt = start(alice_client, quiz)
    response = alice_client.get(question_url(attempt, 3))
    html = response.content.decode()
    assert "Question 3 of 6" in html
    assert '<progress class="w-100" max="6" value="0"' in html
    assert f'rel="prev" href="{question_url(attempt, 2)}">← Previous' in html
    assert f'href="{question_url(attempt, 4)}">Skip for now' in html
    first_page, last_page = (alice_client.get(question_url(attempt, n)).text for n in (1, 6))
    assert 'rel="prev"' not in first_page and "Skip for now" in first_page
    assert f'rel="prev" href="{question_url(attempt, 5)}"' in last_page
    assert "Skip for now" not in last_page
    first = attempt.items.get(position=1)
    alice_client.post(first.get_absolute_url(), key_post(first))
    html = alice_client.get(question_url(attempt, 3)).content.decode()
    assert '<progress class="w-100" max="6" value="1"' in html
    assert "1 answered of 6" in html


def test_every_kind_renders_a_form_that_works_without_javascript(alice_client, quiz):
    attempt = start(alice_client, quiz)
    widgets = {
        "single": 'type="radio"',
        "true_false": 'type="radio"',
        "multiple": 'type="checkbox"',
        "short": 'type="text"',
        "ordering": "<select",
        "matching": "<select",
    }
    for item in attempt.items.select_related("question"):
        html = alice_client.get(item.get_absolute_url()).content.decode()
        assert widgets[item.question.kind] in html, item.question.kind
        assert 'name="csrfmiddlewaretoken"' in html
        response = alice_client.post(item.get_absolute_url(), key_post(item))
        assert response.status_code == 302
        item.refresh_from_db()
        assert item.credit == 1, item.question.kind


def test_no_page_reveals_the_key_before_the_answer_is_stored(alice_client, quiz):
    attempt = start(alice_client, quiz)
    secrets = ["EXPLAINED-", "credit", "Paragraph 1 of", "Correct answer", "Accepted answers"]
    for item in attempt.items.select_related("question"):
        html = alice_client.get(item.get_absolute_url()).content.decode()
        for secret in secrets:
            assert secret not in html, (item.question.kind, secret)
        if item.question.kind == "short":
            assert "Lavrov" not in html
        if item.question.kind in ("ordering", "matching"):
            # Options are named by their place on the page, never by id or position.
            for choice in item.question.choices.all():
                assert f'value="{choice.id}"' not in html


def test_immediate_feedback_shows_key_explanation_and_passage_after_answering(alice_client, quiz):
    attempt = start(alice_client, quiz)
    item = attempt.items.get(question__kind="single")
    wrong = next(
        i for i, cid in enumerate(item.choice_order) if Choice.objects.get(id=cid).credit == 0
    )
    response = alice_client.post(item.get_absolute_url(), {"answer": str(wrong)}, follow=True)
    html = response.content.decode()
    assert "Incorrect" in html
    assert "Correct answer" in html and "Sergei Lavrov" in html
    assert "EXPLAINED-single" in html
    assert "Paragraph 1 of" in html and "chaired by Foreign Minister" in html


def test_deferred_feedback_hides_everything_until_the_review(alice_client, timed_quiz):
    attempt = start(alice_client, timed_quiz)
    item = attempt.items.first()
    response = alice_client.post(item.get_absolute_url(), key_post(item), follow=True)
    assert response.redirect_chain[-1][0] != item.get_absolute_url()
    html = alice_client.get(item.get_absolute_url()).content.decode()
    assert "Your answer is saved" in html
    assert "EXPLAINED-" not in html and "Correct" not in html


def test_an_empty_answer_gets_a_clear_message_and_a_400(alice_client, quiz):
    attempt = start(alice_client, quiz)
    for item in attempt.items.select_related("question"):
        response = alice_client.post(item.get_absolute_url(), {})
        assert response.status_code == 400
        assert (
            "before saving" in response.content.decode()
            or "Give this item" in (response.content.decode())
            or "Choose a partner" in response.content.decode()
        )
    assert not AttemptItem.objects.filter(answered_at__isnull=False).exists()


@pytest.mark.parametrize(
    "data",
    [{"answer": "99"}, {"answer": "x"}, {"item_0": "9", "item_1": "-1", "item_2": "a"}],
)
def test_tampered_answers_are_refused_with_a_400(alice_client, quiz, data):
    attempt = start(alice_client, quiz)
    # Any text is a fair short answer, so that kind is left out here.
    for item in attempt.items.exclude(question__kind="short"):
        response = alice_client.post(item.get_absolute_url(), data)
        assert response.status_code == 400
    assert not AttemptItem.objects.filter(answered_at__isnull=False).exists()


def test_ordering_refuses_two_items_in_one_place(alice_client, quiz):
    attempt = start(alice_client, quiz)
    item = attempt.items.get(question__kind="ordering")
    data = {"item_0": "1", "item_1": "1", "item_2": "2", "item_3": "3"}
    response = alice_client.post(item.get_absolute_url(), data)
    assert response.status_code == 400
    assert "different position" in response.content.decode()


def test_matching_refuses_one_partner_for_two_items_and_stores_nothing(alice_client, quiz):
    attempt = start(alice_client, quiz)
    item = attempt.items.get(question__kind="matching")
    assert "Use each partner once." in alice_client.get(item.get_absolute_url()).content.decode()
    right = key_post(item)
    # Two items share the first item's partner; the third keeps its own.
    data = {**right, "item_1": right["item_0"]}
    response = alice_client.post(item.get_absolute_url(), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Use each partner once:" in html and "is chosen for more than one item" in html
    item.refresh_from_db()
    assert item.answered_at is None and item.credit is None and not item.response
    # The page comes back with the student's choices, to correct one of them.
    assert html.split("<footer")[0].count("selected>") == 3  # not the language switcher


def test_an_answer_is_stored_once_and_a_resubmit_says_so(alice_client, quiz):
    attempt = start(alice_client, quiz)
    item = attempt.items.get(question__kind="single")
    right = key_post(item)
    wrong = {"answer": str((int(right["answer"]) + 1) % 3)}
    alice_client.post(item.get_absolute_url(), right)
    response = alice_client.post(item.get_absolute_url(), wrong, follow=True)
    assert "already answered" in response.content.decode()
    item.refresh_from_db()
    assert item.credit == 1


def test_the_service_refuses_a_raced_second_answer(alice, quiz):
    attempt = services.attempt_start(user=alice, quiz=quiz)
    item = attempt.items.get(question__kind="true_false")
    stale = AttemptItem.objects.get(pk=item.pk)  # both tabs loaded it unanswered
    services.attempt_answer(item=item, response={"choice": item.choice_order[0]})
    with pytest.raises(services.AlreadyAnswered):
        services.attempt_answer(item=stale, response={"choice": item.choice_order[1]})
    stale.refresh_from_db()
    assert stale.credit == 1


def test_another_students_attempt_and_items_answer_404(client, alice, bob, quiz):
    attempt = services.attempt_start(user=alice, quiz=quiz)
    client.force_login(bob)
    for url in [
        reverse("learning:attempt_resume", args=[attempt.pk]),
        question_url(attempt, 1),
        reverse("learning:attempt_finish", args=[attempt.pk]),
        reverse("learning:attempt_result", args=[attempt.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(question_url(attempt, 1), {"answer": "0"}).status_code == 404
    assert client.post(reverse("learning:attempt_finish", args=[attempt.pk])).status_code == 404
    assert not attempt.items.filter(answered_at__isnull=False).exists()


def test_a_position_outside_the_attempt_answers_404(alice_client, quiz):
    attempt = start(alice_client, quiz)
    assert alice_client.get(question_url(attempt, 7)).status_code == 404


def test_finishing_asks_first_and_counts_the_unanswered(alice_client, quiz):
    attempt = start(alice_client, quiz)
    item = attempt.items.get(position=1)
    alice_client.post(item.get_absolute_url(), key_post(item))
    response = alice_client.get(reverse("learning:attempt_finish", args=[attempt.pk]))
    assert "5 questions are not answered yet" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.is_open


def test_the_result_shows_score_pass_time_and_a_full_review(alice_client, quiz):
    attempt = start(alice_client, quiz)
    for item in attempt.items.select_related("question").order_by("position")[:5]:
        alice_client.post(item.get_absolute_url(), key_post(item))
    response = alice_client.post(reverse("learning:attempt_finish", args=[attempt.pk]), follow=True)
    html = response.content.decode()
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.FINISHED
    assert attempt.score == 5 and attempt.max_score == 6
    assert "5 / 6" in html and "83.3%" in html and "Passed (pass mark 50%)" in html
    assert "Time taken" in html
    assert html.count("Paragraph 1 of") == 1  # only the mistake is shown at first
    html = alice_client.get(reverse("learning:attempt_result", args=[attempt.pk]) + "?all=1")
    html = html.content.decode()
    assert html.count("Paragraph 1 of") == 6
    assert "Not answered" in html
    for kind in ("single", "multiple", "short", "ordering", "matching", "true_false"):
        assert f"EXPLAINED-{kind}" in html


def test_a_finished_attempt_never_changes(alice_client, quiz):
    attempt = start(alice_client, quiz)
    alice_client.post(reverse("learning:attempt_finish", args=[attempt.pk]))
    item = attempt.items.get(position=1)
    response = alice_client.post(item.get_absolute_url(), key_post(item))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.answered_at is None
    with pytest.raises(services.AttemptClosed):
        services.attempt_answer(item=item, response={})
    attempt.refresh_from_db()
    assert attempt.score == 0


def test_after_the_deadline_answers_are_refused_and_the_attempt_times_out(alice, timed_quiz):
    started = timezone.now() - dt.timedelta(minutes=30)
    attempt = services.attempt_start(user=alice, quiz=timed_quiz, now=started)
    item = attempt.items.get(position=1)
    with pytest.raises(services.DeadlinePassed):
        services.attempt_answer(item=item, response={"choice": 1})
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.TIMED_OUT
    assert attempt.finished_at == attempt.deadline
    assert attempt.score == 0


def test_the_question_page_after_the_deadline_closes_the_attempt(client, alice, timed_quiz):
    started = timezone.now() - dt.timedelta(minutes=21)
    attempt = services.attempt_start(user=alice, quiz=timed_quiz, now=started)
    client.force_login(alice)
    response = client.post(question_url(attempt, 1), {"answer": "0"}, follow=True)
    assert "Time is up" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.TIMED_OUT
    assert not attempt.items.filter(answered_at__isnull=False).exists()


def test_a_timed_quiz_shows_the_time_left_from_the_server(alice_client, timed_quiz):
    attempt = start(alice_client, timed_quiz)
    html = alice_client.get(question_url(attempt, 1)).content.decode()
    assert re.search(r'data-countdown="(1[12]\d\d|1200)"', html)
    # Rounded up: a fresh 20-minute attempt shows 20:00 for its first second.
    assert "Time left" in html and re.search(r">(20:00|19:5\d)</time>", html)


def test_the_attempts_limit_is_enforced_on_the_server(alice_client, timed_quiz):
    for _ in range(2):
        attempt = start(alice_client, timed_quiz)
        alice_client.post(reverse("learning:attempt_finish", args=[attempt.pk]))
    response = alice_client.post(reverse("learning:quiz_start", args=[timed_quiz.slug]))
    assert response.status_code == 403
    assert "used all your attempts" in response.content.decode()
    assert Attempt.objects.count() == 2


def test_my_attempts_lists_scores_and_a_resume_link(alice_client, quiz, timed_quiz):
    done = start(alice_client, quiz)
    alice_client.post(reverse("learning:attempt_finish", args=[done.pk]))
    open_ = start(alice_client, timed_quiz)
    html = alice_client.get(reverse("learning:attempt_list")).content.decode()
    assert "0%" in html and "Resume" in html
    assert reverse("learning:attempt_resume", args=[open_.pk]) in html


def test_resume_goes_to_the_first_unanswered_question(alice_client, quiz):
    attempt = start(alice_client, quiz)
    item = attempt.items.get(position=1)
    alice_client.post(item.get_absolute_url(), key_post(item))
    response = alice_client.get(reverse("learning:attempt_resume", args=[attempt.pk]))
    assert response.url == question_url(attempt, 2)


def test_start_and_the_last_answer_lead_straight_to_the_next_page(
    alice_client, make_quiz, make_question
):
    """One redirect, not two through the resume view: a class presses Start together."""
    quiz = make_quiz(feedback_timing="deferred", shuffle_questions=False)
    for n in range(2):
        make_question("true_false", f"Statement {n}?")
    response = alice_client.post(reverse("learning:quiz_start", args=[quiz.slug]))
    attempt = Attempt.objects.get(user__username="alice")
    assert response["Location"] == question_url(attempt, 1)
    # Skip the first, answer the second: the first is what is left.
    response = alice_client.post(question_url(attempt, 2), {"answer": "0"})
    assert response["Location"] == question_url(attempt, 1)
    response = alice_client.post(question_url(attempt, 1), {"answer": "0"})
    assert response["Location"] == reverse("learning:attempt_finish", args=[attempt.pk])
    # Pressing Start again resumes the open attempt where it stands.
    response = alice_client.post(reverse("learning:quiz_start", args=[quiz.slug]))
    assert response["Location"] == reverse("learning:attempt_finish", args=[attempt.pk])


def test_a_score_reads_the_same_on_every_page_that_shows_it(alice_client, alice, tess, quiz):
    """2.8 of 6 is 46.67 %: never "47%" on one page and "46.7%" on another."""
    classroom = services.classroom_create(teacher=tess, name="Year 9")
    services.classroom_join(student=alice, code=classroom.join_code)
    services.assignment_set(
        classroom=classroom, quiz=quiz, due_at=timezone.now() + dt.timedelta(days=1)
    )
    attempt = start(alice_client, quiz)
    for item, credit in zip(attempt.items.order_by("position"), [1, 1, 0.8], strict=False):
        AttemptItem.objects.filter(pk=item.pk).update(
            response={}, credit=credit, answered_at=timezone.now()
        )
    alice_client.post(reverse("learning:attempt_finish", args=[attempt.pk]))

    def shown(url: str, pattern: str, client=alice_client) -> str:
        return re.search(pattern, client.get(url).content.decode(), re.S)[1].strip()

    best = r"Best score</dt><dd>(.*?)</dd>"
    assert shown(reverse("learning:quiz_list"), best) == "46.7%"
    assert shown("/", best) == "46.7%"
    assert shown(quiz.get_absolute_url(), best) == "46.7%"
    result = reverse("learning:attempt_result", args=[attempt.pk])
    assert shown(result, r'class="result-percent">(.*?)</span>') == "46.7%"
    assert shown(reverse("learning:attempt_list"), r"</td>\s*<td>([^<]*%)</td>") == "46.7%"
    assert shown("/", r"One score so far: ([\d.]+%)") == "46.7%"
    alice_client.force_login(tess)
    gradebook = reverse("learning:classroom_gradebook", args=[classroom.pk])
    row = r'<th scope="row"><a [^>]*>alice</a></th>\s*<td><a [^>]*>(.*?)</a></td>'
    assert shown(gradebook, row) == "46.7%"


def test_a_score_is_written_the_way_the_language_writes_numbers():
    assert percent(140 / 3) == "46.7%" and percent(50) == "50%" and percent(None) == ""
    with translation.override("fr"):
        assert percent(140 / 3) == "46,7\u202f%"  # the catalog puts a narrow space before the sign
