"""Workflows that change several rows, each in one transaction.

Views parse and authorise, then call one of these; the rules live here. Every
function is keyword-only and takes `now` so that tests can pin the clock.
"""

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from django.contrib.auth.models import AbstractBaseUser, Group, User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from . import scheduling, scoring
from .interchange import ImportProblem, ParsedQuestion
from .models import (
    Assignment,
    Attempt,
    AttemptItem,
    Bank,
    CardState,
    Choice,
    Classroom,
    Membership,
    Passage,
    Question,
    Quiz,
    Review,
    StudySettings,
)
from .models.bank import new_question_ref
from .models.classrooms import new_join_code, normalise_join_code
from .roles import TEACHERS
from .validation import choice_problems

# How long a join code works; the teacher makes a new one with a click.
JOIN_CODE_LIFETIME = timedelta(days=14)


class QuizError(Exception):
    """A request the rules refuse; its message is shown to the student as it is."""

    message = _("This can't be done.")

    def __init__(self, message: str | None = None) -> None:
        super().__init__(str(message or self.message))


class AttemptsExhausted(QuizError):
    message = _("You have used all your attempts at this quiz.")


class NoQuestions(QuizError):
    message = _("This quiz has no questions yet.")


class AttemptClosed(QuizError):
    message = _("This attempt is finished; its answers can no longer change.")


class DeadlinePassed(AttemptClosed):
    message = _("Time is up: the attempt was closed at its deadline.")


class AlreadyAnswered(QuizError):
    message = _("This question was already answered; your first answer stands.")


def options_for(choices: Sequence[Choice]) -> list[scoring.Option]:
    return [
        scoring.Option(id=c.id, text=c.text, credit=c.credit, position=c.position, match=c.match)
        for c in choices
    ]


class Drawn(NamedTuple):
    """A question drawn for an attempt: no more of it than starting needs."""

    id: int
    kind: str
    weight: float


def draw_questions(quiz: Quiz, rng: random.Random) -> list[Drawn]:
    """The questions of a new attempt, in the order they will be shown.

    A random draw of N first takes one question of each kind (in a random order
    of kinds) and fills the rest at random, so a short quiz still meets every
    kind of question its banks hold.
    """
    # Plain rows, not model instances: a pool may hold thousands of questions,
    # and a class presses Start together (bench/README.md).
    pool = [
        Drawn(*row)
        for row in quiz.question_pool()
        .order_by("bank__position", "id")
        .values_list("id", "kind", "weight")
    ]
    count = quiz.question_count
    if count is not None and count < len(pool):
        by_kind: dict[str, list[Drawn]] = {}
        for question in pool:
            by_kind.setdefault(question.kind, []).append(question)
        kinds = list(by_kind)
        rng.shuffle(kinds)
        chosen = [rng.choice(by_kind[kind]) for kind in kinds[:count]]
        taken = set(chosen)
        rest = [q for q in pool if q not in taken]
        chosen += rng.sample(rest, count - len(chosen))
        rank = {q.id: i for i, q in enumerate(pool)}
        pool = sorted(chosen, key=lambda q: rank[q.id])
    if quiz.shuffle_questions:
        rng.shuffle(pool)
    return pool


