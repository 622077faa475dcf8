"""A question as an attempt's pages and a flashcard show and grade it, and the
quiz of an attempt, read once per content version.

Every student of an exam reads the same questions, on each page and each answer:
the question, its bank, the paragraphs it cites with their sources (the prompt's
`lang`, the quotes) and its choices. They change only when the content does, so
each process keeps them under the content version (`ContentVersion`, changed in
the same transaction as any write to a question, a choice, a bank, a paragraph or
a source): a teacher's fix is seen by the very next page of every process on
every server. A page then reads the version (one fixed statement) instead of the
choices, and its item or card without joining the question, its paragraph and
their source.

A quiz's settings are content too (a quiz saved changes the version): an
attempt's pages read the item with its attempt, and its quiz from here.

A kept question or quiz is shared by the requests of a process: read it, never
change it.
"""

from ..models import Choice, ContentVersion, Question, Quiz
from .memory import Kept

# The questions of a few classes' banks, some 5 KB each, and their quizzes.
_kept = Kept(1000)


def question_with_choices(
    question_id: int, version: int | None = None
) -> tuple[Question, list[Choice]]:
    """The question (with its bank and the paragraphs it cites, with their
    sources) and all its choices, unordered: the pages lay them out in the
    item's frozen order. `version`: the content version, if read already."""
    if version is None:
        version = ContentVersion.objects.current()
    question, choices = _kept.remember(
        ("question", question_id, version), lambda: _read(question_id)
    )
    return question, list(choices)


def _read(question_id: int) -> tuple[Question, tuple[Choice, ...]]:
    # With its bank (a card's page names it) and every paragraph it cites: the
    # lenient rules of a short answer, the quotes of a review, a card's back.
    question = Question.objects.with_citations().select_related("bank").get(pk=question_id)
    return question, tuple(Choice.objects.filter(question_id=question_id).order_by())


def quiz_of(quiz_id: int, version: int) -> Quiz:
    """The quiz, under the content version `version` (read already by the page)."""
    return _kept.remember(("quiz", quiz_id, version), lambda: Quiz.objects.get(pk=quiz_id))
