"""Authoring in the admin: per-kind validation, preview, actions, the quiz form, query counts."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from learning import services
from learning.models import Attempt, Bank, Choice, Question, Quiz
from learning.validation import choice_problems
from tests.conftest import KINDS

CHANGELIST = "/admin/learning/question/"


def test_every_shipped_question_follows_the_rules_of_its_kind(statement):
    for question in Question.objects.prefetch_related("choices"):
        options = [c.as_option() for c in question.choices.all()]
        assert choice_problems(question.kind, options) == [], question.ref


def test_the_passage_is_chosen_by_its_number_and_first_words(tess_client, passage):
    query = {"app_label": "learning", "model_name": "question", "field_name": "passage"}
    response = tess_client.get("/admin/autocomplete/", {**query, "term": "Lavrov"})
    assert response.json()["results"][0]["text"].startswith("¶1 The conference was chaired")


def test_the_preview_shows_the_question_as_a_student_sees_it_and_then_its_feedback(
    tess_client, six_kinds
):
    question = six_kinds["single"]
    url = reverse("admin:learning_question_preview", args=[question.pk])
    html = tess_client.get(url).content.decode()
    assert question.prompt in html and "Sergei Lavrov" in html
    assert question.explanation not in html
    right = next(i for i, c in enumerate(question.choices.all()) if c.credit == 1)
    html = tess_client.post(url, {"answer": str(right)}).content.decode()
    assert "✓ Correct" in html and question.explanation in html
    assert "Paragraph 1 of" in html
    assert not Attempt.objects.exists()


@pytest.mark.parametrize("kind", ["matching", "ordering", "multiple"])
def test_the_preview_grades_every_kind_and_refuses_an_empty_answer(tess_client, six_kinds, kind):
    url = reverse("admin:learning_question_preview", args=[six_kinds[kind].pk])
    assert tess_client.get(url).status_code == 200
    response = tess_client.post(url, {})
    assert response.status_code == 400


def test_the_change_form_links_to_the_preview(tess_client, six_kinds):
    question = six_kinds["short"]
    html = tess_client.get(f"/admin/learning/question/{question.pk}/change/").content.decode()
    assert reverse("admin:learning_question_preview", args=[question.pk]) in html


def test_students_and_visitors_never_see_a_preview(client, alice_client, six_kinds):
    url = reverse("admin:learning_question_preview", args=[six_kinds["single"].pk])
    assert alice_client.get(url).status_code == 302
    alice_client.logout()
    assert client.get(url).status_code == 302


def test_a_staff_user_without_question_permissions_gets_no_preview(client, six_kinds):
    sam = User.objects.create_user("sam", password="sam-password-1", is_staff=True)
    client.force_login(sam)
    url = reverse("admin:learning_question_preview", args=[six_kinds["single"].pk])
    assert client.get(url).status_code == 403


def act(client, action, questions, **extra):
    data = {"action": action, "_selected_action": [q.pk for q in questions], **extra}
    return client.post(CHANGELIST, data)


def test_publish_and_unpublish_actions(tess_client, six_kinds):
    questions = list(six_kinds.values())[:2]
    act(tess_client, "unpublish", questions)
    assert Question.objects.filter(published=False).count() == 2
    page = act(tess_client, "publish", questions)
    assert page.status_code == 200 and "Publish these 2 questions?" in page.content.decode()
    assert Question.objects.filter(published=False).count() == 2
    act(tess_client, "publish", questions, confirm_publish="1")
    assert Question.objects.filter(published=False).count() == 0


def test_duplicate_copies_the_choices_under_a_new_reference_unpublished(tess_client, six_kinds):
    original = six_kinds["matching"]
    act(tess_client, "duplicate", [original])
    copy = Question.objects.exclude(pk__in=[q.pk for q in six_kinds.values()]).get()
    assert copy.ref != original.ref and not copy.published
    assert copy.prompt == original.prompt
    pairs = lambda q: sorted(q.choices.values_list("text", "match"))  # noqa: E731
    assert pairs(copy) == pairs(original)


def test_move_to_bank_asks_for_the_bank_then_moves(tess_client, six_kinds):
    other = Bank.objects.create(name="Outcomes", slug="outcomes")
    questions = [six_kinds["single"], six_kinds["short"]]
    page = act(tess_client, "move_to_bank", questions)
    assert page.status_code == 200 and "Move 2 questions to" in page.content.decode()
    act(tess_client, "move_to_bank", questions, apply="1", bank=other.pk)
    assert set(other.questions.all()) == set(questions)


def test_a_student_cannot_run_an_action(alice_client, six_kinds):
    response = act(alice_client, "unpublish", list(six_kinds.values()))
    assert response.status_code == 302 and "/admin/login/" in response.url
    assert not Question.objects.filter(published=False).exists()


def test_a_staff_user_without_permissions_cannot_run_an_action(client, six_kinds):
    client.force_login(User.objects.create_user("sam", password="sam-pass-1", is_staff=True))
    assert act(client, "unpublish", list(six_kinds.values())).status_code == 403
    assert not Question.objects.filter(published=False).exists()


def test_the_changelist_shows_times_answered_and_facility(tess_client, quiz, alice, bob):
    for student in (alice, bob):
        attempt = services.attempt_start(user=student, quiz=quiz)
        item = attempt.items.get(question__kind="single")
        right = Choice.objects.get(question=item.question, credit=1)
        wrong = Choice.objects.filter(question=item.question, credit=0).first()
        chosen = right if student == alice else wrong
        services.attempt_answer(item=item, response={"choice": chosen.pk})
    html = tess_client.get(CHANGELIST, {"kind__exact": "single"}).content.decode()
    assert '<td class="field-times_answered">2</td>' in html
    assert '<td class="field-facility_display">0.50</td>' in html


def changelist_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(CHANGELIST).status_code == 200
    return len(queries)


def test_the_changelist_costs_the_same_queries_for_6_or_36_questions(tess_client, make_question):
    for kind in KINDS:
        make_question(kind)
    few = changelist_queries(tess_client)
    for n in range(5):
        for kind in KINDS:
            make_question(kind, prompt=f"{kind} {n}?")
    assert changelist_queries(tess_client) == few


def quiz_post(bank, **fields) -> dict:
    return {
        "title": "Essentials",
        "slug": "essentials-2",
        "description": "",
        "published": "on",
        "banks": [bank.pk],
        "question_count": "",
        "shuffle_questions": "on",
        "shuffle_choices": "on",
        "time_limit": "",
        "opens_at": "",
        "closes_at": "",
        "position": 0,
        "new_password": "",
        "attempts_allowed": "",
        "accommodations-TOTAL_FORMS": 0,
        "accommodations-INITIAL_FORMS": 0,
        "accommodations-MIN_NUM_FORMS": 0,
        "accommodations-MAX_NUM_FORMS": 1000,
        "grading_method": "average",
        "pass_mark": 60,
        "feedback_timing": "immediate",
        **fields,
    }


def test_the_quiz_form_refuses_more_questions_than_the_banks_publish(tess_client, six_kinds, bank):
    six_kinds["single"].published = False
    six_kinds["single"].save()
    response = tess_client.post("/admin/learning/quiz/add/", quiz_post(bank, question_count=6))
    assert "The chosen banks hold only 5 published questions." in response.content.decode()
    response = tess_client.post("/admin/learning/quiz/add/", quiz_post(bank, question_count=5))
    assert response.status_code == 302
    quiz = Quiz.objects.get(slug="essentials-2")
    assert quiz.grading_method == "average" and quiz.question_count == 5


ACTIONS = [
    ("/admin/learning/question/", "publish"),
    ("/admin/learning/question/", "unpublish"),
    ("/admin/learning/question/", "duplicate"),
    ("/admin/learning/question/", "move_to_bank"),
    ("/admin/learning/question/", "export_gift"),
    ("/admin/learning/bank/", "export_gift"),
    ("/admin/learning/bank/", "export_flashcards"),
]


@pytest.mark.parametrize(("changelist", "action"), ACTIONS)
@pytest.mark.parametrize("who", ["visitor", "student"])
def test_no_admin_action_runs_for_a_student_or_a_visitor(
    client, alice, six_kinds, bank, changelist, action, who
):
    if who == "student":
        client.force_login(alice)
    ids = [bank.pk] if "bank" in changelist else [q.pk for q in six_kinds.values()]
    before = sorted(Question.objects.values_list("ref", "bank_id", "published"))
    other = Bank.objects.create(name="Other", slug="other")
    data = {"action": action, "_selected_action": ids, "apply": "1", "bank": other.pk}
    response = client.post(changelist, data)
    assert response.status_code == 302 and "/admin/login/" in response.url
    assert sorted(Question.objects.values_list("ref", "bank_id", "published")) == before
