"""Teacher pages for classes (roster, join code, assignments, gradebook, question
statistics) and the students' "Join a class" page."""

import csv
import re
from datetime import datetime

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
from ..item_analysis import MIN_ANSWERS
from ..models import Classroom, Quiz
from ..roles import teacher_required
from ..selectors import classes, gradebook, kept
from ..selectors.quiz_statistics import quiz_statistics as item_analysis_of
from .sections import kept_section

# Where the teacher's last removal waits for "Undo".
_REMOVED = "removed_student"
SORT = re.compile(r"-?(name|[0-9]{1,10})")


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


def _undoable(request: HttpRequest, classroom: Classroom) -> User | None:
    """The student the teacher just removed from this class, while Undo works."""
    removed = request.session.get(_REMOVED)
    if not removed or removed["classroom"] != classroom.pk:
        return None
    if timezone.now() - datetime.fromisoformat(removed["removed_at"]) > services.UNDO_REMOVAL:
        return None
    return User.objects.filter(pk=removed["student"]).first()


def _detail_page(request: HttpRequest, classroom: Classroom, form: AssignmentForm, status=200):
    context = {
        "classroom": classroom,
        "memberships": classroom.memberships.select_related("student"),
        "assignments": classroom.assignments.select_related("quiz"),
        "form": form,
        "code_expired": classroom.code_expired(timezone.now()),
        "removed": _undoable(request, classroom),
    }
    return render(request, "learning/classroom_detail.html", context, status=status)


@teacher_required
def classroom_detail(request: HttpRequest, pk: int) -> HttpResponse:
    classroom = _get_classroom_for_teacher(request, pk)
    return _detail_page(request, classroom, AssignmentForm())


