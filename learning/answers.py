"""Whether a short answer says what a key says, as a strict but fair teacher reads it.

Pure and stdlib only; the caller hands in the cited passages, so grading needs
no database. `compare` first tries the strict rule (`normalise` equality, all
that an "exact" question allows), then the lenient one, which lines the key's
words up with the answer's:

- words compare after folding (`learning.answer_text`): case, width, scripts,
  joined / hyphenated / spaced compounds, possessives, "&", dotted acronyms,
  plural and -ing/-ed endings, and one typo in a long word;
- the key's leading article is optional, and so is any function word the answer
  adds ("in Qingdao", "a State Councilor");
- a key "Name (ACRONYM)" accepts the name, the acronym or both; an answer
  "Name (INITIALS)" is the name when the brackets hold its initials;
- a key that is a date accepts the same day in any usual form
  (`learning.answer_dates`), and nothing else;
- a key that is a person's name (see `_person`) accepts the surname after a
  title or an initial;
- any other word the answer adds must stand right around the key in the cited
  passage, at the place where the question's answer is (see `_sites` and
  `_attached`). Added numbers and negations always refuse, and so does a
  conjunction that joins the key to something else ("Wang Yi and Sergei
  Lavrov"): the answer then names another candidate.
"""

import enum
import functools
import re
import unicodedata
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

from learning import answer_dates
from learning.answer_text import fold, is_number, normalise, same_word, words

__all__ = ["Verdict", "compare", "normalise"]

WINDOW = 6  # words either side of the key in its sentence
JOIN = 4  # parts a compound may be spaced into: "people to people" is "people-to-people"
# Longer answers get the strict rule only. A key of five words written in parts,
# with WINDOW words each way and function words between them, stays well below;
# a pasted paragraph would cost time for every place the key appears in it.
LONGEST = 40


