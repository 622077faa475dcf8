"""Moodle XML (question/format/xml): parsing and export, for our six kinds.

Read: `multichoice` (`<single>true</single>` is single choice, false multiple
response), `truefalse`, `shortanswer`, `matching`, `ordering` (the
qtype_ordering plugin: its answers in their right order), and `category`
questions (`$course$/top/…`: the last part is the bank, made if new). Any other
type is refused with its line, and so is the whole file. `<name>` is our
question reference, `<generalfeedback>` the explanation (a question without
one is imported as a draft that needs one), `<defaultgrade>` the weight;
per-answer feedback, hints and penalties are read and dropped, as in GIFT.
HTML text becomes plain text (paragraphs and line breaks kept as new lines).

What Moodle has no field for rides in tags, which Moodle keeps on import and
export: `quizsite-passage:SOURCE/NUMBER`, `quizsite-difficulty:N`,
`quizsite-published:yes`, `quizsite-exact:yes`.

Parsing goes through defusedxml's SAX parser: it refuses entity expansion and
external references (a "billion laughs" file cannot exhaust the server), and
the SAX locator gives every element its line for the error messages.
"""

import html
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from xml.sax import SAXParseException
from xml.sax.handler import ContentHandler
from xml.sax.saxutils import escape, quoteattr

from defusedxml import DefusedXmlException
from defusedxml.sax import parseString
from django.utils.translation import gettext as _

from . import ImportProblem, ParsedChoice, ParsedQuestion
from .html_text import plain_text

TAG_PREFIX = "quizsite-"
KIND_OF_TYPE = {"truefalse": "true_false", "shortanswer": "short", "matching": "matching"}
TYPE_OF_KIND = {
    "single": "multichoice",
    "multiple": "multichoice",
    "true_false": "truefalse",
    "short": "shortanswer",
    "ordering": "ordering",
    "matching": "matching",
}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    line: int
    children: list["Node"] = field(default_factory=list)
    text: str = ""

    def find(self, tag: str) -> "Node | None":
        return next((c for c in self.children if c.tag == tag), None)

    def all(self, tag: str) -> list["Node"]:
        return [c for c in self.children if c.tag == tag]

    def value(self, tag: str, default: str = "") -> str:
        """The text of child `tag`, or of its <text> when it has one."""
        child = self.find(tag)
        if child is None:
            return default
        inner = child.find("text")
        return (inner.text if inner is not None else child.text).strip()


class _TreeBuilder(ContentHandler):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[Node] = []
        self.root: Node | None = None
        self.locator = None

    # SAX names these methods.
    def setDocumentLocator(self, locator) -> None:
        self.locator = locator

    @property
    def line(self) -> int:
        return self.locator.getLineNumber() if self.locator else 0

    def startElement(self, name, attrs) -> None:
        node = Node(name, dict(attrs), self.line)
        if self.stack:
            self.stack[-1].children.append(node)
        else:
            self.root = node
        self.stack.append(node)

    def endElement(self, name) -> None:
        self.stack.pop()

    def characters(self, content) -> None:
        if self.stack:
            self.stack[-1].text += content


def _text(node: Node, tag: str) -> str:
    child = node.find(tag)
    if child is None:
        return ""
    return plain_text(node.value(tag), child.attrs.get("format", "html"))


def _tree(text: str) -> Node:
    builder = _TreeBuilder()
    try:
        parseString(text.encode("utf-8"), builder)
    except SAXParseException as error:
        message = _("This is not well-formed XML (%(error)s).") % {"error": error.getMessage()}
        raise ImportProblem(error.getLineNumber(), message) from None
    except DefusedXmlException:
        message = _("The file declares entities or external references, which are not allowed.")
        raise ImportProblem(builder.line, message) from None
    if builder.root is None or builder.root.tag != "quiz":
        raise ImportProblem(1, _("A Moodle XML file starts with <quiz>."))
    return builder.root


def _fraction(node: Node) -> float:
    raw = node.attrs.get("fraction", "0")
    try:
        value = float(raw)
    except ValueError:
        message = _("“%(value)s” is not a fraction in percent.") % {"value": raw}
        raise ImportProblem(node.line, message) from None
    if not math.isfinite(value) or not -100 <= value <= 100:
        raise ImportProblem(node.line, _("A fraction must be between -100 and 100."))
    return value / 100


