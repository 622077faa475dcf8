"""Moodle's item analysis of one quiz, read from its finished attempts."""

from collections import Counter

from django.db.models import QuerySet

from .. import item_analysis
from ..models import Attempt, AttemptItem, Question, Quiz
from ..scoring import normalise


def quiz_statistics(*, quiz: Quiz, students: QuerySet | None = None, every: bool = False) -> dict:
    """Per question, the item analysis over each student's first finished attempt
    (or over all of them with `every`), among `students` when given."""
    done = Attempt.objects.done().filter(quiz=quiz).order_by("user_id", "number")
    if students is not None:
        done = done.filter(user__in=students)
    chosen, seen = [], set()
    for attempt_id, user_id in done.values_list("id", "user_id"):
        if every or user_id not in seen:
            chosen.append(attempt_id)
            seen.add(user_id)
    by_attempt: dict[int, dict[int, float]] = {pk: {} for pk in chosen}
    weights: dict[int, float] = {}
    items = AttemptItem.objects.filter(attempt_id__in=chosen).values_list(
        "attempt_id", "question_id", "credit", "question__weight"
    )
    for attempt_id, question_id, credit, weight in items:
        by_attempt[attempt_id][question_id] = credit or 0.0
        weights[question_id] = weight
    analysis = item_analysis.analyse(list(by_attempt.values()), weights)
    questions = Question.objects.in_bulk(list(analysis))
    rows = [(questions[key], item) for key, item in analysis.items()]
    return {
        "rows": rows,
        "attempt_count": len(chosen),
        "wrong_answers": wrong_short_answers(attempt_ids=chosen, questions=questions),
    }


def wrong_short_answers(
    *, attempt_ids: list[int], questions: dict[int, Question], limit: int = 10
) -> list[tuple[Question, list[tuple[str, int]]]]:
    """Per short-answer question, the answers given less than full credit, as
    grading folds them (case, spacing, punctuation), most frequent first: the
    answers a teacher may decide to accept."""
    short = [pk for pk, q in questions.items() if q.kind == Question.Kind.SHORT]
    given = AttemptItem.objects.filter(
        attempt_id__in=attempt_ids, question_id__in=short, answered_at__isnull=False
    ).exclude(credit__gte=1)
    counts: dict[int, Counter] = {}
    shown: dict[tuple[int, str], str] = {}
    for question_id, response in given.values_list("question_id", "response"):
        text = str((response or {}).get("text", "")).strip()
        folded = normalise(text)
        if folded:
            counts.setdefault(question_id, Counter())[folded] += 1
            # The first spelling met stands for all that fold to the same.
            shown.setdefault((question_id, folded), text)
    return [
        (
            questions[pk],
            [(shown[(pk, folded)], n) for folded, n in counts[pk].most_common(limit)],
        )
        for pk in short
        if pk in counts
    ]
