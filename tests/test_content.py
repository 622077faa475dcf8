"""Checks on the shipped question bank (fixtures/statement.json).

A teacher must be able to trust every key: these tests hold the fixture to the
rules of issue 3 (valid per kind, every paragraph covered, keys found in their
passage or a written reason why not, idempotent loading, quizzes as agreed).
"""

import re
from collections import Counter
from datetime import timedelta

import pytest
from django.core.management import call_command

from learning.answer_text import stem, words
from learning.answers import FUNCTION_WORDS
from learning.models.bank import Bank, Choice, Passage, Question, Source
from learning.models.quizzes import Quiz
from learning.scoring import normalise

SOURCE = "sco-fm-2020-05-13"
BANKS = ["the-conference", "covid-19", "security", "development", "multilateralism", "outcomes"]
PRIORITY_BANKS = ["covid-19", "security", "development", "multilateralism"]
KINDS = ["single", "multiple", "true_false", "short", "ordering", "matching"]


def _problems_for(question: Question) -> list[str]:
    """What is wrong with one question for its kind (an empty list if nothing)."""
    choices = list(question.choices.all())
    credits = [c.credit for c in choices]
    texts = [c.text for c in choices]
    problems = []
    if len(set(texts)) != len(texts):
        problems.append("choice texts repeat")
    if any(not -1 <= credit <= 1 for credit in credits):
        problems.append("a credit is outside [-1, 1]")
    kind = question.kind
    if kind == "single":
        if not 3 <= len(choices) <= 5:
            problems.append("single choice needs 3 to 5 choices")
        if sum(1 for credit in credits if credit == 1.0) != 1:
            problems.append("single choice needs exactly one full-credit choice")
        if any(credit not in (0.0, 1.0) for credit in credits):
            problems.append("single choice credits must be 1 or 0")
    elif kind == "true_false":
        if sorted(texts) != ["False", "True"]:
            problems.append("true/false needs exactly the choices True and False")
        if sorted(credits) != [0.0, 1.0]:
            problems.append("true/false needs one right and one wrong choice")
    elif kind == "multiple":
        right = [credit for credit in credits if credit > 0]
        wrong = [credit for credit in credits if credit <= 0]
        if not right:
            problems.append("multiple response needs at least one right choice")
        if abs(sum(right) - 1) > 1e-6:
            problems.append(f"positive credits sum to {sum(right)}, not 1")
        if len(right) < 2 or len(wrong) < 2:
            problems.append("multiple response needs at least 2 right and 2 wrong choices")
    elif kind == "short":
        if not any(credit == 1.0 for credit in credits):
            problems.append("short answer needs at least one accepted answer with full credit")
        if any(credit <= 0 for credit in credits):
            problems.append("every short answer listed must earn some credit")
        if any(len(text.split()) > 5 for text in texts):
            problems.append("short-answer keys must be at most five words")
    elif kind == "ordering":
        positions = sorted(c.position for c in choices if c.position is not None)
        if len(positions) != len(choices) or positions != list(range(1, len(choices) + 1)):
            problems.append(f"ordering positions are {positions}, not 1..{len(choices)}")
        if not 3 <= len(choices) <= 5:
            problems.append("ordering needs 3 to 5 items")
    elif kind == "matching":
        partners = [c.match for c in choices]
        if len(choices) < 3:
            problems.append("matching needs at least three pairs")
        if not all(partners):
            problems.append("every matching item needs a partner")
        if len(set(partners)) != len(partners):
            problems.append("matching right-hand sides must be distinct")
    else:
        problems.append(f"unknown kind {kind!r}")
    if kind != "matching" and any(c.match for c in choices):
        problems.append("only matching choices have a partner")
    if kind != "ordering" and any(c.position is not None for c in choices):
        problems.append("only ordering choices have a position")
    return problems


