"""Flashcards: the study loop on an FSRS schedule, limits, mistakes and statistics."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from learning import scheduling, services
from learning.models import Bank, CardState, Passage, Question, Review, StudyScope, StudySettings

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def rate(client, card, rating, version=None, query=""):
    url = reverse("learning:card_review", args=[card.pk]) + (f"?{query}" if query else "")
    data = {"rating": rating, "version": card.version if version is None else version}
    return client.post(url, data)


def buttons(html: str) -> dict[str, str]:
    found = re.findall(
        r'value="(\d)" data-key="\d".*?<span class="d-block small">(.*?)</span>', html, re.S
    )
    return dict(found)


def in_review(user, question, due) -> CardState:
    """A card in FSRS's review state, last seen three days before it is due."""
    return CardState(
        user=user,
        question=question,
        state=CardState.State.REVIEW,
        stability=3.0,
        difficulty=5.0,
        due=due,
        last_review=due - dt.timedelta(days=3),
    )


@pytest.fixture
def deck(six_kinds, bank):
    return bank


def test_the_decks_page_counts_new_learning_and_due(alice_client, alice, deck, six_kinds):
    single = six_kinds["single"]
    in_review(alice, single, timezone.now()).save()
    html = alice_client.get(reverse("learning:card_decks")).content.decode()
    row = re.search(r"The conference</label>(.*?)</li>", html, re.S).group(1)
    assert re.findall(r"(\d+) (new|being learnt|due now)", row) == [
        ("5", "new"),
        ("0", "being learnt"),
        ("1", "due now"),
    ]


def test_studying_shows_the_front_then_the_back_without_javascript(alice_client, deck):
    response = alice_client.get(reverse("learning:card_study"))
    card = CardState.objects.get()
    assert response.url == card.get_absolute_url()
    front = alice_client.get(response.url).content.decode()
    assert card.question.prompt in front
    assert "EXPLAINED-" not in front and "Again" not in front
    assert "show=1" in front
    back = alice_client.get(response.url + "?show=1").content.decode()
    assert "EXPLAINED-" in back and "Paragraph 1 of" in back
    assert set(buttons(back)) == {"1", "2", "3", "4"}


def test_the_back_quotes_every_paragraph_the_question_cites(alice_client, alice, deck, passage):
    card = services.card_next(user=alice)
    other = Passage.objects.create(source=passage.source, number=2, text="OTHER-PARAGRAPH.")
    card.question.also_cites.add(other)
    front = alice_client.get(card.get_absolute_url()).content.decode()
    assert "OTHER-PARAGRAPH" not in front and passage.text not in front
    back = alice_client.get(card.get_absolute_url() + "?show=1").content.decode()
    assert "OTHER-PARAGRAPH" in back and passage.text in back

    def back_queries() -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            html = alice_client.get(card.get_absolute_url() + "?show=1").content.decode()
        return [query["sql"] for query in queries], html

    # The back is the same for every student: drawn once, then kept.
    kept, html = back_queries()
    assert "OTHER-PARAGRAPH" in html
    # A paragraph cited more is a change of content: the back is drawn again, its
    # paragraphs and their sources in one query, however many.
    card.question.also_cites.add(
        Passage.objects.create(source=passage.source, number=3, text="THIRD-PARAGRAPH.")
    )
    drawn, html = back_queries()
    assert "THIRD-PARAGRAPH" in html and "OTHER-PARAGRAPH" in html
    # Four queries more, under the new content version: the question as the process
    # keeps it (the question, its paragraphs, its choices) and the published
    # questions counted again.
    assert len(drawn) == len(kept) + 4
    card.question.also_cites.add(
        Passage.objects.create(source=passage.source, number=4, text="FOURTH-PARAGRAPH.")
    )
    assert len(back_queries()[0]) == len(drawn)
    # A paragraph's text edited (in the admin) shows on the next back.
    other.text = "OTHER-PARAGRAPH, CORRECTED."
    other.save()
    assert "OTHER-PARAGRAPH, CORRECTED." in back_queries()[1]
    passage.source.title = "A RENAMED STATEMENT"
    passage.source.save()
    assert "A RENAMED STATEMENT" in back_queries()[1]


