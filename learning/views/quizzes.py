"""Quiz pages: the list, a quiz, its question pages, finishing, the result and history."""

from collections import Counter

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .. import services
from ..forms import AnswerForm
from ..models import (
    Accommodation,
    Attempt,
    AttemptItem,
    Choice,
    ContentVersion,
    Grant,
    Question,
    Quiz,
    Regrade,
    Terms,
)
from ..presenters import ItemView
from ..selectors import results
from ..selectors.questions import question_with_choices, quiz_of
from ..selectors.teaching import has_teacher_feedback, result_feedback


def _get_attempt_for_user(request: HttpRequest, pk: int) -> Attempt:
    """The signed-in student's own attempt, or 404 (never 403: no hint that it exists)."""
    return get_object_or_404(Attempt.objects.select_related("quiz"), pk=pk, user=request.user)


def quiz_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "learning/quiz_list.html", {"quizzes": Quiz.objects.listed_for(request.user)}
    )


def _quiz_page(request: HttpRequest, slug: str, *, error: str = "", status: int = 200):
    quiz = get_object_or_404(Quiz.objects.listed_for(request.user), slug=slug)
    open_attempt, grant, used = None, Grant(), 0
    if request.user.is_authenticated:
        open_attempt = Attempt.objects.in_progress().filter(user=request.user, quiz=quiz).first()
        grant = Accommodation.objects.grant_for(quiz=quiz, user=request.user)
        used = quiz.attempts_used
    terms = Terms.of(quiz, grant, timezone.now(), used)
    context = {"quiz": quiz, "open_attempt": open_attempt, "error": error, "terms": terms}
    return render(request, "learning/quiz_detail.html", context, status=status)


def quiz_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _quiz_page(request, slug)


@login_required
@require_POST
def quiz_start(request: HttpRequest, slug: str) -> HttpResponse:
    quiz = get_object_or_404(Quiz.objects.published(), slug=slug)
    try:
        attempt = services.attempt_start(
            user=request.user, quiz=quiz, password=request.POST.get("password", "")
        )
    except services.Refused as error:
        return _quiz_page(request, slug, error=str(error), status=403)
    return _resume(attempt)


@login_required
def attempt_resume(request: HttpRequest, pk: int) -> HttpResponse:
    return _resume(_get_attempt_for_user(request, pk))


def _first_open(attempt: Attempt, after: int = 0) -> int | None:
    """The position of the first unanswered question after `after`: only the
    position, as a redirect needs nothing more of the row."""
    open_items = AttemptItem.objects.filter(
        attempt_id=attempt.pk, position__gt=after, answered_at__isnull=True
    )
    return open_items.order_by("position").values_list("position", flat=True).first()


def _resume(attempt: Attempt) -> HttpResponse:
    """Go to the first unanswered question, or to the finish page when all are
    answered. Start and the last answer send the student straight there: a
    class pressing Start together costs one request each, not two."""
    if not attempt.is_open:
        return redirect("learning:attempt_result", attempt.pk)
    position = _first_open(attempt)
    if position is None:
        return redirect("learning:attempt_finish", attempt.pk)
    return redirect("learning:attempt_question", attempt.pk, position)


def _closed_redirect(
    request: HttpRequest,
    attempt: Attempt,
    answer: str = "",
    *,
    saved: bool = False,
    half: bool = False,
) -> HttpResponse:
    """To the result of a closed attempt, saying why; an answer that arrived too
    late is quoted back, so that the student never loses it silently. `half`: the
    answer saved at zero was half an ordering or matching answer."""
    timed_out = attempt.state == Attempt.State.TIMED_OUT
    if saved and half:
        message = _(
            "Time is up. The part of your last answer that you had given is saved; the "
            "items left without a place or a partner count as not answered."
        )
        messages.info(request, message)
    elif saved:
        messages.info(request, _("Time is up. Your last answer arrived in time and is saved."))
    elif answer and timed_out:
        message = _(
            "Time is up: the attempt closed at %(time)s, before your answer arrived, so it "
            "was not saved. Your answer was: “%(answer)s”."
        ) % {
            "time": date_format(timezone.localtime(attempt.deadline), "TIME_FORMAT"),
            "answer": answer,
        }
        messages.warning(request, message)
    elif answer:
        message = _(
            "This attempt was already finished, so your answer was not saved. "
            "Your answer was: “%(answer)s”."
        ) % {"answer": answer}
        messages.warning(request, message)
    elif timed_out:
        messages.warning(request, str(services.DeadlinePassed()))
    return redirect("learning:attempt_result", attempt.pk)


