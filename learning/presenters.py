"""What a page shows of an attempt item: used by the student's pages and the
admin's preview alike, so both lay a question out and reveal its key the same way."""

import random
from dataclasses import dataclass, field

from django.utils.translation import ngettext

from . import scoring
from .models import AttemptItem, Choice, Question


@dataclass
class ItemView:
    """One attempt item as a page shows it: options in their frozen order, and
    (only when `reveal` is set) the key, credit and explanation."""

    item: AttemptItem
    question: Question
    choices: list[Choice]
    options: list[Choice]
    answer_lines: list[str]
    reveal: bool
    key_lines: list[str]
    # A short answer accepted by a lenient rule: the key it matched, as the key spells it.
    accepted_as: str = ""
    # Revealed only: the answer line by line, each marked right or wrong, and in words.
    marked: list[scoring.Line] = field(default_factory=list)
    summary: str = ""

    @classmethod
    def build(cls, item: AttemptItem, all_choices: list[Choice], reveal: bool) -> "ItemView":
        by_id = {c.id: c for c in all_choices}
        choices = [by_id[i] for i in item.choice_order if i in by_id]
        # A choice added after the attempt started is not part of it.
        options = [by_id[i] for i in item.option_order if i in by_id]
        question = item.question
        key_options = [c.as_option() for c in choices]
        key_lines = scoring.key_lines(question.kind, key_options) if reveal else []
        accepted_as = ""
        if reveal and question.kind == Question.Kind.SHORT and (item.credit or 0) > 0:
            match = question.short_match(choices, str((item.response or {}).get("text", "")))
            accepted_as = match.option.text if match and match.lenient else ""
        return cls(
            item=item,
            question=question,
            choices=choices,
            options=options,
            answer_lines=scoring.describe(question.kind, key_options, item.response),
            reveal=reveal,
            key_lines=key_lines,
            accepted_as=accepted_as,
            marked=_marked(question.kind, key_options, item) if reveal else [],
            summary=_summary(question.kind, key_options, item.response) if reveal else "",
        )

    @property
    def verdict(self) -> str:
        credit = self.item.credit
        if credit is None:
            return "unanswered"
        if credit >= 1:
            return "correct"
        return "partial" if credit > 0 else "incorrect"


def _marked(kind: str, options: list[scoring.Option], item: AttemptItem) -> list[scoring.Line]:
    if kind == Question.Kind.SHORT:
        # The stored credit, which the lenient rules and cited passages decided.
        text = str((item.response or {}).get("text", ""))
        return [scoring.Line(text, (item.credit or 0) > 0)] if item.response else []
    return scoring.marked(kind, options, item.response)


def _summary(kind: str, options: list[scoring.Option], response: dict | None) -> str:
    """How much of the answer was right, in words ("5 of 6 pairs in the right order")."""
    if not response:
        return ""
    right, total, wrong = scoring.tally(kind, options, response)
    if kind == Question.Kind.MULTIPLE:
        ticked = ngettext(
            "%(right)d of %(total)d right answer ticked",
            "%(right)d of %(total)d right answers ticked",
            total,
        ) % {"right": right, "total": total}
        if not wrong:
            return ticked
        return ngettext(
            "%(ticked)s, %(wrong)d wrong tick", "%(ticked)s, %(wrong)d wrong ticks", wrong
        ) % {"ticked": ticked, "wrong": wrong}
    if kind == Question.Kind.ORDERING:
        return ngettext(
            "%(right)d of %(total)d pair in the right order",
            "%(right)d of %(total)d pairs in the right order",
            total,
        ) % {"right": right, "total": total}
    if kind == Question.Kind.MATCHING:
        return ngettext(
            "%(right)d of %(total)d pair matched",
            "%(right)d of %(total)d pairs matched",
            total,
        ) % {"right": right, "total": total}
    return ""


@dataclass(frozen=True)
class CardFront:
    """What a flashcard's front shows besides the prompt, so that it can be
    answered from memory: the options of a choice question, the items of an
    ordering question, the items and partners of a matching question. In an
    order of their own (the stored order is often the key's)."""

    options: list[str]
    partners: list[str]


def card_front(kind: str, choices: list[Choice], seed: int) -> CardFront:
    rng = random.Random(seed)
    texts = [c.text for c in sorted(choices, key=lambda c: c.id)]
    if kind == Question.Kind.SHORT:
        return CardFront([], [])
    if kind != Question.Kind.TRUE_FALSE:
        rng.shuffle(texts)
    partners = []
    if kind == Question.Kind.MATCHING:
        partners = [c.match for c in choices]
        rng.shuffle(partners)
    return CardFront(texts, partners)