def test_new_cards_come_in_bank_order_and_due_cards_come_first(alice, deck, six_kinds):
    first = services.card_next(user=alice, now=NOW)
    assert first.question == Question.objects.order_by("id").first()
    overdue = in_review(alice, six_kinds["matching"], NOW - dt.timedelta(days=2))
    later = in_review(alice, six_kinds["ordering"], NOW - dt.timedelta(hours=1))
    CardState.objects.bulk_create([overdue, later])
    assert services.card_next(user=alice, now=NOW) == overdue
    overdue.due = NOW + dt.timedelta(days=1)
    overdue.save()
    assert services.card_next(user=alice, now=NOW) == later


def test_the_daily_new_card_limit_holds(alice, deck):
    StudySettings.objects.create(user=alice, new_per_day=2)
    for _ in range(2):
        card = services.card_next(user=alice, now=NOW)
        services.card_review(card=card, rating=3, version=card.version, now=NOW)
    assert services.card_next(user=alice, now=NOW) is None
    tomorrow = NOW + dt.timedelta(days=1)
    assert services.card_next(user=alice, now=tomorrow) is not None


def test_the_daily_review_limit_holds(alice, deck, six_kinds):
    StudySettings.objects.create(user=alice, new_per_day=0, reviews_per_day=1)
    CardState.objects.bulk_create(in_review(alice, q, NOW) for q in list(six_kinds.values())[:2])
    card = services.card_next(user=alice, now=NOW)
    services.card_review(card=card, rating=3, version=card.version, now=NOW)
    assert services.card_next(user=alice, now=NOW) is None


def test_only_the_chosen_decks_are_studied(alice, deck, make_question):
    other = Bank.objects.create(name="Outcomes", slug="outcomes", position=9)
    make_question("single", prompt="An outcome?", bank=other)
    card = services.card_next(user=alice, scope=StudyScope(banks=(other,)), now=NOW)
    assert card.question.bank == other


def test_the_interval_a_button_shows_is_the_interval_it_applies(alice, deck):
    StudySettings.objects.create(user=alice, desired_retention=0.85)
    card = services.card_next(user=alice, now=NOW)
    moment = NOW
    for rating in (3, 3, 4, 2, 1, 3):
        shown = scheduling.previews(card.memory, moment, 0.85)[rating]
        card = services.card_review(card=card, rating=rating, version=card.version, now=moment)
        assert card.due - moment == shown
        moment = card.due


def test_button_labels_on_the_page_match_the_schedule(alice_client, alice, deck):
    alice_client.get(reverse("learning:card_study"))
    card = CardState.objects.get()
    html = alice_client.get(card.get_absolute_url() + "?show=1").content.decode()
    assert buttons(html) == {"1": "1 min", "2": "6 min", "3": "10 min", "4": "8 d"}
    rate(alice_client, card, 4)
    card.refresh_from_db()
    assert round((card.due - card.last_review).total_seconds() / 86400) == 8


def test_a_schedule_with_a_fixed_now(alice, deck):
    card = services.card_next(user=alice, now=NOW)
    card = services.card_review(card=card, rating=3, version=0, now=NOW)
    assert card.state == CardState.State.LEARNING and card.due == NOW + dt.timedelta(minutes=10)
    card = services.card_review(card=card, rating=3, version=1, now=card.due)
    assert card.state == CardState.State.REVIEW
    assert card.due.date() == dt.date(2026, 3, 4)


def test_every_rating_is_stored_with_the_state_before(alice_client, alice, deck):
    alice_client.get(reverse("learning:card_study"))
    card = CardState.objects.get()
    response = rate(alice_client, card, 3)
    assert response.status_code == 302
    review = Review.objects.get()
    assert (review.rating, review.state_before, review.user) == (3, CardState.State.NEW, alice)
    assert review.stability_before is None and review.due_before == card.due