def _layout(
    kind: str, choice_ids: list[int], shuffle: bool, rng: random.Random
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


def _expire_if_due(attempt: Attempt, now: datetime) -> bool:
    """Finish an open attempt whose deadline has passed; True if it was expired.

    Callers run this before their own transaction, so that refusing the request
    afterwards does not roll the expiry back."""
    if attempt.is_open and attempt.is_past_deadline(now):
        _close(attempt, state=Attempt.State.TIMED_OUT, finished_at=attempt.deadline)
        return True
    return False


def attempt_start(
    *,
    user: AbstractBaseUser,
    quiz: Quiz,
    now: datetime | None = None,
    rng: random.Random | None = None,
) -> Attempt:
    """Resume the student's open attempt at the quiz, or start a new one with a
    frozen list of questions and choice orders."""
    now = now or timezone.now()
    rng = rng or random.SystemRandom()
    current = Attempt.objects.in_progress().filter(user=user, quiz=quiz).first()
    if current and not _expire_if_due(current, now):
        return current
    # Draw before the transaction: it reads the whole pool, and on SQLite a
    # transaction holds the write lock from BEGIN, so a class pressing Start
    # together queued behind every draw (bench/README.md, before and after).
    questions = draw_questions(quiz, rng)
    choice_ids: dict[int, list[int]] = {q.id: [] for q in questions}
    for question_id, choice_id in Choice.objects.filter(question_id__in=choice_ids).values_list(
        "question_id", "id"
    ):
        choice_ids[question_id].append(choice_id)
    layouts = [_layout(q.kind, choice_ids[q.id], quiz.shuffle_choices, rng) for q in questions]
    with transaction.atomic():
        return _attempt_create(user=user, quiz=quiz, now=now, questions=questions, layouts=layouts)


def _attempt_create(
    *,
    user: AbstractBaseUser,
    quiz: Quiz,
    now: datetime,
    questions: list[Drawn],
    layouts: list[tuple[list[int], list[int]]],
) -> Attempt:
    used = Attempt.objects.filter(user=user, quiz=quiz).count()
    if quiz.attempts_allowed is not None and used >= quiz.attempts_allowed:
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
                deadline=now + quiz.time_limit if quiz.time_limit else None,
                max_score=float(sum(q.weight for q in questions)),
            )
    except IntegrityError:
        # Another request started it a moment ago: resume that one.
        return Attempt.objects.in_progress().get(user=user, quiz=quiz)
    AttemptItem.objects.bulk_create(
        AttemptItem(
            attempt=attempt,
            question_id=question.id,
            position=position,
            choice_order=choice_order,
            option_order=option_order,
        )
        for position, (question, (choice_order, option_order)) in enumerate(
            zip(questions, layouts, strict=True), start=1
        )
    )
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
    credit = scoring.grade(item.question.kind, options_for(choices), response)
    stored = AttemptItem.objects.filter(
        pk=item.pk,
        answered_at__isnull=True,
        attempt__in=Attempt.objects.open_at(now).filter(pk=item.attempt_id),
    ).update(response=response, credit=credit, answered_at=now)
    if not stored:
        attempt = Attempt.objects.select_related("quiz").get(pk=item.attempt_id)
        if _expire_if_due(attempt, now):
            raise DeadlinePassed
        if not attempt.is_open:
            raise AttemptClosed
        raise AlreadyAnswered
    item.response, item.credit, item.answered_at = response, credit, now
    return item


@transaction.atomic
def _close(attempt: Attempt, *, state: str, finished_at: datetime) -> bool:
    """Score and close an open attempt; False if it was closed already."""
    score = (
        attempt.items.filter(credit__isnull=False).aggregate(
            total=Sum(F("credit") * F("question__weight"))
        )["total"]
        or 0.0
    )
    closed = Attempt.objects.filter(pk=attempt.pk, state=Attempt.State.IN_PROGRESS).update(
        state=state, finished_at=finished_at, score=score
    )
    if closed:
        attempt.state, attempt.finished_at, attempt.score = state, finished_at, score
        _cards_from_mistakes(attempt, finished_at)
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
    """Close the attempt and score it; past the deadline it closes as timed out."""
    now = now or timezone.now()
    if not _expire_if_due(attempt, now):
        _close(attempt, state=Attempt.State.FINISHED, finished_at=now)
    attempt.refresh_from_db()
    return attempt


def preview_item(*, question: Question) -> AttemptItem:
    """An unsaved item laying the question out as a student would see it, the
    same on every load, so that a preview's form and its answer agree."""
    ids = [c.id for c in question.choices.all()]
    choice_order, option_order = _layout(question.kind, ids, False, random.Random(question.pk))
    return AttemptItem(
        question=question, position=1, choice_order=choice_order, option_order=option_order
    )


def preview_answer(*, question: Question, item: AttemptItem, response: dict) -> AttemptItem:
    """Grade a response to an unsaved item, storing nothing: the admin's preview."""
    choices = list(question.choices.all())
    item.response = response
    item.credit = scoring.grade(question.kind, options_for(choices), response)
    item.answered_at = timezone.now()
    return item


@transaction.atomic
def teacher_create(*, username: str, password: str, email: str = "") -> User:
    """A staff account in the Teachers group; raises ValidationError for a bad
    username or password, or one already taken."""
    if User.objects.filter(username=username).exists():
        raise ValidationError(_("The username %(name)s is already taken.") % {"name": username})
    user = User(username=username, email=email, is_staff=True)
    user.full_clean(exclude=["password"])
    validate_password(password, user)
    user.set_password(password)
    user.save()
    user.groups.add(Group.objects.get(name=TEACHERS))
    return user


@transaction.atomic
def question_duplicate(*, question: Question) -> Question:
    """A copy with its choices, unpublished, under a new reference."""
    choices = list(question.choices.all())
    copy = Question.objects.get(pk=question.pk)
    copy.pk = None
    copy.ref = new_question_ref()
    copy.published = False
    copy.save()
    Choice.objects.bulk_create(
        Choice(question=copy, text=c.text, credit=c.credit, position=c.position, match=c.match)
        for c in choices
    )
    return copy


@transaction.atomic
def questions_move(*, questions: Iterable[Question], bank: Bank) -> int:
    return Question.objects.filter(pk__in=[q.pk for q in questions]).update(bank=bank)