def _set(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


ARTICLES = _set("a an the")
# Words that add nothing an answer could be wrong about. Nothing here can negate,
# compare or join ("not", "than", "and" are elsewhere).
FUNCTION_WORDS = ARTICLES | _set(
    "of in on at by to for from with as into is was are were be been being "
    "it its this that these those he she they his her their him them"
)
NEGATIONS = _set(
    "not no never none neither nor without nobody nothing nowhere non "
    "не нет ни никогда لا ليس لم لن 不 没 无 非"
)
CONJUNCTIONS = _set("and or nor but plus versus vs и или 和 或")
HONORIFICS = _set(
    "mr mrs ms miss mx mister dr prof professor sir madam madame dame lord lady excellency"
)

Piece = str | frozenset[str]  # a word, or one of several exact words (a title, an initial)

_BRACKETED = re.compile(r"(.*\S)\s*\(([^()]+)\)[\W_]*")  # "(WHO)." too
_SENTENCE_END = re.compile("(?<=[.!?\u3002\uff01\uff1f\u061f])\\s+")
_NOT_ALNUM = re.compile(r"[\W_]+")


class Verdict(enum.Enum):
    STRICT = "strict"  # equal after `normalise`
    LENIENT = "lenient"  # equal only by the rules of this module


@dataclass(frozen=True)
class _Text:
    """The cited passages, read once."""

    raw_sentences: tuple[str, ...] = ()
    sentences: tuple[tuple[str, ...], ...] = ()
    known: frozenset[str] = frozenset()
    years: frozenset[int] = frozenset()


@dataclass(frozen=True)
class _Key:
    shapes: tuple[tuple[Piece, ...], ...] = ()
    date: answer_dates.Date | None = None
    titles: frozenset[str] = field(default_factory=frozenset)  # set only for a person


@functools.lru_cache(maxsize=64)
def _text(passages: tuple[str, ...]) -> _Text:
    raw = tuple(s for p in passages for s in _SENTENCE_END.split(p.strip()) if s)
    sentences = tuple(words(s) for s in raw)
    known = frozenset(w for s in sentences for w in s)
    years = frozenset(int(w) for w in known if w.isdigit() and len(w) == 4)
    return _Text(raw, sentences, known, years)


def _bare(word: str) -> str:
    """A word without the punctuation around it ("Mr." is "Mr", "(Sergei" is "Sergei")."""
    start, end = 0, len(word)
    while start < end and unicodedata.category(word[start]).startswith("P"):
        start += 1
    while end > start and unicodedata.category(word[end - 1]).startswith("P"):
        end -= 1
    return word[start:end]


def _date_words(text: str) -> list[str]:
    return [w for w in _NOT_ALNUM.split(fold(text)) if w and w not in FUNCTION_WORDS]


def _without_article(shape: tuple[str, ...]) -> tuple[str, ...]:
    return shape[1:] if len(shape) > 1 and shape[0] in ARTICLES else shape


def _initials(name: str) -> set[str]:
    """Ways to abbreviate a name: "Regional Anti-Terrorist Structure" is RATS or RAS."""
    found = set()
    for parts in (words(name), [w for w in _NOT_ALNUM.split(fold(name)) if w]):
        found.add("".join(w[0] for w in parts))
        found.add("".join(w[0] for w in parts if w not in FUNCTION_WORDS | {"and"}))
    return found


def _ends(
    shape: Sequence[Piece], answer: Sequence[str], start: int, known: Collection[str]
) -> set[int]:
    """Where in `answer` the key's words can end if they begin at `start`.

    A key word may meet up to JOIN answer words written apart, and JOIN key words
    one answer word written together: "COVID 19" / "COVID19", "co operation" /
    "cooperation", "Anti-Terrorist" / "Antiterrorist".
    """
    found: set[int] = set()

    def walk(k: int, a: int) -> None:
        if k == len(shape):
            found.add(a)
            return
        piece = shape[k]
        if not isinstance(piece, str):
            if a < len(answer) and answer[a] in piece:
                walk(k + 1, a + 1)
            return
        for n in range(1, JOIN + 1):
            if k + n > len(shape) or not all(isinstance(p, str) for p in shape[k : k + n]):
                break
            joined = "".join(shape[k : k + n])  # type: ignore[arg-type]
            for m in range(1, (JOIN if n == 1 else 1) + 1):
                if a + m > len(answer):
                    break
                given = "".join(answer[a : a + m])
                # Words put together must spell the key exactly: a slip or an ending
                # on top would make "Organization (UN)" the key's "Organizationun" and
                # "Structure D" its "Structured".
                if given == joined if n + m > 2 else same_word(joined, given, known=known):
                    walk(k + n, a + m)

    walk(0, start)
    return found


def _occurrences(shapes: Iterable[tuple[Piece, ...]], text: _Text) -> set[tuple[int, int, int]]:
    """(sentence, start, end) of every place the text writes one of the shapes."""
    return {
        (number, start, end)
        for number, sentence in enumerate(text.sentences)
        for shape in shapes
        if shape
        for start in range(len(sentence))
        for end in _ends(shape, sentence, start, text.known)
    }


def _person(key: str, text: _Text) -> tuple[frozenset[str], tuple[Piece, ...], ...] | None:
    """A key's titles and short forms if the key is a person's name, else None.

    A key is a person's name when it is two or three capitalised words (not
    acronyms) and a cited passage writes it right after a title: an honorific,
    or a capitalised word that does not merely open the sentence ("Foreign
    Minister Sergei Lavrov"). The surname is the name's word the passages use
    alone ("Wang noted", so Wang in "Wang Yi"), else the last word.

    Accepted then: the surname after a title ("Mr. Lavrov", "Minister Lavrov")
    or after the initial of the given name ("S. Lavrov"). The surname alone is
    not: it may be shared, and a question that accepts it lists it as a key.
    """
    names = key.split()
    if not 2 <= len(names) <= 3 or not all(
        n[0].isupper() and not n.isupper() and n.replace("-", "").isalpha() for n in names
    ):
        return None
    pattern = re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, names)) + r"(?!\w)")
    titles: set[str] = set()
    for sentence in text.raw_sentences:
        for found in pattern.finditer(sentence):
            before = sentence[: found.start()].split()
            run: list[tuple[int, str]] = []
            for index in range(len(before) - 1, -1, -1):
                word = _bare(before[index])
                # A comma ends a title: in "Russia, Sergei Lavrov" Russia is no title.
                if not word or not word[0].isupper() or before[index][-1] in ",;:":
                    break
                if fold(word) in FUNCTION_WORDS:
                    break
                run.append((index, fold(word)))
            # A capital that only opens the sentence proves nothing.
            if any(index > 0 or word in HONORIFICS for index, word in run):
                titles.update(word for _, word in run)
    if not titles:
        return None
    alone = re.compile(rf"(?<!\w){re.escape(names[0])}(?!\s+{re.escape(names[1])})(?!\w)")
    surname_first = any(alone.search(s) for s in text.raw_sentences)
    surname = words(names[0] if surname_first else names[-1])
    given = names[1] if surname_first else names[0]
    by_initial = (frozenset({fold(given)[0]}), *surname)
    by_title = (frozenset(titles) | HONORIFICS, *surname)
    return frozenset(titles), by_initial, by_title


@functools.lru_cache(maxsize=1024)
def _key(key: str, passages: tuple[str, ...]) -> _Key:
    date = answer_dates.parse(_date_words(key))
    if date is not None:
        return _Key(date=date)
    bracketed = _BRACKETED.fullmatch(key)
    if bracketed:
        name, short = bracketed.groups()
        shapes: list[tuple[Piece, ...]] = [words(f"{name} {short}"), words(name), words(short)]
    else:
        shapes = [words(key)]
    shapes = [_without_article(s) for s in shapes]  # type: ignore[arg-type]
    person = _person(key, _text(passages))
    if person is None:
        return _Key(shapes=tuple(shapes))
    titles, *short_forms = person
    return _Key(shapes=(*shapes, *short_forms), titles=titles)


