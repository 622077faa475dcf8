"""What a student has learnt, read from their attempts and cards.

Each function costs a fixed number of queries whatever the amount of data:
rows are fetched once and folded in Python.
"""

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from .. import charts, scheduling
from ..formatting import percent
from ..models import (
    Attempt,
    AttemptItem,
    Bank,
    CardState,
    ContentVersion,
    Passage,
    ProgressStamp,
    Review,
    StudySettings,
    start_of_day,
)
from .gradebook import student_assignments
from .pools import bank_questions

# Mastery counts cards whose chance of recall falls with time: a kept summary is
# at most this old, even when nothing was written.
SUMMARY_SECONDS = 900


def open_attempts_of(user: AbstractBaseUser) -> list[Attempt]:
    """The student's attempts in progress, each with `answered`, its answers so far."""
    answered = Count("items", filter=Q(items__answered_at__isnull=False))
    return list(
        Attempt.objects.in_progress()
        .filter(user=user)
        .select_related("quiz")
        .annotate(answered=answered)
    )


def student_home(user: AbstractBaseUser, now: datetime, open_attempts: list) -> dict:
    """What a signed-in student's home page shows: what to do now (attempts to
    resume, cards due, assignments) and how far they have come."""
    return {
        # Nothing done yet: the page shows the way in.
        "first_visit": not open_attempts
        and not Attempt.objects.filter(user=user).exists()
        and not CardState.objects.filter(user=user).exists(),
        "open_attempts": open_attempts,
        "cards_due": CardState.objects.due_for(user, now).count(),
        "assignments": student_assignments(user, now=now),
        **student_summary(user, now, open_attempts),
    }


def student_summary(user: AbstractBaseUser, now: datetime, open_attempts: list) -> dict:
    """How far the student has come, kept in the cache under everything it is
    made of: their progress stamp (changed with every attempt closed, regrade
    and override: `ProgressStamp`), the answers so far in their open attempts
    and their latest rating (read here, so that answering and rating write
    nothing more), the content version, the day, the language and a quarter of an
    hour. Each is read from the database, so a process or server that kept an
    older summary never shows it (bench/README.md)."""
    stamp = ProgressStamp.objects.of_many([user.pk])[user.pk]
    latest = Review.objects.filter(user_id=user.pk).order_by("-pk").values_list("pk")[:1]
    answered = [(a.pk, a.answered) for a in open_attempts], [*latest]
    key = _kept_key("progress", user.pk, stamp, ContentVersion.objects.current(), answered, now)
    summary = cache.get(key)
    if summary is None:
        summary = _summary(user, now)
        cache.set(key, summary, SUMMARY_SECONDS)
    return summary


