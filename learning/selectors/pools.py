"""What a start draws from, read once per content version and kept per process.

A whole school presses Start within seconds; each start used to read the quiz's
pool of up to thousands of questions, their exclusion groups and their choice
ids (bench/README.md). They change only when the content does, so they are kept
in this process under the content version (`ContentVersion`, a number in the
database changed in the same transaction as any change to questions, choices,
banks, exclusion groups or a quiz's banks): a change is seen by the very next
start of every process on every server, and costs one primary-key read a start.
Process memory (`memory.Kept`), not Django's cache: the rows are read far more
often than they change, and a shared cache would unpickle a few thousand tuples on
every read.
"""

from typing import NamedTuple

from ..models import Bank, Choice, ContentVersion, ExclusionGroup, Question, Quiz
from .memory import Kept

# Quizzes' pools (and the bank map) kept per process.
_kept = Kept(64)


class Drawn(NamedTuple):
    """A question drawn for an attempt: no more of it than starting needs."""

    id: int
    kind: str
    weight: float


class Pool(NamedTuple):
    questions: tuple[Drawn, ...]  # in the bank's position, then id
    groups: dict[int, frozenset[int]]  # question id -> its exclusion groups
    choices: dict[int, tuple[int, ...]]  # question id -> its choice ids, stored order


def quiz_pool(quiz: Quiz) -> Pool:
    """The published questions of the quiz's banks, less those dropped from it."""
    return _kept.remember(("pool", quiz.pk, ContentVersion.objects.current()), lambda: _read(quiz))


def _read(quiz: Quiz) -> Pool:
    # Plain rows, not model instances: a pool may hold thousands of questions.
    pool = quiz.question_pool()
    rows = pool.order_by("bank__position", "id").values_list("id", "kind", "weight")
    questions = tuple(Drawn(*row) for row in rows)
    groups: dict[int, set[int]] = {}
    for question_id, group_id in ExclusionGroup.questions.through.objects.filter(
        question__in=pool
    ).values_list("question_id", "exclusiongroup_id"):
        groups.setdefault(question_id, set()).add(group_id)
    choices: dict[int, list[int]] = {q.id: [] for q in questions}
    for question_id, choice_id in Choice.objects.filter(question__in=pool).values_list(
        "question_id", "id"
    ):
        choices[question_id].append(choice_id)
    return Pool(
        questions,
        {q: frozenset(g) for q, g in groups.items()},
        {q: tuple(c) for q, c in choices.items()},
    )


class BankMap(NamedTuple):
    banks: tuple[Bank, ...]  # banks with published questions, in order
    bank_of: dict[int, int]  # published question id -> its bank id


def bank_questions() -> BankMap:
    """The banks with published questions, in order, and each question's bank."""
    return _kept.remember(("banks", ContentVersion.objects.current()), _read_banks)


def _read_banks() -> BankMap:
    bank_of = dict(Question.objects.published().values_list("id", "bank_id"))
    banks = Bank.objects.filter(pk__in=set(bank_of.values())).order_by("position", "name")
    return BankMap(tuple(banks), bank_of)
