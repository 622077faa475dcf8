"""The quiz form a teacher reads correctly, accommodations, and the regrade pages."""

import datetime as dt

from django.contrib.auth.hashers import check_password
from django.urls import reverse

from learning import services
from learning.models import Accommodation, Choice, Quiz, Regrade
from tests.test_admin import quiz_post
from tests.test_regrade import pick, sit, typed

ADD = "/admin/learning/quiz/add/"


def test_the_time_limit_is_typed_in_minutes(tess_client, six_kinds, bank):
    page = tess_client.get(ADD).content.decode()
    assert 'name="time_limit"' in page and "minutes" in page
    response = tess_client.post(ADD, quiz_post(bank, time_limit="20"))
    assert response.status_code == 302
    quiz = Quiz.objects.get(slug="essentials-2")
    assert quiz.time_limit == dt.timedelta(minutes=20)
    change = tess_client.get(reverse("admin:learning_quiz_change", args=[quiz.pk]))
    assert 'name="time_limit" value="20"' in change.content.decode()


def test_a_time_limit_under_a_minute_is_refused_with_a_message(tess_client, six_kinds, bank):
    for typed_value, message in [
        ("0", "at least one minute"),
        ("1.5", "whole minutes"),
        ("99999", "at most a week"),
    ]:
        response = tess_client.post(ADD, quiz_post(bank, time_limit=typed_value))
        assert response.status_code == 200 and message in response.content.decode()
    assert not Quiz.objects.filter(slug="essentials-2").exists()


def test_a_new_quiz_starts_as_a_draft(tess_client, six_kinds, bank):
    data = quiz_post(bank)
    del data["published"]
    tess_client.post(ADD, data)
    assert not Quiz.objects.get(slug="essentials-2").published
    assert 'name="published"' in tess_client.get(ADD).content.decode()
    assert 'name="published" checked' not in tess_client.get(ADD).content.decode()


def test_open_and_close_times_name_the_school_time_zone_and_must_be_in_order(
    tess_client, six_kinds, bank
):
    assert "In the school's time zone, UTC." in tess_client.get(ADD).content.decode()
    data = quiz_post(
        bank,
        opens_at="2026-12-02T09:00",
        closes_at="2026-12-01T09:00",
    )
    response = tess_client.post(ADD, data)
    assert "The quiz must close after it opens." in response.content.decode()


def test_the_access_password_is_stored_hashed_kept_and_removable(tess_client, six_kinds, bank):
    tess_client.post(ADD, quiz_post(bank, new_password="room-12"))
    quiz = Quiz.objects.get(slug="essentials-2")
    assert quiz.access_password != "room-12" and check_password("room-12", quiz.access_password)
    url = reverse("admin:learning_quiz_change", args=[quiz.pk])
    assert "room-12" not in tess_client.get(url).content.decode()
    tess_client.post(url, quiz_post(bank))
    quiz.refresh_from_db()
    assert check_password("room-12", quiz.access_password)
    tess_client.post(url, quiz_post(bank, clear_password="on"))
    quiz.refresh_from_db()
    assert quiz.access_password == ""


def test_a_teacher_gives_one_of_their_students_extra_time(tess_client, tess, alice, quiz, bank):
    classroom = services.classroom_create(teacher=tess, name="9B")
    services.classroom_join(student=alice, code=classroom.join_code)
    url = reverse("admin:learning_quiz_change", args=[quiz.pk])
    page = tess_client.get(url).content.decode()
    assert "Accommodations" in page
    data = quiz_post(bank, slug=quiz.slug, title=quiz.title) | {
        "accommodations-TOTAL_FORMS": 1,
        "accommodations-0-student": alice.pk,
        "accommodations-0-classroom": "",
        "accommodations-0-time_factor": "1.5",
        "accommodations-0-extra_minutes": "0",
        "accommodations-0-extra_attempts": "1",
        "accommodations-0-closes_at": "",
    }
    assert tess_client.post(url, data).status_code == 302
    assert Accommodation.objects.get().student == alice


def test_an_accommodation_names_one_student_or_one_class(tess_client, tess, alice, quiz, bank):
    classroom = services.classroom_create(teacher=tess, name="9B")
    services.classroom_join(student=alice, code=classroom.join_code)
    url = reverse("admin:learning_quiz_change", args=[quiz.pk])
    data = quiz_post(bank, slug=quiz.slug, title=quiz.title) | {
        "accommodations-TOTAL_FORMS": 1,
        "accommodations-0-student": alice.pk,
        "accommodations-0-classroom": classroom.pk,
        "accommodations-0-time_factor": "1",
        "accommodations-0-extra_minutes": "0",
        "accommodations-0-extra_attempts": "0",
    }
    response = tess_client.post(url, data)
    assert "Choose one student or one class, not both." in response.content.decode()
    assert not Accommodation.objects.exists()