class JoinError(QuizError):
    message = _("There is no class with this code. Check it with your teacher.")


class JoinCodeExpired(JoinError):
    message = _("This join code has expired. Ask your teacher for a new one.")


def _unused_join_code() -> str:
    while True:
        code = new_join_code()
        if not Classroom.objects.filter(join_code=code).exists():
            return code


@transaction.atomic
def classroom_create(*, teacher: AbstractBaseUser, name: str, now: datetime | None = None):
    now = now or timezone.now()
    return Classroom.objects.create(
        teacher=teacher,
        name=name,
        join_code=_unused_join_code(),
        code_expires_at=now + JOIN_CODE_LIFETIME,
    )


@transaction.atomic
def classroom_regenerate_code(*, classroom: Classroom, now: datetime | None = None) -> Classroom:
    """A new code, valid for the full lifetime; the old one stops working at once."""
    now = now or timezone.now()
    classroom.join_code = _unused_join_code()
    classroom.code_expires_at = now + JOIN_CODE_LIFETIME
    classroom.save(update_fields=["join_code", "code_expires_at"])
    return classroom


@transaction.atomic
def classroom_join(
    *, student: AbstractBaseUser, code: str, now: datetime | None = None
) -> Classroom:
    """Put the student in the class with this code; joining twice changes nothing."""
    now = now or timezone.now()
    classroom = Classroom.objects.filter(join_code=normalise_join_code(code)).first()
    if classroom is None:
        raise JoinError
    if classroom.code_expires_at is not None and now >= classroom.code_expires_at:
        raise JoinCodeExpired
    Membership.objects.get_or_create(
        classroom=classroom, student=student, defaults={"joined_at": now}
    )
    return classroom


@transaction.atomic
def membership_remove(*, classroom: Classroom, student_id: int) -> bool:
    deleted, _ = Membership.objects.filter(classroom=classroom, student_id=student_id).delete()
    return bool(deleted)


@transaction.atomic
def assignment_set(
    *, classroom: Classroom, quiz: Quiz, due_at: datetime, now: datetime | None = None
) -> Assignment:
    """Assign the quiz to the class, or move the due date of an existing assignment."""
    now = now or timezone.now()
    assignment, _ = Assignment.objects.update_or_create(
        classroom=classroom, quiz=quiz, defaults={"due_at": due_at, "assigned_at": now}
    )
    return assignment


def bank_named(name: str) -> Bank:
    """The bank with this name, or a new one (last in the list) with a free slug."""
    found = Bank.objects.filter(name=name).first()
    if found:
        return found
    base = slugify(name)[:90] or "bank"
    slug, n = base, 1
    while Bank.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    last = Bank.objects.order_by("-position").values_list("position", flat=True).first() or 0
    return Bank.objects.create(name=name, slug=slug, position=last + 1)


def _check_parsed(parsed: ParsedQuestion) -> None:
    line = parsed.line
    if not parsed.explanation:
        raise ImportProblem(
            line, _("The question needs an explanation (general feedback after ####).")
        )
    if len(parsed.prompt) > 10000:
        raise ImportProblem(line, _("The question text is longer than 10,000 characters."))
    texts = [c.text for c in parsed.choices]
    if len(set(texts)) != len(texts):
        raise ImportProblem(line, _("Two answers of this question have the same text."))
    options = [
        scoring.Option(id=i, text=c.text, credit=c.credit, position=c.position, match=c.match)
        for i, c in enumerate(parsed.choices)
    ]
    problems = choice_problems(parsed.kind, options)
    if problems:
        raise ImportProblem(line, " ".join(problems))
    if parsed.difficulty is not None and parsed.difficulty not in Question.Difficulty.values:
        raise ImportProblem(line, _("The difficulty must be 1, 2 or 3."))
    if parsed.weight is not None and not 1 <= parsed.weight <= 100:
        raise ImportProblem(line, _("The weight must be between 1 and 100."))


