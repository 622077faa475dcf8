"""What the flashcard pages read: the decks, a card's two sides, the statistics."""

from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from .. import charts, presenters, scheduling, scoring
from ..models import (
    Bank,
    CardState,
    Choice,
    ContentVersion,
    Question,
    Review,
    StudyScope,
    StudySettings,
    start_of_day,
)
from .memory import Kept
from .questions import question_with_choices

State = CardState.State
# Published questions per scope (`published_count`): every deck, a passage being studied.
_published = Kept(256)


def decks(user: AbstractBaseUser, now: datetime) -> dict:
    """Every bank with published questions, with the student's new, learning and
    due counts in it, and what is left of today's limits."""
    banks = list(
        Bank.objects.annotate(total=Count("questions", filter=Q(questions__published=True)))
        .filter(total__gt=0)
        # Meta.ordering does not apply to a grouped query.
        .order_by("position", "name")
    )
    studied = ~Q(state=State.NEW)
    counts = {
        row["question__bank"]: row
        for row in CardState.objects.for_student(user)
        .values("question__bank")
        .annotate(
            studied=Count("id", filter=studied),
            learning=Count("id", filter=Q(state__in=[State.LEARNING, State.RELEARNING])),
            due=Count("id", filter=studied & Q(due__lte=now)),
        )
    }
    for bank in banks:
        row = counts.get(bank.pk, {})
        bank.new = bank.total - row.get("studied", 0)
        bank.learning = row.get("learning", 0)
        bank.due = row.get("due", 0)
    limits = StudySettings.for_user(user)
    done = Review.objects.done_today(user, now)
    return {
        "banks": banks,
        "limits": limits,
        "new_left": max(0, limits.new_per_day - done["new"]),
        "reviews_left": max(0, limits.reviews_per_day - done["reviews"]),
    }


def next_due(user: AbstractBaseUser, scope: StudyScope) -> datetime | None:
    """When the student's next studied card in the scope comes due."""
    return (
        CardState.objects.for_student(user)
        .studied()
        .filter(scope.where("question__"))
        .order_by("due")
        .values_list("due", flat=True)
        .first()
    )


def session(
    user: AbstractBaseUser,
    scope: StudyScope,
    now: datetime,
    limits: StudySettings | None = None,
    version: int | None = None,
) -> dict:
    """What is left of this session, counted as Anki does (new, learning, to
    review), within today's limits (`limits`: the student's settings, and
    `version`: the content version, if read already), and how far along the
    day's study is."""
    limits = limits or StudySettings.for_user(user)
    done = Review.objects.done_today(user, now)
    counts = CardState.objects.counts(user, scope, now)
    if scope.attempt is None:
        # A card per student and question: the published questions without one.
        unseen = published_count(scope, version) - counts["all"]
        new = min(max(0, limits.new_per_day - done["new"]), counts["new"] + unseen)
        reviews_left = max(0, limits.reviews_per_day - done["reviews"])
        learning = min(reviews_left, counts["learning"])
        review = min(reviews_left - learning, counts["review"])
    else:
        # Every missed card once (those not rated since the attempt), due or not.
        new, learning = counts["new"], counts["learning"]
        review = counts["all"] - new - learning
    studied = done["new"] + done["reviews"]
    left = new + learning + review
    return {
        "new": new,
        "learning": learning,
        "review": review,
        "studied": studied,
        "total": studied + left,
        "can_undo": done["undoable"] > 0,
    }


def published_count(scope: StudyScope, version: int | None = None) -> int:
    """The published questions in a scope of decks or of a passage, counted once
    per process for each content version (not once per card shown: a bank of
    2,000 questions made that count the card page's costliest query)."""
    banks = tuple(sorted(bank.pk for bank in scope.banks))
    if version is None:
        version = ContentVersion.objects.current()
    key = ("published", banks, scope.passage and scope.passage.pk, version)

    def count() -> int:
        # Built only when the process has not kept the count: building the query
        # each time was 6 % of a card page (bench/README.md, seventeenth round).
        return Question.objects.published().filter(scope.where()).count()

    return _published.remember(key, count)


