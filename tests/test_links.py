"""The addresses every signed-in page links to outside the fragments kept per
process (`learning.context_processors.links`): the account, signing out, the decks.
Each is the one `reverse` gives, under whatever script prefix the site is served."""

import re

import pytest
from django.urls import reverse, set_script_prefix


def links_of(page) -> dict[str, str]:
    html = page.content.decode()
    account = re.search(r'<a class="nav-link" href="([^"]*)">alice</a>', html).group(1)
    logout = re.search(r'<form method="post" action="([^"]*)">', html).group(1)
    return {"account": account, "logout": logout}


@pytest.mark.parametrize("prefixes", [["", "/quiz"], ["/quiz", ""]])
def test_a_page_links_the_account_and_sign_out_under_its_own_script_prefix(alice_client, prefixes):
    # As Django's WSGI handler sets it from SCRIPT_NAME (its test client does not).
    try:
        for prefix in prefixes:
            set_script_prefix(prefix + "/")
            page = alice_client.get("/cards/")
            assert page.status_code == 200
            assert links_of(page) == {
                "account": prefix + "/account/",
                "logout": prefix + "/accounts/logout/",
            }
    finally:
        set_script_prefix("/")


def test_a_card_page_links_back_to_the_decks_under_its_script_prefix(alice_client, six_kinds):
    card = alice_client.get(reverse("learning:card_study"))["Location"]
    try:
        for prefix in ("", "/quiz", ""):
            set_script_prefix(prefix + "/")
            page = alice_client.get(card)
            assert page.status_code == 200
            assert f'href="{prefix}/cards/">Back to the decks</a>' in page.content.decode()
    finally:
        set_script_prefix("/")


def test_signing_out_through_the_pages_form_signs_out(alice_client):
    page = alice_client.get(reverse("learning:card_decks"))
    assert alice_client.post(links_of(page)["logout"]).status_code == 302
    assert alice_client.get(reverse("learning:card_decks")).status_code == 302
