"""Every page that lists something costs the same number of queries for 5 rows or 50.

The quiz pages, cards review page, gradebook, home page and admin changelist
have their own such tests beside them; these cover the other lists.
"""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.core import signing
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from learning import services
from learning.models import Attempt, Bank, CardState, Membership, Question, Quiz

SIZES = (5, 50)


def queries(client, url: str) -> int:
    client.get(url)  # a first visit may create the student's study settings
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(captured)


def costs(client, url, grow) -> dict[int, int]:
    """Grow the data to each size in turn and count the page's queries at each."""
    counts = {}
    for size in SIZES:
        grow(size)
        counts[size] = queries(client, url() if callable(url) else url)
    return counts


def test_the_quiz_list_costs_the_same_for_5_or_50_quizzes(alice_client, alice, bank, six_kinds):
    def grow(size):
        for n in range(Quiz.objects.count(), size):
            quiz = Quiz.objects.create(title=f"Quiz {n}", slug=f"quiz-{n}", published=True)
            quiz.banks.add(bank)
            services.attempt_finish(attempt=services.attempt_start(user=alice, quiz=quiz))

    counts = costs(alice_client, reverse("learning:quiz_list"), grow)
    assert counts[5] == counts[50], counts


def test_my_attempts_cost_the_same_for_5_or_50_attempts(alice_client, alice, quiz):
    def grow(size):
        while alice.attempts.count() < size:
            services.attempt_finish(attempt=services.attempt_start(user=alice, quiz=quiz))

    counts = costs(alice_client, reverse("learning:attempt_list"), grow)
    assert counts[5] == counts[50], counts


def test_the_decks_cost_the_same_for_5_or_50_decks(alice_client, alice, make_question):
    def grow(size):
        for n in range(Bank.objects.count(), size):
            deck = Bank.objects.create(name=f"Deck {n}", slug=f"deck-{n}")
            question = make_question("single", bank=deck)
            CardState.objects.create(user=alice, question=question, due=timezone.now(), state=2)

    counts = costs(alice_client, reverse("learning:card_decks"), grow)
    assert counts[5] == counts[50], counts


def test_the_classroom_list_costs_the_same_for_5_or_50_classes(tess_client, tess):
    def grow(size):
        for n in range(tess.classrooms_taught.count(), size):
            services.classroom_create(teacher=tess, name=f"Class {n}")

    counts = costs(tess_client, reverse("learning:classroom_list"), grow)
    assert counts[5] == counts[50], counts


def test_a_classroom_costs_the_same_for_5_or_50_students_and_assignments(
    tess_client, tess, bank, six_kinds
):
    classroom = services.classroom_create(teacher=tess, name="Class")
    now = timezone.now()

    def grow(size):
        for n in range(classroom.memberships.count(), size):
            student = User.objects.create_user(f"student{n}")
            Membership.objects.create(classroom=classroom, student=student, joined_at=now)
            quiz = Quiz.objects.create(title=f"Quiz {n}", slug=f"quiz-{n}", published=True)
            quiz.banks.add(bank)
            services.assignment_set(
                classroom=classroom, quiz=quiz, due_at=now, now=now - dt.timedelta(days=1)
            )

    url = reverse("learning:classroom_detail", args=[classroom.pk])
    counts = costs(tess_client, url, grow)
    assert counts[5] == counts[50], counts


def test_question_statistics_cost_the_same_for_5_or_50_students(tess_client, tess, quiz):
    classroom = services.classroom_create(teacher=tess, name="Class")
    now = timezone.now()

    def grow(size):
        for n in range(classroom.memberships.count(), size):
            student = User.objects.create_user(f"student{n}")
            Membership.objects.create(classroom=classroom, student=student, joined_at=now)
            attempt = services.attempt_start(user=student, quiz=quiz)
            for item in attempt.items.all()[: 1 + n % 3]:
                services.attempt_answer(item=item, response={"choice": item.choice_order[0]})
            services.attempt_finish(attempt=attempt)

    for suffix in ("", "?attempts=all", f"?classroom={classroom.pk}"):
        url = reverse("learning:quiz_statistics", args=[quiz.slug]) + suffix
        counts = costs(tess_client, url, grow)
        assert counts[5] == counts[50], (suffix, counts)


