"""The teacher's view of a class as a whole."""

from datetime import datetime

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import charts, grid_chart
from ..formatting import percent
from ..models import Attempt, AttemptItem, Classroom
from .gradebook import Standing, classroom_gradebook, display_name
from .pools import bank_questions
from .progress import known_by_student, mastery


def class_overview(classroom: Classroom, *, now: datetime) -> dict:
    """The class at a glance: grades per assigned quiz, mastery per student and
    bank, and the questions the class misses most."""
    book = classroom_gradebook(classroom, now=now)
    histograms = []
    for i, assignment in enumerate(book.assignments):
        standings = [row.standings[i] for row in book.rows]
        grades = [
            s.percent for s in standings if s.status == Standing.GRADED and s.percent is not None
        ]
        waiting = sum(s.status == Standing.NOT_STARTED for s in standings)
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
    known = known_by_student([s.pk for s in students], now)
    banks, bank_of = bank_questions()
    grid = grid_chart.share_grid(
        [display_name(s) for s in students],
        [bank.name for bank in banks],
        [[(k, t) for _, k, t in mastery(known[s.pk], banks, bank_of)] for s in students],
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
    return {"classroom": classroom, "histograms": histograms, "grid": grid, "missed": missed}
