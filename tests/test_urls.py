"""Every URL of the site, visited by each kind of visitor.

The walk enumerates the URLconf. Each named route needs a rule in RULES (a
namespace may have one rule for all its routes, as "admin:*"); a new URL without
one fails `test_every_route_has_a_rule`. Then, for every route:

- an anonymous visitor gets a public page, or is sent to log in;
- alice, a student, gets 404 on bob's objects and no teacher page;
- nobody's POST gets through without a CSRF token;
- every answer carries the content security policy, and no page has an inline
  script or style.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from learning import services
from learning.services import live

from .test_security import assert_nothing_inline

PUBLIC = "public"  # anyone, logged in or not
LOGIN = "login"  # any signed-in account; anonymous visitors are sent to log in
OWNER = "owner"  # only the account that owns the object; anyone else gets 404
STAFF = "staff"  # teachers only; students get 403 or 404 (the admin: its log-in page)


def objects_of(user: User, quiz) -> SimpleNamespace:
    """One account's objects that routes point to. Add a field for each new kind."""
    return SimpleNamespace(
        quiz=quiz,
        attempt=services.attempt_start(user=user, quiz=quiz),
        card=services.card_next(user=user),
        classroom=services.classroom_create(teacher=user, name=f"{user}'s class"),
        game=live.game_create(host=user, quiz=quiz),
        user=user,
    )


@dataclass(frozen=True)
class Rule:
    access: str
    # The route's URL arguments, from the objects of the account under test
    # (for OWNER routes, alice tries bob's objects).
    kwargs: Callable[[SimpleNamespace], dict] = lambda o: {}
    # What an allowed visitor's GET answers: 200, or 302 for a page that sends
    # on, 405 for a POST-only route.
    status: int = 200
    # Where an anonymous visitor is sent, when it is not the log-in page.
    anonymous_to: str = ""


def attempt(o):
    return {"pk": o.attempt.pk}


def classroom(o):
    return {"pk": o.classroom.pk}


def game(o):
    return {"pk": o.game.pk}


