"""Cloze deletions from a passage, as pure functions: which phrases of a
paragraph to blank out, one card each (Anki's cloze, made automatic because we
know the text and the questions that cite it).

A phrase is worth blanking when a question's key names it, or when it is a
date, a name or a number. A phrase that occurs twice in the paragraph is left
alone: blanking one would leave the other in view.
"""

import re
from dataclasses import dataclass

BLANK = "[…]"
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
DATE = re.compile(
    rf"\b(?:\d{{1,2}} (?:{MONTHS})(?: \d{{4}})?|(?:{MONTHS}) \d{{1,2}}(?:, \d{{4}})?)\b"
)
YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
# Two or more capitalised words (or acronyms), with "of", "the" or "for" between.
NAME = re.compile(
    r"\b(?:[A-Z][a-z]+|[A-Z]{2,})(?:(?: (?:of|the|for))* (?:[A-Z][a-z]+|[A-Z]{2,}))+\b"
)
# Not the digits of a name such as COVID-19.
NUMBER = re.compile(r"(?<![\w-])\d+(?:[.,]\d+)?(?![\w-])")
# Capitalised because they open a sentence or are a title: not part of a name.
NOT_NAMES = {
    "The",
    "First",
    "Second",
    "Third",
    "Fourth",
    "It",
    "He",
    "She",
    "We",
    "They",
    "State",
    "Councilor",
    "Foreign",
    "Minister",
    "President",
    "Prime",
    "Mr",
    "Ms",
    "Dr",
}


@dataclass(frozen=True)
class Cloze:
    """One phrase of a passage, where it stands in the text."""

    phrase: str
    start: int
    end: int

    def front(self, text: str) -> str:
        """The passage with this phrase blanked out."""
        return text[: self.start] + BLANK + text[self.end :]


def _occurrences(text: str, phrase: str) -> list[re.Match]:
    pattern = r"(?<![\w-])" + re.escape(phrase) + r"(?![\w-])"
    return list(re.finditer(pattern, text, re.IGNORECASE))


def _names(text: str) -> list[str]:
    found = []
    for match in NAME.finditer(text):
        words = match.group().split(" ")
        while words and words[0] in NOT_NAMES:
            words = words[1:]
        if len(words) >= 2:
            found.append(" ".join(words))
    return found


def candidates(text: str, keys: list[str]) -> list[str]:
    """Phrases worth blanking, the most telling first: the questions' keys
    (longest first), dates, names, then years and other numbers."""
    ordered = sorted({k.strip() for k in keys if len(k.strip()) > 1}, key=len, reverse=True)
    ordered += [m.group() for m in DATE.finditer(text)]
    ordered += _names(text)
    ordered += [m.group() for m in YEAR.finditer(text)]
    ordered += [m.group() for m in NUMBER.finditer(text)]
    return list(dict.fromkeys(ordered))


def clozes(text: str, keys: list[str], limit: int = 4) -> list[Cloze]:
    """Up to `limit` phrases of `text` to blank out, in the text's order: each
    found once in the text, none overlapping another."""
    chosen: list[Cloze] = []
    for phrase in candidates(text, keys):
        if len(chosen) >= limit:
            break
        found = _occurrences(text, phrase)
        if len(found) != 1:
            continue
        start, end = found[0].span()
        if any(start < c.end and c.start < end for c in chosen):
            continue
        chosen.append(Cloze(text[start:end], start, end))
    return sorted(chosen, key=lambda c: c.start)