@login_required
@require_http_methods(["GET", "POST"])
def attempt_question(request: HttpRequest, pk: int, position: int) -> HttpResponse:
    item, version = _own_item(request, pk, position)
    attempt = item.attempt
    services.attempt_expire_if_due(attempt=attempt)
    posting = request.method == "POST" and not item.is_answered
    # The question, its paragraph and all its choices, kept per content version.
    item.question, choices = question_with_choices(item.question_id, version)
    if not attempt.is_open:
        answer = _answer_form(request, item, choices).posted_text() if posting else ""
        return _closed_redirect(request, attempt, answer)
    view = _item_view(item, choices)
    if item.is_answered:
        if request.method == "POST":
            messages.info(request, str(services.AlreadyAnswered()))
            return redirect(item)
        return _question_page(request, view)
    flagging = posting and "flagged" in request.POST
    form = _answer_form(request, item, choices, kept=flagging)
    if not posting:
        return _question_page(request, view, form)
    if flagging:
        return _flag_keeping_answer(request, view, form)
    if form.is_valid():
        return _store_answer(request, attempt, item, form, choices)
    if "timeout" in request.POST:
        # The page's own submit at zero: half an ordering or matching answer is
        # stored as it stands; with nothing to store, the attempt ends.
        partial = form.partial_response()
        if partial is not None:
            return _store_answer(request, attempt, item, form, choices, response=partial)
        return _closed_redirect(request, services.attempt_finish(attempt=attempt))
    return _question_page(request, view, form, status=400)


def _own_item(request: HttpRequest, pk: int, position: int) -> tuple[AttemptItem, int]:
    """The student's own item with its attempt, in one query (404, never 403,
    otherwise), its quiz as the process keeps it, and the content version."""
    item = AttemptItem.objects.for_student(
        attempt_id=pk, user_id=request.user.pk, position=position
    )
    if item is None:
        raise Http404
    version = ContentVersion.objects.current()
    item.attempt.quiz = quiz_of(item.attempt.quiz_id, version)
    return item, version


def _answer_form(
    request: HttpRequest, item: AttemptItem, choices: list[Choice], *, kept: bool = False
) -> AnswerForm:
    by_id = {c.id: c for c in choices}
    return AnswerForm(
        request.POST if request.method == "POST" else None,
        question=item.question,
        choices=[by_id[i] for i in item.choice_order if i in by_id],
        options=[by_id[i] for i in item.option_order if i in by_id],
        kept=kept,
    )


def _flag_keeping_answer(request: HttpRequest, view: ItemView, form: AnswerForm) -> HttpResponse:
    """Flag for review sent with the answer form (no script): the page comes back
    with what was chosen or typed still in it, not stored, since a stored answer
    is final and a flag says the student is not sure of it yet."""
    item = view.item
    try:
        services.attempt_flag(item=item, flagged=request.POST["flagged"] == "1")
    except services.AttemptClosed:
        item.attempt.refresh_from_db()
        return _closed_redirect(request, item.attempt, form.posted_text())
    return _question_page(request, view, form)


def _item_view(item: AttemptItem, choices: list[Choice]) -> ItemView:
    """The item as its page shows it: with immediate feedback, once answered, its
    key and the paragraphs it cites."""
    reveal = item.is_answered and item.attempt.quiz.feedback_is_immediate
    return ItemView.build(item, choices, reveal=reveal)


def _timing(attempt: Attempt) -> dict:
    """What every page of an attempt shows of it: the navigator and the time left."""
    return {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "navigator": attempt.navigator(),
        "seconds_left": attempt.seconds_left(timezone.now()),
        "grace": settings.ANSWER_GRACE,
    }


def _question_page(
    request: HttpRequest, view: ItemView, form: AnswerForm | None = None, status: int = 200
) -> HttpResponse:
    context = _timing(view.item.attempt)
    navigator, position = context["navigator"], view.item.position
    total = len(navigator)
    context |= {
        "view": view,
        "form": form,
        "heading": _("Question %(n)d of %(total)d") % {"n": position, "total": total},
        "total": total,
        "answered": sum(1 for entry in navigator if entry.answered),
        # Previous and "Skip for now": two of the addresses the navigator holds.
        "previous_url": navigator[position - 2].url if position > 1 else None,
        "next_url": navigator[position].url if position < total else None,
    }
    return render(request, "learning/attempt_question.html", context, status=status)