@pytest.mark.parametrize("page", ["learning:card_statistics", "learning:home"])
def test_card_statistics_cost_the_same_for_5_or_50_reviews(
    alice_client, alice, page, bank, make_question
):
    def grow(size):
        for n in range(alice.reviews.count(), size):
            card = CardState.objects.create(
                user=alice,
                question=make_question("single", prompt=f"Card {n}?"),
                due=timezone.now() - dt.timedelta(days=n),
            )
            services.card_review(card=card, rating=3, version=0, now=card.due)

    counts = costs(alice_client, reverse(page), grow)
    assert counts[5] == counts[50], counts


@pytest.fixture
def taught_class(tess, quiz):
    """Tess's class, with a function that grows it to `size` students who each
    finished the assigned quiz, with a comment and an override on the first."""
    classroom = services.classroom_create(teacher=tess, name="Class")
    now = timezone.now()
    services.assignment_set(classroom=classroom, quiz=quiz, due_at=now + dt.timedelta(days=1))

    def grow(size):
        for n in range(classroom.memberships.count(), size):
            student = User.objects.create_user(f"student{n}")
            Membership.objects.create(classroom=classroom, student=student, joined_at=now)
            attempt = services.attempt_start(user=student, quiz=quiz)
            for item in attempt.items.all()[: 1 + n % 3]:
                services.attempt_answer(item=item, response={"choice": item.choice_order[0]})
            attempt = services.attempt_finish(attempt=attempt)
            services.comment_add(attempt=attempt, author=tess, text=f"Note {n}")
            item = attempt.items.first()
            services.comment_add(attempt=attempt, author=tess, text="On one", item=item)
            services.credit_override(item=item, by=tess, credit=0.5)

    return classroom, grow


@pytest.mark.parametrize("page", ["teach_home", "classroom_passages", "classroom_gradebook"])
def test_the_teaching_pages_cost_the_same_for_5_or_50_students(tess_client, taught_class, page):
    classroom, grow = taught_class
    args = [] if page == "teach_home" else [classroom.pk]
    counts = costs(tess_client, reverse(f"learning:{page}", args=args), grow)
    assert counts[5] == counts[50], counts


def test_a_students_page_costs_the_same_whatever_the_class_size(tess_client, taught_class):
    classroom, grow = taught_class

    def url():
        student = classroom.students.order_by("pk").first()
        return reverse("learning:classroom_student", args=[classroom.pk, student.pk])

    counts = costs(tess_client, url, grow)
    assert counts[5] == counts[50], counts


def test_an_attempt_review_costs_the_same_with_5_or_50_comments(tess_client, tess, taught_class):
    _classroom, grow = taught_class
    grow(1)
    attempt = Attempt.objects.get()
    items = list(attempt.items.all())

    def more(size):
        while attempt.comments.count() < size:
            n = attempt.comments.count()
            services.comment_add(
                attempt=attempt, author=tess, text=f"Comment {n}", item=items[n % len(items)]
            )

    url = reverse("learning:teach_attempt", args=[attempt.pk])
    counts = costs(tess_client, url, more)
    assert counts[5] == counts[50], counts
    result = reverse("learning:attempt_result", args=[attempt.pk])
    attempt.user.set_password("x")
    attempt.user.save()
    tess_client.force_login(attempt.user)
    counts = costs(tess_client, result, more)
    assert counts[5] == counts[50], counts


