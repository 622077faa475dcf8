"""Sign up, log in, log out and password change."""

import re

from django.contrib.auth.models import User
from django.urls import reverse


def test_a_new_student_signs_up_and_is_logged_in(client, db):
    response = client.post(
        reverse("learning:signup"),
        {
            "username": "carol",
            "password1": "a-long-passphrase-9",
            "password2": "a-long-passphrase-9",
        },
    )
    assert response.status_code == 302
    assert User.objects.filter(username="carol").exists()
    assert "carol" in client.get("/").content.decode()


def test_sign_up_applies_djangos_password_validators(client, db):
    response = client.post(
        reverse("learning:signup"),
        {"username": "carol", "password1": "12345678", "password2": "12345678"},
    )
    assert response.status_code == 400
    assert "This password is too common" in response.content.decode()
    assert not User.objects.filter(username="carol").exists()


def test_the_sign_up_page_is_styled_and_labelled(client, db):
    html = client.get(reverse("learning:signup")).content.decode()
    assert re.search(r'<label\s+for="id_username"', html)
    assert "bootstrap/css/bootstrap.min.css" in html
    assert "cdn" not in html.lower()


def test_log_in_and_log_out_by_post(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": "alice-password-1"})
    assert response.status_code == 302
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_wrong_password_says_so(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": "nope"})
    assert "Please enter a correct username and password" in response.content.decode()


def test_a_student_changes_their_password(alice_client, alice):
    response = alice_client.post(
        reverse("password_change"),
        {
            "old_password": "alice-password-1",
            "new_password1": "another-passphrase-7",
            "new_password2": "another-passphrase-7",
        },
        follow=True,
    )
    assert "Password changed" in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password("another-passphrase-7")


def test_a_signed_in_user_visiting_sign_up_goes_home(alice_client):
    assert alice_client.get(reverse("learning:signup")).status_code == 302
