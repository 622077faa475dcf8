"""Flashcard pages: decks, the study loop, settings and statistics."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .. import services
from ..forms import RatingForm, StudySettingsForm
from ..ids import parse_id
from ..models import Attempt, Bank, CardState, Passage, StudyScope, StudySettings
from ..selectors import cards as selectors
from .sections import kept_section


def _chosen_scope(request: HttpRequest) -> tuple[StudyScope, str]:
    """What to study, from the query string: decks (`deck=slug`, none for every
    deck) or one passage (`passage=id`); and the query string that carries it on."""
    decks = request.GET.getlist("deck")
    banks = tuple(Bank.objects.filter(slug__in=decks)) if decks else ()
    passage_id = parse_id(request.GET.get("passage"))
    passage = Passage.objects.filter(pk=passage_id).first() if passage_id is not None else None
    attempt_id = parse_id(request.GET.get("attempt"))
    # Only the student's own finished attempt: another's id studies everything.
    attempt = (
        Attempt.objects.done().filter(pk=attempt_id, user=request.user).first()
        if attempt_id is not None
        else None
    )
    query = [("deck", bank.slug) for bank in banks]
    if passage is not None:
        query.append(("passage", str(passage.pk)))
    if attempt is not None:
        query.append(("attempt", str(attempt.pk)))
    return StudyScope(banks=banks, passage=passage, attempt=attempt), urlencode(query)


def _with_query(url: str, query: str) -> str:
    return f"{url}?{query}" if query else url


def _back_shown(request: HttpRequest) -> bool:
    """The card's page asked for with its back (the answer and the ratings)."""
    return request.GET.get("show") == "1"


def _get_card_for_user(request: HttpRequest, pk: int) -> CardState:
    """The student's own card (404 otherwise), read alone: its page takes the
    question as the process keeps it (`selectors.card_sides`)."""
    card = CardState.objects.own(user_id=request.user.pk, pk=pk)
    if card is None:
        raise Http404
    return card


@login_required
def card_decks(request: HttpRequest) -> HttpResponse:
    context = selectors.decks(request.user, timezone.now())
    return render(request, "learning/card_decks.html", context)


@login_required
def card_study(request: HttpRequest) -> HttpResponse:
    """Send the student to their next card, or say they are done for now."""
    scope, query = _chosen_scope(request)
    card = services.card_next(user=request.user, scope=scope)
    if card is not None:
        return redirect(_with_query(card.get_absolute_url(), query))
    context = {
        "next_due": selectors.next_due(request.user, scope),
        "query": query,
        "session": selectors.session(request.user, scope, timezone.now()),
    }
    return render(request, "learning/card_done.html", context)


@login_required
@require_POST
def card_undo(request: HttpRequest) -> HttpResponse:
    """Undo the last rating and show that card's front again."""
    _scope, query = _chosen_scope(request)
    card = services.card_undo(user=request.user)
    if card is None:
        messages.info(request, _("There is no rating to undo."))
        return redirect(_with_query(reverse("learning:card_study"), query))
    messages.info(request, _("Your last rating is undone: here is that card again."))
    return redirect(_with_query(card.get_absolute_url(), query))


@login_required
@require_http_methods(["GET", "POST"])
def card_review(request: HttpRequest, pk: int) -> HttpResponse:
    card = _get_card_for_user(request, pk)
    scope, query = _chosen_scope(request)
    if request.method == "GET":
        return _card_page(request, card, scope, query, show=_back_shown(request))
    form = RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the four ratings."))
        return _card_page(request, card, scope, query, show=True, status=400)
    try:
        services.card_review(
            card=card,
            rating=form.cleaned_data["rating"],
            version=form.cleaned_data["version"],
            duration_ms=form.looked_ms(timezone.now()),
        )
    except services.StaleCard as error:
        messages.info(request, str(error))
    return redirect(_with_query(reverse("learning:card_study"), query))


def _card_page(
    request: HttpRequest,
    card: CardState,
    scope: StudyScope,
    query: str,
    *,
    show: bool,
    status: int = 200,
) -> HttpResponse:
    context = selectors.card_sides(request.user, card, scope, timezone.now(), show=show)
    if show:
        back = context.pop("back")
        context["back"] = kept_section(context.pop("back_key"), "learning/_card_back.html", back)
    context["query"] = query
    return render(request, "learning/card_review.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def card_settings(request: HttpRequest) -> HttpResponse:
    limits = StudySettings.for_user(request.user)
    form = StudySettingsForm(request.POST if request.method == "POST" else None, instance=limits)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Your study settings are saved."))
            return redirect("learning:card_decks")
        return render(request, "learning/card_settings.html", {"form": form}, status=400)
    return render(request, "learning/card_settings.html", {"form": form})


@login_required
def card_statistics(request: HttpRequest) -> HttpResponse:
    context = selectors.card_statistics(request.user, timezone.now())
    return render(request, "learning/card_statistics.html", context)
