"""Setting a class up: accounts from a pasted list or a CSV file, sign-in slips,
the forced password change, new passwords, confirmation pages, the projector's
join code, and assignments changed and removed."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from learning import roster, services
from learning.models import Assignment, Membership, Profile

NAMES = "\n".join(f"Student Number{n}" for n in range(1, 26))


@pytest.fixture
def classroom(tess):
    return services.classroom_create(teacher=tess, name="9B")


def roster_url(classroom):
    return reverse("learning:classroom_roster", args=[classroom.pk])


def test_a_pasted_list_of_25_names_makes_25_accounts_in_the_class(tess_client, classroom):
    response = tess_client.post(roster_url(classroom), {"names": NAMES})
    assert response.url == reverse("learning:classroom_slips", args=[classroom.pk])
    assert classroom.students.count() == 25
    student = User.objects.get(first_name="Student", last_name="Number7")
    assert student.username == "student.number7" and not student.is_staff
    assert Profile.objects.get(user=student).must_change_password
    html = tess_client.get(response.url).content.decode()
    assert html.count('class="slip"') == 25
    assert "student.number7" in html and "/accounts/login/" in html


def test_the_slips_passwords_sign_the_students_in(tess_client, client, classroom):
    tess_client.post(roster_url(classroom), {"names": "Ann Lee\nBo Chen"})
    html = tess_client.get(reverse("learning:classroom_slips", args=[classroom.pk])).content
    first = html.decode().split('<section class="slip"')[1]
    username = first.split("<dt>Username</dt><dd><code>")[1].split("<")[0]
    password = first.split("<dt>Password</dt><dd><code>")[1].split("<")[0]
    assert signs_in(client, username, password)


def signs_in(_client, username: str, password: str) -> bool:
    """In a browser of their own: the teacher's stays signed in."""
    response = Client().post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302


def test_a_list_with_problems_is_reported_line_by_line_and_nothing_is_made(
    tess_client, classroom, alice
):
    alice.first_name, alice.last_name = "Alice", "Smith"
    alice.save()
    services.classroom_join(student=alice, code=classroom.join_code)
    names = "Ann Lee\n\nann  lee\n" + "x" * 101 + "\nAlice Smith\nBo Chen\n"
    response = tess_client.post(roster_url(classroom), {"names": names})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Line 2: The line is empty." in html
    assert "Line 3: ann lee is already on line 1." in html
    assert "Line 4: The name is longer than 100 characters." in html
    assert "Line 5: Alice Smith is already a student of this class." in html
    assert "Bo Chen" not in html.split("Nothing was created")[1].split("</ul>")[0]
    assert classroom.students.count() == 1 and not User.objects.filter(first_name="Ann").exists()


def test_an_empty_list_is_refused(tess_client, classroom):
    response = tess_client.post(roster_url(classroom), {"names": "  \n\n"})
    assert response.status_code == 400 and "The list has no names." in response.content.decode()


def test_names_taken_elsewhere_get_another_username(tess_client, classroom, db):
    User.objects.create_user("ann.lee")
    tess_client.post(roster_url(classroom), {"names": "Ann Lee\nZoë O'Neil\n李明"})
    assert set(classroom.students.values_list("username", flat=True)) == {
        "ann.lee2",
        "zoe.oneil",
        "student",
    }
    assert classroom.students.get(username="student").get_full_name() == "李明"


def test_a_csv_file_with_a_header_makes_the_accounts(tess_client, classroom):
    upload = SimpleUploadedFile("class.csv", "\ufeffname,notes\nAnn Lee,x\nBo Chen,\n".encode())
    response = tess_client.post(roster_url(classroom), {"file": upload})
    assert response.status_code == 302
    assert set(classroom.students.values_list("username", flat=True)) == {"ann.lee", "bo.chen"}


def test_a_file_that_is_not_utf8_is_refused(tess_client, classroom):
    upload = SimpleUploadedFile("class.csv", "Zoë".encode("latin-1"))
    response = tess_client.post(roster_url(classroom), {"file": upload})
    assert response.status_code == 400 and not classroom.students.exists()


def test_slips_never_show_another_classs_students(tess_client, tess, classroom):
    other = services.classroom_create(teacher=tess, name="9C")
    tess_client.post(roster_url(classroom), {"names": "Ann Lee"})
    tess_client.post(roster_url(other), {"names": "Bo Chen"})
    html = tess_client.get(reverse("learning:classroom_slips", args=[classroom.pk])).content
    assert b"ann.lee" in html and b"bo.chen" not in html


