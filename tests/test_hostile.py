"""Hostile input: random form posts against every form view, oversized and malformed
bodies, out-of-range ids, and tampered answers.

Whatever is posted, the answer is a page or a redirect (never a 500: the test
client raises any exception a view lets through), and the database holds
nothing a valid form would have refused.
"""

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learning import services
from learning.models import (
    Assignment,
    AttemptItem,
    CardState,
    Choice,
    Classroom,
    Membership,
    Review,
    StudySettings,
)

HUGE = "9" * 30

# Bounded: each example is one request; the whole module runs in seconds.
hostile = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

FIELDS = [
    "answer", "item_0", "item_1", "item_2", "item_3", "rating", "version", "shown_at",
    "new_per_day", "reviews_per_day", "desired_retention", "code", "name", "quiz", "due_at",
    "username", "email", "password", "password1", "password2", "old_password",
    "new_password1", "new_password2",
]  # fmt: skip
SCALARS = st.one_of(
    st.text(max_size=40),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(
        ["", "0", "1", "-1", "3", "4", "1e309", "NaN", "inf", "0.5", "2030-01-01T10:00",
         "\x00", "' OR 1=1 --", HUGE, "-" + HUGE, "🙂" * 60, "²",
         "\u0661\u0662", "\uff11", "\u0663"]
    ),
)  # fmt: skip
FORMS = st.dictionaries(
    keys=st.one_of(st.sampled_from(FIELDS), st.text(max_size=12)),
    values=st.one_of(SCALARS, st.lists(SCALARS, max_size=3)),
    max_size=6,
)


@pytest.fixture
def world(quiz, alice, tess):
    """Alice's open attempt and a card of hers; Tess's class with the quiz assigned."""
    attempt = services.attempt_start(user=alice, quiz=quiz)
    card = CardState.objects.create(
        user=alice, question=quiz.question_pool().first(), due=timezone.now()
    )
    classroom = services.classroom_create(teacher=tess, name="Class 9B")
    return {"attempt": attempt, "card": card, "classroom": classroom, "quiz": quiz}


def form_urls(world, role: str) -> list[str]:
    attempt, card, classroom = world["attempt"], world["card"], world["classroom"]
    pk = classroom.pk
    everyone = [
        reverse("learning:signup"),
        reverse("login"),
        reverse("learning:join"),
        reverse("learning:quiz_start", args=[world["quiz"].slug]),
        reverse("learning:card_settings"),
        reverse("password_change"),
    ]
    student = [
        *[reverse("learning:attempt_question", args=[attempt.pk, p]) for p in range(1, 7)],
        reverse("learning:attempt_finish", args=[attempt.pk]),
        reverse("learning:card_review", args=[card.pk]),
    ]
    teacher = [
        reverse("learning:classroom_list"),
        reverse("learning:classroom_code", args=[pk]),
        reverse("learning:classroom_assign", args=[pk]),
        reverse("learning:classroom_remove", args=[pk, 1]),
        reverse("learning:classroom_remove", args=[pk, HUGE]),
    ]
    return everyone + student + teacher


def assert_nothing_invalid_stored(world) -> None:
    """Every row the posts may have touched is one a valid form could have made."""
    for item in AttemptItem.objects.filter(answered_at__isnull=False).select_related("question"):
        response, ids = item.response, set(item.choice_order)
        kind = item.question.kind
        if kind in ("single", "true_false"):
            assert response["choice"] in ids
        elif kind == "multiple":
            assert response["choices"] and set(response["choices"]) <= ids
        elif kind == "short":
            assert 0 < len(response["text"]) <= 200 and "\x00" not in response["text"]
        elif kind == "ordering":
            places = list(response["positions"].values())
            assert sorted(places) == list(range(1, len(ids) + 1))
        else:
            assert set(map(int, response["matches"])) == ids
        assert 0 <= item.credit <= 1
    for limits in StudySettings.objects.all():
        assert limits.new_per_day <= 500 and limits.reviews_per_day <= 9999
        assert 0.70 <= limits.desired_retention <= 0.97
    # A rating bumps the version once and logs one review (a missed quiz question
    # may bump it too), so a card never has more reviews than versions.
    for card in CardState.objects.all():
        assert card.reviews.count() <= card.version
    assert set(Review.objects.values_list("rating", flat=True)) <= {1, 2, 3, 4}
    for classroom in Classroom.objects.all():
        assert 0 < len(classroom.name) <= 200 and "\x00" not in classroom.name
    assert not Membership.objects.exists()  # nobody posted the real join code
    for assignment in Assignment.objects.select_related("quiz"):
        assert assignment.quiz.published and assignment.due_at is not None
    for user in User.objects.all():
        UnicodeUsernameValidator()(user.username)
        assert user.has_usable_password() or user.username in ("alice", "bob")
    assert User.objects.filter(is_staff=True).count() == 1  # only Tess