Site = tuple[tuple[str, ...], int, int]  # a sentence's words, and where the key is in it


@functools.lru_cache(maxsize=1024)
def _sites(key: str, keys: tuple[str, ...], passages: tuple[str, ...]) -> tuple[Site, ...]:
    """Where the passages write `key` at the place the question's answer stands.

    That place is where the passages write the question's longest key (article
    included). A shorter key found elsewhere does not count: "political" in
    "safeguard political security" is not where the "mutual political trust" of
    the question is, so "political security" stays wrong.
    """
    text = _text(passages)
    if not text.sentences:
        return ()
    written = [(k, _occurrences([words(k)], text)) for k in keys]
    longest = max((len(words(k)) for k, places in written if places), default=0)
    anchors = {p for k, places in written if len(words(k)) == longest for p in places}
    return tuple(
        (text.sentences[number], start, end)
        for number, start, end in sorted(_occurrences(_key(key, passages).shapes, text))
        if any(n == number and s < end and start < e for n, s, e in anchors)
    )


def _attached(
    added: Sequence[str], site: Site, passable: frozenset[str], known: Collection[str]
) -> bool:
    """Whether the passage writes every added word right around the key at `site`.

    Walking out from the key, at most WINDOW words each way, a word of the
    passage is either one the answer adds, or passable (a function word, a
    title); the first other word ends the walk. So "Foreign Minister Sergei
    Lavrov of Russia" holds, but "China" in "China will give full support to the
    Russian presidency" is not attached to "Russian": "support" stands between.
    """
    sentence, start, end = site
    found: set[int] = set()
    outward = (range(start - 1, max(-1, start - 1 - WINDOW), -1), range(end, end + WINDOW))
    for positions in outward:
        for index in positions:
            if index >= len(sentence):
                break
            hits = {
                i for i, word in enumerate(added) if same_word(sentence[index], word, known=known)
            }
            if not hits and sentence[index] not in passable:
                break
            found |= hits
    return len(found) == len(added)


def _joins_another(outward: Iterable[str]) -> bool:
    """Whether a conjunction stands next to the key (function words apart)."""
    for word in outward:
        if word in CONJUNCTIONS:
            return True
        if word not in FUNCTION_WORDS:
            return False
    return False


def _extras_fine(
    before: Sequence[str],
    after: Sequence[str],
    sites: Sequence[Site],
    info: _Key,
    known: Collection[str],
) -> bool:
    if _joins_another(reversed(before)) or _joins_another(after):
        return False
    passable = FUNCTION_WORDS | info.titles | (HONORIFICS if info.titles else frozenset())
    added = []
    for word in (*before, *after):
        if is_number(word) or word in NEGATIONS:
            return False
        if word not in passable:
            added.append(word)
    return not added or any(_attached(added, site, passable, known) for site in sites)


def _answer_shapes(answer: str) -> list[tuple[str, ...]]:
    shapes = [words(answer)]
    bracketed = _BRACKETED.fullmatch(answer)
    if bracketed:
        name, short = bracketed.groups()
        if "".join(words(short)) in _initials(name):
            shapes.append(words(name))
    return shapes


def _lenient(key: str, answer: str, passages: tuple[str, ...], keys: tuple[str, ...]) -> bool:
    info = _key(key, passages)
    text = _text(passages)
    if len(words(answer)) > LONGEST:
        return False
    if info.date is not None:
        given = answer_dates.parse(_date_words(answer))
        return given is not None and answer_dates.same_day(
            info.date, given, years_in_text=text.years
        )
    sites = _sites(key, keys, passages)
    for shape in info.shapes:
        for answer_words in _answer_shapes(answer):
            for start in range(len(answer_words)):
                for end in _ends(shape, answer_words, start, text.known):
                    before, after = answer_words[:start], answer_words[end:]
                    if _extras_fine(before, after, sites, info, text.known):
                        return True
    return False


def compare(
    key: str,
    answer: str,
    *,
    exact: bool = False,
    passages: Sequence[str] = (),
    keys: Sequence[str] = (),
) -> Verdict | None:
    """Whether `answer` says what `key` says: strictly, leniently, or not at all.

    `passages` are the texts the question cites; `keys` are all the answers the
    question accepts, which tell where in the passages its answer stands. With
    `exact`, only the strict rule applies.
    """
    given = normalise(answer)
    if not given:
        return None
    if given == normalise(key):
        return Verdict.STRICT
    if exact:
        return None
    others = tuple(keys) if key in keys else (*keys, key)
    return Verdict.LENIENT if _lenient(key, answer, tuple(passages), others) else None
