"""Moodle XML in and out, and Moodle's own GIFT: realistic exports import as
drafts, unsupported types are named with their line, a round trip keeps every
question and every grade."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from learning import scoring, services
from learning.interchange import ImportProblem, gift, moodle_xml
from learning.models import Bank, Question
from tests.round_trip import bank_questions, bank_snapshot

DATA = Path(__file__).parent / "data"


def xml(body: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n{body}\n</quiz>\n'


def test_a_moodle_xml_export_reads_as_our_six_kinds():
    questions = moodle_xml.parse((DATA / "moodle_export.xml").read_text(encoding="utf-8"))
    assert [q.kind for q in questions] == [
        "single",
        "multiple",
        "true_false",
        "short",
        "matching",
        "ordering",
    ]
    chair, threats, video, name, facts, order = questions
    assert chair.bank == "Video conference of 13 May"
    assert chair.ref == "Who chaired"
    assert chair.prompt == "Who chaired the video conference of 13 May 2020?"
    assert chair.explanation.startswith("Paragraph 1: the meeting was chaired")
    assert (chair.choices[0].text, chair.choices[0].credit) == ("Sergei Lavrov", 1.0)
    assert [round(c.credit, 4) for c in threats.choices] == [0.3333, 0.3333, 0.3333, -1]
    assert threats.explanation == "" and threats.weight == 2
    assert [(c.text, c.credit) for c in video.choices] == [("True", 0.0), ("False", 1.0)]
    assert [(c.text, c.credit) for c in name.choices] == [("Sergei Lavrov", 1), ("Lavrov", 0.5)]
    assert (facts.choices[0].text, facts.choices[0].match) == ("Chair", "Sergei Lavrov")
    assert [(c.text, c.position) for c in order.choices] == [
        ("The fight against COVID-19", 1),
        ("Regional security", 2),
        ("Economic cooperation", 3),
    ]
    assert chair.line == 15  # its <question> tag


def test_the_moodle_xml_sample_imports_as_drafts_flagging_missing_explanations(passage):
    text = (DATA / "moodle_export.xml").read_text(encoding="utf-8")
    created = services.questions_import(parsed=moodle_xml.parse(text), passage=passage)
    assert len(created) == 6
    assert not any(q.published for q in created)
    assert sorted(q.ref for q in created if q.needs_explanation) == [
        "name-the-chair",
        "threats-named",
    ]
    assert Bank.objects.get().name == "Video conference of 13 May"


def test_moodles_own_gift_export_imports_as_drafts(passage):
    text = (DATA / "moodle_export.gift").read_text(encoding="utf-8")
    created = services.questions_import(parsed=gift.parse(text), passage=passage)
    assert [q.kind for q in created] == ["single", "multiple", "true_false", "short", "matching"]
    chair = created[0]
    assert chair.prompt == "Who chaired the video conference of 13 May 2020?"
    assert chair.explanation == "Paragraph 1: the meeting was chaired by Sergei Lavrov."
    assert sorted(chair.choices.values_list("text", flat=True))[0] == "Sergei Lavrov"
    assert [q.needs_explanation for q in created] == [False, True, True, True, False]
    assert not any(q.published for q in created)


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        (
            '<question type="multichoice"><name><text>a</text></name>'
            '<questiontext format="html"><text>A?</text></questiontext>'
            '<answer fraction="100"><text>x</text></answer>'
            '<answer fraction="0"><text>y</text></answer></question>\n'
            '<question type="numerical">\n<name><text>n</text></name></question>',
            4,
            "type “numerical” are not supported",
        ),
        ('<question type="essay"><name><text>e</text></name></question>', 3, "“essay”"),
        (
            '<question type="multichoice"><questiontext><text></text></questiontext></question>',
            3,
            "no text",
        ),
        (
            '<question type="matching"><questiontext><text>M</text></questiontext>\n'
            "<subquestion><text></text><answer><text>extra</text></answer></subquestion>"
            "</question>",
            4,
            "extra wrong answer",
        ),
        (
            '<question type="multichoice"><questiontext><text>A</text></questiontext>\n'
            '<answer fraction="lots"><text>x</text></answer></question>',
            4,
            "not a fraction",
        ),
        (
            '<question type="shortanswer"><questiontext><text>A</text></questiontext>\n'
            "<defaultgrade>0.5</defaultgrade></question>",
            4,
            "whole number",
        ),
    ],
)
def test_a_moodle_xml_file_with_something_unsupported_is_refused_with_its_line(body, line, message):
    with pytest.raises(ImportProblem, match=message) as caught:
        moodle_xml.parse(xml(body))
    assert caught.value.line == line


def test_broken_xml_is_refused_with_its_line():
    with pytest.raises(ImportProblem, match="not well-formed") as caught:
        moodle_xml.parse('<?xml version="1.0"?>\n<quiz>\n<question>\n</quiz>')
    assert caught.value.line == 4


def test_an_xml_bomb_is_refused_not_expanded():
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE quiz [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n<quiz>&b;</quiz>'
    )
    with pytest.raises(ImportProblem, match="entities"):
        moodle_xml.parse(bomb)


def test_a_file_that_is_not_a_moodle_quiz_is_refused():
    with pytest.raises(ImportProblem, match="starts with <quiz>"):
        moodle_xml.parse('<?xml version="1.0"?><html></html>')


def test_a_bad_question_in_a_moodle_file_stores_nothing(passage):
    good = (DATA / "moodle_export.xml").read_text(encoding="utf-8")
    bad = good.replace(
        '<answer fraction="100" format="html">', '<answer fraction="50" format="html">', 1
    )
    with pytest.raises(ImportProblem, match="exactly one choice with credit 1"):
        services.questions_import(parsed=moodle_xml.parse(bad), passage=passage)
    assert not Question.objects.exists() and not Bank.objects.exists()


def grades(questions) -> dict:
    """Each question's grade for its key and for every single option alone."""
    out = {}
    for q in questions:
        options = [c.as_option() for c in q.choices.order_by("text")]
        by_text = [
            scoring.Option(i, o.text, o.credit, o.position, o.match) for i, o in enumerate(options)
        ]
        key = scoring.key_response(q.kind, by_text)
        alone = [
            scoring.grade(q.kind, by_text, {"choice": o.id, "choices": [o.id], "text": o.text})
            for o in by_text
        ]
        out[q.ref] = (round(scoring.grade(q.kind, by_text, key), 6), [round(a, 6) for a in alone])
    return out


