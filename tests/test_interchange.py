"""GIFT and CSV import, GIFT export with a round trip, Anki/Quizlet TSV export."""

import contextlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from learning import services
from learning.interchange import ImportProblem, csv_import, flashcards, gift
from learning.models import Bank, Choice, Question
from tests.round_trip import bank_questions, bank_snapshot

GOOD = r"""
// A comment Moodle ignores.
$CATEGORY: $course$/top/Imported

::chair::Who chaired the conference? {
=Sergei Lavrov # yes, paragraph 1
~Wang Yi
~%50%Lavrov's deputy
####Paragraph 1 says Lavrov chaired.
}

[plain]The meeting was held by video. {T ####Paragraph 1.}

::short::Name the chair {=Sergei Lavrov =%50%Lavrov ####Paragraph 1.}

Match {=Chair -> Lavrov =Date -> 13 May ####Paragraph 1.}

Pick all {~%50%A ~%50%B ~%-100%C ####Because.}

The chair was {=Lavrov ~Wang ####Paragraph 1.} of Russia.
"""


def test_the_parser_reads_every_supported_kind():
    questions = gift.parse(GOOD)
    assert [q.kind for q in questions] == [
        "single",
        "true_false",
        "short",
        "matching",
        "multiple",
        "single",
    ]
    chair = questions[0]
    assert (chair.line, chair.ref, chair.bank) == (5, "chair", "Imported")
    assert chair.prompt == "Who chaired the conference?"
    assert chair.explanation == "Paragraph 1 says Lavrov chaired."
    assert [(c.text, c.credit) for c in chair.choices] == [
        ("Sergei Lavrov", 1.0),
        ("Wang Yi", 0.0),
        ("Lavrov's deputy", 0.5),
    ]
    assert [(c.text, c.credit) for c in questions[1].choices] == [("True", 1), ("False", 0)]
    assert questions[1].prompt == "The meeting was held by video."
    assert [(c.text, c.credit) for c in questions[2].choices] == [
        ("Sergei Lavrov", 1),
        ("Lavrov", 0.5),
    ]
    assert [(c.text, c.match) for c in questions[3].choices] == [
        ("Chair", "Lavrov"),
        ("Date", "13 May"),
    ]
    assert [c.credit for c in questions[4].choices] == [0.5, 0.5, -1.0]
    assert questions[5].prompt == "The chair was _____ of Russia."


def test_the_escapes_keep_their_characters():
    [question] = gift.parse(r"Colon\: \{braces\} \= \~ \# and\nnew line {=yes\~no ~no ####x}")
    assert question.prompt == "Colon: {braces} = ~ # and\nnew line"
    assert [c.text for c in question.choices] == ["yes~no", "no"]


def test_false_and_short_forms_of_true_false():
    questions = gift.parse("A? {F ####x}\n\nB? {TRUE ####y}")
    assert [c.credit for c in questions[0].choices] == [0, 1]
    assert [c.credit for c in questions[1].choices] == [1, 0]


BAD = [
    ("Who? =Lavrov", 1, "no answers in { }"),
    ("\n\nWho? {=Lavrov", 3, "never closed"),
    ("Who? {=Lavrov} and {=Wang}", 1, "one answer block"),
    ("Who? {=Lavrov}}", 1, "closes nothing"),
    ("Who? {}", 1, "Essay questions"),
    ("How many? {#4}", 1, "Numerical questions"),
    ("Who? {Lavrov}", 1, "must start with = (right) or ~ (wrong)"),
    ("Who? {\n=Lavrov\n~%abc%Wang}", 3, "not a credit in percent"),
    ("Who? {=Lavrov ~%50Wang}", 1, "no closing %"),
    ("Who? {=Lavrov ~%500%Wang}", 1, "between -100% and 100%"),
    ("Who? {=Lavrov ~}", 1, "An answer is empty"),
    ("Match {=a -> b ~c}", 1, "every answer as =item -> partner"),
    ("::unclosed title Who? {=a ~b}", 1, "never closed with ::"),
    ("{=a ~b}", 1, "no text"),
    ("$CATEGORY:", 1, "needs a category name"),
    ("// quizsite: passage\nWho? {=a ~b ####x}", 1, "key=value"),
    ("// quizsite: difficulty=hard\nWho? {=a ~b ####x}", 1, "not a number"),
    ("// quizsite: kind=ordering\nOrder {=a -> first =b -> 2 ####x}", 2, "position (a number)"),
    ("// quizsite: kind=ordering\nOrder {=a -> 0 =b -> 2 ####x}", 2, "between 1 and 1000"),
    ("Who? {=" + "x" * 501 + " ~b}", 1, "longer than 500"),
]