def _kept_key(kind: str, user_id: int, stamp: int, content: int, answered: list, now) -> str:
    """The cache key of what is kept of one student's work (`student_summary`)."""
    parts = (
        user_id,
        stamp,
        content,
        answered,
        timezone.localdate(now).isoformat(),
        timezone.get_current_timezone_name(),
        int(now.timestamp() // SUMMARY_SECONDS),
        get_language(),
    )
    return f"{kind}:" + hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def _summary(user: AbstractBaseUser, now: datetime) -> dict:
    today = timezone.localdate(now)
    week_start = start_of_day(now) - timedelta(days=today.weekday())
    days = active_days(user, since=now - timedelta(days=400))
    by_bank = mastery_by_bank(user, now)
    known, total = sum(k for _, k, _ in by_bank), sum(t for _, _, t in by_bank)
    return {
        "mastery": charts.share_chart(
            by_bank,
            title=_("Questions you know, per part of the text"),
            description=ngettext(
                "%(known)d of %(total)d question known.",
                "%(known)d of %(total)d questions known.",
                total,
            )
            % {"known": known, "total": total},
        ),
        "score_charts": [
            charts.line_chart(
                entry.points,
                title=entry.title,
                description=ngettext(
                    "%(n)d attempt; pass mark %(mark)s.",
                    "%(n)d attempts; pass mark %(mark)s.",
                    len(entry.points),
                )
                % {"n": len(entry.points), "mark": percent(entry.pass_mark)},
                mark=entry.pass_mark,
            )
            for entry in scores_by_quiz(user)
        ],
        "streak": streak(days, today),
        "time_this_week": time_spent(user, since=week_start),
        "weakest": weakest_passages(user),
    }


def known_by_student(user_ids: Sequence[int], now: datetime) -> dict[int, set[int]]:
    """For each student, the questions they have shown they know: full credit on
    their latest answer in a quiz, or a card in review state whose chance of
    recall is still above their desired retention. Kept per student as the home
    page's summary is (`student_summary`); three more queries for those not kept."""
    stamps = ProgressStamp.objects.of_many(user_ids)
    content = ContentVersion.objects.current()
    answered: dict[int, list] = {}
    answers = Count("items", filter=Q(items__answered_at__isnull=False))
    for user_id, attempt_id, n in (
        Attempt.objects.in_progress()
        .filter(user_id__in=user_ids)
        .annotate(n=answers)
        .order_by("pk")
        .values_list("user_id", "pk", "n")
    ):
        answered.setdefault(user_id, []).append((attempt_id, n))
    rated = dict(
        Review.objects.filter(user_id__in=user_ids)
        .values("user_id")
        .annotate(latest=Max("pk"))
        .values_list("user_id", "latest")
    )
    keys = {
        uid: _kept_key(
            "known", uid, stamps[uid], content, (answered.get(uid, []), rated.get(uid)), now
        )
        for uid in user_ids
    }
    kept = cache.get_many(list(keys.values()))
    known = {uid: kept[key] for uid, key in keys.items() if key in kept}
    missing = [uid for uid in user_ids if uid not in known]
    if missing:
        fresh = _known_by_student(missing, now)
        cache.set_many({keys[uid]: fresh[uid] for uid in missing}, SUMMARY_SECONDS)
        known |= fresh
    return known


def _known_by_student(user_ids: Sequence[int], now: datetime) -> dict[int, set[int]]:
    latest: dict[tuple[int, int], float] = {}
    answers = (
        AttemptItem.objects.filter(attempt__user_id__in=user_ids, answered_at__isnull=False)
        .order_by("answered_at")
        .values_list("attempt__user_id", "question_id", "credit")
    )
    for user_id, question_id, credit in answers:
        latest[user_id, question_id] = credit
    known: dict[int, set[int]] = {user_id: set() for user_id in user_ids}
    for (user_id, question_id), credit in latest.items():
        if credit >= 1:
            known[user_id].add(question_id)
    retention = dict(
        StudySettings.objects.filter(user_id__in=user_ids).values_list(
            "user_id", "desired_retention"
        )
    )
    default = StudySettings._meta.get_field("desired_retention").default
    # The columns of each card's memory, not whole cards: a class of 50 holds some
    # 1,250 cards in review, and making each a model instance was a fifth of this
    # (bench/README.md, nineteenth round). A `Memory`'s fields are the card's
    # columns of the same names (`CardState.memory`).
    cards = CardState.objects.filter(
        user_id__in=user_ids, question__published=True, state=CardState.State.REVIEW
    ).values_list("user_id", "question_id", *(f.name for f in fields(scheduling.Memory)))
    for user_id, question_id, *memory in cards:
        wanted = retention.get(user_id, default)
        if scheduling.retrievability(scheduling.Memory(*memory), now, wanted) > wanted:
            known[user_id].add(question_id)
    return known


def mastery(
    known: set[int], banks: Sequence[Bank], bank_of: dict[int, int]
) -> list[tuple[str, int, int]]:
    """(bank name, questions known, published questions) for each bank."""
    totals = Counter(bank_of.values())
    hits = Counter(bank_of[q] for q in known if q in bank_of)
    return [(bank.name, hits[bank.pk], totals[bank.pk]) for bank in banks]


def mastery_by_bank(user: AbstractBaseUser, now: datetime) -> list[tuple[str, int, int]]:
    """(bank name, questions known, published questions) for every bank with questions."""
    banks, bank_of = bank_questions()
    return mastery(known_by_student([user.pk], now)[user.pk], banks, bank_of)


@dataclass
class QuizScores:
    title: str
    pass_mark: int
    points: list[tuple[str, float]]


def scores_by_quiz(user: AbstractBaseUser, latest: int = 4) -> list[QuizScores]:
    """The finished attempts, as percentages in order, of the `latest` quizzes the
    student finished most recently, the most recent first. A page of a chart for
    every quiz ever taken would be long to read and slow to draw."""
    done = Attempt.objects.done().filter(user=user, max_score__gt=0)
    recent = list(
        done.values("quiz_id")
        .annotate(last=Max("finished_at"))
        .order_by("-last", "quiz_id")
        .values_list("quiz_id", flat=True)[:latest]
    )
    attempts = done.filter(quiz_id__in=recent).select_related("quiz").order_by("finished_at")
    by_quiz: dict[int, QuizScores] = {}
    for attempt in attempts:
        entry = by_quiz.setdefault(
            attempt.quiz_id, QuizScores(attempt.quiz.title, attempt.quiz.pass_mark, [])
        )
        label = timezone.localtime(attempt.finished_at).strftime("%Y-%m-%d %H:%M")
        entry.points.append((f"#{attempt.number} {label}", attempt.percent))
    return [by_quiz[quiz_id] for quiz_id in recent]


def active_days(user: AbstractBaseUser, since: datetime) -> set[date]:
    """Local days on which the student rated a card or finished an attempt."""
    tz = timezone.get_current_timezone()
    reviews = (
        Review.objects.filter(user=user, reviewed_at__gte=since)
        .annotate(day=TruncDate("reviewed_at", tzinfo=tz))
        .values_list("day", flat=True)
        .distinct()
    )
    attempts = (
        Attempt.objects.done()
        .filter(user=user, finished_at__gte=since)
        .annotate(day=TruncDate("finished_at", tzinfo=tz))
        .values_list("day", flat=True)
        .distinct()
    )
    return set(reviews) | set(attempts)


def streak(days: set[date], today: date) -> int:
    """Days in a row with some study, ending today (or yesterday, if today is not over)."""
    day = today if today in days else today - timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= timedelta(days=1)
    return count


def time_spent(user: AbstractBaseUser, since: datetime) -> timedelta:
    """Time looking at cards plus time in attempts finished since `since`."""
    looked = (
        Review.objects.filter(user=user, reviewed_at__gte=since).aggregate(ms=Sum("duration_ms"))[
            "ms"
        ]
        or 0
    )
    spans = (
        Attempt.objects.done()
        .filter(user=user, finished_at__gte=since)
        .values_list("started_at", "finished_at")
    )
    in_quizzes = sum((end - start for start, end in spans), timedelta())
    return timedelta(milliseconds=looked) + in_quizzes


def weakest_passages(user: AbstractBaseUser, limit: int = 3) -> list[tuple[Passage, int]]:
    """The passages whose questions the student misses most: quiz answers with
    less than full credit (unanswered ones too) in finished attempts, and cards
    rated Again."""
    misses: Counter[int] = Counter()
    quiz_misses = (
        AttemptItem.objects.filter(attempt__in=Attempt.objects.done().filter(user=user))
        .exclude(credit__gte=1)
        .values("question__passage")
        .annotate(n=Count("id"))
        .values_list("question__passage", "n")
    )
    card_misses = (
        Review.objects.filter(user=user, rating=Review.Rating.AGAIN)
        .values("card__question__passage")
        .annotate(n=Count("id"))
        .values_list("card__question__passage", "n")
    )
    for passage_id, n in [*quiz_misses, *card_misses]:
        misses[passage_id] += n
    top = misses.most_common(limit)
    passages = Passage.objects.select_related("source").in_bulk([pid for pid, _ in top])
    return [(passages[pid], n) for pid, n in top]