def test_the_slips_cost_the_same_for_5_or_50_students(tess_client, tess):
    classroom = services.classroom_create(teacher=tess, name="Class")
    roster = reverse("learning:classroom_roster", args=[classroom.pk])

    def grow(size):
        have = classroom.memberships.count()
        names = "\n".join(f"Student Number{n}" for n in range(have, size))
        assert tess_client.post(roster, {"names": names}).status_code == 302

    counts = costs(tess_client, reverse("learning:classroom_slips", args=[classroom.pk]), grow)
    assert counts[5] == counts[50], counts
    html = tess_client.get(reverse("learning:classroom_slips", args=[classroom.pk])).content
    assert html.count(b'class="slip"') == 50


def test_a_start_costs_the_same_for_a_pool_of_6_or_24_questions(
    alice_client, alice, bank, make_question, make_quiz
):
    """Pressing Start reads the kept pool, not its questions: the same queries
    whatever the pool's size, once this process has read it (selectors/pools.py)."""
    quiz = make_quiz(slug="sized", question_count=4)
    url = reverse("learning:quiz_start", args=[quiz.slug])

    def start() -> int:
        alice.attempts.update(state="finished")  # each start opens a new attempt
        with CaptureQueriesContext(connection) as captured:
            assert alice_client.post(url).status_code == 302
        return len(captured)

    counts, first = {}, {}
    for size in (6, 24):
        while Question.objects.count() < size:
            make_question("single", prompt=f"Question {Question.objects.count()}?")
        first[size] = start()  # the first start after a change reads the pool once
        counts[size] = start()
    assert counts[6] == counts[24], counts
    assert first[6] == first[24] == counts[6] + 3, (first, counts)


def _live_game(tess, quiz, size_players):
    """A game whose first question every one of `size_players` players answered."""
    from learning.models import Game
    from learning.selectors import live as live_selectors
    from learning.services import live

    game = live.game_create(host=tess, quiz=quiz)
    players = [live.player_join(game=game, nickname=f"P{n}") for n in range(size_players)]
    game.refresh_from_db()
    live.game_control(game=game, action="next", version=game.version)
    current = live_selectors.current_question(game)
    for player in players:
        game = Game.objects.get(pk=game.pk)
        if game.phase != Game.Phase.QUESTION:
            break
        live.answer_submit(
            game=game, player=player, position=1, response={"choice": current.choices[0].id}
        )
    return Game.objects.get(pk=game.pk), players


@pytest.mark.parametrize("phase", ["lobby", "reveal", "finished"])
def test_the_live_projector_costs_the_same_for_5_or_50_players(tess_client, tess, quiz, phase):
    from learning.services import live

    counts = {}
    for size in SIZES:
        game, _players = _live_game(tess, quiz, size) if phase != "lobby" else (None, None)
        if phase == "lobby":
            game = live.game_create(host=tess, quiz=quiz)
            for n in range(size):
                live.player_join(game=game, nickname=f"P{n}")
        elif phase == "finished":
            live.game_control(game=game, action="end", version=game.version)
        counts[size] = queries(tess_client, reverse("learning:live_host", args=[game.pk]))
    assert counts[5] == counts[50], counts


@pytest.mark.parametrize("phase", ["reveal", "finished"])
def test_a_live_phone_costs_the_same_for_5_or_50_players(client, tess, quiz, phase):
    from learning.services import live

    counts = {}
    for size in SIZES:
        game, players = _live_game(tess, quiz, size)
        if phase == "finished":
            live.game_control(game=game, action="end", version=game.version)
        name = f"live_{game.pk}"  # the phone's cookie, signed as the join page signs it
        client.cookies[name] = signing.get_cookie_signer(salt=name + "live").sign(players[0].token)
        counts[size] = queries(client, reverse("learning:live_play", args=[game.pk]))
    assert counts[5] == counts[50], counts


def test_the_live_report_costs_the_same_for_5_or_50_players(tess_client, tess, quiz):
    counts = {}
    for size in SIZES:
        game, _players = _live_game(tess, quiz, size)
        counts[size] = queries(tess_client, reverse("learning:live_report", args=[game.pk]))
    assert counts[5] == counts[50], counts


