from django.urls import path, register_converter

from .ids import IdConverter
from .views import (
    account,
    accounts,
    assignments,
    cards,
    classrooms,
    health,
    home,
    quizzes,
    roster,
    teaching,
)

app_name = "learning"
register_converter(IdConverter, "id")

urlpatterns = [
    path("", home.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("signup/", accounts.signup, name="signup"),
    path("language/", accounts.choose_language, name="choose_language"),
    path("account/", account.account, name="account"),
    path("account/my-data.json", account.account_download, name="account_download"),
    path("account/delete/", account.account_delete, name="account_delete"),
    path("join/", classrooms.join, name="join"),
    path("teach/", teaching.teach_home, name="teach_home"),
    path("teach/attempts/<id:pk>/", teaching.attempt_review, name="teach_attempt"),
    path("teach/attempts/<id:pk>/comment/", teaching.attempt_comment, name="teach_comment"),
    path("teach/attempts/<id:pk>/override/", teaching.attempt_override, name="teach_override"),
    path("teach/classes/", classrooms.classroom_list, name="classroom_list"),
    path("teach/classes/<id:pk>/roster/", roster.roster, name="classroom_roster"),
    path("teach/classes/<id:pk>/slips/", roster.slips, name="classroom_slips"),
    path("teach/classes/<id:pk>/show-code/", roster.show_code, name="classroom_show_code"),
    path("teach/classes/<id:pk>/passages/", teaching.class_passages, name="classroom_passages"),
    path("teach/classes/<id:pk>/restore/", classrooms.classroom_restore, name="classroom_restore"),
    path(
        "teach/classes/<id:pk>/students/<id:student_id>/",
        teaching.student_detail,
        name="classroom_student",
    ),
    path(
        "teach/classes/<id:pk>/students/<id:student_id>/password/",
        roster.password_reset,
        name="classroom_password_reset",
    ),
    path(
        "teach/classes/<id:pk>/assignments/<id:assignment_id>/",
        assignments.assignment_edit,
        name="assignment_edit",
    ),
    path(
        "teach/classes/<id:pk>/assignments/<id:assignment_id>/remove/",
        assignments.assignment_remove,
        name="assignment_remove",
    ),
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
    path(
        "attempts/<id:pk>/questions/<id:position>/flag/",
        quizzes.attempt_flag,
        name="attempt_flag",
    ),
    path("attempts/<id:pk>/finish/", quizzes.attempt_finish, name="attempt_finish"),
    path("attempts/<id:pk>/result/", quizzes.attempt_result, name="attempt_result"),
    path("cards/", cards.card_decks, name="card_decks"),
    path("cards/study/", cards.card_study, name="card_study"),
    path("cards/undo/", cards.card_undo, name="card_undo"),
    path("cards/settings/", cards.card_settings, name="card_settings"),
    path("cards/stats/", cards.card_statistics, name="card_statistics"),
    path("cards/<id:pk>/", cards.card_review, name="card_review"),
]
