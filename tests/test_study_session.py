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


def test_the_fixed_counts_equal_the_orms_for_every_kind_of_scope(
    alice, bob, make_question, make_quiz, bank, passage
):
    """The card page's counts are a fixed SQL statement (`CardStateQuerySet.counts`):
    they must count what the ORM's own definition counts, for every scope."""
    from django.db.models import Count, Q

    from learning.models import Attempt, AttemptItem, Bank, Passage

    now = timezone.now()
    other_bank = Bank.objects.create(name="Another deck", slug="another-deck")
    third_bank = Bank.objects.create(name="A third deck", slug="a-third-deck")
    other_passage = Passage.objects.create(source=passage.source, number=2, text="Elsewhere.")
    questions = [
        make_question("single", f"Q{n}?", bank=(bank, other_bank, third_bank)[n % 3])
        for n in range(12)
    ]
    for question in questions[6:9]:
        question.passage = other_passage
        question.save()
    hidden = make_question("single", "Unpublished?", published=False)
    State = CardState.State
    states = [State.NEW, State.LEARNING, State.REVIEW, State.RELEARNING]
    hour = dt.timedelta(hours=1)
    for n, question in enumerate([*questions[:10], hidden]):
        CardState.objects.create(
            user=alice,
            question=question,
            state=states[n % 4],
            due=now + (hour if n % 3 == 0 else -hour),
            last_review=None if n % 4 == 0 else now - (n % 5) * hour,
        )
    CardState.objects.create(user=bob, question=questions[0], state=State.LEARNING, due=now - hour)
    attempt = Attempt.objects.create(
        quiz=make_quiz(),
        user=alice,
        number=1,
        state="finished",
        started_at=now - 3 * hour,
        finished_at=now - 2 * hour,
    )
    for position, (question, credit) in enumerate(
        zip(questions[:8], [None, 0, 0.5, 1, 1, 0, None, 0.25], strict=True), start=1
    ):
        AttemptItem.objects.create(
            attempt=attempt, question=question, position=position, credit=credit
        )

    def orm(scope):
        cards = CardState.objects.for_student(alice).filter(scope.where("question__"))
        if scope.attempt is not None:
            since = scope.attempt.finished_at
            cards = cards.filter(Q(last_review__isnull=True) | Q(last_review__lt=since))
        return cards.aggregate(
            all=Count("id"),
            new=Count("id", filter=Q(state=State.NEW)),
            learning=Count(
                "id", filter=Q(state__in=[State.LEARNING, State.RELEARNING], due__lte=now)
            ),
            review=Count("id", filter=Q(state=State.REVIEW, due__lte=now)),
        )

    scopes = [
        StudyScope(),
        StudyScope(banks=(bank,)),
        StudyScope(banks=(bank, other_bank)),
        StudyScope(passage=other_passage),
        StudyScope(banks=(other_bank,), passage=other_passage),
        StudyScope(attempt=attempt),
    ]
    counted = [orm(scope) for scope in scopes]
    for scope, expected in zip(scopes, counted, strict=True):
        assert CardState.objects.counts(alice, scope, now) == expected, scope
    # Each scope narrows what is counted, so the comparison means something.
    assert all(counts["all"] < counted[0]["all"] for counts in counted[1:])
    assert all(counted[0].values())


def test_the_fixed_day_counts_equal_the_orms(alice, bob, six_kinds):
    from django.db.models import Count, Q

    from learning.models.cards import UNDO_WINDOW

    now = timezone.now()
    midnight = start_of_day(now)
    State = CardState.State
    card = card_for(alice, six_kinds["single"])
    moments = [
        midnight - dt.timedelta(minutes=30),
        midnight + dt.timedelta(seconds=1),
        now - UNDO_WINDOW - dt.timedelta(minutes=1),
        now - dt.timedelta(minutes=5),
        now - dt.timedelta(days=2),
    ]
    for n, moment in enumerate(moments * 2):
        Review.objects.create(
            card=card,
            user=(alice, bob)[n % 3 == 2],
            rating=3,
            reviewed_at=moment,
            state_before=(State.NEW, State.REVIEW)[n % 2],
            due_before=moment,
        )
    today = Q(reviewed_at__gte=midnight)
    new = Q(state_before=State.NEW)
    expected = Review.objects.filter(user=alice).aggregate(
        new=Count("id", filter=today & new),
        reviews=Count("id", filter=today & ~new),
        undoable=Count("id", filter=Q(reviewed_at__gte=now - UNDO_WINDOW)),
    )
    assert Review.objects.done_today(alice, now) == expected
    assert expected["new"] and expected["reviews"] and expected["undoable"]