RULES: dict[str, Rule] = {
    "login": Rule(PUBLIC),
    "logout": Rule(PUBLIC, status=405),
    "password_change": Rule(LOGIN),
    "password_change_done": Rule(LOGIN),
    "password_reset": Rule(PUBLIC),
    "password_reset_done": Rule(PUBLIC),
    "password_reset_confirm": Rule(PUBLIC, kwargs=lambda o: {"uidb64": "MQ", "token": "x-y"}),
    "password_reset_complete": Rule(PUBLIC),
    "learning:home": Rule(PUBLIC),
    "learning:healthz": Rule(PUBLIC),
    "learning:signup": Rule(PUBLIC, status=302),  # a signed-in account goes home
    "learning:choose_language": Rule(PUBLIC, status=405),  # a POST only
    "learning:account": Rule(LOGIN),
    "learning:account_download": Rule(LOGIN),
    "learning:account_delete": Rule(LOGIN, status=405),  # a POST only
    "learning:quiz_list": Rule(PUBLIC),
    "learning:quiz_detail": Rule(PUBLIC, kwargs=lambda o: {"slug": o.quiz.slug}),
    "learning:quiz_start": Rule(LOGIN, kwargs=lambda o: {"slug": o.quiz.slug}, status=405),
    "learning:attempt_list": Rule(LOGIN),
    "learning:attempt_resume": Rule(OWNER, kwargs=attempt, status=302),
    "learning:attempt_question": Rule(OWNER, kwargs=lambda o: {**attempt(o), "position": 1}),
    "learning:attempt_flag": Rule(
        OWNER, kwargs=lambda o: {**attempt(o), "position": 1}, status=405
    ),  # a POST only
    "learning:attempt_finish": Rule(OWNER, kwargs=attempt),
    "learning:attempt_result": Rule(OWNER, kwargs=attempt, status=302),  # still open
    "learning:card_decks": Rule(LOGIN),
    "learning:card_study": Rule(LOGIN, status=302),  # on to the next card
    "learning:card_undo": Rule(LOGIN, status=405),  # a POST only
    "learning:card_settings": Rule(LOGIN),
    "learning:card_statistics": Rule(LOGIN),
    "learning:card_review": Rule(OWNER, kwargs=lambda o: {"pk": o.card.pk}),
    "learning:join": Rule(LOGIN),
    "learning:classroom_list": Rule(STAFF),
    "learning:classroom_detail": Rule(STAFF, kwargs=classroom),
    "learning:classroom_overview": Rule(STAFF, kwargs=classroom),
    "learning:classroom_code": Rule(STAFF, kwargs=classroom),  # GET asks to confirm
    "learning:classroom_assign": Rule(STAFF, kwargs=classroom, status=405),
    "learning:classroom_remove": Rule(
        STAFF, kwargs=lambda o: {**classroom(o), "student_id": o.user.pk}
    ),
    "learning:classroom_restore": Rule(STAFF, kwargs=classroom, status=405),
    "learning:classroom_roster": Rule(STAFF, kwargs=classroom),
    "learning:classroom_slips": Rule(STAFF, kwargs=classroom),
    "learning:classroom_show_code": Rule(STAFF, kwargs=classroom),
    "learning:classroom_passages": Rule(STAFF, kwargs=classroom),
    "learning:classroom_student": Rule(
        STAFF, kwargs=lambda o: {**classroom(o), "student_id": o.user.pk}
    ),
    "learning:classroom_password_reset": Rule(
        STAFF, kwargs=lambda o: {**classroom(o), "student_id": o.user.pk}
    ),
    "learning:assignment_edit": Rule(STAFF, kwargs=lambda o: {**classroom(o), "assignment_id": 1}),
    "learning:assignment_remove": Rule(
        STAFF, kwargs=lambda o: {**classroom(o), "assignment_id": 1}
    ),
    "learning:teach_home": Rule(STAFF),
    "learning:teach_attempt": Rule(STAFF, kwargs=attempt),
    "learning:teach_comment": Rule(STAFF, kwargs=attempt, status=405),
    "learning:teach_override": Rule(STAFF, kwargs=attempt, status=405),
    "learning:classroom_gradebook": Rule(STAFF, kwargs=classroom),
    "learning:classroom_gradebook_csv": Rule(STAFF, kwargs=classroom),
    "learning:quiz_statistics": Rule(STAFF, kwargs=lambda o: {"slug": o.quiz.slug}),
    "learning:live_join": Rule(PUBLIC),
    # Without a player cookie, anyone is sent to the join page.
    "learning:live_play": Rule(LOGIN, kwargs=game, status=302, anonymous_to="learning:live_join"),
    "learning:live_new": Rule(STAFF),
    "learning:live_host": Rule(STAFF, kwargs=game),
    "learning:live_control": Rule(STAFF, kwargs=game, status=405),
    "learning:live_team": Rule(STAFF, kwargs=game, status=405),
    "learning:live_qr": Rule(STAFF, kwargs=game),
    "learning:live_report": Rule(STAFF, kwargs=game),
    "admin:login": Rule(PUBLIC),
    "admin:logout": Rule(STAFF, anonymous_to="admin:index"),
    "admin:*": Rule(STAFF),
}

# Arguments for routes whose rule gives none (the admin's), by parameter name.
SAMPLE_ARGUMENTS = {
    "object_id": "1",
    "id": "1",
    "pk": "1",
    "app_label": "learning",
    "content_type_id": 1,
}


@dataclass
class Route:
    name: str | None
    route: str
    params: list[str] = field(default_factory=list)

    @property
    def namespace(self) -> str:
        return self.name.split(":")[0] if self.name and ":" in self.name else ""


