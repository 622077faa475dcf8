"""Flashcard pages: decks, the study loop, settings and statistics."""

from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from .. import charts, scheduling, scoring, services
from ..forms import RatingForm, StudySettingsForm
from ..models import Bank, CardState, Choice, Passage, Question, Review

State = CardState.State


def _chosen_scope(request: HttpRequest) -> tuple[services.StudyScope, str]:
    """What to study, from the query string: decks (`deck=slug`, none for every
    deck) or one passage (`passage=id`); and the query string that carries it on."""
    banks = tuple(Bank.objects.filter(slug__in=request.GET.getlist("deck")))
    passage_id = request.GET.get("passage", "")
    passage = Passage.objects.filter(pk=passage_id).first() if passage_id.isdigit() else None
    query = [("deck", bank.slug) for bank in banks]
    if passage is not None:
        query.append(("passage", str(passage.pk)))
    return services.StudyScope(banks=banks, passage=passage), urlencode(query)


def _with_query(url: str, query: str) -> str:
    return f"{url}?{query}" if query else url


def _get_card_for_user(request: HttpRequest, pk: int) -> CardState:
    cards = CardState.objects.select_related("question__passage__source", "question__bank")
    return get_object_or_404(cards, pk=pk, user=request.user)


@login_required
def card_decks(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    banks = list(
        Bank.objects.annotate(total=Count("questions", filter=Q(questions__published=True)))
        .filter(total__gt=0)
        # Meta.ordering does not apply to a grouped query.
        .order_by("position", "name")
    )
    studied = ~Q(state=State.NEW)
    counts = {
        row["question__bank"]: row
        for row in CardState.objects.filter(user=request.user, question__published=True)
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
    limits = services.study_settings_for(request.user)
    done = services.studied_today(request.user, now)
    context = {
        "banks": banks,
        "limits": limits,
        "new_left": max(0, limits.new_per_day - done["new"]),
        "reviews_left": max(0, limits.reviews_per_day - done["reviews"]),
    }
    return render(request, "learning/card_decks.html", context)


@login_required
def card_study(request: HttpRequest) -> HttpResponse:
    """Send the student to their next card, or say they are done for now."""
    scope, query = _chosen_scope(request)
    card = services.card_next(user=request.user, scope=scope)
    if card is not None:
        return redirect(_with_query(card.get_absolute_url(), query))
    upcoming = (
        CardState.objects.studied()
        .filter(scope.filter("question__"), user=request.user)
        .order_by("due")
        .values_list("due", flat=True)
        .first()
    )
    return render(request, "learning/card_done.html", {"next_due": upcoming, "query": query})


@login_required
@require_http_methods(["GET", "POST"])
def card_review(request: HttpRequest, pk: int) -> HttpResponse:
    card = _get_card_for_user(request, pk)
    scope, query = _chosen_scope(request)
    if request.method == "GET":
        return _review_page(request, card, scope, query, show=request.GET.get("show") == "1")
    form = RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the four ratings."))
        return _review_page(request, card, scope, query, show=True, status=400)
    looked = None
    if form.cleaned_data["shown_at"]:
        now_ms = int(timezone.now().timestamp() * 1000)
        looked = min(max(0, now_ms - form.cleaned_data["shown_at"]), 3_600_000)
    try:
        services.card_review(
            card=card,
            rating=form.cleaned_data["rating"],
            version=form.cleaned_data["version"],
            duration_ms=looked,
        )
    except services.StaleCard as error:
        messages.info(request, str(error))
    return redirect(_with_query(reverse("learning:card_study"), query))


def _review_page(
    request: HttpRequest,
    card: CardState,
    scope: services.StudyScope,
    query: str,
    *,
    show: bool,
    status: int = 200,
) -> HttpResponse:
    """The front of the card, or with `show` its back and the four rating buttons,
    each labelled with the interval it gives."""
    now = timezone.now()
    context = {
        "card": card,
        "question": card.question,
        "show": show,
        "query": query,
        "due_count": CardState.objects.due_for(request.user, now)
        .filter(scope.filter("question__"))
        .count(),
    }
    if show:
        retention = services.study_settings_for(request.user).desired_retention
        choices = services.options_for(list(Choice.objects.filter(question=card.question)))
        intervals = scheduling.previews(services.memory_of(card), now, retention)
        context |= {
            "key_lines": scoring.key_lines(card.question.kind, choices),
            "buttons": [
                (rating, label, scheduling.interval_label(intervals[rating]))
                for rating, label in Review.Rating.choices
            ],
            "shown_at": int(now.timestamp() * 1000),
        }
    return render(request, "learning/card_review.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def card_settings(request: HttpRequest) -> HttpResponse:
    limits = services.study_settings_for(request.user)
    form = StudySettingsForm(request.POST if request.method == "POST" else None, instance=limits)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Your study settings are saved."))
            return redirect("learning:card_decks")
        return render(request, "learning/card_settings.html", {"form": form}, status=400)
    return render(request, "learning/card_settings.html", {"form": form})


@login_required
def card_stats(request: HttpRequest) -> HttpResponse:
    """Anki's statistics: the load ahead, the work behind, retention and card states."""
    now = timezone.now()
    today = timezone.localdate(now)
    tz = timezone.get_current_timezone()
    cards = CardState.objects.filter(user=request.user)
    horizon = services.start_of_day(now) + timedelta(days=31)
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
    reviews = Review.objects.filter(user=request.user)
    since = services.start_of_day(now) - timedelta(days=89)
    per_day = dict(
        reviews.filter(reviewed_at__gte=since)
        .annotate(day=TruncDate("reviewed_at", tzinfo=tz))
        .values("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
    )
    mature = Q(state_before=State.REVIEW)
    passed = mature & ~Q(rating=Review.Rating.AGAIN)
    week, month = now - timedelta(days=7), now - timedelta(days=30)
    retention = reviews.aggregate(
        week_all=Count("id", filter=mature & Q(reviewed_at__gte=week)),
        week_passed=Count("id", filter=passed & Q(reviewed_at__gte=week)),
        month_all=Count("id", filter=mature & Q(reviewed_at__gte=month)),
        month_passed=Count("id", filter=passed & Q(reviewed_at__gte=month)),
    )
    by_state = dict(cards.values("state").annotate(n=Count("id")).values_list("state", "n"))
    studied = sum(n for state, n in by_state.items() if state != State.NEW)
    unseen = Question.objects.published().count() - studied
    states = [
        (State.NEW.label, unseen),
        (State.LEARNING.label, by_state.get(State.LEARNING, 0)),
        (State.REVIEW.label, by_state.get(State.REVIEW, 0)),
        (State.RELEARNING.label, by_state.get(State.RELEARNING, 0)),
    ]
    context = {
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
        "retention": [
            (_("Last 7 days"), retention["week_passed"], retention["week_all"]),
            (_("Last 30 days"), retention["month_passed"], retention["month_all"]),
        ],
        "states": states,
        "next_due": cards.studied().order_by("due").values_list("due", flat=True).first(),
    }
    return render(request, "learning/card_stats.html", context)