def _fuzz(client, world, role: str, data) -> None:
    for url in form_urls(world, role):
        response = client.post(url, data)
        assert response.status_code in (200, 302, 400, 403, 404, 405), (url, response)
    assert_nothing_invalid_stored(world)


@hostile
@given(data=FORMS)
def test_random_posts_by_a_visitor_never_fail_or_store_anything_invalid(client, world, data):
    _fuzz(client, world, "visitor", data)


@hostile
@given(data=FORMS)
def test_random_posts_by_a_student_never_fail_or_store_anything_invalid(client, alice, world, data):
    client.force_login(alice)
    _fuzz(client, world, "student", data)


@hostile
@given(data=FORMS)
def test_random_posts_by_a_teacher_never_fail_or_store_anything_invalid(client, tess, world, data):
    client.force_login(tess)
    _fuzz(client, world, "teacher", data)


# Query strings: every page, with random values for the parameters pages read ------

PARAMETERS = ["passage", "deck", "show", "classroom", "attempts", "sort", "next", "page"]
QUERIES = st.dictionaries(
    keys=st.one_of(st.sampled_from(PARAMETERS), st.text(max_size=8)),
    values=st.one_of(SCALARS, st.lists(SCALARS, max_size=3)),
    max_size=4,
)


def page_urls(world) -> list[str]:
    attempt, card, classroom = world["attempt"], world["card"], world["classroom"]
    slug = world["quiz"].slug
    named = [
        ("learning:home", []), ("learning:quiz_list", []), ("learning:quiz_detail", [slug]),
        ("learning:attempt_list", []), ("learning:attempt_resume", [attempt.pk]),
        ("learning:attempt_question", [attempt.pk, 1]),
        ("learning:attempt_finish", [attempt.pk]), ("learning:attempt_result", [attempt.pk]),
        ("learning:card_decks", []), ("learning:card_study", []),
        ("learning:card_review", [card.pk]), ("learning:card_settings", []),
        ("learning:card_statistics", []), ("learning:join", []),
        ("learning:classroom_list", []), ("learning:classroom_detail", [classroom.pk]),
        ("learning:classroom_overview", [classroom.pk]),
        ("learning:classroom_gradebook", [classroom.pk]),
        ("learning:classroom_gradebook_csv", [classroom.pk]),
        ("learning:quiz_statistics", [slug]), ("learning:signup", []), ("login", []),
    ]  # fmt: skip
    return [reverse(name, args=args) for name, args in named]


@hostile
@given(query=QUERIES)
def test_random_query_strings_on_every_page_never_fail(client, alice, tess, world, query):
    for user in (None, alice, tess):
        if user is None:
            client.logout()
        else:
            client.force_login(user)
        for url in page_urls(world):
            response = client.get(url, query)
            assert response.status_code in (200, 302, 400, 403, 404), (url, query, response)


@pytest.mark.parametrize("value", ["²", "\u0661", "\uff11", "1²", " 1", "0x1", HUGE])
def test_a_number_in_a_query_string_that_is_not_ascii_digits_names_nothing(
    client, alice, tess, world, value
):
    client.force_login(alice)
    study = client.get(reverse("learning:card_study"), {"passage": value})
    assert study.status_code == 302 and "passage" not in study["Location"]
    review = reverse("learning:card_review", args=[world["card"].pk])
    assert client.get(review, {"passage": value, "show": "1"}).status_code == 200
    client.force_login(tess)
    stats = reverse("learning:quiz_statistics", args=[world["quiz"].slug])
    assert client.get(stats, {"classroom": value}).status_code == 404


# Malformed requests -----------------------------------------------------------


@pytest.fixture
def answer_url(world):
    return reverse("learning:attempt_question", args=[world["attempt"].pk, 1])


