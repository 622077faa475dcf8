"""What every page's template may use beyond Django's own context processors."""

from functools import cache

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse

# Addresses with no argument that signed-in pages link to outside the fragments
# kept per process (base.html): the account, signing out, the decks. (The 500 page
# is drawn without context processors, and with nobody signed in.)
_LINKS = {
    "account": "learning:account",
    "card_decks": "learning:card_decks",
    "logout": "logout",
}


@cache
def _links(urlconf: str, script_prefix: str) -> dict[str, str]:
    # Reversed once for each URLconf and script prefix, all that changes them:
    # `{% url %}` reversed each on every page, 1 % of a question page's work for
    # its two and 2.5 % of a card page's for its three (bench/README.md,
    # eighteenth round).
    return {key: reverse(name, urlconf=urlconf) for key, name in _LINKS.items()}


def links(request: HttpRequest) -> dict:
    """`links.account`, `links.logout` and `links.card_decks`: each route's
    address, reversed once per process and script prefix."""
    return {"links": _links(get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())}
