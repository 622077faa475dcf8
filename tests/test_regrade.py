"""Regrading after a key changed: a dry run first, then one transaction that
records every change; accepting an answer and dropping a question go the same way."""

import pytest
from django.db import transaction

from learning import services
from learning.models import Attempt, Choice, Regrade, RegradeItem
from learning.services.regrade import Adjustment


def sit(student, quiz, answers: dict[str, dict]) -> Attempt:
    """`student` answers each kind's item with `answers[kind]` (a stored response) and finishes."""
    attempt = services.attempt_start(user=student, quiz=quiz)
    for item in attempt.items.select_related("question"):
        kind = item.question.kind
        if kind in answers:
            services.attempt_answer(item=item, response=answers[kind](item.question))
    return services.attempt_finish(attempt=attempt)


def pick(text):
    return lambda q: {"choice": Choice.objects.get(question=q, text=text).pk}


def typed(text):
    return lambda q: {"text": text}


@pytest.fixture
def exam(make_quiz, make_question):
    single = make_question("single", prompt="Who chaired?")
    short = make_question("short", prompt="Name the chair.")
    quiz = make_quiz(shuffle_questions=False, pass_mark=50)
    return quiz, single, short


def test_changing_a_key_changes_no_score_until_the_teacher_regrades(alice, exam):
    quiz, single, _ = exam
    attempt = sit(alice, quiz, {"single": pick("Wang Yi")})
    assert attempt.score == 0
    Choice.objects.filter(question=single).update(credit=0)
    Choice.objects.filter(question=single, text="Wang Yi").update(credit=1)
    attempt.refresh_from_db()
    assert attempt.score == 0
    plan = services.regrade_preview(quiz=quiz)
    (change,) = plan.changes
    assert (change.old_score, change.new_score, change.old_max, change.new_max) == (0, 1, 2, 2)
    assert change.crossing == "up" and change.difference == 50
    assert [(i.old_credit, i.new_credit) for i in change.items] == [(0, 1)]
    attempt.refresh_from_db()
    assert attempt.score == 0 and not Regrade.objects.exists()


def test_the_regrade_stores_new_scores_and_a_record_per_attempt_and_item(alice, bob, tess, exam):
    quiz, single, _ = exam
    wrong = sit(alice, quiz, {"single": pick("Wang Yi")})
    right = sit(bob, quiz, {"single": pick("Sergei Lavrov")})
    Choice.objects.filter(question=single, text="Wang Yi").update(credit=1)
    Choice.objects.filter(question=single, text="Sergei Lavrov").update(credit=0)
    plan = services.regrade_preview(quiz=quiz)
    assert len(plan.changes) == 2 and plan.crossing_down[0].attempt == right
    services.quiz_regrade(quiz=quiz, by=tess, fingerprint=plan.fingerprint)
    wrong.refresh_from_db()
    right.refresh_from_db()
    assert (wrong.score, right.score) == (1, 0)
    record = Regrade.objects.get(attempt=wrong)
    assert (record.by, record.old_score, record.new_score) == (tess, 0, 1)
    (item,) = RegradeItem.objects.filter(regrade=record)
    assert (item.old_credit, item.new_credit) == (0, 1)
    assert item.item.credit == 1
    # Done is done: a second regrade finds nothing to change.
    assert not services.regrade_preview(quiz=quiz).changes


def test_a_regrade_that_would_differ_from_the_dry_run_is_refused(alice, tess, exam):
    quiz, single, _ = exam
    sit(alice, quiz, {"single": pick("Wang Yi")})
    Choice.objects.filter(question=single, text="Wang Yi").update(credit=1)
    Choice.objects.filter(question=single, text="Sergei Lavrov").update(credit=0)
    seen = services.regrade_preview(quiz=quiz)
    # Another teacher edits the key again between the dry run and the click.
    Choice.objects.filter(question=single, text="Wang Yi").update(credit=0.5)
    with pytest.raises(services.RegradeStale):
        services.quiz_regrade(quiz=quiz, by=tess, fingerprint=seen.fingerprint)
    assert not Regrade.objects.exists()


def test_a_regrade_with_nothing_to_change_is_refused(alice, tess, exam):
    quiz, _, _ = exam
    sit(alice, quiz, {"single": pick("Sergei Lavrov")})
    plan = services.regrade_preview(quiz=quiz)
    with pytest.raises(services.NothingToRegrade):
        services.quiz_regrade(quiz=quiz, by=tess, fingerprint=plan.fingerprint)


