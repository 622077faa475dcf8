"""Questions from CSV, one a row, for teachers who write them in a spreadsheet.

The first row names the columns, in any order:

- `prompt` (required): the question.
- `answers` (required): the answers in GIFT's syntax without the braces, e.g.
  `=Sergei Lavrov ~Wang Yi ~%50%Lavrov's deputy`, `TRUE`, `=Lavrov =Sergei Lavrov`,
  `=Chair -> Sergei Lavrov =Date -> 13 May`.
- `explanation` (required): why the answer is right.
- `kind` (optional): needed only for `ordering`, written as `=item -> position`.
- `ref`, `bank`, `passage` (`SOURCE/NUMBER`), `difficulty` (1-3), `weight`,
  `published` (yes/no): optional.
"""

import csv
import io

from django.utils.translation import gettext as _

from . import ImportProblem, ParsedQuestion
from .gift import parse_answers, tokenise

REQUIRED = ("prompt", "answers", "explanation")


def _int(value: str, line: int, column: str) -> int | None:
    if not value.strip():
        return None
    try:
        return int(value)
    except ValueError:
        message = _("The %(column)s “%(value)s” is not a number.") % {
            "column": column,
            "value": value,
        }
        raise ImportProblem(line, message) from None


def parse(text: str) -> list[ParsedQuestion]:
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    try:
        columns = [c.strip().lower() for c in reader.fieldnames or []]
    except csv.Error as error:
        raise ImportProblem(1, str(error)) from None
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        message = _("The first row must name the columns; missing: %(columns)s.") % {
            "columns": ", ".join(missing)
        }
        raise ImportProblem(1, message)
    reader.fieldnames = columns
    questions = []
    line = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise ImportProblem(line, str(error)) from None
        if None in row:
            raise ImportProblem(line, _("This row has more cells than there are columns."))
        cells = {key: (value or "").strip() for key, value in row.items()}
        if any(cells.values()):
            questions.append(_question(cells, line))
        line = reader.line_num + 1
    return questions


def _question(cells: dict[str, str], line: int) -> ParsedQuestion:
    if not cells["prompt"]:
        raise ImportProblem(line, _("The prompt is empty."))
    kind, choices, _feedback = parse_answers(
        tokenise(cells["answers"], line), line, cells.get("kind", "").lower()
    )
    passage = None
    if cells.get("passage"):
        source, _slash, number = cells["passage"].rpartition("/")
        passage = (source, _int(number, line, "passage"))
    published = cells.get("published", "").lower()
    return ParsedQuestion(
        line=line,
        kind=kind,
        prompt=cells["prompt"],
        explanation=cells["explanation"],
        choices=choices,
        ref=cells.get("ref", ""),
        bank=cells.get("bank", ""),
        passage=passage,
        difficulty=_int(cells.get("difficulty", ""), line, "difficulty"),
        weight=_int(cells.get("weight", ""), line, "weight"),
        published=None if not published else published in {"yes", "true", "1"},
    )
