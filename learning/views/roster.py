"""Setting a class up: accounts from a class list, their sign-in slips, new
one-time passwords, and the join code on the projector.

One-time passwords are shown once, on the slips, and kept meanwhile in the
teacher's session (stored on the server, never in a cookie): the database keeps
only their hashes, and each works until the student chooses their own.
"""

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from .. import qr, services
from ..forms import RosterForm
from ..models import Classroom
from ..roles import teacher_required

SLIPS = "slips"


def _get_classroom(request: HttpRequest, pk: int) -> Classroom:
    return get_object_or_404(Classroom.objects.taught_by(request.user), pk=pk)


def _keep_passwords(request: HttpRequest, classroom: Classroom, passwords: dict[int, str]):
    slips = request.session.get(SLIPS, {})
    mine = slips.get(str(classroom.pk), {})
    mine.update({str(pk): password for pk, password in passwords.items()})
    slips[str(classroom.pk)] = mine
    request.session[SLIPS] = slips


@teacher_required
@require_http_methods(["GET", "POST"])
def roster(request: HttpRequest, pk: int) -> HttpResponse:
    classroom = _get_classroom(request, pk)
    form = RosterForm(request.POST or None, request.FILES or None)
    problems, status = [], 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                passwords = services.roster_create(
                    classroom=classroom, lines=form.cleaned_data["lines"]
                )
            except services.RosterProblems as error:
                # Shown line by line above the form, with the refusal's message.
                problems = error.problems
            else:
                _keep_passwords(request, classroom, passwords)
                messages.success(
                    request,
                    ngettext(
                        "%(n)d account made: print the slips.",
                        "%(n)d accounts made: print the slips.",
                        len(passwords),
                    )
                    % {"n": len(passwords)},
                )
                return redirect("learning:classroom_slips", classroom.pk)
    context = {"classroom": classroom, "form": form, "problems": problems}
    return render(request, "learning/roster.html", context, status=status)


@teacher_required
def slips(request: HttpRequest, pk: int) -> HttpResponse:
    """A slip for each student of this class with a one-time password still in
    the session and not yet replaced: never another class's, even with the
    same session."""
    classroom = _get_classroom(request, pk)
    passwords = request.session.get(SLIPS, {}).get(str(classroom.pk), {})
    # A slip whose password was already changed is spent: it is not printed again.
    students = classroom.students.filter(
        pk__in=[int(k) for k in passwords], profile__must_change_password=True
    ).order_by("last_name", "first_name", "username")
    context = {
        "classroom": classroom,
        "slips": [(s, passwords[str(s.pk)]) for s in students],
        "login_url": request.build_absolute_uri(reverse("login")),
    }
    return render(request, "learning/slips.html", context)


@teacher_required
@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest, pk: int, student_id: int) -> HttpResponse:
    classroom = _get_classroom(request, pk)
    student = get_object_or_404(User, pk=student_id, memberships__classroom=classroom)
    if request.method == "POST":
        try:
            password = services.student_password_reset(classroom=classroom, student=student)
        except services.Refused as error:
            messages.error(request, str(error))
            return redirect(classroom)
        _keep_passwords(request, classroom, {student.pk: password})
        messages.success(request, _("New one-time password made: print the slip."))
        return redirect("learning:classroom_slips", classroom.pk)
    context = {"classroom": classroom, "student": student}
    return render(request, "learning/confirm_password_reset.html", context)


@teacher_required
def show_code(request: HttpRequest, pk: int) -> HttpResponse:
    """The join code for the projector: large, with the address and a QR code
    that opens the join page with the code filled in."""
    classroom = _get_classroom(request, pk)
    join_url = request.build_absolute_uri(reverse("learning:join"))
    filled = f"{join_url}?code={classroom.join_code}"
    context = {"classroom": classroom, "join_url": join_url, "qr": qr.svg(filled)}
    return render(request, "learning/show_code.html", context)