@pytest.mark.django_db
def test_every_question_is_valid_for_its_kind(statement):
    questions = Question.objects.prefetch_related("choices")
    problems = {q.ref: p for q in questions if (p := _problems_for(q))}
    assert not problems, problems


@pytest.mark.django_db
def test_every_substantive_passage_is_cited(statement):
    numbers = list(
        Passage.objects.filter(source__slug=SOURCE)
        .order_by("number")
        .values_list("number", flat=True)
    )
    assert numbers == list(range(1, 20))
    cited = set(
        Question.objects.filter(passage__source__slug=SOURCE).values_list(
            "passage__number", flat=True
        )
    )
    assert set(numbers) - cited == set(), "paragraphs no question cites"


@pytest.mark.django_db
def test_the_passages_are_the_statement_without_page_chrome(statement):
    source = Source.objects.get(slug=SOURCE)
    passages = list(source.passages.order_by("number"))
    assert passages[0].text.startswith("State Councilor and Foreign Minister Wang Yi attended")
    assert passages[-1].text.startswith("A Statement by the SCO Foreign Ministers Concerning")
    texts = " ".join(p.text for p in passages)
    assert "Suggest to a friend" not in texts
    assert "Español" not in texts


@pytest.mark.django_db
def test_the_bank_has_enough_questions_of_each_kind(statement):
    questions = Question.objects.published()
    kinds = Counter(questions.values_list("kind", flat=True))
    print(f"\nquestions: {questions.count()} {dict(kinds)}")
    print("per bank:", dict(Counter(questions.values_list("bank__slug", flat=True))))
    assert questions.count() >= 90
    for kind in ("single", "multiple", "true_false", "short"):
        assert kinds[kind] >= 10, kind
    for kind in ("ordering", "matching"):
        assert kinds[kind] >= 6, kind

    conference = questions.filter(bank__slug="the-conference")
    assert conference.count() >= 25
    conference_kinds = Counter(conference.values_list("kind", flat=True))
    assert all(conference_kinds[kind] >= 2 for kind in KINDS), conference_kinds

    assert set(questions.values_list("difficulty", flat=True)) == {1, 2, 3}
    assert list(Bank.objects.values_list("slug", flat=True)) == BANKS
    assert all(questions.filter(bank__slug=slug).exists() for slug in BANKS)


@pytest.mark.django_db
def test_ticking_every_box_of_a_multiple_response_question_earns_nothing(statement):
    """Wrong ticks cost at least what right ones gain: a student who ticks every
    box earns 0, one who ticks exactly the right boxes earns 1."""
    for question in Question.objects.filter(kind="multiple").prefetch_related("choices"):
        choices = list(question.choices.all())
        right = [c.pk for c in choices if c.credit > 0]
        every = question.grade(choices, {"choices": [c.pk for c in choices]})
        exact = question.grade(choices, {"choices": right})
        assert (every, exact) == (0, 1), (question.ref, every, exact)
        gain = min(c.credit for c in choices if c.credit > 0)
        assert all(-c.credit >= gain for c in choices if c.credit <= 0), question.ref


# Facts of the statement that no question asked before issue 19, and the question
# that asks each now, with the paragraph that holds it.
ONCE_UNASKED = {
    "cov-politicize": 5,  # reject attempts to politicize the response
    "cov-media-impartiality": 6,  # the media's impartiality and balance
    "cov-governments-focus": 4,  # domestic infections, international cooperation
    "sec-security-safeguards": 8,  # join hands and build stronger security safeguards
    "sec-reconciliation-reconstruction": 9,  # national reconciliation and reconstruction
    "dev-economic-aims": 10,  # minimize the impact, avert the downward risk
    "dev-railway-role-tf": 10,  # the railway helps combat the virus and resume activity
    "dev-multi-pronged": 11,  # multi-pronged measures for new areas of cooperation
    "dev-commercialization-tf": 11,  # speed up the commercialization of research outcomes
    "dev-agriculture": 11,  # modern agricultural cooperation, a stable supply and market
    "out-think-creatively": 13,  # think creatively to conduct cooperation and exchange
    "out-difficult-times": 14,  # support and assist each other in difficult times
    "out-regional-role": 17,  # a greater role of the SCO in regional affairs
    "mul-participants-uphold": 18,  # the UN-centered system, international law, WHO's role
}