def test_accepting_an_answer_adds_it_to_the_key_and_regrades_those_who_gave_it(
    alice, bob, tess, exam
):
    quiz, _, short = exam
    gave_it = sit(alice, quiz, {"short": typed("Sergei Viktorovich Lavrov")})
    sit(bob, quiz, {"short": typed("Wang Yi")})
    adjustment = Adjustment(accept=short, text="Sergei Viktorovich Lavrov")
    plan = services.regrade_preview(quiz=quiz, adjustment=adjustment)
    assert [c.attempt for c in plan.changes] == [gave_it]
    assert not short.choices.filter(
        text="Sergei Viktorovich Lavrov"
    ).exists()  # a dry run stores nothing
    services.quiz_regrade(quiz=quiz, by=tess, fingerprint=plan.fingerprint, adjustment=adjustment)
    assert short.choices.get(text="Sergei Viktorovich Lavrov").credit == 1
    gave_it.refresh_from_db()
    assert gave_it.score == 1
    assert "accepted" in Regrade.objects.get().reason


@pytest.mark.parametrize(
    ("question", "text", "refusal"),
    [
        ("single", "Anything", services.NotShortAnswer),
        ("short", "  sergei LAVROV ", services.AlreadyAccepted),
        ("short", " ... ", services.NotShortAnswer),
    ],
)
def test_accepting_an_answer_refuses_what_makes_no_sense(exam, question, text, refusal):
    quiz, single, short = exam
    target = single if question == "single" else short
    with pytest.raises(refusal):
        services.regrade_preview(quiz=quiz, adjustment=Adjustment(accept=target, text=text))


def test_a_dropped_question_counts_for_nobody(alice, bob, tess, exam):
    quiz, single, _ = exam
    right = sit(alice, quiz, {"single": pick("Sergei Lavrov"), "short": typed("Lavrov")})
    half = sit(bob, quiz, {"single": pick("Wang Yi"), "short": typed("Lavrov")})
    adjustment = Adjustment(drop=single)
    plan = services.regrade_preview(quiz=quiz, adjustment=adjustment)
    services.quiz_regrade(quiz=quiz, by=tess, fingerprint=plan.fingerprint, adjustment=adjustment)
    right.refresh_from_db()
    half.refresh_from_db()
    # Moodle's convention: out of the score and out of the maximum.
    assert (right.score, right.max_score) == (1, 1)
    assert (half.score, half.max_score, half.percent) == (1, 1, 100)
    assert quiz.dropped_questions.get() == single
    assert RegradeItem.objects.filter(dropped=True).count() == 2
    # New attempts no longer draw it, and one finished later leaves it out too.
    fresh = services.attempt_start(user=alice, quiz=quiz)
    assert single.pk not in set(fresh.items.values_list("question_id", flat=True))


def test_an_open_attempt_finishing_after_a_drop_leaves_the_question_out(alice, tess, exam):
    quiz, single, _ = exam
    attempt = services.attempt_start(user=alice, quiz=quiz)
    quiz.dropped_questions.add(single)
    attempt = services.attempt_finish(attempt=attempt)
    assert attempt.max_score == 1


def test_a_crash_half_way_through_a_regrade_leaves_nothing(alice, tess, exam, monkeypatch):
    quiz, _, short = exam
    sit(alice, quiz, {"short": typed("Sergei Viktorovich Lavrov")})
    adjustment = Adjustment(accept=short, text="Sergei Viktorovich Lavrov")
    plan = services.regrade_preview(quiz=quiz, adjustment=adjustment)

    def crash(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(RegradeItem.objects, "bulk_create", crash)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.quiz_regrade(
            quiz=quiz, by=tess, fingerprint=plan.fingerprint, adjustment=adjustment
        )
    assert not short.choices.filter(text="Sergei Viktorovich Lavrov").exists()
    assert not Regrade.objects.exists()
    assert Attempt.objects.get().score == 0


def test_a_teacher_reads_in_the_admin_only_the_regrades_of_her_own_students(
    alice, bob, tess, tess_client, exam
):
    """Teachers may read regrade records; those of another teacher's class stay hidden."""
    quiz, single, _ = exam
    mine = sit(alice, quiz, {"single": pick("Wang Yi")})
    theirs = sit(bob, quiz, {"single": pick("Wang Yi")})
    services.classroom_join(
        student=alice, code=services.classroom_create(teacher=tess, name="9B").join_code
    )
    tom = services.teacher_create(username="tom", password="tom-teaches-2020")
    services.classroom_join(
        student=bob, code=services.classroom_create(teacher=tom, name="9C").join_code
    )
    Choice.objects.filter(question=single, text="Wang Yi").update(credit=1)
    plan = services.regrade_preview(quiz=quiz)
    services.quiz_regrade(quiz=quiz, by=tess, fingerprint=plan.fingerprint)
    listing = tess_client.get("/admin/learning/regrade/").content.decode()
    assert "alice" in listing and "bob" not in listing
    hidden = Regrade.objects.get(attempt=theirs)
    response = tess_client.get(f"/admin/learning/regrade/{hidden.pk}/change/")
    assert response.status_code == 302  # the admin's "doesn't exist", as for a deleted row
    assert (
        tess_client.get(
            f"/admin/learning/regrade/{Regrade.objects.get(attempt=mine).pk}/change/"
        ).status_code
        == 200
    )
