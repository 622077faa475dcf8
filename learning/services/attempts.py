"""Attempts: drawing and laying out a new attempt, storing answers, finishing.

Every function is keyword-only and takes `now` so that tests can pin the clock.
"""

import random
from collections.abc import Iterator, Sequence
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import scheduling
from ..models import (
    Attempt,
    AttemptItem,
    CardState,
    Choice,
    Grant,
    ProgressStamp,
    Question,
    Quiz,
    QuizStamp,
)
from ..selectors.pools import Drawn, Pool, quiz_pool
from .access import access_check, attempt_deadline
from .errors import AlreadyAnswered, AttemptClosed, AttemptsExhausted, DeadlinePassed, NoQuestions


def draw_questions(quiz: Quiz, rng: random.Random, pool: Pool | None = None) -> list[Drawn]:
    """The questions of a new attempt, in the order they will be shown.

    A random draw of N first takes one question of each kind (in a random order
    of kinds) and fills the rest at random, so a short quiz still meets every
    kind of question its banks hold. A question that shares an exclusion group
    with one already taken is passed over, so no attempt holds two questions
    that give each other away; a quiz of all its questions keeps one of each
    group, at random.
    """
    pool = pool or quiz_pool(quiz)
    count = quiz.question_count
    if (count is None or count >= len(pool.questions)) and not pool.groups:
        chosen = list(pool.questions)
    else:
        total = len(pool.questions) if count is None else count
        chosen = _draw(pool.questions, pool.groups, total, rng)
    if quiz.shuffle_questions:
        rng.shuffle(chosen)
    return chosen


def _random_order(items: Sequence[Drawn], rng: random.Random) -> Iterator[Drawn]:
    """The items in a random order, one at a time: a Fisher-Yates shuffle that
    stops when the caller does, so drawing 30 of 2,000 costs about 30 random
    numbers, not 2,000 (SystemRandom reads the system's entropy for each)."""
    rest = list(items)
    for end in range(len(rest) - 1, -1, -1):
        pick = rng.randint(0, end)
        rest[pick], rest[end] = rest[end], rest[pick]
        yield rest[end]


def _draw(
    pool: Sequence[Drawn], groups: dict[int, frozenset[int]], count: int, rng: random.Random
) -> list[Drawn]:
    """Up to `count` questions of the pool, one of each kind first, never two of
    one exclusion group; in the pool's order."""
    chosen: list[Drawn] = []
    used: set[int] = set()
    none: frozenset[int] = frozenset()

    def fits(question: Drawn) -> bool:
        return not groups.get(question.id, none) & used

    def add(question: Drawn) -> None:
        chosen.append(question)
        used.update(groups.get(question.id, ()))

    by_kind: dict[str, list[Drawn]] = {}
    for question in pool:
        by_kind.setdefault(question.kind, []).append(question)
    kinds = list(by_kind)
    rng.shuffle(kinds)
    for kind in kinds[:count]:
        first = next((q for q in _random_order(by_kind[kind], rng) if fits(q)), None)
        if first is not None:
            add(first)
    taken = {q.id for q in chosen}
    for question in _random_order([q for q in pool if q.id not in taken], rng):
        if len(chosen) >= count:
            break
        if fits(question):
            add(question)
    rank = {q.id: i for i, q in enumerate(pool)}
    return sorted(chosen, key=lambda q: rank[q.id])


def _layout(
    kind: str, choice_ids: Sequence[int], shuffle: bool, rng: random.Random
) -> tuple[list[int], list[int]]:
    """The frozen order of a question's choices (and of a matching question's
    partners), given its choice ids in their stored order."""
    ids = list(choice_ids)
    # True/false keeps "True" before "False"; everything else may be shuffled.
    if shuffle and kind != Question.Kind.TRUE_FALSE:
        rng.shuffle(ids)
    if kind != Question.Kind.MATCHING:
        return ids, []
    options = list(choice_ids)
    rng.shuffle(options)
    return ids, options