@pytest.mark.django_db
def test_the_facts_no_question_asked_are_asked_now(statement):
    questions = Question.objects.published().filter(ref__in=ONCE_UNASKED).with_citations()
    cited = {q.ref: {p.number for p in q.cited_passages()} for q in questions}
    assert set(cited) == set(ONCE_UNASKED)
    assert all(ONCE_UNASKED[ref] in numbers for ref, numbers in cited.items()), cited


@pytest.mark.django_db
def test_true_false_keys_are_roughly_balanced(statement):
    keys = Counter(
        Choice.objects.filter(question__kind="true_false", credit=1.0).values_list(
            "text", flat=True
        )
    )
    assert abs(keys["True"] - keys["False"]) <= max(2, sum(keys.values()) // 5), keys


def _cited_texts(question: Question) -> list[str]:
    return [passage.text for passage in question.cited_passages()]


@pytest.mark.django_db
def test_keys_are_found_in_their_cited_passages_or_say_why(statement):
    """A single-choice or short-answer key stands in one of the paragraphs the
    question cites (its passage or also_cites), or the question says why not."""
    questions = Question.objects.filter(kind__in=["single", "short"]).with_citations()
    offending, paraphrased = [], []
    for question in questions.prefetch_related("choices"):
        passages = [normalise(text) for text in _cited_texts(question)]
        keys = [c.text for c in question.choices.all() if c.credit == 1.0]
        missing = [key for key in keys if not any(normalise(key) in p for p in passages)]
        if not missing:
            continue
        if question.paraphrase_note.strip():
            paraphrased.append(question.ref)
        else:
            offending.append(f"{question.ref}: {missing}")
    print(f"\nparaphrased keys with a reason: {len(paraphrased)} {paraphrased}")
    assert not offending, "keys not found in their passages: " + "; ".join(offending)


def _known_words(texts: list[str]) -> set[str]:
    """Stems of the words of `texts`, with hyphenated words also taken apart."""
    found = set()
    for text in texts:
        for variant in (text, text.replace("-", " ")):
            found.update(stem(word) for word in words(variant))
    return found


@pytest.mark.django_db
def test_the_right_options_of_multiple_response_use_the_words_of_their_passages(statement):
    """Every word that carries meaning in a right option stands in a cited paragraph,
    or the question says why not: an option drawn from a paragraph the question
    does not cite shows up here."""
    questions = Question.objects.filter(kind="multiple").with_citations()
    offending = []
    for question in questions.prefetch_related("choices"):
        known = _known_words(_cited_texts(question))
        for choice in question.choices.all():
            if choice.credit <= 0:
                continue
            missing = [
                word
                for word in words(choice.text)
                if word not in FUNCTION_WORDS | {"and", "or"} and stem(word) not in known
            ]
            if missing and not question.paraphrase_note.strip():
                offending.append(f"{question.ref}: {choice.text!r} {missing}")
    assert not offending, offending


@pytest.mark.django_db
def test_every_cited_paragraph_is_named_in_the_explanation(statement):
    """The review quotes every cited paragraph; the explanation says which is which."""
    for question in Question.objects.with_citations():
        for passage in question.cited_passages():
            assert re.search(rf"[Pp]aragraphs? [^.;]*\b{passage.number}\b", question.explanation), (
                question.ref,
                passage.number,
            )


@pytest.mark.django_db
def test_every_question_explains_itself_and_names_its_paragraph(statement):
    for question in Question.objects.select_related("passage"):
        assert question.explanation.strip(), question.ref
        number = question.passage.number
        cites = rf"[Pp]aragraphs? (?:\d+, |\d+ and |\d+ to )*{number}\b"
        assert re.search(cites, question.explanation), question.ref
        assert question.weight == 1, question.ref


@pytest.mark.django_db
def test_no_prompt_points_to_a_paragraph_number(statement):
    """During an exam the student sees no paragraph numbers: "paragraph 7" in a
    prompt points at nothing."""
    pointing = [q.ref for q in Question.objects.all() if re.search(r"[Pp]aragraphs? \d", q.prompt)]
    assert not pointing, pointing


@pytest.mark.django_db
def test_explanations_give_no_year_for_the_date_the_text_does_not_give(statement):
    """Paragraph 1 says "on 13 May" and nothing more; 2020 is only Russia's year as chair."""
    dated = [q.ref for q in Question.objects.all() if "13 May 20" in q.explanation]
    assert not dated, dated


def _snapshot() -> dict[str, list[tuple]]:
    return {
        "source": list(Source.objects.order_by("pk").values_list()),
        "passage": list(Passage.objects.order_by("pk").values_list()),
        "bank": list(Bank.objects.order_by("pk").values_list()),
        "question": list(Question.objects.order_by("pk").values_list()),
        "choice": list(Choice.objects.order_by("pk").values_list()),
        "quiz": list(Quiz.objects.order_by("pk").values_list()),
        "quiz_banks": list(Quiz.banks.through.objects.order_by("pk").values_list()),
        "also_cites": list(Question.also_cites.through.objects.order_by("pk").values_list()),
    }


@pytest.mark.django_db
def test_loading_the_fixtures_twice_changes_nothing(statement):
    before = _snapshot()
    assert all(before.values()), {name: len(rows) for name, rows in before.items()}
    call_command("loaddata", "statement", verbosity=0)
    after = _snapshot()
    assert {name: len(rows) for name, rows in after.items()} == {
        name: len(rows) for name, rows in before.items()
    }
    assert after == before


@pytest.mark.django_db
def test_the_quizzes_are_set_up_as_agreed(statement):
    quizzes = {quiz.slug: quiz for quiz in Quiz.objects.prefetch_related("banks")}

    def banks_of(slug):
        return sorted(quizzes[slug].banks.values_list("slug", flat=True))

    essentials = quizzes["essentials"]
    assert banks_of("essentials") == ["the-conference"]
    assert essentials.question_count == 10
    assert essentials.feedback_is_immediate
    assert essentials.shuffle_questions and essentials.shuffle_choices
    assert essentials.time_limit is None and essentials.attempts_allowed is None
    assert essentials.pass_mark == 60

    priorities = quizzes["four-priorities"]
    assert banks_of("four-priorities") == sorted(PRIORITY_BANKS)
    assert priorities.question_count == 20
    assert priorities.feedback_is_immediate

    exam = quizzes["full-exam"]
    assert banks_of("full-exam") == sorted(BANKS)
    assert exam.question_count == 30
    assert exam.time_limit == timedelta(minutes=20)
    assert exam.attempts_allowed == 2
    assert exam.pass_mark == 70
    assert exam.feedback_timing == Quiz.FeedbackTiming.DEFERRED

    for slug in BANKS:
        practice = quizzes[f"practice-{slug}"]
        assert banks_of(practice.slug) == [slug]
        assert practice.question_count is None
        assert practice.feedback_is_immediate

    assert len(quizzes) == 3 + len(BANKS)
    for quiz in quizzes.values():
        assert quiz.published and quiz.grading_method == Quiz.Grading.HIGHEST
        pool = quiz.question_pool().count()
        assert pool >= (quiz.question_count or 1), (quiz.slug, pool)


@pytest.mark.django_db
def test_the_essentials_pool_has_every_kind_several_times(statement):
    quiz = Quiz.objects.get(slug="essentials")
    kinds = Counter(quiz.question_pool().values_list("kind", flat=True))
    assert set(kinds) == set(KINDS)
    assert min(kinds.values()) >= 4, kinds