def test_a_rating_reads_nothing_while_it_writes(alice_client, alice, deck):
    """A class rating cards at once waits on each rating's write lock (SQLite's
    one writer): inside it there is only the card's update and its review."""
    alice_client.get(reverse("learning:card_study"))
    card = CardState.objects.get()
    with CaptureQueriesContext(connection) as captured:
        assert rate(alice_client, card, 3).status_code == 302
    sql = [q["sql"].split()[0].upper() for q in captured.captured_queries]
    opened = next(i for i, word in enumerate(sql) if word in ("BEGIN", "SAVEPOINT"))
    closed = next(i for i, word in enumerate(sql) if word in ("COMMIT", "RELEASE"))
    assert sql[opened + 1 : closed] == ["UPDATE", "INSERT"]
    # Session, user, card and the study settings; nothing read back after.
    assert sql[:opened].count("SELECT") == 4 and "SELECT" not in sql[closed:]


def test_a_rating_posted_twice_stores_one_review(alice_client, alice, deck):
    alice_client.get(reverse("learning:card_study"))
    card = CardState.objects.get()
    rate(alice_client, card, 3)
    response = rate(alice_client, card, 1, version=0)
    assert response.status_code == 302 and response.url == reverse("learning:card_study")
    assert Review.objects.count() == 1
    card.refresh_from_db()
    assert card.version == 1
    page = alice_client.get(response.url, follow=True).content.decode()
    assert "already rated" in page


def test_a_bad_rating_gets_a_clear_400(alice_client, deck):
    alice_client.get(reverse("learning:card_study"))
    card = CardState.objects.get()
    response = rate(alice_client, card, 7)
    assert response.status_code == 400
    assert "Choose one of the four ratings" in response.content.decode()
    assert not Review.objects.exists()


def test_another_students_card_answers_404(client, alice, bob, deck):
    card = services.card_next(user=alice, now=NOW)
    client.force_login(bob)
    assert client.get(card.get_absolute_url()).status_code == 404
    assert rate(client, card, 3).status_code == 404
    assert not Review.objects.exists()


def test_a_students_own_card_is_read_as_the_orm_reads_it(alice, bob, six_kinds):
    card = in_review(alice, six_kinds["single"], timezone.now() - dt.timedelta(hours=1))
    card.save()
    own = CardState.objects.own(user_id=alice.pk, pk=card.pk)
    orm = CardState.objects.get(pk=card.pk)
    fields = [f.attname for f in CardState._meta.concrete_fields]
    assert {f: getattr(own, f) for f in fields} == {f: getattr(orm, f) for f in fields}
    assert own.due.tzinfo is not None and own.memory == orm.memory
    assert CardState.objects.own(user_id=bob.pk, pk=card.pk) is None
    assert CardState.objects.own(user_id=alice.pk, pk=card.pk + 1000) is None


def test_a_question_missed_in_a_quiz_becomes_a_card_due_now(alice, quiz, six_kinds):
    right_one = six_kinds["true_false"]
    in_nine_days = timezone.now() + dt.timedelta(days=9)
    learning = in_review(alice, six_kinds["single"], in_nine_days)
    learning.save()
    attempt = services.attempt_start(user=alice, quiz=quiz)
    item = attempt.items.get(question=right_one)
    services.attempt_answer(item=item, response={"choice": item.choice_order[0]})
    services.attempt_finish(attempt=attempt)
    cards = CardState.objects.filter(user=alice)
    missed = cards.exclude(pk=learning.pk)
    assert missed.count() == 4  # six questions, one right, one already being learned
    assert right_one.pk not in missed.values_list("question", flat=True)
    assert all(card.note == "missed in “Practice”" for card in missed)
    assert all(card.due <= timezone.now() for card in missed)
    learning.refresh_from_db()
    assert learning.due == in_nine_days
    assert services.card_next(user=alice) in missed


