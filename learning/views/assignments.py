"""Changing an assignment's quiz or due date, and removing it (after asking)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import services
from ..forms import AssignmentForm
from ..models import Assignment
from ..roles import teacher_required


def _get_assignment(request: HttpRequest, pk: int, assignment_id: int) -> Assignment:
    """An assignment of the teacher's own class, or 404."""
    return get_object_or_404(
        Assignment.objects.select_related("classroom", "quiz"),
        pk=assignment_id,
        classroom_id=pk,
        classroom__teacher=request.user,
    )


@teacher_required
@require_http_methods(["GET", "POST"])
def assignment_edit(request: HttpRequest, pk: int, assignment_id: int) -> HttpResponse:
    assignment = _get_assignment(request, pk, assignment_id)
    initial = {"quiz": assignment.quiz, "due_at": assignment.due_at}
    form = AssignmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_update(
                assignment=assignment,
                quiz=form.cleaned_data["quiz"],
                due_at=form.cleaned_data["due_at"],
            )
        except services.DueInPast as error:
            form.add_error("due_at", str(error))
        except services.Refused as error:
            form.add_error("quiz", str(error))
        else:
            messages.success(request, _("The assignment is changed."))
            return redirect(assignment.classroom)
    context = {"assignment": assignment, "classroom": assignment.classroom, "form": form}
    status = 400 if form.is_bound else 200
    return render(request, "learning/assignment_edit.html", context, status=status)


@teacher_required
@require_http_methods(["GET", "POST"])
def assignment_remove(request: HttpRequest, pk: int, assignment_id: int) -> HttpResponse:
    assignment = _get_assignment(request, pk, assignment_id)
    if request.method == "POST":
        services.assignment_remove(assignment=assignment)
        messages.success(
            request,
            _("“%(quiz)s” is no longer assigned; the attempts made at it are kept.")
            % {"quiz": assignment.quiz.title},
        )
        return redirect(assignment.classroom)
    context = {"assignment": assignment, "classroom": assignment.classroom}
    return render(request, "learning/confirm_unassign.html", context)
