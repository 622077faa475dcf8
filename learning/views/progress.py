"""The home page: for a visitor what the site is; for a student what to do now
and how far they have come."""

from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import charts, gradebook, progress, services
from ..formatting import percent
from ..models import Attempt, CardState, Quiz

# The home page shows the first quizzes of the list; /quizzes/ has them all.
HOME_QUIZZES = 12


def home(request: HttpRequest) -> HttpResponse:
    quizzes = list(Quiz.objects.listed_for(request.user)[: HOME_QUIZZES + 1])
    context = {"quizzes": quizzes[:HOME_QUIZZES], "more_quizzes": len(quizzes) > HOME_QUIZZES}
    if request.user.is_authenticated:
        context |= _student_overview(request)
    return render(request, "learning/home.html", context)


def _student_overview(request: HttpRequest) -> dict:
    user, now = request.user, timezone.now()
    today = timezone.localdate(now)
    week_start = services.start_of_day(now) - timedelta(days=today.weekday())
    days = progress.active_days(user, since=now - timedelta(days=400))
    mastery = progress.mastery_by_bank(user, now)
    known, total = sum(k for _, k, _ in mastery), sum(t for _, _, t in mastery)
    return {
        "open_attempts": Attempt.objects.in_progress().filter(user=user).select_related("quiz"),
        "cards_due": CardState.objects.due_for(user, now).count(),
        "assignments": gradebook.student_assignments(user, now=now),
        "mastery": charts.share_chart(
            mastery,
            title=_("Questions you know, per bank"),
            description=ngettext(
                "%(known)d of %(total)d question known.",
                "%(known)d of %(total)d questions known.",
                total,
            )
            % {"known": known, "total": total},
        ),
        "score_charts": [
            charts.line_chart(
                entry.points,
                title=entry.title,
                description=ngettext(
                    "%(n)d attempt; pass mark %(mark)s.",
                    "%(n)d attempts; pass mark %(mark)s.",
                    len(entry.points),
                )
                % {"n": len(entry.points), "mark": percent(entry.pass_mark)},
                mark=entry.pass_mark,
            )
            for entry in progress.scores_by_quiz(user)
        ],
        "streak": progress.streak(days, today),
        "time_this_week": progress.time_spent(user, since=week_start),
        "weakest": progress.weakest_passages(user),
    }
