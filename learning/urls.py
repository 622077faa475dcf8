from django.urls import path

from .views import accounts, health, quizzes

app_name = "learning"

urlpatterns = [
    path("", quizzes.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("signup/", accounts.signup, name="signup"),
    path("quizzes/", quizzes.quiz_list, name="quiz_list"),
    path("quizzes/<slug:slug>/", quizzes.quiz_detail, name="quiz_detail"),
    path("quizzes/<slug:slug>/start/", quizzes.quiz_start, name="quiz_start"),
    path("attempts/", quizzes.attempt_list, name="attempt_list"),
    path("attempts/<int:pk>/", quizzes.attempt_resume, name="attempt_resume"),
    path(
        "attempts/<int:pk>/questions/<int:position>/",
        quizzes.attempt_question,
        name="attempt_question",
    ),
    path("attempts/<int:pk>/finish/", quizzes.attempt_finish, name="attempt_finish"),
    path("attempts/<int:pk>/result/", quizzes.attempt_result, name="attempt_result"),
]
