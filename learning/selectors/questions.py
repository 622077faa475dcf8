"""A question as an attempt's pages show and grade it, read once per content version.

Every student of an exam reads the same questions, on each page and each answer:
the question, the paragraph it cites with its source (the prompt's `lang`) and its
choices. They change only when the content does, so each process keeps them under
the content version (`ContentVersion`, changed in the same transaction as any
write to a question, a choice, a paragraph or a source): a teacher's fix is seen
by the very next page of every process on every server. A page then reads the
version (one fixed statement) instead of the choices, and its item without
joining the question, its paragraph and their source.

The kept question is shared by the requests of a process: read it, never change it.
"""

from django.db.models import prefetch_related_objects

from ..models import Choice, ContentVersion, Question
from .memory import Kept

# The questions of a few classes' banks, some 5 KB each.
_kept = Kept(1000)


def question_with_choices(question_id: int) -> tuple[Question, list[Choice]]:
    """The question (with the paragraph it cites and its source) and all its
    choices, unordered: the pages lay them out in the item's frozen order."""
    question, choices = _kept.remember(
        ("question", question_id, ContentVersion.objects.current()), lambda: _read(question_id)
    )
    return question, list(choices)


def _read(question_id: int) -> tuple[Question, tuple[Choice, ...]]:
    # Its other paragraphs only where grading reads them, a short answer's lenient
    # rules; a page that quotes another kind's reads them then.
    question = Question.objects.select_related("passage__source").get(pk=question_id)
    if question.kind == Question.Kind.SHORT:
        prefetch_related_objects([question], Question.objects.citations())
    return question, tuple(Choice.objects.filter(question_id=question_id).order_by())
