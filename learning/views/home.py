"""The home page: for a visitor what the site is; for a student what to do now
and how far they have come."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ..models import Quiz
from ..selectors import kept, progress
from .sections import kept_section

# The home page shows the first quizzes of the list; /quizzes/ has them all.
HOME_QUIZZES = 12


def _quizzes(user) -> dict:
    quizzes = list(Quiz.objects.listed_for(user)[: HOME_QUIZZES + 1])
    return {"quizzes": quizzes[:HOME_QUIZZES], "more_quizzes": len(quizzes) > HOME_QUIZZES}


def home(request: HttpRequest) -> HttpResponse:
    """A student's part of the page is kept whole under a key of what it shows
    (`kept.home_key`): a repeat view reads a few short rows."""
    user = request.user
    if not user.is_authenticated:
        return render(request, "learning/home.html", _quizzes(user))
    now = timezone.now()

    def student() -> dict:
        open_attempts = progress.open_attempts_of(user)
        return {"user": user} | _quizzes(user) | progress.student_home(user, now, open_attempts)

    section = kept_section(kept.home_key(user, now), "learning/_home_student.html", student)
    return render(request, "learning/home.html", {"student_section": section})