def attempt_expire_if_due(*, attempt: Attempt, now: datetime | None = None) -> bool:
    """Close an open attempt whose deadline has passed, as timed out; True if it
    was due. The one place an attempt expires: every page of an attempt, and a
    start, an answer or a finish, call it first.

    Callers run this before their own transaction, so that refusing the request
    afterwards does not roll the expiry back."""
    now = now or timezone.now()
    if not attempt.is_overdue(now):
        return False
    if not _close(attempt, state=Attempt.State.TIMED_OUT, finished_at=attempt.deadline):
        # A racing request closed it first: take its state.
        attempt.refresh_from_db()
    return True


def attempt_start(
    *,
    user: AbstractBaseUser,
    quiz: Quiz,
    now: datetime | None = None,
    rng: random.Random | None = None,
    password: str = "",
) -> Attempt:
    """Resume the student's open attempt at the quiz, or start a new one with a
    frozen list of questions and choice orders, if the quiz is open to them now
    (its window, its access password, their accommodations)."""
    now = now or timezone.now()
    rng = rng or random.SystemRandom()
    current = Attempt.objects.in_progress().filter(user=user, quiz=quiz).first()
    if current and not attempt_expire_if_due(attempt=current, now=now):
        return current
    grant = access_check(quiz=quiz, user=user, now=now, password=password)
    # Draw before the transaction: it reads the whole pool, and on SQLite a
    # transaction holds the write lock from BEGIN, so a class pressing Start
    # together queued behind every draw (bench/README.md, before and after).
    pool = quiz_pool(quiz)
    questions = draw_questions(quiz, rng, pool)
    items = AttemptItem.objects.prepare_new(
        [
            (q.id, position, *_layout(q.kind, pool.choices[q.id], quiz.shuffle_choices, rng))
            for position, q in enumerate(questions, start=1)
        ]
    )
    with transaction.atomic():
        return _attempt_create(
            user=user, quiz=quiz, now=now, questions=questions, items=items, grant=grant
        )


def _attempt_create(
    *,
    user: AbstractBaseUser,
    quiz: Quiz,
    now: datetime,
    questions: list[Drawn],
    items: list[tuple],
    grant: Grant,
) -> Attempt:
    used = Attempt.objects.filter(user=user, quiz=quiz).count()
    allowed = grant.attempts_allowed(quiz.attempts_allowed)
    if allowed is not None and used >= allowed:
        # A request that raced this one (a double click on Start) may have opened
        # the last attempt since the caller looked: land on it. Read after the
        # count, so that under PostgreSQL's read committed it sees what the
        # count saw.
        current = Attempt.objects.in_progress().filter(user=user, quiz=quiz).first()
        if current is not None:
            return current
        raise AttemptsExhausted
    if not questions:
        raise NoQuestions
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                quiz=quiz,
                user=user,
                number=used + 1,
                started_at=now,
                deadline=attempt_deadline(quiz=quiz, grant=grant, now=now),
                max_score=float(sum(q.weight for q in questions)),
            )
    except IntegrityError:
        # Another request started it a moment ago: resume that one.
        return Attempt.objects.in_progress().get(user=user, quiz=quiz)
    AttemptItem.objects.insert_new(attempt.pk, items)
    return attempt


def attempt_answer(
    *,
    item: AttemptItem,
    response: dict,
    now: datetime | None = None,
    choices: Sequence[Choice] | None = None,
) -> AttemptItem:
    """Store and grade the student's one answer to an item.

    The write is a conditional UPDATE (only while unanswered, the attempt open and
    its deadline ahead), so a double click, a back button or two tabs store one
    answer. Only when it stores nothing is the attempt read, to say why (and to
    close it if its deadline has passed). `choices`, all the question's choices,
    saves a query when the caller has them.
    """
    now = now or timezone.now()
    if choices is None:
        choices = Choice.objects.filter(question_id=item.question_id)
    credit = item.question.grade(choices, response)
    stored = AttemptItem.objects.filter(
        pk=item.pk,
        answered_at__isnull=True,
        attempt__in=Attempt.objects.open_at(now).filter(pk=item.attempt_id),
    ).update(response=response, credit=credit, answered_at=now)
    if not stored:
        attempt = Attempt.objects.select_related("quiz").get(pk=item.attempt_id)
        if attempt_expire_if_due(attempt=attempt, now=now):
            raise DeadlinePassed
        if not attempt.is_open:
            raise AttemptClosed
        raise AlreadyAnswered
    item.response, item.credit, item.answered_at = response, credit, now
    return item


