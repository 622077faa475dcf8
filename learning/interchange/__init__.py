"""Questions in and out: GIFT (Moodle's text format), Moodle XML and CSV import,
GIFT, Moodle XML and Anki/Quizlet TSV export.

Parsers are pure: text in, `ParsedQuestion`s out, or an `ImportProblem` that
names the line. `services.questions_import` stores a parsed file in one
transaction, so a file with one bad question stores nothing.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ..scoring import Option


class ImportProblem(ValueError):
    """A file that cannot be imported, with the line to look at."""

    def __init__(self, line: int, message: str) -> None:
        self.line = line
        self.message = message
        super().__init__(_("Line %(line)d: %(message)s") % {"line": line, "message": message})


@dataclass
class ParsedChoice:
    text: str
    credit: float = 0.0
    position: int | None = None
    match: str = ""

    def as_option(self, id: int) -> Option:
        """The choice as grading and the kind's rules take it."""
        return Option(
            id=id, text=self.text, credit=self.credit, position=self.position, match=self.match
        )


@dataclass
class ParsedQuestion:
    line: int
    kind: str
    prompt: str
    explanation: str
    choices: list[ParsedChoice] = field(default_factory=list)
    ref: str = ""
    bank: str = ""
    # (source slug, paragraph number), when the file says which passage it cites.
    passage: tuple[str, int] | None = None
    difficulty: int | None = None
    weight: int | None = None
    published: bool | None = None
    exact_answer: bool = False


FORMATS = ("gift", "xml", "csv")


def parser_for(filename: str, format: str = ""):
    """The parser module for a file: `format` ("gift", "xml" or "csv") when given,
    else by the file's extension, GIFT for any other."""
    # Here, not at the top: the parsers import ImportProblem from this module.
    from . import csv_import, gift, moodle_xml

    chosen = format or {".csv": "csv", ".xml": "xml"}.get(
        filename[filename.rfind(".") :].lower() if "." in filename else "", "gift"
    )
    return {"gift": gift, "xml": moodle_xml, "csv": csv_import}[chosen]
