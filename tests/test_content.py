"""Checks on the shipped question bank (fixtures/statement.json).

A teacher must be able to trust every key: these tests hold the fixture to the
rules of issue 3 (valid per kind, every paragraph covered, keys found in their
passage or a written reason why not, idempotent loading, quizzes as agreed).
"""

import random
import re
from collections import Counter
from datetime import timedelta

import pytest
from django.core.management import call_command

from learning.answer_text import stem, words
from learning.answers import FUNCTION_WORDS
from learning.models.bank import Bank, Choice, ExclusionGroup, Passage, Question, Source
from learning.models.quizzes import Quiz
from learning.scoring import normalise
from learning.services.attempts import draw_questions

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


# Questions that give each other away when drawn into one attempt: the first
# question's prompt, options or pairs state (or leave only) the second's key.
GIVE_AWAYS = [
    # the meeting itself
    ("conf-who-did-what", "conf-chair-name"),  # "Sergei Lavrov" / "chaired the conference"
    ("conf-who-did-what", "conf-wang-chaired-tf"),
    ("conf-who-did-what", "conf-chair-country-2020-tf"),
    ("conf-who-did-what", "conf-wang-city"),  # "attended from Beijing"
    ("conf-who-did-what", "conf-chair-country"),
    ("conf-who-did-what", "out-russian"),  # "Russia" / "held the SCO chair for 2020"
    ("conf-report-order", "out-russian"),  # "full support to the Russian presidency"
    ("out-commended", "out-russian"),  # option "Russia's work as SCO chair for 2020"
    ("out-commended", "conf-chair-country"),
    ("conf-report-order", "out-commended"),  # "The participants commend China's progress"
    ("out-participants-verbs", "out-commended"),
    ("out-timeline", "conf-meeting-form"),  # "SCO foreign ministers hold a video conference"
    ("conf-meeting-form", "cov-qingdao-city"),  # option "a summit in Qingdao"
    ("out-china-will", "cov-qingdao-city"),  # option "hold the next SCO Summit in Qingdao"
    ("conf-wang-city", "cov-qingdao-city"),  # option "Qingdao"
    ("conf-secretary-general-tf", "conf-participants"),
    ("conf-participants", "conf-rats-name"),  # "... of the Regional Anti-Terrorist Structure"
    ("mul-un-exchanges", "conf-rats-name"),
    ("sec-contact-group", "conf-rats-name"),
    ("conf-opening-order", "conf-championing"),  # "continue championing the Shanghai Spirit"
    ("conf-opening-order", "out-spirit"),
    ("conf-championing", "out-spirit"),
    ("conf-opening-order", "conf-opening-actions"),  # "The SCO needs to act proactively"
    ("conf-opening-order", "conf-opening-dangers"),
    ("conf-opening-order", "conf-opening-descriptions"),
    ("conf-opening-descriptions", "conf-opening-dangers"),
    ("conf-statement-title", "out-statement-subject"),
    ("conf-statement-title", "out-era"),  # option "... Concerning the "Post COVID-19 Era""
    ("conf-statement-title", "conf-statement-leaders-tf"),
    ("conf-report-order", "conf-statement-leaders-tf"),  # "The foreign ministers adopt"
    # the four priorities
    ("conf-priority-order", "conf-priorities-named"),
    ("mul-fourth-aim", "conf-priorities-named"),  # "fourth priority: promote multilateralism"
    ("conf-priorities-named", "dev-people-exchange"),
    ("conf-priority-order", "mul-fourth-aim"),  # "Multilateralism and the international system"
    ("conf-aims-order", "mul-fourth-aim"),
    ("conf-aim-to-detail", "mul-fourth-aim"),
    ("mul-points-order", "mul-fourth-aim"),
    ("mul-verb-object", "mul-fourth-aim"),
    ("mul-participants-uphold", "mul-fourth-aim"),
    ("conf-aim-to-detail", "cov-saving-lives"),  # "no more important agenda than saving lives"
    ("conf-most-urgent-task", "cov-saving-lives"),
    ("cov-governments-focus", "cov-saving-lives"),
    ("cov-governments-focus", "conf-most-urgent-task"),
    ("conf-aim-to-detail", "conf-most-urgent-task"),
    ("conf-aim-to-detail", "dev-belt-road"),  # "Belt and Road cooperation"
    ("conf-aim-to-detail", "mul-charter"),
    ("mul-verb-object", "mul-charter"),
    ("mul-points-order", "conf-priority-proposal"),  # points of the fourth priority
    ("sec-raised-order", "conf-priority-proposal"),
    ("dev-measures-order", "conf-priority-proposal"),
    ("sec-raised-order", "mul-biosecurity-fourth-tf"),
    ("sec-raised-order", "sec-biosecurity-tf"),  # "studying an SCO mechanism on biosecurity"
    ("mul-biosecurity-fourth-tf", "sec-biosecurity-tf"),
    ("conf-priority-proposal", "sec-biosecurity-tf"),
    ("conf-priority-proposal", "dev-fast-lanes"),  # '"fast lanes" and "green lanes"'
    ("cov-sco-steps", "dev-fast-lanes"),
    ("conf-priority-proposal", "mul-un-exchanges"),
    ("mul-points-order", "mul-un-exchanges"),
    # fighting COVID-19 together
    ("cov-people-asks", "cov-governments-focus"),  # "focus on tackling domestic infections"
    ("cov-politicize", "cov-people-asks"),  # people were asked to reject attempts
    ("cov-politicize", "cov-media-label-tf"),
    ("cov-people-asks", "cov-media-label-tf"),
    ("cov-media-impartiality", "cov-media-who"),
    ("cov-media-science", "cov-media-who"),
    ("cov-sco-steps", "cov-action-plan-tf"),
    ("sec-security-safeguards", "cov-health-community"),
    # security
    ("sec-raised-order", "sec-overarching"),  # "... as the overarching objective"
    ("sec-security-safeguards", "sec-overarching"),
    ("conf-opening-dangers", "sec-deny-havoc"),  # option "terrorists, separatists and extremists"
    ("sec-raised-order", "sec-deny-havoc"),
    ("sec-raised-order", "conf-opening-dangers"),  # terrorists belong to the second priority
    ("conf-championing", "sec-afghan-owned"),  # option "the Afghan-led and Afghan-owned principle"
    ("mul-charter", "sec-afghan-owned"),
    ("sec-afghan-phrases", "sec-afghan-owned"),
    ("conf-championing", "sec-afghan-phrases"),  # the principle named in full
    ("mul-charter", "sec-afghan-phrases"),
    ("sec-afghan-phrases", "sec-contact-group"),  # "a cooperation platform with Afghanistan"
    ("sec-afghan-phrases", "sec-afghan-process"),  # "broad-based and inclusive"
    ("dev-public-support", "sec-political-forces"),  # option "the main political forces in ..."
    ("sec-afghan-support", "sec-reconciliation-reconstruction"),
    # development
    ("conf-championing", "dev-food-programme"),  # the programme's real name as an option
    ("out-daily-operation", "dev-food-programme"),
    ("dev-measure-purpose", "dev-lanes-for"),  # "movement of key business personnel"
    ("dev-measures-order", "dev-lanes-for"),
    ("dev-measure-purpose", "dev-road-ports"),  # "full cargo handling capacity"
    ("out-agreed", "dev-road-ports"),  # option "restore full cargo handling capacity at road ports"
    ("dev-measures-order", "dev-road-ports"),
    ("dev-road-ports", "dev-containment-tf"),  # "as long as containment measures are enforced"
    ("out-agreed", "dev-measure-purpose"),
    ("dev-measures-order", "out-agreed"),  # restoring road ports is Wang Yi's measure
    ("dev-measures-order", "dev-measure-purpose"),
    ("dev-measure-purpose", "dev-railway"),  # "freight transport"
    ("dev-measure-purpose", "dev-public-support"),  # "greater public support"
    ("dev-measures-order", "dev-chains-tf"),
    ("conf-opening-actions", "dev-commercialization-tf"),  # "speed up the commercialization"
    ("dev-economic-aims", "out-economic-aim"),
    # multilateralism
    ("mul-points-order", "mul-verb-object"),
    ("mul-points-order", "mul-sanctions-tf"),  # "oppose unfounded sanctions"
    ("mul-verb-object", "mul-sanctions-tf"),
    ("mul-oppose-sanctions", "mul-sanctions-tf"),
    ("mul-verb-object", "mul-oppose-sanctions"),
    ("mul-points-order", "mul-oppose-sanctions"),
    ("mul-oppose-sanctions", "mul-unilateralism"),  # option "self-centered moves of unilateralism"
    ("mul-uphold", "mul-unilateralism"),
    ("mul-points-order", "mul-unilateralism"),
    ("mul-participants-reject", "mul-unilateralism"),
    ("mul-participants-uphold", "mul-unilateralism"),
    ("conf-opening-actions", "mul-unilateralism"),
    ("conf-opening-actions", "mul-participants-reject"),  # "reject unilateralism, bullying and ..."
    ("mul-oppose-sanctions", "mul-participants-reject"),  # option "bullying and stigmatization"
    ("mul-participants-uphold", "mul-participants-reject"),
    ("mul-sanctions-tf", "mul-uphold"),  # "to uphold fairness and justice"
    ("mul-points-order", "mul-uphold"),  # "uphold multilateralism"
    ("mul-points-order", "mul-solutions-tf"),
    ("mul-verb-object", "mul-solutions-tf"),
    ("mul-who-special-tf", "mul-who"),
    ("mul-points-order", "mul-who"),  # "support the role of the World Health Organization"
    ("mul-verb-object", "mul-who"),
    ("mul-participants-uphold", "mul-who"),
    # outcomes
    ("out-china-will", "out-after-summit-tf"),  # "in the run up to the Summit"
    ("out-participants-verbs", "out-agreed"),
    ("out-participants-verbs", "out-hotspots-tf"),
    ("conf-priorities-named", "out-regional-role"),  # option "promote a greater role of ..."
    ("out-economic-aim", "out-regional-role"),
    ("out-regional-role", "mul-governance"),  # option "... in improving global governance"
    ("out-think-creatively", "out-china-will"),  # cooperation goes on: not "on hold"
]