def test_the_regrade_page_shows_a_dry_run_then_regrades(
    tess_client, tess, alice, make_quiz, make_question
):
    single = make_question("single", prompt="Who chaired?")
    quiz = make_quiz(shuffle_questions=False, pass_mark=50)
    attempt = sit(alice, quiz, {"single": pick("Wang Yi")})
    Choice.objects.filter(question=single, text="Wang Yi").update(credit=1)
    Choice.objects.filter(question=single, text="Sergei Lavrov").update(credit=0)
    url = reverse("admin:learning_quiz_regrade", args=[quiz.pk])
    page = tess_client.get(url)
    html = page.content.decode()
    assert "1 finished attempt would change." in html and "now passes" in html
    attempt.refresh_from_db()
    assert attempt.score == 0
    fingerprint = page.context["plan"].fingerprint
    assert tess_client.post(url, {"fingerprint": "stale"}).status_code == 409
    assert tess_client.post(url, {"fingerprint": fingerprint}).status_code == 302
    attempt.refresh_from_db()
    assert attempt.score == 1 and Regrade.objects.get().by == tess


def test_the_student_sees_the_regrade_note_on_their_result(
    alice_client, alice, tess, make_quiz, make_question
):
    single = make_question("single", prompt="Who chaired?")
    quiz = make_quiz(shuffle_questions=False)
    attempt = sit(alice, quiz, {"single": pick("Wang Yi")})
    Choice.objects.filter(question=single, text="Wang Yi").update(credit=1)
    plan = services.regrade_preview(quiz=quiz)
    services.quiz_regrade(quiz=quiz, by=tess, fingerprint=plan.fingerprint)
    html = alice_client.get(reverse("learning:attempt_result", args=[attempt.pk])).content.decode()
    assert "Regraded by your teacher" in html and "it is now 1 / 1" in html


def test_the_statistics_page_lists_wrong_short_answers_to_accept(
    tess_client, alice, bob, make_quiz, make_question
):
    make_question("short", prompt="Name the chair.")
    quiz = make_quiz()
    sit(alice, quiz, {"short": typed("S. Lavrov")})
    sit(bob, quiz, {"short": typed("s lavrov")})
    html = tess_client.get(reverse("learning:quiz_statistics", args=[quiz.slug])).content.decode()
    assert "Wrong short answers" in html and "“S. Lavrov”" in html and "2 students" in html
    accept = html.split("Accept this answer")[0].rsplit('href="', 1)[1].split('"')[0]
    page = tess_client.get(accept.replace("&amp;", "&")).content.decode()
    assert "were accepted with full credit" in page and "2 finished attempts would change." in page


def test_the_regrade_page_offers_to_drop_a_question_and_shows_its_dry_run(
    tess_client, alice, make_quiz, make_question
):
    single = make_question("single", prompt="Who chaired?")
    quiz = make_quiz()
    sit(alice, quiz, {"single": pick("Wang Yi")})
    url = reverse("admin:learning_quiz_regrade", args=[quiz.pk])
    assert f"?drop={single.pk}" in tess_client.get(url).content.decode()
    page = tess_client.get(url, {"drop": single.pk}).content.decode()
    assert "were dropped from this quiz" in page and "Q1 dropped" in page


def test_the_regrade_page_is_404_for_a_question_outside_the_quiz(tess_client, quiz, bank, passage):
    url = reverse("admin:learning_quiz_regrade", args=[quiz.pk])
    assert tess_client.get(url, {"drop": "999999"}).status_code == 404
    assert tess_client.get(url, {"drop": "x"}).status_code == 404
    assert tess_client.get(url, {"accept": "²"}).status_code == 404


def test_accepting_an_answer_to_a_choice_question_is_refused_with_a_message(
    tess_client, quiz, six_kinds
):
    url = reverse("admin:learning_quiz_regrade", args=[quiz.pk])
    response = tess_client.get(url, {"accept": six_kinds["single"].pk, "text": "x"}, follow=True)
    assert "Only a short-answer question takes an accepted answer." in response.content.decode()


def test_students_never_reach_the_regrade_page(alice_client, quiz):
    url = reverse("admin:learning_quiz_regrade", args=[quiz.pk])
    assert alice_client.get(url).status_code == 302
    assert alice_client.post(url, {"fingerprint": "x"}).status_code == 302