@pytest.mark.parametrize(("text", "line", "message"), BAD)
def test_the_parser_names_the_line_and_the_problem(text, line, message):
    with pytest.raises(ImportProblem) as caught:
        gift.parse("// first line\n" + text)
    assert caught.value.line == line + 1
    assert message in str(caught.value)
    assert str(caught.value).startswith(f"Line {line + 1}: ")


@given(st.text(max_size=300))
def test_random_text_never_raises_anything_but_an_import_problem(text):
    with contextlib.suppress(ImportProblem):
        gift.parse(text)
    with contextlib.suppress(ImportProblem):
        csv_import.parse(text)


@settings(max_examples=500)
@given(
    st.lists(
        st.sampled_from(
            [
                "{",
                "}",
                "=",
                "~",
                "#",
                "%",
                "->",
                "::",
                "\\",
                "\n",
                "\n\n",
                "a",
                " ",
                "//",
                "$CATEGORY:",
                "T",
                "50",
                "-",
            ]
        ),
        max_size=60,
    )
)
def test_gift_shaped_noise_never_raises_anything_but_an_import_problem(parts):
    with contextlib.suppress(ImportProblem):
        gift.parse("".join(parts))


def test_an_import_stores_banks_choices_and_the_default_passage(passage):
    created = services.questions_import(parsed=gift.parse(GOOD), passage=passage)
    assert len(created) == 6
    bank = Bank.objects.get(name="Imported")
    assert bank.questions.count() == 6
    assert Question.objects.get(ref="chair").choices.count() == 3
    assert all(q.passage == passage for q in created)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Who? {=a =a ####x}", "same text"),
        ("Who? {=a ~%50%b ~c ####x}\n\nWho? {~a ~b ####x}", "credits add up to 1"),
        ("Who? {=a ~b ####x}", "No passage"),
        ("// quizsite: passage=nowhere/3\nWho? {=a ~b ####x}", "no paragraph 3"),
        ("// quizsite: difficulty=7\nWho? {=a ~b ####x}", "difficulty must be"),
        ("// quizsite: weight=0\nWho? {=a ~b ####x}", "weight must be"),
        ("::dup::A? {=a ~b ####x}\n\n::dup::B? {=a ~b ####x}", "already exists"),
    ],
)
def test_an_import_with_one_bad_question_stores_nothing(bank, passage, text, message):
    default = passage if message != "No passage" else None
    with pytest.raises(ImportProblem, match=message):
        services.questions_import(parsed=gift.parse(text), bank=bank, passage=default)
    assert not Question.objects.exists() and not Choice.objects.exists()


def test_an_import_without_a_bank_says_so(passage):
    with pytest.raises(ImportProblem, match="No bank"):
        services.questions_import(parsed=gift.parse("A? {=a ~b ####x}"), passage=passage)


def test_the_whole_statement_bank_survives_a_gift_round_trip(statement):
    questions = bank_questions()

    def snapshot():
        return bank_snapshot(exact_answer=False)

    before = snapshot()
    text = gift.dump(questions.all())
    Question.objects.all().delete()
    created = services.questions_import(parsed=gift.parse(text))
    assert len(created) == len(before) == 120
    assert snapshot() == before


