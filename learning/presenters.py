"""What a page shows of an attempt item: used by the student's pages and the
admin's preview alike, so both lay a question out and reveal its key the same way."""

from dataclasses import dataclass

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
        )

    @property
    def verdict(self) -> str:
        credit = self.item.credit
        if credit is None:
            return "unanswered"
        if credit >= 1:
            return "correct"
        return "partial" if credit > 0 else "incorrect"
