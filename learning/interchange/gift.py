"""GIFT, Moodle's text format for questions: parsing and export.

Supported: multiple choice (`=right ~wrong`, partial credit `~%50%`), multiple
response (only `~%n%` answers), true/false (`{T}`, `{FALSE}`), short answer
(`{=a =b}`), matching (`{=x -> y}`), `$CATEGORY:` to choose or create the bank,
`//` comments, `::title::` (our question reference), `[html]` text (Moodle's
export: read as plain text), per-answer feedback `#`
(read and dropped: our questions explain themselves once), general feedback
`####` (our explanation), and the escapes `\\~ \\= \\# \\{ \\} \\: \\n`.

What GIFT cannot say rides in a comment Moodle ignores, on the line before the
question: `// quizsite: passage=SOURCE/NUMBER difficulty=2 weight=1
published=yes kind=ordering`. An ordering question is written as matching
items to their positions, so Moodle still reads it as a matching question.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from . import ImportProblem, ParsedChoice, ParsedQuestion
from .html_text import plain_text

META_PREFIX = "quizsite:"
ESCAPABLE = "~=#{}:\\"
KINDS = {"single", "multiple", "true_false", "short", "ordering", "matching"}
TRUE_WORDS = {"T": True, "TRUE": True, "F": False, "FALSE": False}


@dataclass(frozen=True)
class Char:
    """One character of the source: `escaped` ones are never syntax."""

    ch: str
    escaped: bool
    line: int

    def is_(self, syntax: str) -> bool:
        return not self.escaped and self.ch == syntax


def tokenise(text: str, first_line: int) -> list[Char]:
    chars: list[Char] = []
    line = first_line
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text) and text[i + 1] in ESCAPABLE + "n":
            nxt = text[i + 1]
            chars.append(Char("\n" if nxt == "n" else nxt, True, line))
            i += 2
            continue
        chars.append(Char(ch, False, line))
        if ch == "\n":
            line += 1
        i += 1
    return chars


def plain(chars: Iterable[Char]) -> str:
    return "".join(c.ch for c in chars)


def _find(chars: list[Char], syntax: str, start: int = 0) -> int:
    """Index of the first unescaped run `syntax` at or after start, or -1."""
    n = len(syntax)
    for i in range(start, len(chars) - n + 1):
        if all(chars[i + k].is_(syntax[k]) for k in range(n)):
            return i
    return -1


def _line_of(chars: list[Char], index: int, default: int) -> int:
    return chars[index].line if 0 <= index < len(chars) else default


def _percent(chars: list[Char], line: int) -> tuple[float | None, list[Char]]:
    """A leading `%n%` credit, as a fraction, and the rest of the answer."""
    body = list(chars)
    while body and body[0].ch.isspace() and not body[0].escaped:
        body.pop(0)
    if not body or not body[0].is_("%"):
        return None, chars
    end = _find(body, "%", 1)
    if end < 0:
        raise ImportProblem(line, _("A credit starts with % but has no closing %."))
    text = plain(body[1:end]).strip()
    try:
        value = float(text)
    except ValueError:
        message = _("“%(text)s” is not a credit in percent.") % {"text": text}
        raise ImportProblem(line, message) from None
    if not math.isfinite(value) or not -100 <= value <= 100:
        raise ImportProblem(line, _("A credit must be between -100% and 100%."))
    return value / 100, body[end + 1 :]


def _answer_text(chars: list[Char], line: int) -> str:
    text = plain(chars).strip()
    if not text:
        raise ImportProblem(line, _("An answer is empty."))
    if len(text) > 500:
        raise ImportProblem(line, _("An answer is longer than 500 characters."))
    return text


def parse_answers(
    chars: list[Char], line: int, kind_hint: str = ""
) -> tuple[str, list[ParsedChoice], str]:
    """The inside of `{ }`: (kind, choices, general feedback)."""
    explanation = ""
    general = _find(chars, "####")
    if general >= 0:
        explanation = plain(chars[general + 4 :]).strip()
        chars = chars[:general]
    body = plain(chars).strip()
    if not body:
        raise ImportProblem(line, _("Essay questions (an empty answer block) are not supported."))
    if chars and _first_syntax(chars) == "#":
        raise ImportProblem(line, _("Numerical questions are not supported."))
    feedback = _find(chars, "#")
    head = plain(chars[:feedback] if feedback >= 0 else chars).strip().upper()
    if head in TRUE_WORDS:
        truth = TRUE_WORDS[head]
        choices = [
            ParsedChoice("True", 1.0 if truth else 0.0),
            ParsedChoice("False", 0.0 if truth else 1.0),
        ]
        return "true_false", choices, explanation
    answers = _split_answers(chars, line)
    return (*_classify(answers, line, kind_hint), explanation)


def _first_syntax(chars: list[Char]) -> str:
    for c in chars:
        if not c.ch.isspace() or c.escaped:
            return "" if c.escaped else c.ch
    return ""


def _split_answers(chars: list[Char], line: int) -> list[tuple[str, list[Char], int]]:
    answers: list[tuple[str, list[Char], int]] = []
    current: list[Char] | None = None
    for i, c in enumerate(chars):
        if c.is_("=") or c.is_("~"):
            current = []
            answers.append((c.ch, current, c.line))
        elif current is None:
            if not c.ch.isspace() or c.escaped:
                raise ImportProblem(
                    _line_of(chars, i, line),
                    _("Every answer must start with = (right) or ~ (wrong)."),
                )
        else:
            current.append(c)
    return answers


def _classify(answers, line: int, kind_hint: str) -> tuple[str, list[ParsedChoice]]:
    parsed = []
    for marker, chars, answer_line in answers:
        feedback = _find(chars, "#")
        if feedback >= 0:
            chars = chars[:feedback]
        credit, rest = _percent(chars, answer_line)
        arrow = _find(rest, "->")
        parsed.append((marker, credit, rest, arrow, answer_line))
    pairs = [p for p in parsed if p[3] >= 0]
    if pairs:
        if len(pairs) != len(parsed) or any(p[0] != "=" for p in parsed):
            raise ImportProblem(
                line, _("A matching question needs every answer as =item -> partner.")
            )
        choices = [
            ParsedChoice(_answer_text(rest[:arrow], al), match=_answer_text(rest[arrow + 2 :], al))
            for _, _, rest, arrow, al in parsed
        ]
        if kind_hint == "ordering":
            return "ordering", _as_ordering(choices, line)
        return "matching", choices
    markers = {p[0] for p in parsed}
    if markers == {"="}:
        choices = [
            ParsedChoice(_answer_text(rest, al), 1.0 if credit is None else credit)
            for _, credit, rest, _, al in parsed
        ]
        return "short", choices
    kind = "single" if "=" in markers else "multiple"
    choices = [
        ParsedChoice(
            _answer_text(rest, al),
            credit if credit is not None else (1.0 if marker == "=" else 0.0),
        )
        for marker, credit, rest, _, al in parsed
    ]
    return kind, choices


def _as_ordering(choices: list[ParsedChoice], line: int) -> list[ParsedChoice]:
    ordered = []
    for choice in choices:
        try:
            position = int(choice.match)
        except ValueError:
            message = _("An ordering item must be written as =item -> position (a number).")
            raise ImportProblem(line, message) from None
        if not 1 <= position <= 1000:
            raise ImportProblem(line, _("An ordering position must be between 1 and 1000."))
        ordered.append(ParsedChoice(choice.text, position=position))
    return ordered


def _meta(comment: str, line: int) -> dict[str, str]:
    values = {}
    for part in comment.split():
        key, sep, value = part.partition("=")
        if not sep:
            raise ImportProblem(line, _("A quizsite comment holds key=value pairs."))
        values[key] = value
    return values


def _apply_meta(question: ParsedQuestion, meta: dict[str, str], line: int) -> None:
    try:
        if "passage" in meta:
            source, _slash, number = meta["passage"].rpartition("/")
            question.passage = (source, int(number))
        if "difficulty" in meta:
            question.difficulty = int(meta["difficulty"])
        if "weight" in meta:
            question.weight = int(meta["weight"])
    except ValueError:
        message = _("A quizsite comment has a number that is not a number.")
        raise ImportProblem(line, message) from None
    if "published" in meta:
        question.published = meta["published"].lower() in {"yes", "true", "1"}


def parse(text: str) -> list[ParsedQuestion]:
    """Every question of a GIFT file, or an ImportProblem naming the first bad line."""
    questions: list[ParsedQuestion] = []
    category = ""
    meta: dict[str, str] = {}
    meta_line = 0
    block: list[tuple[int, str]] = []

    def flush() -> None:
        nonlocal meta
        if block:
            question = _parse_block(block, category, meta, meta_line)
            questions.append(question)
            meta = {}
        block.clear()

    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        stripped = raw.strip()
        if not stripped:
            flush()
        elif stripped.startswith("//"):
            comment = stripped[2:].strip()
            if comment.startswith(META_PREFIX):
                meta = _meta(comment[len(META_PREFIX) :], number)
                meta_line = number
        elif stripped.startswith("$CATEGORY:") and not block:
            path = stripped[len("$CATEGORY:") :].strip()
            category = path.rstrip("/").rsplit("/", 1)[-1].strip()
            if not category or category == "$course$":
                raise ImportProblem(number, _("A $CATEGORY line needs a category name."))
        else:
            block.append((number, raw))
    flush()
    return questions


def _parse_block(
    block: list[tuple[int, str]], category: str, meta: dict[str, str], meta_line: int
) -> ParsedQuestion:
    line = block[0][0]
    chars = tokenise("\n".join(text for _, text in block), line)
    title = ""
    if _first_syntax(chars) == ":" and _find(chars, "::") >= 0:
        start = _find(chars, "::")
        end = _find(chars, "::", start + 2)
        if end < 0:
            raise ImportProblem(line, _("A title opened with :: is never closed with ::."))
        title = plain(chars[start + 2 : end]).strip()
        chars = chars[end + 2 :]
    text = plain(chars).lstrip()
    markup = ""
    for tag in ("[html]", "[moodle]", "[plain]", "[markdown]"):
        if text.startswith(tag):
            skip = len(chars) - len(text) + len(tag)
            chars = chars[skip:]
            markup = tag
            break
    opening = _find(chars, "{")
    if opening < 0:
        raise ImportProblem(line, _("This question has no answers in { }."))
    closing = _find(chars, "}", opening + 1)
    if closing < 0:
        raise ImportProblem(
            _line_of(chars, opening, line), _("The answers opened with { are never closed with }.")
        )
    inner = chars[opening + 1 : closing]
    if _find(inner, "{") >= 0 or _find(chars, "{", closing + 1) >= 0:
        raise ImportProblem(line, _("A question has one answer block; escape a literal { as \\{."))
    if _find(chars, "}", closing + 1) >= 0:
        raise ImportProblem(line, _("A } closes nothing; escape a literal } as \\}."))
    before = plain(chars[:opening]).strip()
    after = plain(chars[closing + 1 :]).strip()
    prompt = f"{before} _____ {after}".strip() if after else before
    if not prompt:
        raise ImportProblem(line, _("The question has no text."))
    kind, choices, explanation = parse_answers(
        inner, _line_of(chars, opening, line), meta.get("kind", "")
    )
    question = ParsedQuestion(
        line=line,
        kind=kind,
        prompt=prompt,
        explanation=explanation,
        choices=choices,
        ref=title,
        bank=category,
    )
    _apply_meta(question, meta, meta_line or line)
    if markup == "[html]":
        _from_html(question)
    return question


def _from_html(question: ParsedQuestion) -> None:
    """Moodle writes GIFT text as [html] with <p> tags: keep the text, not the tags."""
    question.prompt = plain_text(question.prompt)
    question.explanation = plain_text(question.explanation)
    for choice in question.choices:
        choice.text = plain_text(choice.text)
        choice.match = plain_text(choice.match) if choice.match else ""


def escape(text: str) -> str:
    escaped = "".join(f"\\{ch}" if ch in ESCAPABLE else ch for ch in text)
    return escaped.replace("\r\n", "\n").replace("\n", "\\n")


def _percent_text(credit: float) -> str:
    return f"%{round(credit * 100, 5):g}%"


def _answers(question, choices) -> list[str]:
    kind = question.kind
    if kind == "true_false":
        truth = next((c.credit == 1 for c in choices if c.text.lower() == "true"), True)
        return ["TRUE" if truth else "FALSE"]
    if kind == "matching":
        return [f"={escape(c.text)} -> {escape(c.match)}" for c in choices]
    if kind == "ordering":
        ranked = sorted(choices, key=lambda c: c.position or 0)
        return [f"={escape(c.text)} -> {c.position}" for c in ranked]
    if kind == "short":
        return [
            f"={'' if c.credit == 1 else _percent_text(c.credit)}{escape(c.text)}" for c in choices
        ]
    if kind == "single":
        return [
            f"={escape(c.text)}"
            if c.credit == 1
            else f"~{_percent_text(c.credit) if c.credit else ''}{escape(c.text)}"
            for c in choices
        ]
    return [f"~{_percent_text(c.credit)}{escape(c.text)}" for c in choices]


def dump(questions: Iterable) -> str:
    """GIFT for these questions (with `bank`, `passage__source` and `choices`
    loaded), grouped by bank under $CATEGORY lines."""
    out: list[str] = []
    category = None
    for question in questions:
        if question.bank.name != category:
            category = question.bank.name
            out.append(f"$CATEGORY: $course$/top/{category}\n")
        passage = question.passage
        cited = f"passage={passage.source.slug}/{passage.number} " if passage else ""
        meta = (
            f"{cited}difficulty={question.difficulty} "
            f"weight={question.weight} published={'yes' if question.published else 'no'} "
            f"kind={question.kind}"
        )
        answers = "\n".join(_answers(question, list(question.choices.all())))
        # A draft without an explanation is written without ####, as Moodle does.
        general = f"####{escape(question.explanation)}\n" if question.explanation else ""
        out.append(
            f"// {META_PREFIX} {meta}\n::{question.ref}::{escape(question.prompt)} {{\n"
            f"{answers}\n{general}}}\n"
        )
    return "\n".join(out)
