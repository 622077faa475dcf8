"""Flashcards: which card comes next, and rating one."""

from dataclasses import asdict
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .. import scheduling
from ..models import CardState, Question, Review, StudyScope, StudySettings
from .errors import StaleCard


def card_next(
    *,
    user: AbstractBaseUser,
    scope: StudyScope | None = None,
    now: datetime | None = None,
) -> CardState | None:
    """The next card to study within the scope.

    Due cards come first, the most overdue first, within the daily review
    limit; then new cards in bank order within the daily new limit. A new card
    gets its row when it is first shown."""
    now = now or timezone.now()
    scope = scope or StudyScope()
    if scope.attempt is not None:
        return _missed_card_next(user, scope)
    limits = StudySettings.for_user(user)
    done = Review.objects.done_today(user, now)
    in_scope = scope.where("question__")
    if done["reviews"] < limits.reviews_per_day:
        card = CardState.objects.due_for(user, now).filter(in_scope).first()
        if card is not None:
            return card
    if done["new"] >= limits.new_per_day:
        return None
    shown = CardState.objects.for_student(user).filter(in_scope, state=CardState.State.NEW)
    card = shown.order_by("id").first()
    if card is not None:
        return card
    pool = Question.objects.published().filter(scope.where()).exclude(cards__user=user)
    question = pool.order_by("bank__position", "bank_id", "id").first()
    if question is None:
        return None
    return CardState.objects.get_or_create(user=user, question=question, defaults={"due": now})[0]


def _missed_card_next(user: AbstractBaseUser, scope: StudyScope) -> CardState | None:
    """ "Study the N you missed": exactly the cards of the questions the attempt
    missed, each once, due or not (Anki's filtered deck), and no daily limit:
    the student chose this session. Finishing made every one of them a card."""
    cards = CardState.objects.for_student(user).filter(scope.where("question__"))
    since = scope.attempt.finished_at
    waiting = cards.filter(Q(last_review__isnull=True) | Q(last_review__lt=since))
    return waiting.order_by("due", "id").first()


def card_review(
    *,
    card: CardState,
    rating: int,
    version: int,
    now: datetime | None = None,
    duration_ms: int | None = None,
) -> CardState:
    """Apply one rating. The update is conditional on the version the form
    carried, so a rating posted twice stores one review."""
    now = now or timezone.now()
    # Read before the transaction: on SQLite it holds the write lock.
    retention = StudySettings.for_user_id(card.user_id).desired_retention
    before = card.memory
    after = asdict(scheduling.review(before, rating, now, retention))
    with transaction.atomic():
        changed = CardState.objects.filter(pk=card.pk, version=version).update(
            **after, version=F("version") + 1
        )
        if not changed:
            raise StaleCard
        Review.objects.create(
            card=card,
            user_id=card.user_id,
            rating=rating,
            reviewed_at=now,
            duration_ms=duration_ms,
            state_before=before.state,
            step_before=before.step,
            stability_before=before.stability,
            difficulty_before=before.difficulty,
            due_before=before.due,
            last_review_before=before.last_review,
        )
    # What the update stored, without reading it back.
    for field, value in after.items():
        setattr(card, field, value)
    card.version = version + 1
    return card


@transaction.atomic
def card_undo(*, user: AbstractBaseUser, now: datetime | None = None) -> CardState | None:
    """Undo the student's last rating within the hour (Anki's undo): the card
    takes back its state before it and the review is deleted. None if there is
    nothing to undo."""
    now = now or timezone.now()
    last = (
        Review.objects.select_for_update()
        .undoable(user, now)
        .order_by("-reviewed_at", "-id")
        .first()
    )
    if last is None:
        return None
    before = last.memory_before
    CardState.objects.filter(pk=last.card_id).update(
        state=before.state,
        step=before.step,
        stability=before.stability,
        difficulty=before.difficulty,
        due=before.due,
        last_review=before.last_review,
        version=F("version") + 1,
    )
    last.delete()
    return CardState.objects.get(pk=last.card_id)
