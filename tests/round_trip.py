"""What an export and import of the shipped bank must keep: the GIFT and the
Moodle XML round trips (tests/test_interchange.py, tests/test_moodle_xml.py)."""

from learning.models import Question


def bank_questions():
    return (
        Question.objects.select_related("bank", "passage__source")
        .prefetch_related("choices")
        .order_by("bank__position", "id")
    )


def bank_snapshot(*, exact_answer: bool) -> dict:
    """Every question's fields and choices by its ref; `exact_answer` where the format
    carries that switch (Moodle XML does, GIFT has no place for it)."""
    return {
        q.ref: (
            q.bank.name,
            q.kind,
            q.prompt,
            q.explanation,
            q.passage_id,
            q.difficulty,
            q.weight,
            q.published,
            *([q.exact_answer] if exact_answer else []),
            sorted((c.text, round(c.credit, 6), c.position, c.match) for c in q.choices.all()),
        )
        for q in bank_questions()
    }