@transaction.atomic
def questions_import(
    *,
    parsed: Sequence[ParsedQuestion],
    bank: Bank | None = None,
    bank_name: str = "",
    passage: Passage | None = None,
) -> list[Question]:
    """Store parsed questions, all or none: the first problem raises an
    ImportProblem naming its line and rolls everything back.

    A question goes to the bank its file names ($CATEGORY, made if new), else
    to `bank` (or the bank called `bank_name`, made if new); it cites the
    passage its file names, else `passage`."""
    created: list[Question] = []
    refs: set[str] = set()
    banks: dict[str, Bank] = {}
    for item in parsed:
        _check_parsed(item)
        line = item.line
        if item.bank:
            if item.bank not in banks:
                banks[item.bank] = bank_named(item.bank)
            target = banks[item.bank]
        elif bank is not None:
            target = bank
        elif bank_name:
            bank = target = bank_named(bank_name)
        else:
            raise ImportProblem(line, _("No bank: add a $CATEGORY line or choose a bank."))
        cited = passage
        if item.passage is not None:
            source, number = item.passage
            cited = Passage.objects.filter(source__slug=source, number=number).first()
            if cited is None:
                raise ImportProblem(
                    line,
                    _("There is no paragraph %(number)d in the source “%(source)s”.")
                    % {"number": number, "source": source},
                )
        if cited is None:
            raise ImportProblem(line, _("No passage: name one in the file or choose one."))
        ref = slugify(item.ref)[:80] or new_question_ref()
        if ref in refs or Question.objects.filter(ref=ref).exists():
            raise ImportProblem(
                line, _("A question with the reference “%(ref)s” already exists.") % {"ref": ref}
            )
        refs.add(ref)
        question = Question.objects.create(
            ref=ref,
            bank=target,
            kind=item.kind,
            prompt=item.prompt,
            explanation=item.explanation,
            passage=cited,
            difficulty=item.difficulty or Question.Difficulty.RECALL,
            weight=item.weight or 1,
            published=True if item.published is None else item.published,
        )
        Choice.objects.bulk_create(
            Choice(
                question=question,
                text=c.text,
                credit=c.credit,
                position=c.position,
                match=c.match,
            )
            for c in item.choices
        )
        created.append(question)
    return created


class StaleCard(QuizError):
    message = _(
        "That card was already rated (a second click or another tab); here is the next one."
    )


def study_settings_for(user: AbstractBaseUser) -> StudySettings:
    return StudySettings.objects.get_or_create(user=user)[0]


def start_of_day(now: datetime) -> datetime:
    """Midnight of the site's local day: when the daily limits start again."""
    local = timezone.localtime(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def studied_today(user: AbstractBaseUser, now: datetime) -> dict[str, int]:
    """New cards first rated, and reviews of other cards, since local midnight."""
    new = Q(state_before=CardState.State.NEW)
    return Review.objects.filter(user=user, reviewed_at__gte=start_of_day(now)).aggregate(
        new=Count("id", filter=new), reviews=Count("id", filter=~new)
    )


@dataclass(frozen=True)
class StudyScope:
    """Which cards to study: some decks (banks), the questions on one passage, or all."""

    banks: tuple[Bank, ...] = ()
    passage: Passage | None = None

    def filter(self, prefix: str = "") -> Q:
        """A filter on questions, or on rows that reach them through `prefix`."""
        condition = Q()
        if self.banks:
            condition &= Q(**{f"{prefix}bank__in": self.banks})
        if self.passage is not None:
            condition &= Q(**{f"{prefix}passage": self.passage})
        return condition


def card_next(
    *,
    user: AbstractBaseUser,
    scope: StudyScope = StudyScope(),
    now: datetime | None = None,
) -> CardState | None:
    """The next card to study within the scope.

    Due cards come first, the most overdue first, within the daily review
    limit; then new cards in bank order within the daily new limit. A new card
    gets its row when it is first shown."""
    now = now or timezone.now()
    limits = study_settings_for(user)
    done = studied_today(user, now)
    in_scope = scope.filter("question__")
    if done["reviews"] < limits.reviews_per_day:
        card = CardState.objects.due_for(user, now).filter(in_scope).first()
        if card is not None:
            return card
    if done["new"] >= limits.new_per_day:
        return None
    shown = CardState.objects.filter(in_scope, user=user, state=CardState.State.NEW)
    card = shown.order_by("id").first()
    if card is not None:
        return card
    pool = Question.objects.published().filter(scope.filter()).exclude(cards__user=user)
    question = pool.order_by("bank__position", "bank_id", "id").first()
    if question is None:
        return None
    return CardState.objects.get_or_create(user=user, question=question, defaults={"due": now})[0]


def memory_of(card: CardState) -> scheduling.Memory:
    return scheduling.Memory(
        state=card.state,
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
    )


def memory_before(review: Review) -> scheduling.Memory:
    """The card's memory as it was just before this rating, from the review log."""
    return scheduling.Memory(
        state=review.state_before,
        step=review.step_before,
        stability=review.stability_before,
        difficulty=review.difficulty_before,
        due=review.due_before,
        last_review=review.last_review_before,
    )


@transaction.atomic
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
    retention = study_settings_for(card.user).desired_retention
    before = memory_of(card)
    after = scheduling.review(before, rating, now, retention)
    changed = CardState.objects.filter(pk=card.pk, version=version).update(
        state=after.state,
        step=after.step,
        stability=after.stability,
        difficulty=after.difficulty,
        due=after.due,
        last_review=after.last_review,
        version=F("version") + 1,
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
    card.refresh_from_db()
    return card