def test_an_oversized_body_gets_a_400(alice_client, answer_url, settings):
    body = "answer=" + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = alice_client.post(answer_url, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert not AttemptItem.objects.filter(answered_at__isnull=False).exists()


def test_too_many_fields_get_a_400(alice_client, answer_url, settings):
    data = {f"f{n}": "0" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    assert alice_client.post(answer_url, data).status_code == 400
    assert not AttemptItem.objects.filter(answered_at__isnull=False).exists()


@pytest.mark.parametrize("body", [b"answer=%FF%FE", b"answer=\xff\xfe\xfd", b"\xc3\x28=\xa0"])
def test_invalid_utf8_never_gives_a_500(alice_client, answer_url, body):
    response = alice_client.post(answer_url, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code in (302, 400)


@pytest.mark.parametrize(
    "path",
    [
        f"/attempts/{HUGE}/",
        f"/attempts/{HUGE}/questions/1/",
        f"/attempts/1/questions/{HUGE}/",
        f"/cards/{HUGE}/",
        "/attempts/-1/",
        "/attempts/1/questions/-1/",
        "/cards/-5/",
        "/attempts/%FF/",
        f"/cards/study/?passage={HUGE}",
    ],
)
def test_huge_and_negative_ids_answer_404(alice_client, world, path):
    assert alice_client.get(path).status_code in (302, 404)
    assert alice_client.post(path, {"answer": "0"}).status_code in (302, 404, 405)


def test_huge_numbers_in_a_teachers_forms_are_refused(tess_client, world):
    pk = world["classroom"].pk
    assign = reverse("learning:classroom_assign", args=[pk])
    response = tess_client.post(assign, {"quiz": HUGE, "due_at": "2030-01-01T10:00"})
    assert response.status_code == 400
    remove = reverse("learning:classroom_remove", args=[pk, HUGE])
    assert tess_client.post(remove).status_code == 404
    stats = reverse("learning:quiz_statistics", args=[world["quiz"].slug])
    assert tess_client.get(f"{stats}?classroom={HUGE}").status_code == 404
    assert not Assignment.objects.exists()


def test_a_huge_card_version_is_a_stale_rating(alice_client, world):
    card = world["card"]
    url = reverse("learning:card_review", args=[card.pk])
    response = alice_client.post(url, {"rating": "3", "version": HUGE, "shown_at": HUGE})
    assert response.status_code in (302, 400)
    card.refresh_from_db()
    assert card.version == 0 and not Review.objects.exists()


# Tampering --------------------------------------------------------------------


def test_a_choice_of_another_question_is_refused(alice_client, world):
    attempt = world["attempt"]
    item = attempt.items.get(question__kind="single")
    foreign = Choice.objects.exclude(question=item.question).first()
    for value in (str(foreign.pk), str(len(item.choice_order)), "-1"):
        response = alice_client.post(item.get_absolute_url(), {"answer": value})
        assert response.status_code == 400
    item.refresh_from_db()
    assert not item.is_answered


def test_an_item_of_another_attempt_is_refused(client, alice, bob, world):
    bobs = services.attempt_start(user=bob, quiz=world["quiz"])
    client.force_login(alice)
    for item in bobs.items.all():
        assert client.post(item.get_absolute_url(), {"answer": "0"}).status_code == 404
    assert not bobs.items.filter(answered_at__isnull=False).exists()


def test_a_finished_attempt_refuses_every_answer(alice_client, world):
    attempt = services.attempt_finish(attempt=world["attempt"])
    for item in attempt.items.all():
        response = alice_client.post(item.get_absolute_url(), {"answer": "0"})
        assert response.status_code == 302 and response["Location"].endswith("/result/")
    assert not attempt.items.filter(answered_at__isnull=False).exists()


def test_an_ordering_with_repeated_positions_is_refused(alice_client, world):
    item = world["attempt"].items.get(question__kind="ordering")
    for data in (
        {"item_0": "1", "item_1": "1", "item_2": "2", "item_3": "3"},
        {"item_0": "4", "item_1": "4", "item_2": "4", "item_3": "4"},
        {"item_0": "1", "item_1": "2", "item_2": "3", "item_3": "5"},
    ):
        assert alice_client.post(item.get_absolute_url(), data).status_code == 400
    item.refresh_from_db()
    assert not item.is_answered