def _groups_of() -> dict[str, set[str]]:
    groups: dict[str, set[str]] = {}
    for group in ExclusionGroup.objects.prefetch_related("questions"):
        for question in group.questions.all():
            groups.setdefault(question.ref, set()).add(group.name)
    return groups


@pytest.mark.django_db
def test_every_give_away_pair_shares_an_exclusion_group(statement):
    refs = set(Question.objects.values_list("ref", flat=True))
    assert {ref for pair in GIVE_AWAYS for ref in pair} <= refs
    assert len(set(map(frozenset, GIVE_AWAYS))) == len(GIVE_AWAYS), "a pair is listed twice"
    groups = _groups_of()
    apart = [(a, b) for a, b in GIVE_AWAYS if not groups.get(a, set()) & groups.get(b, set())]
    assert not apart, apart


@pytest.mark.django_db
def test_every_exclusion_group_holds_a_give_away_pair(statement):
    """No group is there for nothing: each keeps apart at least one listed pair."""
    pairs = set(map(frozenset, GIVE_AWAYS))
    for group in ExclusionGroup.objects.prefetch_related("questions"):
        members = {q.ref for q in group.questions.all()}
        assert len(members) >= 2, group.name
        assert any(pair <= members for pair in pairs), group.name


@pytest.mark.django_db
def test_no_draw_of_a_shipped_quiz_holds_two_questions_of_one_group(statement):
    groups = [
        {q.pk for q in group.questions.all()}
        for group in ExclusionGroup.objects.prefetch_related("questions")
    ]
    for quiz in Quiz.objects.all():
        kinds = set(quiz.question_pool().values_list("kind", flat=True))
        for seed in range(200):
            drawn = draw_questions(quiz, random.Random(seed))
            ids = [q.id for q in drawn]
            assert len(ids) == len(set(ids))
            assert not [g for g in groups if len(g & set(ids)) > 1], (quiz.slug, seed)
            if quiz.question_count is not None:
                assert len(ids) == quiz.question_count, (quiz.slug, seed, len(ids))
                assert {q.kind for q in drawn} == kinds, (quiz.slug, seed)


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
        "exclusion_group": list(ExclusionGroup.objects.order_by("pk").values_list()),
        "exclusion_group_questions": list(
            ExclusionGroup.questions.through.objects.order_by("pk").values_list()
        ),
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
