"""Words of a short answer, folded so that spellings a teacher ignores compare equal.

Pure and stdlib only. This module knows about characters and single words:
folding (case, width, scripts), splitting into words, a light English stemmer
and the typo rule. How words of an answer line up with a key is in
`learning.answers`.
"""

import functools
import re
import unicodedata
from collections.abc import Collection

import zhconv

# Arabic short vowels and other harakat (fathatan .. sukun and the Quranic marks
# that follow them, and the superscript alef): a student types them or not at
# will. Tatweel only stretches a word for looks.
_ARABIC_MARKS = {*range(0x064B, 0x0660), 0x0670}
_TATWEEL = 0x0640

# Han, kana and the CJK compatibility ideographs: written without spaces, so
# each character is its own word and spacing can never matter.
_CJK = re.compile("([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff])")
_DOTTED = re.compile(r"(?<!\w)((?:[^\W\d_]\.){2,})")  # "w.h.o." but not "s. lavrov"
_QUOTE = "['\u2019\u02bc]"  # ASCII, typographic and modifier-letter apostrophes
_POSSESSIVE = re.compile(rf"(?<=\w){_QUOTE}s\b|(?<=\ws){_QUOTE}(?!\w)")
_NEGATED = re.compile(rf"(?<=\w)n{_QUOTE}t\b")  # "isn't" must keep its "not"
_APOSTROPHE = re.compile(rf"(?<=\w){_QUOTE}(?=\w)")
_HYPHEN = re.compile(r"(?<=\w)[-\u2010\u2011](?=\w)")  # an en dash is a range, not a joint

_DOUBLE_KEPT = "lszaeiou"  # "falling" is "fall", but "running" is "run"


def fold(text: str) -> str:
    """Case, width and script variants folded; punctuation kept.

    NFKC turns full-width letters, digits and punctuation into their usual
    forms; case folding also folds Greek and Cyrillic; most Russian texts write
    "ё" as the plain Cyrillic "e"; every decimal digit (Arabic-Indic, Eastern Arabic-Indic,
    Devanagari...) becomes its ASCII digit; traditional Chinese characters become
    simplified ones (zhconv's tables, MediaWiki's), since a teacher accepts "組織"
    for "组织" as they accept "ORGANISATION" for "organisation".
    """
    folded = unicodedata.normalize("NFKC", text).casefold().replace("\u0451", "\u0435")
    if _CJK.search(folded):
        folded = zhconv.convert(folded, "zh-hans")
    kept = []
    for ch in folded:
        code = ord(ch)
        if code in _ARABIC_MARKS or code == _TATWEEL:
            continue
        digit = unicodedata.decimal(ch, None)
        kept.append(str(digit) if digit is not None else ch)
    return "".join(kept)


def normalise(text: str) -> str:
    """Fold a short answer for strict comparison: `fold` (case, width, scripts), no
    punctuation, white space collapsed. "  Sergei   LAVROV." == "sergei lavrov"."""
    folded = fold(text)
    kept = "".join(
        " " if unicodedata.category(ch).startswith(("P", "Z")) or ch.isspace() else ch
        for ch in folded
        if not unicodedata.category(ch).startswith("C") or ch.isspace()
    )
    return " ".join(kept.split())


def _spaced(text: str) -> str:
    return "".join(
        " " if unicodedata.category(ch)[0] in "PZ" or ch.isspace() else ch
        for ch in text
        if unicodedata.category(ch)[0] != "C" or ch.isspace()
    )


@functools.lru_cache(maxsize=4096)
def words(text: str) -> tuple[str, ...]:
    """The words of a text, folded.

    Beyond `fold`: "W.H.O." is "who"; a possessive is dropped ("Russia's" is
    "russia", not "russia s"); "isn't" keeps its "not"; "&" is "and"; a hyphen
    or apostrophe inside a word joins its parts ("covid-19" is "covid19",
    "co-operation" is "cooperation"), since people write such words joined,
    hyphenated or spaced and `learning.answers` lines up a joined word with its
    spaced parts.
    """
    text = fold(text)
    text = _DOTTED.sub(lambda found: found.group(1).replace(".", ""), text)
    text = _NEGATED.sub(" not", text)
    text = _POSSESSIVE.sub("", text)
    text = _APOSTROPHE.sub("", text)
    text = _HYPHEN.sub("", text)
    text = text.replace("&", " and ")
    text = _CJK.sub(r" \1 ", text)
    return tuple(_spaced(text).split())


def is_number(word: str) -> bool:
    return any(ch.isdigit() for ch in word)


def _undouble(stem: str) -> str:
    if len(stem) >= 3 and stem[-1] == stem[-2] and stem[-1] not in _DOUBLE_KEPT:
        return stem[:-1]
    return stem


@functools.lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """A light English stemmer: plural and -ing/-ed endings, then a final "e".

    Conservative on purpose: it only has to make "lanes" meet "lane", "saving"
    meet "save" and "exchanges" meet "exchange", on both sides of a comparison,
    and must not make different words of a key meet (so no -ation, -al, -ism:
    "unilateral" is not "unilateralism"). Numbers and words outside ASCII are
    left alone.
    """
    if len(word) <= 3 or not word.isascii() or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith(("sses", "xes", "zes", "ches", "shes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for ending in ("ing", "ed"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            word = _undouble(word[: -len(ending)])
            break
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word


def edits(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance (optimal string alignment), cut off above `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def typo_budget(a: str, b: str) -> int:
    """How many slips the typo rule forgives between two words.

    One edit in a word of six letters or more, two in ten or more (counting the
    shorter word). None in numbers ("2018" is not "2019"), none in shorter words
    (where one letter makes another word: "led", "owned"), and none in the first
    letter, which people rarely mistype and which most often makes another word
    ("bilateralism" for "unilateralism").
    """
    shortest = min(len(a), len(b))
    if not (a.isalpha() and b.isalpha()) or shortest < 6 or a[0] != b[0]:
        return 0
    return 2 if shortest >= 10 else 1


def same_word(key: str, answer: str, *, known: Collection[str] = (), typos: bool = True) -> bool:
    """Whether an answer's word is the key's word, up to stemming and one typo.

    A word found in `known` (the words of the cited passages) is taken as
    written, never as a typo of another: "Russian" is a word of the text, not a
    slip for "Russia".
    """
    if key == answer or stem(key) == stem(answer):
        return True
    if not typos or answer in known:
        return False
    budget = typo_budget(key, answer)
    return budget > 0 and edits(key, answer, budget) <= budget