def _answer_text(node: Node, line: int) -> str:
    text = _text(node, "text") if node.find("text") is not None else plain_text(node.text)
    if not text:
        raise ImportProblem(line, _("An answer is empty."))
    if len(text) > 500:
        raise ImportProblem(line, _("An answer is longer than 500 characters."))
    return text


def _choices(question: Node, kind: str) -> list[ParsedChoice]:
    if kind == "matching":
        pairs = []
        for sub in question.all("subquestion"):
            answer = sub.find("answer")
            item = _text(sub, "text")
            if not item:
                message = _(
                    "A matching subquestion without text (an extra wrong answer) is not supported."
                )
                raise ImportProblem(sub.line, message)
            partner = _answer_text(answer, sub.line) if answer is not None else ""
            pairs.append(ParsedChoice(_answer_text(sub, sub.line), match=partner))
        return pairs
    answers = question.all("answer")
    if kind == "ordering":
        # qtype_ordering writes the items in their right order; its fraction
        # attribute is that position in some versions and 0 in others.
        return [ParsedChoice(_answer_text(a, a.line), position=n) for n, a in enumerate(answers, 1)]
    if kind == "true_false":
        truth = None
        for answer in answers:
            word = _answer_text(answer, answer.line).lower()
            if word in ("true", "false") and _fraction(answer) == 1:
                truth = word == "true"
        if truth is None:
            message = _("A true/false question needs its right answer (fraction 100).")
            raise ImportProblem(question.line, message)
        return [
            ParsedChoice("True", 1.0 if truth else 0.0),
            ParsedChoice("False", 0.0 if truth else 1.0),
        ]
    return [ParsedChoice(_answer_text(a, a.line), _fraction(a)) for a in answers]


def _tags(question: Node) -> dict[str, str]:
    found = {}
    tags = question.find("tags")
    for tag in tags.all("tag") if tags is not None else []:
        text = tag.value("text") if tag.find("text") is not None else tag.text.strip()
        if text.startswith(TAG_PREFIX):
            key, _sep, value = text[len(TAG_PREFIX) :].partition(":")
            found[key] = value.strip()
    return found


def _apply_tags(parsed: ParsedQuestion, tags: dict[str, str], line: int) -> None:
    try:
        if "passage" in tags:
            source, _slash, number = tags["passage"].rpartition("/")
            parsed.passage = (source, int(number))
        if "difficulty" in tags:
            parsed.difficulty = int(tags["difficulty"])
    except ValueError:
        message = _("A quizsite tag has a number that is not a number.")
        raise ImportProblem(line, message) from None
    parsed.published = tags.get("published", "").lower() in {"yes", "true", "1"}
    parsed.exact_answer = tags.get("exact", "").lower() in {"yes", "true", "1"}


def _weight(question: Node) -> int | None:
    raw = question.value("defaultgrade")
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not value.is_integer():
        node = question.find("defaultgrade")
        message = _("The default mark must be a whole number (it is “%(value)s”).") % {"value": raw}
        raise ImportProblem(node.line, message)
    return int(value)


def _kind(question: Node) -> str:
    qtype = question.attrs.get("type", "")
    if qtype == "multichoice":
        return "single" if question.value("single", "true").lower() in ("true", "1") else "multiple"
    if qtype == "ordering":
        return "ordering"
    if qtype in KIND_OF_TYPE:
        return KIND_OF_TYPE[qtype]
    message = _("Moodle questions of type “%(type)s” are not supported.") % {"type": qtype}
    raise ImportProblem(question.line, message)


def parse(text: str) -> list[ParsedQuestion]:
    """Every question of a Moodle XML file, or an ImportProblem naming the first bad line."""
    root = _tree(text)
    questions: list[ParsedQuestion] = []
    category = ""
    for question in root.all("question"):
        if question.attrs.get("type") == "category":
            path = question.value("category")
            category = path.rstrip("/").rsplit("/", 1)[-1].strip()
            if not category or category.startswith("$"):
                category = ""
            continue
        kind = _kind(question)
        prompt = _text(question, "questiontext")
        if not prompt:
            raise ImportProblem(question.line, _("The question has no text."))
        parsed = ParsedQuestion(
            line=question.line,
            kind=kind,
            prompt=prompt,
            explanation=_text(question, "generalfeedback"),
            choices=_choices(question, kind),
            ref=plain_text(question.value("name"), "plain"),
            bank=category,
            weight=_weight(question),
        )
        _apply_tags(parsed, _tags(question), question.line)
        questions.append(parsed)
    return questions


