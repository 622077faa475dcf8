from django.urls import path

from .views import accounts, cards, progress, quizzes

app_name = "learning"

urlpatterns = [
    path("", progress.home, name="home"),
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
    path("cards/", cards.card_decks, name="card_decks"),
    path("cards/study/", cards.card_study, name="card_study"),
    path("cards/settings/", cards.card_settings, name="card_settings"),
    path("cards/stats/", cards.card_stats, name="card_stats"),
    path("cards/<int:pk>/", cards.card_review, name="card_review"),
]