def routes(patterns=None, prefix: str = "", namespace: str = "") -> list[Route]:
    found = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(n for n in (namespace, entry.namespace) if n)
            found += routes(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            pattern = entry.pattern
            params = list(getattr(pattern, "converters", {}) or pattern.regex.groupindex)
            name = entry.name and ":".join(n for n in (namespace, entry.name) if n)
            found.append(Route(name, prefix + str(pattern), params))
    return found


def rule_for(route: Route) -> Rule | None:
    return RULES.get(route.name) or RULES.get(f"{route.namespace}:*")


def named_routes() -> list[Route]:
    return [r for r in routes() if r.name]


def test_every_route_has_a_rule():
    missing = [r.name for r in named_routes() if rule_for(r) is None]
    assert not missing, f"Add a rule to RULES in tests/test_urls.py for: {missing}"
    # Only the admin has routes without a name (its redirects and catch-all).
    unnamed = [r.route for r in routes() if not r.name and not r.route.startswith("admin/")]
    assert not unnamed, f"Name these routes: {unnamed}"
    stale = set(RULES) - {r.name for r in named_routes()} - {"admin:*"}
    assert not stale, f"Rules for routes that no longer exist: {stale}"


@pytest.fixture
def world(alice, bob, quiz):
    return SimpleNamespace(alices=objects_of(alice, quiz), bobs=objects_of(bob, quiz))


def url_for(route: Route, rule: Rule, objects: SimpleNamespace) -> str:
    kwargs = rule.kwargs(objects) or {p: SAMPLE_ARGUMENTS[p] for p in route.params}
    return reverse(route.name, kwargs=kwargs)


def login_page(route: Route) -> str:
    return reverse("admin:login") if route.namespace == "admin" else reverse("login")


def check_answer(response, url: str) -> None:
    assert response.status_code < 500, url
    assert "Content-Security-Policy" in response, url
    if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
        assert_nothing_inline(response.content.decode())


def test_anonymous_visitors_see_public_pages_and_are_sent_to_log_in_elsewhere(client, world):
    for route in named_routes():
        rule = rule_for(route)
        url = url_for(route, rule, world.alices)
        response = client.get(url)
        check_answer(response, url)
        if rule.access == PUBLIC:
            assert response.status_code == (200 if rule.status == 302 else rule.status), url
            continue
        assert response.status_code == 302, url
        target = urlsplit(response["Location"]).path
        expected = reverse(rule.anonymous_to) if rule.anonymous_to else login_page(route)
        assert target == expected, url


def test_a_student_gets_404_on_other_students_objects_and_no_teacher_page(alice_client, world):
    for route in named_routes():
        rule = rule_for(route)
        if rule.access == OWNER:
            url = url_for(route, rule, world.bobs)
            response = alice_client.get(url)
            check_answer(response, url)
            assert response.status_code == 404, url
            # ... and her own work as the rule says.
            url = url_for(route, rule, world.alices)
            assert alice_client.get(url).status_code == rule.status, url
        elif rule.access == STAFF:
            url = url_for(route, rule, world.alices)
            response = alice_client.get(url)
            check_answer(response, url)
            if route.namespace == "admin":
                # The admin answers an account without is_staff with its log-in form.
                assert response.status_code == 302, url
                assert urlsplit(response["Location"]).path in {
                    reverse("admin:login"),
                    reverse("admin:index"),
                }, url
            else:
                assert response.status_code in (403, 404), url
        else:
            url = url_for(route, rule, world.alices)
            response = alice_client.get(url)
            check_answer(response, url)
            assert response.status_code == rule.status, url


def test_no_post_gets_through_without_a_csrf_token(alice, world):
    anonymous = Client(enforce_csrf_checks=True)
    student = Client(enforce_csrf_checks=True)
    student.force_login(alice)
    for route in named_routes():
        url = url_for(route, rule_for(route), world.alices)
        for client in (anonymous, student):
            response = client.post(url, {"username": "alice", "answer": "0"})
            assert response.status_code == 403, url
            assert re.search(r"<h1>Please try again</h1>", response.content.decode()), url