def _html(text: str) -> str:
    """Plain text as the HTML Moodle stores, escaped for XML."""
    return escape(f"<p>{html.escape(text).replace(chr(10), '<br>')}</p>")


def _text_element(tag: str, text: str, format: str = "html", indent: str = "    ") -> str:
    body = _html(text) if format == "html" and text else escape(text)
    attr = f" format={quoteattr(format)}" if format else ""
    return f"{indent}<{tag}{attr}><text>{body}</text></{tag}>\n"


def _percent(credit: float) -> str:
    """A credit as Moodle writes a fraction: percent with seven decimals, so that
    three thirds still add up to 100 when read back."""
    return f"{credit * 100:.7f}".rstrip("0").rstrip(".")


def _answers(question, choices) -> str:
    kind = question.kind
    out = []
    if kind == "matching":
        for c in choices:
            out.append(
                f'    <subquestion format="html"><text>{_html(c.text)}</text>'
                f"<answer><text>{escape(c.match)}</text></answer></subquestion>\n"
            )
    elif kind == "ordering":
        for c in sorted(choices, key=lambda c: c.position or 0):
            out.append(
                f'    <answer fraction="{c.position}" format="html"><text>{_html(c.text)}</text>'
                "</answer>\n"
            )
    elif kind == "true_false":
        truth = next((c.credit == 1 for c in choices if c.text.lower() == "true"), True)
        for word in ("true", "false"):
            fraction = 100 if (word == "true") == truth else 0
            out.append(
                f'    <answer fraction="{fraction}" format="moodle_auto_format">'
                f"<text>{word}</text><feedback><text></text></feedback></answer>\n"
            )
    else:
        plain = kind == "short"
        for c in choices:
            text = escape(c.text) if plain else _html(c.text)
            form = "moodle_auto_format" if plain else "html"
            out.append(
                f'    <answer fraction="{_percent(c.credit)}" format="{form}">'
                f"<text>{text}</text><feedback><text></text></feedback></answer>\n"
            )
    return "".join(out)


def _options(question) -> str:
    kind = question.kind
    if kind in ("single", "multiple"):
        single = "true" if kind == "single" else "false"
        return (
            f"    <single>{single}</single>\n    <shuffleanswers>true</shuffleanswers>\n"
            "    <answernumbering>abc</answernumbering>\n"
        )
    if kind == "short":
        return "    <usecase>0</usecase>\n"
    if kind == "matching":
        return "    <shuffleanswers>true</shuffleanswers>\n"
    if kind == "ordering":
        return (
            "    <layouttype>VERTICAL</layouttype>\n    <selecttype>ALL</selecttype>\n"
            "    <selectcount>0</selectcount>\n"
            # Our grade counts the pairs of items in the right relative order.
            "    <gradingtype>RELATIVE_ALL_PREVIOUS_AND_NEXT</gradingtype>\n"
            "    <showgrading>SHOW</showgrading>\n    <numberingstyle>none</numberingstyle>\n"
        )
    return ""


def _question(question) -> str:
    tags = [f"difficulty:{question.difficulty}"]
    if question.passage is not None:
        tags.append(f"passage:{question.passage.source.slug}/{question.passage.number}")
    if question.published:
        tags.append("published:yes")
    if question.exact_answer:
        tags.append("exact:yes")
    tag_xml = "".join(f"<tag><text>{escape(TAG_PREFIX + t)}</text></tag>" for t in tags)
    return (
        f'  <question type="{TYPE_OF_KIND[question.kind]}">\n'
        f"    <name><text>{escape(question.ref)}</text></name>\n"
        + _text_element("questiontext", question.prompt)
        + _text_element("generalfeedback", question.explanation)
        + f"    <defaultgrade>{question.weight}</defaultgrade>\n"
        "    <penalty>0</penalty>\n    <hidden>0</hidden>\n"
        + _options(question)
        + _answers(question, list(question.choices.all()))
        + f"    <tags>{tag_xml}</tags>\n  </question>\n"
    )


def dump(questions: Iterable) -> str:
    """Moodle XML for these questions (with `bank`, `passage__source` and `choices`
    loaded), each bank a category under $course$/top."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n']
    category = None
    for question in questions:
        if question.bank.name != category:
            category = question.bank.name
            out.append(
                '  <question type="category">\n'
                f"    <category><text>{escape('$course$/top/' + category)}</text></category>\n"
                "  </question>\n"
            )
        out.append(_question(question))
    out.append("</quiz>\n")
    return "".join(out)