def test_the_command_imports_a_file_and_names_the_bad_line(tmp_path, passage):
    path = tmp_path / "questions.gift"
    path.write_text("A? {=a ~b ####x}\n\nB? {=a =a ####y}\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"Line 3: .*same text.*Nothing was imported"):
        call_command(
            "import_questions", str(path), "--bank", "Imported", "--passage", "a-statement/1"
        )
    assert not Question.objects.exists() and not Bank.objects.exists()
    path.write_text("A? {=a ~b ####x}\n\nB? {=a ~b ####y}\n", encoding="utf-8")
    out = io.StringIO()
    call_command(
        "import_questions",
        str(path),
        "--bank",
        "Imported",
        "--passage",
        "a-statement/1",
        stdout=out,
    )
    assert "2 questions imported" in out.getvalue()
    assert Bank.objects.get(name="Imported").questions.count() == 2


@pytest.mark.parametrize("passage_arg", ["a-statement/9", "a-statement/x", "nothing"])
def test_the_command_refuses_an_unknown_passage(tmp_path, passage, passage_arg):
    path = tmp_path / "questions.gift"
    path.write_text("A? {=a ~b ####x}\n", encoding="utf-8")
    with pytest.raises(CommandError, match="No passage"):
        call_command("import_questions", str(path), "--bank", "B", "--passage", passage_arg)


def test_the_command_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_questions", str(tmp_path / "none.gift"))


CSV = (
    "prompt,answers,explanation,kind,ref,passage,difficulty,published\n"
    '"Who chaired?","=Sergei Lavrov ~Wang Yi",Paragraph 1.,,csv-chair,a-statement/1,2,yes\n'
    '"Order them","=Fight COVID-19 -> 1 =Security -> 2",Paragraph 2.,ordering,,,,no\n'
    ",,,,,,,\n"
    '"Held by video?","TRUE",Paragraph 1.,,,,,\n'
)


def test_csv_import_reads_the_documented_columns(bank, passage):
    parsed = csv_import.parse("\ufeff" + CSV)
    assert [(q.line, q.kind) for q in parsed] == [(2, "single"), (3, "ordering"), (5, "true_false")]
    created = services.questions_import(parsed=parsed, bank=bank, passage=passage)
    chair = Question.objects.get(ref="csv-chair")
    assert chair.difficulty == 2 and chair.published
    assert not created[1].published
    assert sorted(created[1].choices.values_list("position", flat=True)) == [1, 2]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("prompt,answers\nA,=a ~b\n", 1, "missing: explanation"),
        ("prompt,answers,explanation\nA,=a ~b,x\n,=a,x\n", 3, "prompt is empty"),
        ("prompt,answers,explanation\nA,=a ~b,x,extra\n", 2, "more cells"),
        ("prompt,answers,explanation,difficulty\nA,=a ~b,x,hard\n", 2, "not a number"),
        ("prompt,answers,explanation\nA,a b,x\n", 2, "must start with ="),
        ('prompt,answers,explanation\n"A\nB",=a ~b,x\nC,nonsense,x\n', 4, "must start with ="),
    ],
)
def test_csv_import_names_the_bad_line(text, line, message):
    with pytest.raises(ImportProblem, match=message) as caught:
        csv_import.parse(text)
    assert caught.value.line == line


def test_flashcards_export_as_tab_separated_text_with_anki_headers(six_kinds):
    questions = Question.objects.prefetch_related("choices").order_by("id")
    text = flashcards.dump(questions)
    lines = text.splitlines()
    assert lines[:2] == ["#separator:tab", "#html:false"]
    assert len(lines) == 2 + 6
    assert all(line.count("\t") == 1 for line in lines[2:])
    single = lines[2].split("\t")
    assert single[0] == "A single question?"
    assert single[1] == "Sergei Lavrov — EXPLAINED-single: paragraph 1 says so."
    assert "1. Fight COVID-19; 2. Security" in text
    assert "Chair → Sergei Lavrov" in text