@teacher_required
@require_http_methods(["GET", "POST"])
def classroom_code(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks to confirm (the old code stops working at once); POST makes it."""
    classroom = _get_classroom_for_teacher(request, pk)
    if request.method == "GET":
        return render(request, "learning/confirm_code.html", {"classroom": classroom})
    services.classroom_regenerate_code(classroom=classroom)
    messages.success(request, _("New join code: %(code)s") % {"code": classroom.join_code})
    return redirect(classroom)


@teacher_required
@require_http_methods(["GET", "POST"])
def classroom_remove(request: HttpRequest, pk: int, student_id: int) -> HttpResponse:
    """GET asks to confirm; POST removes, and "Undo" on the next page puts the
    student back for a while (kept in the teacher's session)."""
    classroom = _get_classroom_for_teacher(request, pk)
    # By primary key first: an id past the database's integer range then answers
    # 404, where a lookup through the membership's foreign key raised OverflowError.
    student = get_object_or_404(User, pk=student_id)
    if request.method == "GET":
        get_object_or_404(classroom.memberships, student=student)
        context = {"classroom": classroom, "student": student}
        return render(request, "learning/confirm_remove.html", context)
    membership = services.membership_remove(classroom=classroom, student_id=student.pk)
    if membership is None:
        return HttpResponse(status=404)
    request.session[_REMOVED] = {
        "classroom": classroom.pk,
        "student": student.pk,
        "joined_at": membership.joined_at.isoformat(),
        "removed_at": timezone.now().isoformat(),
    }
    messages.success(request, _("The student was removed from the class."))
    return redirect(classroom)


@teacher_required
@require_POST
def classroom_restore(request: HttpRequest, pk: int) -> HttpResponse:
    """Undo the teacher's last removal from this class."""
    classroom = _get_classroom_for_teacher(request, pk)
    removed = request.session.get(_REMOVED)
    if not removed or removed["classroom"] != classroom.pk:
        raise Http404
    try:
        services.membership_restore(
            classroom=classroom,
            student_id=removed["student"],
            joined_at=datetime.fromisoformat(removed["joined_at"]),
            removed_at=datetime.fromisoformat(removed["removed_at"]),
        )
    except services.Refused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The student is back in the class."))
    del request.session[_REMOVED]
    return redirect(classroom)


@teacher_required
@require_POST
def classroom_assign(request: HttpRequest, pk: int) -> HttpResponse:
    classroom = _get_classroom_for_teacher(request, pk)
    form = AssignmentForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, classroom, form, status=400)
    try:
        services.assignment_set(
            classroom=classroom, quiz=form.cleaned_data["quiz"], due_at=form.cleaned_data["due_at"]
        )
    except services.Refused as error:
        form.add_error("due_at", str(error))
        return _detail_page(request, classroom, form, status=400)
    messages.success(request, _("The quiz is assigned."))
    return redirect(classroom)


def _sort_and_filter(request: HttpRequest) -> tuple[str, str]:
    """?sort= as a column the gradebook knows the shape of ("name" or an assignment's
    id, "-" first for descending), else "name": anything else would sort by name
    anyway, and its spaces or symbols reach the kept table's cache key. (A number
    that is no assignment's also sorts by name, under a key of its own.)"""
    sort = request.GET.get("sort", "name")
    if not SORT.fullmatch(sort):
        sort = "name"
    show = request.GET.get("show", "all")
    return sort, show if show in gradebook.FILTERS else "all"


def _arranged(request: HttpRequest, classroom: Classroom, now=None) -> gradebook.Gradebook:
    """The class's gradebook sorted and filtered as ?sort= and ?show= ask."""
    sort, show = _sort_and_filter(request)
    book = gradebook.classroom_gradebook(classroom, now=now or timezone.now())
    return gradebook.arranged(book, sort=sort, show=show)


@teacher_required
def classroom_gradebook(request: HttpRequest, pk: int) -> HttpResponse:
    """The table is kept whole under a key of what it shows (`kept.class_key`),
    the sort and the filter: a repeat view reads a few short rows."""
    classroom = _get_classroom_for_teacher(request, pk)
    sort, show = _sort_and_filter(request)
    context = {"classroom": classroom, "sort": sort, "show": show}
    now = timezone.now()

    def table() -> dict:
        book = _arranged(request, classroom, now)
        return context | {"book": book, "completion": book.completion()}

    key = kept.class_key("gradebook", classroom, now)
    context["table"] = kept_section(
        f"{key}:{sort}:{show}", "learning/_gradebook_table.html", table, shared=True
    )
    filters = [("all", _("Everyone")), ("late", _("Late work")), ("not_started", _("Not started"))]
    return render(request, "learning/gradebook.html", context | {"filters": filters})


@teacher_required
def classroom_gradebook_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """UTF-8 with a byte-order mark, which spreadsheets need to read it as UTF-8."""
    classroom = _get_classroom_for_teacher(request, pk)
    book = _arranged(request, classroom)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="gradebook-{classroom.pk}.csv"'
    response.write("\ufeff")
    csv.writer(response).writerows(gradebook.gradebook_table(book))
    return response


@login_required
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    # The projector's QR code opens this page with the code filled in.
    initial = {"code": request.GET.get("code", "")[:20]}
    form = JoinForm(request.POST if request.method == "POST" else None, initial=initial)
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
    context = {"quiz": quiz, "every": every, "classroom": classroom, "min_answers": MIN_ANSWERS}
    context["analysis"] = kept_section(
        kept.statistics_key(quiz, classroom, every),
        "learning/_quiz_statistics.html",
        lambda: context | item_analysis_of(quiz=quiz, students=students, every=every),
        shared=True,
    )
    return render(request, "learning/quiz_statistics.html", context)


@teacher_required
def classroom_overview(request: HttpRequest, pk: int) -> HttpResponse:
    """The class at a glance: grades per assigned quiz, mastery per student and
    bank, and the questions the class misses most; kept whole under a key of what
    it shows (`kept.class_key`)."""
    classroom = _get_classroom_for_teacher(request, pk)
    now = timezone.now()
    sections = kept_section(
        kept.class_key("overview", classroom, now, fading=True),
        "learning/_classroom_overview.html",
        lambda: classes.class_overview(classroom, now=now),
        shared=True,
    )
    context = {"classroom": classroom, "sections": sections}
    return render(request, "learning/classroom_overview.html", context)
