"""Teacher pages for classes (roster, join code, assignments, gradebook, question
statistics) and the students' "Join a class" page."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .. import services
from ..forms import AssignmentForm, ClassroomForm, JoinForm
from ..ids import parse_id
from ..models import Classroom, Quiz
from ..roles import teacher_required
from ..selectors import classes, gradebook
from ..selectors.quiz_statistics import quiz_statistics as item_analysis_of


def _get_classroom_for_teacher(request: HttpRequest, pk: int) -> Classroom:
    """The signed-in teacher's own class, or 404 (never 403: no hint that it exists)."""
    return get_object_or_404(Classroom.objects.taught_by(request.user), pk=pk)


@teacher_required
@require_http_methods(["GET", "POST"])
def classroom_list(request: HttpRequest) -> HttpResponse:
    form = ClassroomForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            classroom = services.classroom_create(
                teacher=request.user, name=form.cleaned_data["name"]
            )
            return redirect(classroom)
        status = 400
    else:
        status = 200
    classrooms = Classroom.objects.taught_by(request.user)
    context = {"classrooms": classrooms, "form": form}
    return render(request, "learning/classroom_list.html", context, status=status)


def _detail_page(request: HttpRequest, classroom: Classroom, form: AssignmentForm, status=200):
    context = {
        "classroom": classroom,
        "memberships": classroom.memberships.select_related("student"),
        "assignments": classroom.assignments.select_related("quiz"),
        "form": form,
        "code_expired": classroom.code_expired(timezone.now()),
    }
    return render(request, "learning/classroom_detail.html", context, status=status)


@teacher_required
def classroom_detail(request: HttpRequest, pk: int) -> HttpResponse:
    classroom = _get_classroom_for_teacher(request, pk)
    return _detail_page(request, classroom, AssignmentForm())


@teacher_required
@require_POST
def classroom_code(request: HttpRequest, pk: int) -> HttpResponse:
    classroom = _get_classroom_for_teacher(request, pk)
    services.classroom_regenerate_code(classroom=classroom)
    messages.success(request, _("New join code: %(code)s") % {"code": classroom.join_code})
    return redirect(classroom)


@teacher_required
@require_POST
def classroom_remove(request: HttpRequest, pk: int, student_id: int) -> HttpResponse:
    classroom = _get_classroom_for_teacher(request, pk)
    # By primary key first: an id past the database's integer range then answers
    # 404, where a lookup through the membership's foreign key raised OverflowError.
    student = get_object_or_404(User, pk=student_id)
    if not services.membership_remove(classroom=classroom, student_id=student.pk):
        return HttpResponse(status=404)
    messages.success(request, _("The student was removed from the class."))
    return redirect(classroom)


@teacher_required
@require_POST
def classroom_assign(request: HttpRequest, pk: int) -> HttpResponse:
    classroom = _get_classroom_for_teacher(request, pk)
    form = AssignmentForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, classroom, form, status=400)
    services.assignment_set(
        classroom=classroom, quiz=form.cleaned_data["quiz"], due_at=form.cleaned_data["due_at"]
    )
    messages.success(request, _("The quiz is assigned."))
    return redirect(classroom)


def _descending(request: HttpRequest) -> bool:
    return request.GET.get("sort") == "-name"


@teacher_required
def classroom_gradebook(request: HttpRequest, pk: int) -> HttpResponse:
    classroom = _get_classroom_for_teacher(request, pk)
    descending = _descending(request)
    book = gradebook.classroom_gradebook(classroom, now=timezone.now(), descending=descending)
    context = {"classroom": classroom, "book": book, "descending": descending}
    return render(request, "learning/gradebook.html", context)


@teacher_required
def classroom_gradebook_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """UTF-8 with a byte-order mark, which spreadsheets need to read it as UTF-8."""
    classroom = _get_classroom_for_teacher(request, pk)
    book = gradebook.classroom_gradebook(
        classroom, now=timezone.now(), descending=_descending(request)
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="gradebook-{classroom.pk}.csv"'
    response.write("\ufeff")
    csv.writer(response).writerows(gradebook.gradebook_table(book))
    return response


@login_required
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    form = JoinForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            classroom, joined = services.classroom_join(
                student=request.user, code=form.cleaned_data["code"]
            )
        except services.JoinError as error:
            form.add_error("code", str(error))
        else:
            if joined:
                messages.success(request, _("You joined %(name)s.") % {"name": classroom.name})
            else:
                messages.info(request, _("You are already in %(name)s.") % {"name": classroom.name})
            return redirect("learning:home")
    status = 400 if form.is_bound else 200
    return render(request, "learning/join.html", {"form": form}, status=status)


@teacher_required
def quiz_statistics(request: HttpRequest, slug: str) -> HttpResponse:
    """Item analysis over each student's first finished attempt, or over all of
    them with ?attempts=all; ?classroom=ID keeps to the students of one of the
    teacher's classes."""
    quiz = get_object_or_404(Quiz, slug=slug)
    every = request.GET.get("attempts") == "all"
    classroom = None
    if "classroom" in request.GET:
        classroom_id = parse_id(request.GET["classroom"])
        if classroom_id is None:
            raise Http404
        classroom = _get_classroom_for_teacher(request, classroom_id)
    students = classroom.students.all() if classroom else None
    context = item_analysis_of(quiz=quiz, students=students, every=every)
    context |= {"quiz": quiz, "every": every, "classroom": classroom}
    return render(request, "learning/quiz_statistics.html", context)


@teacher_required
def classroom_overview(request: HttpRequest, pk: int) -> HttpResponse:
    """The class at a glance: grades per assigned quiz, mastery per student and
    bank, and the questions the class misses most."""
    classroom = _get_classroom_for_teacher(request, pk)
    context = classes.class_overview(classroom, now=timezone.now())
    return render(request, "learning/classroom_overview.html", context)