def test_another_teacher_cannot_add_students_or_see_slips(client, tom, classroom):
    client.force_login(tom)
    assert client.post(roster_url(classroom), {"names": "Ann Lee"}).status_code == 404
    slips = reverse("learning:classroom_slips", args=[classroom.pk])
    assert client.get(slips).status_code == 404
    assert not User.objects.filter(username="ann.lee").exists()


def test_a_student_with_a_one_time_password_must_choose_a_new_one(tess_client, classroom):
    tess_client.post(roster_url(classroom), {"names": "Ann Lee"})
    slips = reverse("learning:classroom_slips", args=[classroom.pk])
    html = tess_client.get(slips).content.decode()
    password = html.split("<dt>Password</dt><dd><code>")[1].split("<")[0]
    client = Client()
    response = client.post(reverse("login"), {"username": "ann.lee", "password": password})
    assert response.url == reverse("password_change")
    for page in ("/", reverse("learning:card_decks"), reverse("learning:join")):
        assert client.get(page).url == reverse("password_change")
    assert "one-time password" in client.get(reverse("password_change")).content.decode()
    response = client.post(
        reverse("password_change"),
        {
            "old_password": password,
            "new_password1": "my-own-secret-77",
            "new_password2": "my-own-secret-77",
        },
    )
    assert response.status_code == 302
    assert not Profile.objects.get(user__username="ann.lee").must_change_password
    assert client.get("/").status_code == 200
    # The spent slip is not printed again.
    assert "ann.lee" not in tess_client.get(slips).content.decode()
    # The student joins with the code, and is already in the class.
    response = client.post(reverse("learning:join"), {"code": classroom.join_code}, follow=True)
    assert "You are already in 9B." in response.content.decode()


def test_the_teacher_resets_a_students_password_after_asking(tess_client, client, classroom):
    passwords = services.roster_create(classroom=classroom, lines=[(1, "Ann Lee")])
    ann = User.objects.get(username="ann.lee")
    url = reverse("learning:classroom_password_reset", args=[classroom.pk, ann.pk])
    assert "A new password for Ann Lee?" in tess_client.get(url).content.decode()
    assert signs_in(client, "ann.lee", next(iter(passwords.values())))
    response = tess_client.post(url)
    assert response.url == reverse("learning:classroom_slips", args=[classroom.pk])
    assert not signs_in(client, "ann.lee", next(iter(passwords.values())))
    html = tess_client.get(response.url).content.decode()
    new = html.split("<dt>Password</dt><dd><code>")[1].split("<")[0]
    assert signs_in(client, "ann.lee", new)
    assert Profile.objects.get(user=ann).must_change_password


def test_nobody_resets_the_password_of_a_student_outside_their_class(
    tess_client, client, tom, classroom, alice, bob
):
    services.classroom_join(student=alice, code=classroom.join_code)
    url = reverse("learning:classroom_password_reset", args=[classroom.pk, bob.pk])
    assert tess_client.post(url).status_code == 404
    client.force_login(tom)
    url = reverse("learning:classroom_password_reset", args=[classroom.pk, alice.pk])
    assert client.post(url).status_code == 404
    assert User.objects.get(pk=alice.pk).check_password("alice-password-1")


def test_a_teacher_in_the_class_is_not_the_classs_to_reset(tess_client, tom, classroom):
    services.classroom_join(student=tom, code=classroom.join_code)
    url = reverse("learning:classroom_password_reset", args=[classroom.pk, tom.pk])
    tess_client.post(url)
    assert User.objects.get(pk=tom.pk).check_password("tom-teaches-2020")


def test_removing_a_student_asks_first_and_can_be_undone(tess_client, classroom, alice):
    services.classroom_join(student=alice, code=classroom.join_code)
    joined = Membership.objects.get().joined_at
    url = reverse("learning:classroom_remove", args=[classroom.pk, alice.pk])
    html = tess_client.get(url).content.decode()
    assert "Remove alice from 9B?" in html and "history intact" in html
    assert Membership.objects.exists()
    tess_client.post(url)
    assert not Membership.objects.exists()
    html = tess_client.get(classroom.get_absolute_url()).content.decode()
    assert "alice was removed." in html and "Undo" in html
    tess_client.post(reverse("learning:classroom_restore", args=[classroom.pk]))
    assert Membership.objects.get().joined_at == joined


def test_undo_stops_after_half_an_hour(classroom, alice):
    now = timezone.now()
    with pytest.raises(services.NotRestorable):
        services.membership_restore(
            classroom=classroom,
            student_id=alice.pk,
            joined_at=now,
            removed_at=now - dt.timedelta(minutes=31),
        )


