"""The home page: for a visitor what the site is; for a student what to do now
and how far they have come."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ..models import Quiz
from ..selectors import progress

# The home page shows the first quizzes of the list; /quizzes/ has them all.
HOME_QUIZZES = 12


def home(request: HttpRequest) -> HttpResponse:
    quizzes = list(Quiz.objects.listed_for(request.user)[: HOME_QUIZZES + 1])
    context = {"quizzes": quizzes[:HOME_QUIZZES], "more_quizzes": len(quizzes) > HOME_QUIZZES}
    if request.user.is_authenticated:
        context |= progress.student_home(request.user, timezone.now())
    return render(request, "learning/home.html", context)
