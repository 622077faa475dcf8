"""Teacher pages for classes, the join page, and who may see what."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from learning import services
from learning.models import Assignment, Classroom, Membership
from learning.models.classrooms import JOIN_CODE_ALPHABET, new_join_code


@pytest.fixture
def classroom(tess):
    return services.classroom_create(teacher=tess, name="Class 9B")


@pytest.fixture
def toms_classroom(tom):
    return services.classroom_create(teacher=tom, name="Tom's class")


def teacher_urls(classroom, student_id=1) -> list[tuple[str, str]]:
    pk = classroom.pk
    return [
        ("get", reverse("learning:classroom_detail", args=[pk])),
        ("post", reverse("learning:classroom_code", args=[pk])),
        ("post", reverse("learning:classroom_assign", args=[pk])),
        ("post", reverse("learning:classroom_remove", args=[pk, student_id])),
        ("get", reverse("learning:classroom_gradebook", args=[pk])),
        ("get", reverse("learning:classroom_gradebook_csv", args=[pk])),
    ]


def test_join_codes_are_eight_characters_without_look_alikes():
    assert not set("0O1lI") & set(JOIN_CODE_ALPHABET)
    codes = {new_join_code() for _ in range(50)}
    assert all(len(code) == 8 and set(code) <= set(JOIN_CODE_ALPHABET) for code in codes)
    assert len(codes) == 50


def test_a_teacher_creates_a_classroom_and_gets_a_join_code(tess_client, tess):
    url = reverse("learning:classroom_list")
    response = tess_client.post(url, {"name": "Class 9B"})
    classroom = Classroom.objects.get()
    assert response.url == classroom.get_absolute_url()
    assert classroom.teacher == tess and len(classroom.join_code) == 8
    html = tess_client.get(url).content.decode()
    assert "Class 9B" in html and classroom.join_code in html


def test_a_classroom_needs_a_name(tess_client):
    response = tess_client.post(reverse("learning:classroom_list"), {"name": ""})
    assert response.status_code == 400 and not Classroom.objects.exists()


def test_the_navbar_shows_classrooms_to_teachers_only(client, tess, alice):
    url = reverse("learning:classroom_list")
    client.force_login(tess)
    assert url in client.get("/").content.decode()
    client.force_login(alice)
    html = client.get("/").content.decode()
    assert url not in html and reverse("learning:join") in html


def test_a_student_joins_with_the_code_typed_loosely(alice_client, alice, classroom):
    code = classroom.join_code
    loose = f" {code[:4].lower()}-{code[4:]} "
    response = alice_client.post(reverse("learning:join"), {"code": loose}, follow=True)
    assert "You joined Class 9B." in response.content.decode()
    assert Membership.objects.filter(classroom=classroom, student=alice).exists()
    alice_client.post(reverse("learning:join"), {"code": code})
    assert Membership.objects.count() == 1


def test_joining_a_class_again_says_you_are_already_in_it(alice_client, alice, classroom):
    join = reverse("learning:join")
    alice_client.post(join, {"code": classroom.join_code}, follow=True)
    page = alice_client.post(join, {"code": classroom.join_code}, follow=True).text
    assert "You are already in Class 9B." in page and "You joined" not in page
    assert Membership.objects.filter(classroom=classroom, student=alice).count() == 1


def test_a_wrong_code_says_so(alice_client, classroom):
    response = alice_client.post(reverse("learning:join"), {"code": "AAAAAAAA"})
    assert response.status_code == 400
    assert "There is no class with this code" in response.content.decode()
    assert not Membership.objects.exists()


def test_an_expired_code_says_so(alice_client, classroom):
    classroom.code_expires_at = timezone.now() - dt.timedelta(minutes=1)
    classroom.save()
    response = alice_client.post(reverse("learning:join"), {"code": classroom.join_code})
    assert response.status_code == 400
    assert "This join code has expired" in response.content.decode()
    assert not Membership.objects.exists()


def test_the_join_page_needs_a_login(client):
    response = client.get(reverse("learning:join"))
    assert response.status_code == 302 and reverse("login") in response.url
    assert client.get(reverse("learning:join")).status_code == 302


def test_the_join_page_shows_a_form(alice_client):
    assert "Join code" in alice_client.get(reverse("learning:join")).content.decode()


def test_a_new_code_replaces_the_old_one(tess_client, classroom, alice):
    old = classroom.join_code
    tess_client.post(reverse("learning:classroom_code", args=[classroom.pk]))
    classroom.refresh_from_db()
    assert classroom.join_code != old
    with pytest.raises(services.JoinError):
        services.classroom_join(student=alice, code=old)
    services.classroom_join(student=alice, code=classroom.join_code)


def test_the_teacher_sees_the_roster_and_removes_a_student(tess_client, classroom, alice, bob):
    for student in (alice, bob):
        services.classroom_join(student=student, code=classroom.join_code)
    html = tess_client.get(classroom.get_absolute_url()).content.decode()
    assert "alice" in html and "bob" in html
    tess_client.post(reverse("learning:classroom_remove", args=[classroom.pk, bob.pk]))
    assert list(classroom.students.all()) == [alice]
    again = tess_client.post(reverse("learning:classroom_remove", args=[classroom.pk, bob.pk]))
    assert again.status_code == 404


def test_the_teacher_assigns_a_quiz_with_a_due_date_and_can_move_it(tess_client, classroom, quiz):
    url = reverse("learning:classroom_assign", args=[classroom.pk])
    tess_client.post(url, {"quiz": quiz.pk, "due_at": "2030-05-13T09:00"})
    tess_client.post(url, {"quiz": quiz.pk, "due_at": "2030-05-20T09:00"})
    assignment = Assignment.objects.get()
    assert assignment.due_at.date() == dt.date(2030, 5, 20)
    html = tess_client.get(classroom.get_absolute_url()).content.decode()
    assert quiz.title in html


def test_an_assignment_needs_a_quiz_and_a_date(tess_client, classroom, quiz):
    url = reverse("learning:classroom_assign", args=[classroom.pk])
    response = tess_client.post(url, {"quiz": quiz.pk, "due_at": "soon"})
    assert response.status_code == 400 and not Assignment.objects.exists()


def test_another_teacher_gets_404_on_every_page_of_my_class(client, tom, classroom, alice):
    services.classroom_join(student=alice, code=classroom.join_code)
    client.force_login(tom)
    for method, url in teacher_urls(classroom, alice.pk):
        assert getattr(client, method)(url).status_code == 404, url
    assert classroom.students.count() == 1
    assert "Class 9B" not in client.get(reverse("learning:classroom_list")).content.decode()


def test_a_student_gets_403_on_every_teacher_page(alice_client, classroom):
    pages = [*teacher_urls(classroom), ("get", reverse("learning:classroom_list"))]
    pages.append(("get", reverse("learning:quiz_statistics", args=["any"])))
    for method, url in pages:
        assert getattr(alice_client, method)(url).status_code == 403, url


def test_a_visitor_is_sent_to_log_in_from_every_teacher_page(client, classroom):
    pages = [*teacher_urls(classroom), ("get", reverse("learning:classroom_list"))]
    for method, url in pages:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and reverse("login") in response.url, url


def test_the_home_page_lists_assigned_quizzes_with_due_date_and_status(
    alice_client, alice, classroom, quiz, make_quiz
):
    services.classroom_join(student=alice, code=classroom.join_code)
    later = make_quiz(title="Later quiz", slug="later")
    now = timezone.now()
    services.assignment_set(
        classroom=classroom,
        quiz=quiz,
        due_at=now - dt.timedelta(days=1),
        now=now - dt.timedelta(days=3),
    )
    services.assignment_set(classroom=classroom, quiz=later, due_at=now + dt.timedelta(days=7))
    html = alice_client.get("/").content.decode()
    assert "Assigned to you" in html
    assert html.count("not started") == 2 and "late" in html
    services.attempt_start(user=alice, quiz=later)
    assert "in progress" in alice_client.get("/").content.decode()


def test_the_home_page_shows_no_assignments_to_a_student_without_a_class(alice_client, quiz):
    assert "Assigned to you" not in alice_client.get("/").content.decode()
