"""The rules that live on a model, each in one place: when a join code has
expired, when an attempt is overdue and how it expires, a choice as grading
takes it, a card's memory as the scheduler takes it."""

import datetime as dt

from django.utils import timezone

from learning import scheduling, services
from learning.interchange import ParsedChoice
from learning.models import Attempt, CardState, Classroom, Review, StudyScope


def test_classroom_code_expired_from_its_expiry_time_on(tess):
    now = timezone.now()
    classroom = services.classroom_create(teacher=tess, name="7B", now=now)
    lifetime = services.JOIN_CODE_LIFETIME
    assert not classroom.code_expired(now + lifetime - dt.timedelta(seconds=1))
    assert classroom.code_expired(now + lifetime)
    assert not Classroom(code_expires_at=None).code_expired(now)


def test_attempt_is_overdue_only_while_open_and_past_its_deadline_and_grace(
    alice, timed_quiz, settings
):
    settings.ANSWER_GRACE = 5
    now = timezone.now()
    attempt = services.attempt_start(user=alice, quiz=timed_quiz, now=now)
    grace_over = attempt.deadline + dt.timedelta(seconds=5)
    assert not attempt.is_overdue(grace_over - dt.timedelta(seconds=1))
    assert attempt.is_overdue(grace_over)
    attempt.state = Attempt.State.FINISHED
    assert not attempt.is_overdue(grace_over)


def test_attempt_expire_if_due_closes_an_overdue_attempt_at_its_deadline_once(alice, timed_quiz):
    now = timezone.now()
    attempt = services.attempt_start(user=alice, quiz=timed_quiz, now=now)
    assert not services.attempt_expire_if_due(attempt=attempt, now=now)
    assert attempt.is_open
    later = attempt.deadline + dt.timedelta(minutes=5)
    assert services.attempt_expire_if_due(attempt=attempt, now=later)
    stored = Attempt.objects.get(pk=attempt.pk)
    assert stored.state == Attempt.State.TIMED_OUT and stored.finished_at == attempt.deadline
    # A second request that still holds the open attempt takes the stored state.
    stale = Attempt.objects.get(pk=attempt.pk)
    stale.state = Attempt.State.IN_PROGRESS
    assert services.attempt_expire_if_due(attempt=stale, now=later)
    assert stale.state == Attempt.State.TIMED_OUT


def test_choice_as_option_carries_every_field_grading_needs(six_kinds):
    choice = six_kinds["matching"].choices.get(text="Chair")
    option = choice.as_option()
    assert (option.id, option.text, option.credit, option.position, option.match) == (
        choice.pk,
        "Chair",
        0,
        None,
        "Sergei Lavrov",
    )
    assert choice.as_option(id=7).id == 7
    parsed = ParsedChoice(text="Lavrov", credit=0.5).as_option(3)
    assert (parsed.id, parsed.text, parsed.credit) == (3, "Lavrov", 0.5)


def test_card_state_memory_and_review_memory_before_agree(alice, six_kinds):
    now = timezone.now()
    card = CardState.objects.create(user=alice, question=six_kinds["single"], due=now)
    before = card.memory
    assert before == scheduling.Memory(
        state=CardState.State.NEW,
        step=None,
        stability=None,
        difficulty=None,
        due=now,
        last_review=None,
    )
    card = services.card_review(card=card, rating=Review.Rating.GOOD, version=0, now=now)
    assert card.reviews.get().memory_before == before
    assert card.memory != before


def test_study_scope_where_keeps_to_its_decks_and_passage(six_kinds, bank, passage):
    questions = six_kinds["single"].__class__.objects
    assert questions.filter(StudyScope().where()).count() == 6
    assert questions.filter(StudyScope(banks=(bank,), passage=passage).where()).count() == 6
    other = passage.source.passages.create(number=2, text="Another paragraph.")
    assert questions.filter(StudyScope(passage=other).where()).count() == 0