@transaction.atomic
def _close(attempt: Attempt, *, state: str, finished_at: datetime) -> bool:
    """Score and close an open attempt; False if it was closed already. A question
    dropped from the quiz counts for nobody: out of the score and the maximum."""
    items = attempt.items.exclude(question__dropped_from=attempt.quiz_id)
    score = (
        items.filter(credit__isnull=False).aggregate(
            total=Sum(F("credit") * F("question__weight"))
        )["total"]
        or 0.0
    )
    fields = {"state": state, "finished_at": finished_at, "score": score}
    if Quiz.dropped_questions.through.objects.filter(quiz_id=attempt.quiz_id).exists():
        fields["max_score"] = float(items.aggregate(total=Sum("question__weight"))["total"] or 0)
    closed = Attempt.objects.filter(pk=attempt.pk, state=Attempt.State.IN_PROGRESS).update(**fields)
    if closed:
        for name, value in fields.items():
            setattr(attempt, name, value)
        _cards_from_mistakes(attempt, finished_at)
        ProgressStamp.objects.bump(attempt.user_id, create=False)
        QuizStamp.objects.bump(attempt.quiz_id, create=False)
    return bool(closed)


def _cards_from_mistakes(attempt: Attempt, now: datetime) -> None:
    """Every question the attempt gave less than full credit becomes a card due
    now, unless the student is already learning it."""
    missed = list(
        attempt.items.exclude(credit__gte=1).values_list("question_id", flat=True).distinct()
    )
    if not missed:
        return
    known = dict(
        CardState.objects.filter(user_id=attempt.user_id, question_id__in=missed).values_list(
            "question_id", "state"
        )
    )
    note = _("missed in “%(quiz)s”") % {"quiz": attempt.quiz.title}
    due = scheduling.missed(now)
    fields = {
        "state": due.state,
        "step": due.step,
        "due": due.due,
        "note": str(note)[:250],
    }
    CardState.objects.bulk_create(
        [
            CardState(user_id=attempt.user_id, question_id=question_id, **fields)
            for question_id in missed
            if question_id not in known
        ],
        ignore_conflicts=True,
    )
    CardState.objects.filter(
        user_id=attempt.user_id, question_id__in=missed, state=CardState.State.NEW
    ).update(**fields, version=F("version") + 1)


def attempt_finish(*, attempt: Attempt, now: datetime | None = None) -> Attempt:
    """Close the attempt and score it. Past the deadline (the page's own submit at
    zero lands within the grace) it closes as timed out, at the deadline."""
    now = now or timezone.now()
    if not attempt_expire_if_due(attempt=attempt, now=now):
        if attempt.is_past_deadline(now):
            _close(attempt, state=Attempt.State.TIMED_OUT, finished_at=attempt.deadline)
        else:
            _close(attempt, state=Attempt.State.FINISHED, finished_at=now)
    attempt.refresh_from_db()
    return attempt


def attempt_flag(*, item: AttemptItem, flagged: bool, now: datetime | None = None) -> None:
    """Set or clear the student's "flag for review" mark on an item of an open attempt."""
    now = now or timezone.now()
    changed = AttemptItem.objects.filter(
        pk=item.pk, attempt__in=Attempt.objects.open_at(now).filter(pk=item.attempt_id)
    ).update(flagged=flagged)
    if not changed:
        raise AttemptClosed
    item.flagged = flagged


def preview_item(*, question: Question) -> AttemptItem:
    """An unsaved item laying the question out as a student would see it, the
    same on every load, so that a preview's form and its answer agree."""
    ids = [c.id for c in question.choices.all()]
    choice_order, option_order = _layout(question.kind, ids, False, random.Random(question.pk))
    return AttemptItem(
        question=question, position=1, choice_order=choice_order, option_order=option_order
    )


def preview_answer(
    *,
    question: Question,
    item: AttemptItem,
    response: dict,
    choices: Sequence[Choice] | None = None,
) -> AttemptItem:
    """Grade a response to an unsaved item, storing nothing: the admin's preview,
    and its "try an answer" box, whose `choices` are the form's, not yet saved."""
    if choices is None:
        choices = list(question.choices.all())
    item.response = response
    item.credit = question.grade(choices, response)
    item.answered_at = timezone.now()
    return item
