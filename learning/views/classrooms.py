"""Teacher pages for classes (roster, join code, assignments, gradebook, question
statistics) and the students' "Join a class" page."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from .. import charts, gradebook, progress, services, stats
from ..formatting import percent
from ..forms import AssignmentForm, ClassroomForm, JoinForm
from ..models import Attempt, AttemptItem, Classroom, Question, Quiz
from ..roles import teacher_required


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
        "code_expired": classroom.code_expires_at is not None
        and timezone.now() >= classroom.code_expires_at,
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


# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell_text(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


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
    writer = csv.writer(response)
    header = [_("Student"), _("Username")]
    for assignment in book.assignments:
        title = assignment.quiz.title
        header += [_cell_text(title), _cell_text(_("%(quiz)s: late") % {"quiz": title})]
    writer.writerow(header)
    for row in book.rows:
        line = [_cell_text(row.name), _cell_text(row.student.get_username())]
        for cell in row.cells:
            grade = "" if cell.percent is None else f"{cell.percent:.1f}"
            line += [grade, _("late") if cell.late else ""]
        writer.writerow(line)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    form = JoinForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            classroom = services.classroom_join(
                student=request.user, code=form.cleaned_data["code"]
            )
        except services.JoinError as error:
            form.add_error("code", str(error))
        else:
            messages.success(request, _("You joined %(name)s.") % {"name": classroom.name})
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
    done = Attempt.objects.done().filter(quiz=quiz).order_by("user_id", "number")
    classroom = None
    if request.GET.get("classroom", "").isdigit():
        classroom = _get_classroom_for_teacher(request, int(request.GET["classroom"]))
        done = done.filter(user__memberships__classroom=classroom)
    chosen, seen = [], set()
    for attempt_id, user_id in done.values_list("id", "user_id"):
        if every or user_id not in seen:
            chosen.append(attempt_id)
            seen.add(user_id)
    by_attempt: dict[int, dict[int, float]] = {pk: {} for pk in chosen}
    weights: dict[int, float] = {}
    items = AttemptItem.objects.filter(attempt_id__in=chosen).values_list(
        "attempt_id", "question_id", "credit", "question__weight"
    )
    for attempt_id, question_id, credit, weight in items:
        by_attempt[attempt_id][question_id] = credit or 0.0
        weights[question_id] = weight
    analysis = stats.analyse(list(by_attempt.values()), weights)
    questions = Question.objects.in_bulk(list(analysis))
    rows = [(questions[key], item) for key, item in analysis.items()]
    context = {
        "quiz": quiz,
        "rows": rows,
        "every": every,
        "attempt_count": len(chosen),
        "classroom": classroom,
    }
    return render(request, "learning/quiz_statistics.html", context)


@teacher_required
def classroom_overview(request: HttpRequest, pk: int) -> HttpResponse:
    """The class at a glance: grades per assigned quiz, mastery per student and
    bank, and the questions the class misses most."""
    classroom = _get_classroom_for_teacher(request, pk)
    now = timezone.now()
    book = gradebook.classroom_gradebook(classroom, now=now)
    histograms = []
    for i, assignment in enumerate(book.assignments):
        cells = [row.cells[i] for row in book.rows]
        grades = [
            c.percent for c in cells if c.status == gradebook.Cell.GRADED and c.percent is not None
        ]
        waiting = sum(c.status == gradebook.Cell.NOT_STARTED for c in cells)
        chart = charts.histogram(
            grades,
            title=assignment.quiz.title,
            # Translators: the first two are "3 students graded" and "1 not started".
            description=_("%(graded)s; %(waiting)s; pass mark %(mark)s.")
            % {
                "graded": ngettext("%(n)d student graded", "%(n)d students graded", len(grades))
                % {"n": len(grades)},
                "waiting": ngettext("%(n)d not started", "%(n)d not started", waiting)
                % {"n": waiting},
                "mark": percent(assignment.quiz.pass_mark),
            },
            mark=assignment.quiz.pass_mark,
        )
        histograms.append((assignment, chart, waiting))
    students = [row.student for row in book.rows]
    known = progress.known_by_student([s.pk for s in students], now)
    banks, bank_of = progress.bank_questions()
    grid = charts.share_grid(
        [gradebook.display_name(s) for s in students],
        [bank.name for bank in banks],
        [[(k, t) for _, k, t in progress.mastery(known[s.pk], banks, bank_of)] for s in students],
        title=_("Mastery per student and bank"),
        description=_("Darker cells: more of the bank's questions known."),
    )
    missed = (
        AttemptItem.objects.filter(attempt__in=Attempt.objects.done().filter(user__in=students))
        .exclude(credit__gte=1)
        .values("question_id", "question__prompt", "attempt__quiz__slug", "attempt__quiz__title")
        .annotate(misses=Count("id"))
        .order_by("-misses", "question_id")[:10]
    )
    context = {
        "classroom": classroom,
        "histograms": histograms,
        "grid": grid,
        "missed": missed,
    }
    return render(request, "learning/classroom_overview.html", context)