def upload(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/plain")


def test_the_admin_import_page_names_the_bad_line_then_imports_the_fixed_file(
    tess_client, bank, passage
):
    url = reverse("admin:learning_question_import")
    changelist = tess_client.get("/admin/learning/question/").content.decode()
    assert "Import GIFT, Moodle XML or CSV" in changelist
    bad = "A? {=a ~b ####x}\n\nB? {=a ~b ~b}\n"
    response = tess_client.post(
        url, {"file": upload("q.gift", bad), "bank": bank.pk, "passage": passage.pk}
    )
    assert response.status_code == 400
    assert "Line 3: Two answers of this question have the same text" in response.content.decode()
    assert not Question.objects.exists()
    good = bad.replace("~b ~b}", "~b ~c}")
    response = tess_client.post(
        url, {"file": upload("q.gift", good), "bank": bank.pk, "passage": passage.pk}
    )
    assert response.status_code == 302
    assert bank.questions.count() == 2


def test_the_admin_import_page_reads_csv_and_refuses_non_utf8(tess_client, bank, passage):
    url = reverse("admin:learning_question_import")
    response = tess_client.post(
        url, {"file": upload("q.csv", CSV), "bank": bank.pk, "passage": passage.pk}
    )
    assert response.status_code == 302 and Question.objects.count() == 3
    latin = SimpleUploadedFile("q.gift", "Qué? {=sí ~no ####x}".encode("latin-1"))
    response = tess_client.post(url, {"file": latin, "bank": bank.pk})
    assert response.status_code == 400 and "not UTF-8" in response.content.decode()


def test_students_and_visitors_cannot_import(client, alice, bank):
    url = reverse("admin:learning_question_import")
    assert client.get(url).status_code == 302
    client.force_login(alice)
    response = client.post(url, {"file": upload("q.gift", "A? {=a ~b ####x}"), "bank": bank.pk})
    assert response.status_code == 302 and not Question.objects.exists()


def test_a_staff_user_without_add_permission_cannot_import(client, django_user_model):
    sam = django_user_model.objects.create_user("sam", password="sam-pass-1", is_staff=True)
    client.force_login(sam)
    assert client.get(reverse("admin:learning_question_import")).status_code == 403


def test_the_export_actions_download_gift_and_flashcards(tess_client, six_kinds, bank):
    ids = [q.pk for q in six_kinds.values()]
    response = tess_client.post(
        "/admin/learning/question/", {"action": "export_gift", "_selected_action": ids}
    )
    assert response["Content-Disposition"] == 'attachment; filename="questions.gift.txt"'
    text = response.content.decode()
    assert text.startswith("$CATEGORY: $course$/top/The conference")
    assert len(gift.parse(text)) == 6
    response = tess_client.post(
        "/admin/learning/bank/", {"action": "export_gift", "_selected_action": [bank.pk]}
    )
    assert len(gift.parse(response.content.decode())) == 6
    response = tess_client.post(
        "/admin/learning/bank/", {"action": "export_flashcards", "_selected_action": [bank.pk]}
    )
    assert response.content.decode().startswith("#separator:tab\n#html:false\n")


def test_a_student_cannot_export(alice_client, six_kinds, bank):
    response = alice_client.post(
        "/admin/learning/bank/", {"action": "export_gift", "_selected_action": [bank.pk]}
    )
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_a_gift_question_without_general_feedback_is_imported_as_a_draft_needing_one(bank, passage):
    text = "::a::A? {=a ~b ####Because.}\n\n::b::B? {=a ~b}\n"
    created = services.questions_import(parsed=gift.parse(text), bank=bank, passage=passage)
    explained, unexplained = created
    assert not explained.published and not explained.needs_explanation
    assert not unexplained.published and unexplained.needs_explanation
    assert unexplained.explanation == ""


def test_our_own_export_of_a_published_question_comes_back_published(bank, passage):
    text = "// quizsite: published=yes\n::a::A? {=a ~b ####Because.}\n"
    (question,) = services.questions_import(parsed=gift.parse(text), bank=bank, passage=passage)
    assert question.published


def test_a_published_flag_without_an_explanation_still_imports_a_draft(bank, passage):
    text = "// quizsite: published=yes\n::a::A? {=a ~b}\n"
    (question,) = services.questions_import(parsed=gift.parse(text), bank=bank, passage=passage)
    assert not question.published and question.needs_explanation


def test_a_gift_numerical_question_is_refused_with_its_line(bank, passage):
    text = "::a::A? {=a ~b ####x}\n\n::n::How many members? {#8}\n"
    with pytest.raises(ImportProblem, match="Numerical questions are not supported") as caught:
        gift.parse(text)
    assert caught.value.line == 3