def test_the_whole_statement_bank_survives_a_moodle_xml_round_trip(statement):
    questions = bank_questions()

    def snapshot():
        return bank_snapshot(exact_answer=True)

    before, graded = snapshot(), grades(questions.all())
    text = moodle_xml.dump(questions.all())
    Question.objects.all().delete()
    created = services.questions_import(parsed=moodle_xml.parse(text))
    assert len(created) == len(before) == 120
    assert snapshot() == before
    assert grades(questions.all()) == graded


def test_a_draft_without_passage_or_explanation_exports_and_comes_back_a_draft(bank, passage):
    question = Question.objects.create(bank=bank, kind="true_false", prompt="Held by video?")
    question.choices.create(text="True", credit=1)
    question.choices.create(text="False", credit=0)
    text = moodle_xml.dump(Question.objects.select_related("bank").prefetch_related("choices"))
    assert "quizsite-passage" not in text
    Question.objects.all().delete()
    (back,) = services.questions_import(parsed=moodle_xml.parse(text), passage=passage)
    assert back.needs_explanation and not back.published


def test_the_command_reads_xml_by_its_extension_or_by_format(tmp_path, passage):
    text = (DATA / "moodle_export.xml").read_text(encoding="utf-8")
    path = tmp_path / "export.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match="Line"):
        call_command("import_questions", str(path), "--passage", "a-statement/1")
    call_command(
        "import_questions", str(path), "--format", "xml", "--passage", "a-statement/1", stdout=None
    )
    assert Question.objects.count() == 6


def test_the_admin_import_page_takes_moodle_xml(tess_client, passage):
    upload = SimpleUploadedFile("export.xml", (DATA / "moodle_export.xml").read_bytes())
    url = reverse("admin:learning_question_import")
    response = tess_client.post(url, {"file": upload, "passage": passage.pk})
    assert response.status_code == 302
    assert Question.objects.filter(published=False).count() == 6
    page = tess_client.get(response.url).content.decode()
    assert "6 questions imported as drafts. 2 need an explanation" in page


def test_the_admin_import_page_names_an_unsupported_type_and_stores_nothing(tess_client, passage):
    body = '<question type="calculated">\n<name><text>c</text></name></question>'
    upload = SimpleUploadedFile("export.xml", xml(body).encode())
    url = reverse("admin:learning_question_import")
    response = tess_client.post(url, {"file": upload, "passage": passage.pk})
    assert response.status_code == 400
    assert (
        "Line 3: Moodle questions of type “calculated” are not supported."
        in response.content.decode()
    )
    assert not Question.objects.exists()


def test_the_bank_admin_exports_moodle_xml(tess_client, six_kinds, bank):
    data = {"action": "export_moodle_xml", "_selected_action": [bank.pk]}
    response = tess_client.post("/admin/learning/bank/", data)
    assert response["Content-Type"].startswith("application/xml")
    assert len(moodle_xml.parse(response.content.decode())) == 6
