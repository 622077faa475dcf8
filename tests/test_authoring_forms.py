"""Writing questions in the admin: the kind first, a form made for each kind,
credits worked out, try an answer, preview with the right answers, publish."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from learning import services
from learning.models import Choice, Question

ADD = "/admin/learning/question/add/"


def base(bank, passage, **fields) -> dict:
    return {
        "bank": bank.pk,
        "ref": fields.pop("ref", "new-question"),
        "prompt": "Who chaired the conference?",
        "explanation": "Paragraph 1 says Lavrov chaired.",
        "passage": passage.pk,
        "difficulty": 1,
        "weight": 1,
        "paraphrase_note": "",
        **fields,
    }


def rows(*values: dict) -> dict:
    data = {}
    for i, row in enumerate(values):
        for key, value in row.items():
            data[f"row-{i}-{key}"] = value
    return data


def add(client, kind, data):
    return client.post(f"{ADD}?kind={kind}", data)


def credits(ref="new-question"):
    question = Question.objects.get(ref=ref)
    return sorted((c.text, round(c.credit, 4), c.position, c.match) for c in question.choices.all())


def test_add_question_first_asks_for_the_kind(tess_client):
    html = tess_client.get(ADD).content.decode()
    for kind in ("single", "multiple", "true_false", "short", "ordering", "matching"):
        assert f"?kind={kind}" in html
    assert "Multiple response" in html
    assert tess_client.get(f"{ADD}?kind=essay").status_code == 400


def test_each_kind_gets_a_form_with_its_own_rows_and_help(tess_client):
    single = tess_client.get(f"{ADD}?kind=single").content.decode()
    assert 'type="radio" name="correct"' in single and "mark the right one" in single
    assert single.count('name="row-') >= 8  # four blank rows, text and credit each
    multiple = tess_client.get(f"{ADD}?kind=multiple").content.decode()
    assert 'name="row-0-correct"' in multiple and "Penalise wrong ticks" in multiple
    truth = tess_client.get(f"{ADD}?kind=true_false").content.decode()
    assert 'name="truth"' in truth and 'name="row-0-text"' not in truth
    short = tess_client.get(f"{ADD}?kind=short").content.decode()
    assert 'name="exact_answer"' in short and 'name="_try"' in short
    ordering = tess_client.get(f"{ADD}?kind=ordering").content.decode()
    assert '<textarea name="items"' in ordering
    matching = tess_client.get(f"{ADD}?kind=matching").content.decode()
    assert 'name="row-3-match"' in matching


def test_a_single_choice_question_takes_its_key_from_the_radio(tess_client, bank, passage):
    data = base(bank, passage) | rows({"text": "Lavrov"}, {"text": "Wang Yi"}, {"text": ""})
    response = add(tess_client, "single", data | {"correct": "0"})
    assert response.status_code == 302
    question = Question.objects.get()
    assert question.kind == "single" and not question.published
    assert credits() == [("Lavrov", 1, None, ""), ("Wang Yi", 0, None, "")]


def test_a_single_choice_question_without_a_marked_option_is_refused(tess_client, bank, passage):
    data = base(bank, passage) | rows({"text": "Lavrov"}, {"text": "Wang Yi"})
    response = add(tess_client, "single", data)
    assert response.status_code == 200 and "Mark the right option." in response.content.decode()
    assert not Question.objects.exists()


def test_multiple_response_credits_are_worked_out_and_wrong_ticks_may_cost(
    tess_client, bank, passage
):
    options = rows(
        {"text": "Counterterrorism", "correct": "on"},
        {"text": "Narcotics", "correct": "on"},
        {"text": "Space tourism"},
        {"text": "Deep-sea mining"},
    )
    add(tess_client, "multiple", base(bank, passage) | options | {"penalise": "on"})
    assert credits() == [
        ("Counterterrorism", 0.5, None, ""),
        ("Deep-sea mining", -0.5, None, ""),
        ("Narcotics", 0.5, None, ""),
        ("Space tourism", -0.5, None, ""),
    ]
    add(tess_client, "multiple", base(bank, passage, ref="lenient") | options)
    assert [c[1] for c in credits("lenient")] == [0.5, 0, 0.5, 0]


def test_custom_credits_under_advanced_replace_the_worked_out_ones(tess_client, bank, passage):
    options = rows(
        {"text": "A", "correct": "on", "credit": "70"},
        {"text": "B", "correct": "on", "credit": "30"},
        {"text": "C", "credit": "-100"},
    )
    assert add(tess_client, "multiple", base(bank, passage) | options).status_code == 302
    assert [c[1] for c in credits()] == [0.7, 0.3, -1]
    wrong = rows({"text": "A", "credit": "50"}, {"text": "B", "credit": "20"})
    response = add(tess_client, "multiple", base(bank, passage, ref="x") | wrong)
    assert "add up to 1 (they add up to 0.7)" in response.content.decode()


def test_true_false_makes_both_choices_from_one_switch(tess_client, bank, passage):
    data = base(bank, passage, prompt="Lavrov chaired the meeting.") | {"truth": "false"}
    assert add(tess_client, "true_false", data).status_code == 302
    assert credits() == [("False", 1, None, ""), ("True", 0, None, "")]
    response = add(tess_client, "true_false", base(bank, passage, ref="y"))
    assert "Say whether the statement is true or false." in response.content.decode()


def test_short_answer_takes_accepted_and_partial_answers_and_the_exact_switch(
    tess_client, bank, passage
):
    answers = rows({"text": "Sergei Lavrov"}, {"text": "Lavrov", "credit": "50"})
    data = base(bank, passage) | answers | {"exact_answer": "on"}
    assert add(tess_client, "short", data).status_code == 302
    assert credits() == [("Lavrov", 0.5, None, ""), ("Sergei Lavrov", 1, None, "")]
    assert Question.objects.get().exact_answer


@pytest.mark.parametrize(
    ("typed", "percent"), [("  sergei LAVROV. ", "100"), ("Lavrov", "50"), ("Wang", "0")]
)
def test_try_an_answer_grades_what_is_typed_and_saves_nothing(
    tess_client, bank, passage, typed, percent
):
    answers = rows({"text": "Sergei Lavrov"}, {"text": "Lavrov", "credit": "50"})
    data = base(bank, passage) | answers | {"try_answer": typed, "_try": "Grade"}
    response = add(tess_client, "short", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert f"earns {percent}% of the credit" in html
    assert 'value="Sergei Lavrov"' in html  # the form comes back as typed
    assert not Question.objects.exists()


def test_ordering_takes_the_items_one_a_line_in_their_right_order(tess_client, bank, passage):
    data = base(bank, passage) | {"items": "Fight COVID-19\n\nSecurity\r\nDevelopment\n"}
    assert add(tess_client, "ordering", data).status_code == 302
    assert credits() == [
        ("Development", 0, 3, ""),
        ("Fight COVID-19", 0, 1, ""),
        ("Security", 0, 2, ""),
    ]
    response = add(tess_client, "ordering", base(bank, passage, ref="z") | {"items": "Alone"})
    assert "at least two items" in response.content.decode()


def test_matching_takes_pairs_in_two_columns(tess_client, bank, passage):
    pairs = rows({"text": "Chair", "match": "Lavrov"}, {"text": "Date", "match": "13 May"})
    assert add(tess_client, "matching", base(bank, passage) | pairs).status_code == 302
    assert credits() == [("Chair", 0, None, "Lavrov"), ("Date", 0, None, "13 May")]
    half = rows({"text": "Chair", "match": "Lavrov"}, {"text": "", "match": "13 May"})
    response = add(tess_client, "matching", base(bank, passage, ref="w") | half)
    assert "Every partner needs its item" in response.content.decode()


def test_a_draft_may_lack_its_explanation_and_passage(tess_client, bank, passage):
    data = base(bank, passage, explanation="") | {"passage": "", "truth": "true"}
    assert add(tess_client, "true_false", data).status_code == 302
    question = Question.objects.get()
    assert question.needs_explanation and question.passage is None and not question.published


def test_editing_a_question_keeps_the_ids_of_its_choices(tess_client, six_kinds):
    question = six_kinds["ordering"]
    before = dict(question.choices.values_list("text", "id"))
    url = reverse("admin:learning_question_change", args=[question.pk])
    page = tess_client.get(url).content.decode()
    assert "Fight COVID-19\nSecurity\nDevelopment\nMultilateralism" in page
    data = {
        "bank": question.bank_id,
        "ref": question.ref,
        "prompt": question.prompt,
        "explanation": question.explanation,
        "passage": question.passage_id,
        "difficulty": 1,
        "weight": 1,
        "paraphrase_note": "",
        "items": "Security\nFight COVID-19\nMultilateralism\nDevelopment",
    }
    assert tess_client.post(url, data).status_code == 302
    after = {c.text: (c.id, c.position) for c in question.choices.all()}
    assert {t: i for t, (i, _) in after.items()} == before
    assert after["Security"][1] == 1 and after["Development"][1] == 4


def test_a_published_question_cannot_lose_its_explanation(tess_client, six_kinds):
    question = six_kinds["true_false"]
    url = reverse("admin:learning_question_change", args=[question.pk])
    data = {
        "bank": question.bank_id,
        "ref": question.ref,
        "prompt": question.prompt,
        "explanation": "",
        "passage": question.passage_id,
        "difficulty": 1,
        "weight": 1,
        "truth": "true",
    }
    response = tess_client.post(url, data)
    assert "A published question needs an explanation." in response.content.decode()
    question.refresh_from_db()
    assert question.explanation


def test_save_and_preview_then_fill_in_the_right_answers(tess_client, bank, passage):
    pairs = rows({"text": "Chair", "match": "Lavrov"}, {"text": "Date", "match": "13 May"})
    response = add(tess_client, "matching", base(bank, passage) | pairs | {"_preview": "1"})
    question = Question.objects.get()
    preview = reverse("admin:learning_question_preview", args=[question.pk])
    assert response.url == preview
    filled = tess_client.get(preview, {"fill": "1"}).content.decode()
    assert filled.count("selected") >= 2 and "Fill in the right answers" in filled
    assert "This question is a draft" in filled


def test_publishing_a_draft_from_its_preview(tess_client, make_question):
    question = make_question("single", published=False)
    url = reverse("admin:learning_question_publish", args=[question.pk])
    response = tess_client.post(url, {"confirm_publish": "1"})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.published


def test_publishing_without_an_explanation_is_refused(tess_client, make_question):
    question = make_question("single", published=False)
    Question.objects.filter(pk=question.pk).update(explanation="")
    url = reverse("admin:learning_question_publish", args=[question.pk])
    assert "It needs an explanation" in tess_client.get(url).content.decode()
    response = tess_client.post(url, {"confirm_publish": "1"})
    assert response.status_code == 400
    question.refresh_from_db()
    assert not question.published


def test_publishing_into_a_running_quiz_asks_for_confirmation(
    tess_client, tess, alice, quiz, make_question
):
    classroom = services.classroom_create(teacher=tess, name="9B")
    services.assignment_set(
        classroom=classroom, quiz=quiz, due_at=timezone.now() + dt.timedelta(days=2)
    )
    draft = make_question("short", prompt="A late addition?", published=False)
    url = reverse("admin:learning_question_publish", args=[draft.pk])
    page = tess_client.get(url).content.decode()
    assert "A running quiz draws from this bank" in page and quiz.title in page
    refused = tess_client.post(url, {"confirm_publish": "1"})
    assert refused.status_code == 409 and "confirm to publish" in refused.content.decode()
    draft.refresh_from_db()
    assert not draft.published
    tess_client.post(url, {"confirm_publish": "1", "confirmed": "1"})
    draft.refresh_from_db()
    assert draft.published


def test_a_draft_never_reaches_a_student(alice_client, alice, quiz, make_question):
    draft = make_question("single", prompt="Half written?", published=False)
    attempt = services.attempt_start(user=alice, quiz=quiz)
    assert draft.pk not in set(attempt.items.values_list("question_id", flat=True))
    decks = alice_client.get(reverse("learning:card_decks")).content.decode()
    assert "Half written?" not in decks


def test_students_cannot_reach_the_kind_chooser_or_publish(alice_client, six_kinds):
    assert alice_client.get(ADD).status_code == 302
    url = reverse("admin:learning_question_publish", args=[six_kinds["single"].pk])
    assert alice_client.post(url, {"confirm_publish": "1"}).status_code == 302


def test_the_try_box_of_an_unknown_question_is_404(tess_client):
    url = reverse("admin:learning_question_change", args=[999999])
    assert tess_client.post(url, {"_try": "1"}).status_code == 404


def test_choices_stay_unchanged_when_no_row_is_posted(tess_client, six_kinds):
    question = six_kinds["single"]
    before = sorted(Choice.objects.filter(question=question).values_list("id", "credit"))
    url = reverse("admin:learning_question_change", args=[question.pk])
    response = tess_client.post(url, {"bank": question.bank_id, "ref": question.ref})
    assert response.status_code == 200
    assert sorted(Choice.objects.filter(question=question).values_list("id", "credit")) == before


def kind_post(bank, passage, kind: str, choices, ref: str) -> tuple[str, dict]:
    """The add page's address and the form data of a question of `kind` whose
    choices are `choices` as in conftest.KINDS (text, credit, position, match)."""
    data = base(bank, passage, ref=ref)
    if kind == "true_false":
        data["truth"] = "true" if dict((t, c) for t, c, _, _ in choices)["True"] == 1 else "false"
    elif kind == "ordering":
        ranked = sorted(choices, key=lambda c: c[2])
        data["items"] = "\n".join(text for text, *_ in ranked)
    elif kind == "single":
        data |= rows(*({"text": text} for text, *_ in choices))
        data["correct"] = str(next(i for i, c in enumerate(choices) if c[1] == 1))
    elif kind == "multiple" or kind == "short":
        data |= rows(*({"text": t, "credit": str(c * 100)} for t, c, _, _ in choices))
    else:
        data |= rows(*({"text": t, "match": m} for t, _, _, m in choices))
    return f"{ADD}?kind={kind}", data


@pytest.mark.parametrize(
    "kind", ["single", "true_false", "multiple", "short", "ordering", "matching"]
)
def test_every_kind_of_the_shared_examples_can_be_written_in_its_form(
    tess_client, bank, passage, kind
):
    from tests.conftest import KINDS

    url, data = kind_post(bank, passage, kind, KINDS[kind], ref=f"k-{kind}")
    assert tess_client.post(url, data).status_code == 302
    question = Question.objects.get(ref=f"k-{kind}")
    stored = sorted(
        (c.text, round(c.credit, 4), c.position, c.match) for c in question.choices.all()
    )
    assert stored == sorted((t, round(float(c), 4), p, m) for t, c, p, m in KINDS[kind])