def card_sides(
    user: AbstractBaseUser, card: CardState, scope: StudyScope, now: datetime, *, show: bool
) -> dict:
    """The front of the card (answerable: a choice question's options, an
    ordering or matching question's items), or with `show` the key of its back
    (`card_back`) and the four rating buttons, each labelled with the interval
    it gives. Its question is the one the process keeps (`question_with_choices`)."""
    version = ContentVersion.objects.current()
    card.question, choices = question_with_choices(card.question_id, version)
    question = card.question
    limits = StudySettings.for_user(user)
    context = {
        "card": card,
        "question": question,
        "show": show,
        "front": presenters.card_front(question.kind, choices, seed=card.pk),
        "session": session(user, scope, now, limits, version),
    }
    if show:
        intervals = scheduling.previews(card.memory, now, limits.desired_retention)
        context |= {
            # The back is the same for every student: kept per question, content
            # version and language (the page's costliest section after the counts).
            "back_key": f"card-back:{question.pk}:{version}:{get_language()}",
            "back": lambda: card_back(question, choices),
            # The rating and the moment shown are a form's values, not numbers to
            # read: as text, the template does not format them for the language
            # (twelve of the page's 28 numbers, 3 % of its instructions).
            "buttons": [
                (str(rating), label, scheduling.interval_label(intervals[rating]))
                for rating, label in Review.Rating.choices
            ],
            "shown_at": str(int(now.timestamp() * 1000)),
        }
    return context


def card_back(question: Question, choices: list[Choice]) -> dict:
    """What the back of a question's card shows: its answer, its explanation and
    every paragraph it cites with their sources (the kept question holds them,
    `question_with_choices`)."""
    options = [choice.as_option() for choice in choices]
    return {"question": question, "key_lines": scoring.key_lines(question.kind, options)}


def card_statistics(user: AbstractBaseUser, now: datetime) -> dict:
    """Anki's statistics: the load ahead, the work behind, retention and card states."""
    today = timezone.localdate(now)
    tz = timezone.get_current_timezone()
    cards = CardState.objects.for_student(user)
    horizon = start_of_day(now) + timedelta(days=31)
    due_by_day = dict(
        cards.studied()
        .filter(due__lt=horizon)
        .annotate(day=TruncDate("due", tzinfo=tz))
        .values("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
    )
    # Anything overdue counts as due today.
    due_today = sum(n for day, n in due_by_day.items() if day <= today)
    ahead = [(_("today"), due_today)] + [
        (
            date_format(today + timedelta(days=d), "M j"),
            due_by_day.get(today + timedelta(days=d), 0),
        )
        for d in range(1, 31)
    ]
    per_day = _reviews_per_day(user, since=start_of_day(now) - timedelta(days=89))
    return {
        "due_chart": charts.bar_chart(
            ahead,
            title=_("Cards due today and in each of the next 30 days"),
            description=ngettext(
                "%(n)d card is due today.", "%(n)d cards are due today.", due_today
            )
            % {"n": due_today},
        ),
        "heatmap": charts.calendar_heatmap(
            per_day,
            end=today,
            days=90,
            title=_("Reviews per day over the last 90 days"),
            description=ngettext(
                "%(n)d review in 90 days.", "%(n)d reviews in 90 days.", sum(per_day.values())
            )
            % {"n": sum(per_day.values())},
        ),
        "retention": _retention(user, now),
        "states": _states(cards),
        "next_due": cards.studied().order_by("due").values_list("due", flat=True).first(),
    }


def _reviews_per_day(user: AbstractBaseUser, since: datetime) -> dict:
    tz = timezone.get_current_timezone()
    return dict(
        Review.objects.filter(user=user, reviewed_at__gte=since)
        .annotate(day=TruncDate("reviewed_at", tzinfo=tz))
        .values("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
    )


def _retention(user: AbstractBaseUser, now: datetime) -> list[tuple[str, int, int]]:
    """(period, reviews of mature cards passed, reviews of mature cards)."""
    mature = Q(state_before=State.REVIEW)
    passed = mature & ~Q(rating=Review.Rating.AGAIN)
    week, month = now - timedelta(days=7), now - timedelta(days=30)
    counts = Review.objects.filter(user=user).aggregate(
        week_all=Count("id", filter=mature & Q(reviewed_at__gte=week)),
        week_passed=Count("id", filter=passed & Q(reviewed_at__gte=week)),
        month_all=Count("id", filter=mature & Q(reviewed_at__gte=month)),
        month_passed=Count("id", filter=passed & Q(reviewed_at__gte=month)),
    )
    return [
        (_("Last 7 days"), counts["week_passed"], counts["week_all"]),
        (_("Last 30 days"), counts["month_passed"], counts["month_all"]),
    ]


def _states(cards) -> list[tuple[str, int]]:
    by_state = dict(cards.values("state").annotate(n=Count("id")).values_list("state", "n"))
    studied = sum(n for state, n in by_state.items() if state != State.NEW)
    unseen = Question.objects.published().count() - studied
    return [
        # Plain words for FSRS's states: a student reads these, not a scheduler.
        (_("Not seen yet"), unseen),
        (_("Being learnt"), by_state.get(State.LEARNING, 0)),
        (_("Known, coming back to check"), by_state.get(State.REVIEW, 0)),
        (_("Forgotten, being learnt again"), by_state.get(State.RELEARNING, 0)),
    ]
