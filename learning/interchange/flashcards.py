"""A bank's questions as flashcards in tab-separated text for Anki and Quizlet.

Anki reads the `#separator:tab` and `#html:false` header lines; Quizlet's
import takes "term<TAB>definition" lines. The front is the question (with its
items for ordering and matching), the back the right answer and the why.
"""

from collections.abc import Iterable

from .. import scoring

HEADER = "#separator:tab\n#html:false\n"


def _clean(text: str) -> str:
    """One line with no tabs: a tab or newline inside a card would split it."""
    return " ".join(text.replace("\t", " ").split())


def card(question) -> tuple[str, str]:
    choices = list(question.choices.all())
    front = question.prompt
    if question.kind in ("ordering", "matching"):
        front += " (" + "; ".join(c.text for c in choices) + ")"
    answer = scoring.key_answer(question.kind, [c.as_option() for c in choices])
    back = "; ".join(answer) + " — " + question.explanation
    return _clean(front), _clean(back)


def dump(questions: Iterable) -> str:
    return HEADER + "".join(f"{front}\t{back}\n" for front, back in map(card, questions))