def test_a_new_code_asks_first_and_says_what_happens(tess_client, classroom):
    old = classroom.join_code
    url = reverse("learning:classroom_code", args=[classroom.pk])
    html = tess_client.get(url).content.decode()
    assert f"The code {old} stops working at once" in html
    classroom.refresh_from_db()
    assert classroom.join_code == old
    tess_client.post(url)
    classroom.refresh_from_db()
    assert classroom.join_code != old


def test_the_projector_shows_the_code_the_address_and_a_qr_code(tess_client, classroom):
    html = tess_client.get(
        reverse("learning:classroom_show_code", args=[classroom.pk])
    ).content.decode()
    assert classroom.join_code in html and "http://testserver/join/" in html
    assert "<svg" in html and "<path" in html and "<script" not in html.split("<main")[1]
    from learning import qr

    # The very code of the join page's address with this class's code filled in.
    assert qr.svg(f"http://testserver/join/?code={classroom.join_code}") in html


def test_the_join_page_fills_in_the_code_from_the_qr_code(alice_client, classroom):
    html = alice_client.get(reverse("learning:join"), {"code": classroom.join_code}).content
    assert f'value="{classroom.join_code}"'.encode() in html


def test_the_qr_code_holds_the_join_address(classroom):
    from learning import qr

    svg = qr.svg("http://school.example/join/?code=ACDE3467")
    assert svg.startswith("<svg") and "viewBox" in svg


def test_a_due_date_in_the_past_is_refused_with_a_message(tess_client, classroom, quiz):
    url = reverse("learning:classroom_assign", args=[classroom.pk])
    response = tess_client.post(url, {"quiz": quiz.pk, "due_at": "2020-05-13T10:00"})
    assert response.status_code == 400
    assert "The due date is in the past" in response.content.decode()
    assert not Assignment.objects.exists()


def test_an_assignment_is_changed_and_removed(tess_client, classroom, quiz):
    due = timezone.now() + dt.timedelta(days=3)
    assignment = services.assignment_set(classroom=classroom, quiz=quiz, due_at=due)
    url = reverse("learning:assignment_edit", args=[classroom.pk, assignment.pk])
    assert tess_client.get(url).status_code == 200
    response = tess_client.post(url, {"quiz": quiz.pk, "due_at": "2020-05-13T10:00"})
    assert response.status_code == 400 and "in the past" in response.content.decode()
    later = (timezone.localtime() + dt.timedelta(days=9)).strftime("%Y-%m-%dT%H:%M")
    assert tess_client.post(url, {"quiz": quiz.pk, "due_at": later}).status_code == 302
    assignment.refresh_from_db()
    assert timezone.localtime(assignment.due_at).strftime("%Y-%m-%dT%H:%M") == later
    remove = reverse("learning:assignment_remove", args=[classroom.pk, assignment.pk])
    assert "Stop assigning" in tess_client.get(remove).content.decode()
    assert Assignment.objects.exists()
    tess_client.post(remove)
    assert not Assignment.objects.exists()


def test_another_teachers_assignment_is_404(client, tom, classroom, quiz):
    due = timezone.now() + dt.timedelta(days=3)
    assignment = services.assignment_set(classroom=classroom, quiz=quiz, due_at=due)
    client.force_login(tom)
    url = reverse("learning:assignment_remove", args=[classroom.pk, assignment.pk])
    assert client.post(url).status_code == 404
    assert Assignment.objects.exists()


def test_times_are_shown_in_the_schools_zone_with_its_name(settings, tess_client, classroom, quiz):
    settings.TIME_ZONE = "Europe/Paris"
    due = dt.datetime(2030, 5, 13, 8, 0, tzinfo=dt.UTC)
    services.assignment_set(classroom=classroom, quiz=quiz, due_at=due)
    html = tess_client.get(classroom.get_absolute_url()).content.decode()
    assert "May 13, 2030, 10 a.m. (Europe/Paris)" in html


def test_usernames_and_passwords_are_readable():
    assert roster.username_base("  Zoë  O'Neil ") == "zoe.oneil"
    assert roster.username_base("李明") == "student"
    assert roster.unique_username("ann", {"ann", "ann2"}) == "ann3"
    password = roster.one_time_password()
    assert len(password.split("-")) == 4 and not set(password) & set("l1o0")


def test_a_list_is_read_with_blank_lines_around_it_ignored():
    assert roster.read_pasted("\n\n Ann   Lee \n\nBo\n\n") == [(3, "Ann Lee"), (4, ""), (5, "Bo")]