def test_the_review_page_costs_the_same_for_10_or_1000_cards_due(
    alice_client, alice, bank, passage
):
    def page_queries(due: int) -> int:
        CardState.objects.all().delete()
        Question.objects.all().delete()
        questions = Question.objects.bulk_create(
            Question(
                ref=f"q{due}-{n}",
                bank=bank,
                passage=passage,
                kind="short",
                prompt=f"Prompt {n}?",
                explanation="Why.",
                published=True,
            )
            for n in range(due)
        )
        CardState.objects.bulk_create(in_review(alice, q, timezone.now()) for q in questions)
        card = CardState.objects.first()
        StudySettings.objects.get_or_create(user=alice)
        counted = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as queries:
                response = alice_client.get(card.get_absolute_url() + "?show=1")
            assert response.status_code == 200
            # What is left of the session, within the daily review limit (200).
            assert f"{min(due, 200)} to review" in response.content.decode()
            counted.append(len(queries))
        with CaptureQueriesContext(connection) as queries:
            assert alice_client.get(card.get_absolute_url()).status_code == 200
        counted.append(len(queries))
        return tuple(counted)

    few, many = page_queries(10), page_queries(1000)
    print(f"queries: card review page {few} (10 due), {many} (1,000 due)")
    # The session and its user; the card; the content's version; the settings;
    # what is left today (2: the ratings since midnight, with those of the last
    # hour for Undo, and the cards). The first view of a content version also
    # reads the question as the process keeps it (3: with its bank and paragraph,
    # the paragraphs it also cites, its choices) and counts the published
    # questions (1), all kept for the next view; the front is as a kept back.
    assert few == many == (11, 7, 7)


def test_when_nothing_is_left_the_student_is_told_when_the_next_card_comes(
    alice_client, alice, deck
):
    StudySettings.objects.create(user=alice, new_per_day=1)
    alice_client.get(reverse("learning:card_study"))
    card = CardState.objects.get()
    rate(alice_client, card, 3)
    response = alice_client.get(reverse("learning:card_study"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Done for now" in html
    assert re.search(r"The next card is due in (9|10)\xa0minutes", html)


def test_the_chosen_decks_stay_chosen_through_the_study_loop(alice_client, deck):
    response = alice_client.get(reverse("learning:card_study") + "?deck=the-conference")
    assert response.url.endswith("?deck=the-conference")
    card = CardState.objects.get()
    response = rate(alice_client, card, 3, query="deck=the-conference")
    assert response.url == reverse("learning:card_study") + "?deck=the-conference"


def test_a_question_the_teacher_unpublishes_leaves_every_card_page_until_published_again(
    alice_client, alice, deck, six_kinds
):
    single = six_kinds["single"]
    card = in_review(alice, single, timezone.now() - dt.timedelta(hours=1))
    card.save()
    Review.objects.create(
        card=card,
        user=alice,
        rating=3,
        reviewed_at=card.last_review,
        state_before=0,
        due_before=card.last_review,
    )
    for question in six_kinds.values():
        if question != single:
            question.published = False
            question.save()
    study = reverse("learning:card_study")
    review = reverse("learning:card_review", args=[card.pk])
    assert alice_client.get(study)["Location"] == review
    Question.objects.filter(pk=single.pk).update(published=False)

    assert alice_client.get(study).status_code == 200  # done for now: no card to send to
    assert alice_client.get(review + "?show=1").status_code == 404
    assert alice_client.get(review + "?passage=1&show=1").status_code == 404
    assert "The conference" not in alice_client.get(reverse("learning:card_decks")).text
    stats = alice_client.get(reverse("learning:card_statistics")).text
    assert "0 cards are due today" in stats
    assert not CardState.objects.due_for(alice, timezone.now()).exists()  # the home page's count

    Question.objects.filter(pk=single.pk).update(published=True)
    assert alice_client.get(study)["Location"] == review
    assert card.reviews.count() == 1  # its history was kept throughout


def test_a_question_published_or_withdrawn_changes_the_new_count_at_the_next_card(
    alice_client, alice, deck, six_kinds
):
    """The deck's published questions are counted once per content version, so a
    teacher's change is in the very next card's count of what is left."""
    card = CardState.objects.create(user=alice, question=six_kinds["single"], due=timezone.now())
    url = card.get_absolute_url()

    def new() -> int:
        html = alice_client.get(url).content.decode()
        return int(re.search(r'class="count-new">(\d+) new<', html).group(1))

    assert new() == 6  # the card's own question and the five without a card
    six_kinds["short"].published = False
    six_kinds["short"].save()
    assert new() == 5
    Question.objects.filter(pk=six_kinds["short"].pk).update(published=True)
    assert new() == 6
