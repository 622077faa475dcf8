"""The teacher's home, a student of a class, and a student's attempt as the
teacher reviews it, comments on it and overrides one question's credit."""

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import services
from ..forms import CommentForm, OverrideForm
from ..ids import parse_id
from ..models import Attempt, Classroom
from ..roles import teacher_required
from ..selectors import teaching
from ..selectors.passages import passage_shares


@teacher_required
def teach_home(request: HttpRequest) -> HttpResponse:
    context = teaching.teacher_home(request.user, now=timezone.now())
    return render(request, "learning/teach_home.html", context)


def _get_student(request: HttpRequest, pk: int, student_id: int) -> tuple[Classroom, User]:
    """The teacher's own class and one of its students, or 404."""
    classroom = get_object_or_404(Classroom.objects.taught_by(request.user), pk=pk)
    student = get_object_or_404(User, pk=student_id, memberships__classroom=classroom)
    return classroom, student


@teacher_required
def student_detail(request: HttpRequest, pk: int, student_id: int) -> HttpResponse:
    classroom, student = _get_student(request, pk, student_id)
    quiz_id = parse_id(request.GET["quiz"]) if "quiz" in request.GET else None
    context = teaching.student_page(classroom, student, now=timezone.now(), quiz_id=quiz_id)
    context |= {"classroom": classroom, "student": student, "quiz_id": quiz_id}
    return render(request, "learning/teach_student.html", context)


@teacher_required
def class_passages(request: HttpRequest, pk: int) -> HttpResponse:
    classroom = get_object_or_404(Classroom.objects.taught_by(request.user), pk=pk)
    students = list(classroom.memberships.values_list("student_id", flat=True))
    context = {"classroom": classroom, "passages": passage_shares(students, limit=20)}
    return render(request, "learning/class_passages.html", context)


def _get_attempt(request: HttpRequest, pk: int) -> Attempt:
    attempt = teaching.attempt_for_teacher(request.user, pk)
    if attempt is None:
        raise Http404
    return attempt


def _review_page(request: HttpRequest, attempt: Attempt, *, error: str = "", status=200):
    context = teaching.attempt_review(attempt) | {
        "comment_form": CommentForm(),
        "override_form": OverrideForm(),
        "error": error,
    }
    return render(request, "learning/teach_attempt.html", context, status=status)


@teacher_required
def attempt_review(request: HttpRequest, pk: int) -> HttpResponse:
    return _review_page(request, _get_attempt(request, pk))


def _item_of(attempt: Attempt, request: HttpRequest):
    """The item named by the form's `position`, None for the attempt as a whole."""
    if not request.POST.get("position"):
        return None
    position = parse_id(request.POST["position"])
    item = attempt.items.filter(position=position).first() if position else None
    if item is None:
        raise Http404
    return item


@teacher_required
@require_POST
def attempt_comment(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = _get_attempt(request, pk)
    item = _item_of(attempt, request)
    form = CommentForm(request.POST)
    try:
        if not form.is_valid():
            # Empty, or longer than the box takes: the form's own message.
            raise services.Refused(form.errors["text"][0])
        services.comment_add(
            attempt=attempt, item=item, author=request.user, text=form.cleaned_data["text"]
        )
    except services.Refused as error:
        return _review_page(request, attempt, error=str(error), status=400)
    messages.success(request, _("Comment saved: the student sees it on their result."))
    return redirect(_anchor(attempt, item))


@teacher_required
@require_POST
def attempt_override(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = _get_attempt(request, pk)
    item = _item_of(attempt, request)
    form = OverrideForm(request.POST)
    try:
        if item is None or not form.is_valid():
            raise services.CreditOutOfRange
        services.credit_override(
            item=item, by=request.user, credit=float(form.cleaned_data["credit"])
        )
    except services.Refused as error:
        return _review_page(request, attempt, error=str(error), status=400)
    messages.success(request, _("Credit changed and the attempt rescored; the student sees it."))
    return redirect(_anchor(attempt, item))


def _anchor(attempt: Attempt, item) -> str:
    url = reverse("learning:teach_attempt", args=[attempt.pk])
    return f"{url}#q{item.position}" if item is not None else url