def _store_answer(
    request: HttpRequest,
    attempt: Attempt,
    item: AttemptItem,
    form: AnswerForm,
    choices: list[Choice],
    response: dict | None = None,
) -> HttpResponse:
    """Store the form's answer (or `response`, what a half-answered form holds)."""
    try:
        services.attempt_answer(item=item, response=response or form.response(), choices=choices)
    except services.AttemptClosed:
        attempt.refresh_from_db()
        return _closed_redirect(request, attempt, form.posted_text())
    except services.AlreadyAnswered as error:
        messages.info(request, str(error))
        return redirect(item)
    if "timeout" in request.POST or attempt.is_past_deadline(timezone.now()):
        # Stored within the grace; the time is up, so the attempt ends here.
        finished = services.attempt_finish(attempt=attempt)
        return _closed_redirect(request, finished, saved=True, half=response is not None)
    if attempt.quiz.feedback_is_immediate:
        return redirect(item)
    following = _first_open(attempt, after=item.position)
    if following is not None:
        return redirect("learning:attempt_question", attempt.pk, following)
    return _resume(attempt)


@login_required
def attempt_flag(request: HttpRequest, pk: int, position: int) -> HttpResponse:
    # Before the method: nothing says another's attempt exists.
    item, _version = _own_item(request, pk, position)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.attempt_flag(item=item, flagged=request.POST.get("flagged") == "1")
    except services.AttemptClosed:
        return _closed_redirect(request, item.attempt)
    if request.headers.get("X-Requested-With") == "fetch":
        return HttpResponse(status=204)
    return redirect(item)


@login_required
@require_http_methods(["GET", "POST"])
def attempt_finish(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = _get_attempt_for_user(request, pk)
    if request.method == "POST":
        if attempt.is_open:
            attempt = services.attempt_finish(attempt=attempt)
        return _closed_redirect(request, attempt)
    services.attempt_expire_if_due(attempt=attempt)
    if not attempt.is_open:
        return _closed_redirect(request, attempt)
    context = _timing(attempt)
    context["unanswered"] = [e for e in context["navigator"] if not e.answered]
    context["flagged"] = [e for e in context["navigator"] if e.flagged]
    # While questions are open or flagged, going back is the main way on.
    waiting = context["unanswered"] + context["flagged"]
    context["back_to"] = waiting[0].position if waiting else None
    return render(request, "learning/attempt_finish.html", context)


@login_required
def attempt_result(request: HttpRequest, pk: int) -> HttpResponse:
    # Whether it was regraded, in the same query: most results never were, and
    # then their notes cost no query of their own.
    regraded = Exists(Regrade.objects.filter(attempt=OuterRef("pk")))
    attempt = get_object_or_404(
        Attempt.objects.select_related("quiz").annotate(
            regraded=regraded, teacher_feedback=has_teacher_feedback()
        ),
        pk=pk,
        user=request.user,
    )
    services.attempt_expire_if_due(attempt=attempt)
    if attempt.is_open:
        return redirect("learning:attempt_resume", attempt.pk)
    items = attempt.items.select_related("question__passage__source").prefetch_related(
        Question.objects.citations("question__"),
        "question__choices",
    )
    reviews = [ItemView.build(item, list(item.question.choices.all()), True) for item in items]
    mistakes = [view for view in reviews if view.verdict != "correct"]
    # Only the mistakes unless asked for all (and all when there is none).
    show_all = request.GET.get("all") == "1" or not mistakes
    context = {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "reviews": reviews,
        "shown": reviews if show_all else mistakes,
        "show_all": show_all,
        "tally": Counter(view.verdict for view in reviews),
        "next": results.next_steps(request.user, attempt, reviews, timezone.now()),
        "regrades": list(attempt.regrades.all()) if attempt.regraded else [],
        "feedback": result_feedback(attempt) if attempt.teacher_feedback else None,
    }
    return render(request, "learning/attempt_result.html", context)


@login_required
def attempt_list(request: HttpRequest) -> HttpResponse:
    attempts = Attempt.objects.filter(user=request.user).select_related("quiz")
    return render(request, "learning/attempt_list.html", {"attempts": attempts})