def test_a_live_phone_s_question_answer_and_result_cost_the_same_for_5_or_50_players(
    client, tess, quiz
):
    """What every phone asks on every question, held to its count: the question (the
    player with the game, the content's version, the row that starts the player's
    time and reading it back; the first phone of the question also reads the
    question with its passage and source, and its choices, which the process then
    keeps for the others) and the answer (the player, the content's version, the
    player's row, the player locked, the answer stored, the player's points, the
    game's count, whether anyone is still to answer; the transaction's savepoint and
    release are counted too), then its result once answers close (the player, the
    content's version, its answer, rank and players; the first phone also the
    question, its choices and the quote's other paragraphs)."""
    from learning.services import live

    counts = {}
    panel = {"X-Live-Panel": "1"}
    for size in SIZES:
        game = live.game_create(host=tess, quiz=quiz)
        players = [live.player_join(game=game, nickname=f"P{n}") for n in range(size)]
        game.refresh_from_db()
        live.game_control(game=game, action="next", version=game.version)
        url = reverse("learning:live_play", args=[game.pk])
        name = f"live_{game.pk}"
        phones = [Client(), Client()]
        for phone, player in zip(phones, players, strict=False):
            phone.cookies[name] = signing.get_cookie_signer(salt=name + "live").sign(player.token)
        questions, results = [], []
        for phone in phones:
            with CaptureQueriesContext(connection) as question:
                assert phone.get(url, headers=panel).status_code == 200
            questions.append(len(question))
        with CaptureQueriesContext(connection) as answer:
            response = phones[0].post(url, {"position": 1, "answer": "0"}, headers=panel)
            assert response.status_code == 200 and b"Answer received" in response.content
        game.refresh_from_db()
        live.game_control(game=game, action="skip", version=game.version)
        for phone in phones:
            with CaptureQueriesContext(connection) as result:
                response = phone.get(url, headers=panel)
                assert response.status_code == 200 and b"The answer" in response.content
            results.append(len(result))
        counts[size] = (*questions, len(answer), *results)
    # (first phone's question, the next phone's, the answer, first result, the next)
    assert counts[5] == counts[50] == (6, 4, 10, 7, 4), counts


def drawn_and_kept(client, url: str) -> tuple[int, int]:
    """The queries of the page drawn afresh (its stamps made by a first view) and
    of the page kept from that view."""
    client.get(url)
    for kept in caches.all():
        kept.clear()
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
    return counts[0], counts[1]


def test_the_home_page_and_gradebook_cost_the_same_for_a_short_or_long_history(
    alice, tess, make_question, make_quiz
):
    """5 or 50 finished attempts and questions (an open attempt and cards besides):
    the same queries drawn, fewer and the same kept (bench/README.md, seventh round)."""
    classroom = services.classroom_create(teacher=tess, name="Class")
    services.classroom_join(student=alice, code=classroom.join_code)
    quiz = make_quiz()
    services.assignment_set(
        classroom=classroom, quiz=quiz, due_at=timezone.now() + dt.timedelta(days=1)
    )
    other = make_quiz(title="Open", slug="open")
    alice_client, tess_client = Client(), Client()
    alice_client.force_login(alice)
    tess_client.force_login(tess)
    gradebook = reverse("learning:classroom_gradebook", args=[classroom.pk])
    counts = {}
    for size in SIZES:
        for n in range(Question.objects.count(), size):
            make_question("single", prompt=f"Question {n}?")
        while Attempt.objects.done().filter(user=alice).count() < size:
            attempt = services.attempt_start(user=alice, quiz=quiz)
            item = attempt.items.first()
            services.attempt_answer(item=item, response={"choice": item.choice_order[0]})
            services.attempt_finish(attempt=attempt)
        if not Attempt.objects.in_progress().exists():
            services.attempt_start(user=alice, quiz=other)
        counts[size] = drawn_and_kept(alice_client, "/"), drawn_and_kept(tess_client, gradebook)
    assert counts[5] == counts[50], counts
    (home_drawn, home_kept), (book_drawn, book_kept) = counts[50]
    assert home_kept < home_drawn and book_kept < book_drawn, counts
