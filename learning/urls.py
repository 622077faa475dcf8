from django.urls import path, register_converter

from .ids import IdConverter
from .views import accounts, cards, classrooms, health, home, live, quizzes

app_name = "learning"
register_converter(IdConverter, "id")

urlpatterns = [
    path("", home.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("signup/", accounts.signup, name="signup"),
    path("language/", accounts.choose_language, name="choose_language"),
    path("join/", classrooms.join, name="join"),
    path("teach/classes/", classrooms.classroom_list, name="classroom_list"),
    path("teach/classes/<id:pk>/", classrooms.classroom_detail, name="classroom_detail"),
    path(
        "teach/classes/<id:pk>/overview/",
        classrooms.classroom_overview,
        name="classroom_overview",
    ),
    path("teach/classes/<id:pk>/code/", classrooms.classroom_code, name="classroom_code"),
    path("teach/classes/<id:pk>/assign/", classrooms.classroom_assign, name="classroom_assign"),
    path(
        "teach/classes/<id:pk>/students/<id:student_id>/remove/",
        classrooms.classroom_remove,
        name="classroom_remove",
    ),
    path(
        "teach/classes/<id:pk>/gradebook/",
        classrooms.classroom_gradebook,
        name="classroom_gradebook",
    ),
    path(
        "teach/classes/<id:pk>/gradebook.csv",
        classrooms.classroom_gradebook_csv,
        name="classroom_gradebook_csv",
    ),
    path(
        "teach/quizzes/<slug:slug>/statistics/",
        classrooms.quiz_statistics,
        name="quiz_statistics",
    ),
    path("live/", live.live_join, name="live_join"),
    path("live/<id:pk>/", live.live_play, name="live_play"),
    path("teach/live/new/", live.live_new, name="live_new"),
    path("teach/live/<id:pk>/", live.live_host, name="live_host"),
    path("teach/live/<id:pk>/control/", live.live_control, name="live_control"),
    path("teach/live/<id:pk>/qr.svg", live.live_qr, name="live_qr"),
    path("teach/live/<id:pk>/report/", live.live_report, name="live_report"),
    path("quizzes/", quizzes.quiz_list, name="quiz_list"),
    path("quizzes/<slug:slug>/", quizzes.quiz_detail, name="quiz_detail"),
    path("quizzes/<slug:slug>/start/", quizzes.quiz_start, name="quiz_start"),
    path("attempts/", quizzes.attempt_list, name="attempt_list"),
    path("attempts/<id:pk>/", quizzes.attempt_resume, name="attempt_resume"),
    path(
        "attempts/<id:pk>/questions/<id:position>/",
        quizzes.attempt_question,
        name="attempt_question",
    ),
    path("attempts/<id:pk>/finish/", quizzes.attempt_finish, name="attempt_finish"),
    path("attempts/<id:pk>/result/", quizzes.attempt_result, name="attempt_result"),
    path("cards/", cards.card_decks, name="card_decks"),
    path("cards/study/", cards.card_study, name="card_study"),
    path("cards/settings/", cards.card_settings, name="card_settings"),
    path("cards/stats/", cards.card_statistics, name="card_statistics"),
    path("cards/<id:pk>/", cards.card_review, name="card_review"),
]
