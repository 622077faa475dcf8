"""Passages a class (or one student) misreads: every question cites the
paragraphs it comes from, so the answers to all questions citing a paragraph
say how well it was read. Five queries for any number of students or answers."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..models import Attempt, AttemptItem, Passage, Question


@dataclass
class QuestionShare:
    pk: int
    prompt: str
    right: int
    answers: int


@dataclass
class PassageShare:
    passage: Passage
    right: int = 0
    answers: int = 0
    questions: list[QuestionShare] = field(default_factory=list)

    @property
    def share(self) -> float:
        """Right answers over all answers, 0..1."""
        return self.right / self.answers if self.answers else 0.0

    @property
    def percent(self) -> float:
        return round(100 * self.share, 1)


def passage_shares(user_ids: Sequence[int], *, limit: int = 10) -> list[PassageShare]:
    """Per passage, the students' right answers (full credit) over the questions
    citing it that they met in finished attempts, the weakest first (then the
    most met). A question left unanswered counts as not right, as on the
    student's own "Passages to practise"."""
    per_question: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    answers = AttemptItem.objects.filter(
        attempt__in=Attempt.objects.done().filter(user_id__in=user_ids)
    ).values_list("question_id", "credit")
    for question_id, credit in answers:
        counts = per_question[question_id]
        counts[0] += credit is not None and credit >= 1
        counts[1] += 1
    if not per_question:
        return []
    cites: dict[int, set[int]] = defaultdict(set)
    prompts = {}
    for pk, passage_id, prompt in Question.objects.filter(pk__in=per_question).values_list(
        "pk", "passage_id", "prompt"
    ):
        prompts[pk] = prompt
        if passage_id is not None:
            cites[passage_id].add(pk)
    also = Question.also_cites.through.objects.filter(question_id__in=per_question)
    for question_id, passage_id in also.values_list("question_id", "passage_id"):
        cites[passage_id].add(question_id)
    passages = Passage.objects.select_related("source").in_bulk(list(cites))
    shares = []
    for passage_id, question_ids in cites.items():
        entry = PassageShare(passages[passage_id])
        for pk in sorted(question_ids):
            right, total = per_question[pk]
            entry.right += right
            entry.answers += total
            entry.questions.append(QuestionShare(pk, prompts[pk], right, total))
        entry.questions.sort(key=lambda q: (q.right / q.answers, -q.answers))
        shares.append(entry)
    shares.sort(key=lambda e: (e.share, -e.answers, e.passage.number))
    return shares[:limit]
