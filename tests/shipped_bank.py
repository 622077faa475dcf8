"""The shipped bank's short-answer questions read straight from the fixture, for
property tests that grade thousands of answers (pure: no database).
`tests/test_content_answers.py` checks the same answers through the database."""

import json
from dataclasses import dataclass
from pathlib import Path

from learning import scoring

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "statement.json"


@dataclass(frozen=True)
class ShortQuestion:
    ref: str
    passages: tuple[str, ...]
    options: tuple[scoring.Option, ...]

    def grade(self, text: str, **kwargs) -> float:
        return scoring.grade(
            "short", self.options, {"text": text}, passages=self.passages, **kwargs
        )


def load_short_questions() -> dict[str, ShortQuestion]:
    rows = json.loads(FIXTURE.read_text(encoding="utf-8"))
    passages = {
        (tuple(r["fields"]["source"]), r["fields"]["number"]): r["fields"]["text"]
        for r in rows
        if r["model"] == "learning.passage"
    }
    choices: dict[str, list[dict]] = {}
    for row in rows:
        if row["model"] == "learning.choice":
            choices.setdefault(row["fields"]["question"][0], []).append(row["fields"])
    questions = {}
    for row in rows:
        fields = row["fields"]
        if row["model"] != "learning.question" or fields["kind"] != "short":
            continue
        cited = sorted([fields["passage"], *fields.get("also_cites", [])], key=lambda key: key[-1])
        options = tuple(
            scoring.Option(
                id=i + 1,
                text=c["text"],
                credit=c["credit"],
                position=c["position"],
                match=c["match"],
            )
            for i, c in enumerate(choices[fields["ref"]])
        )
        questions[fields["ref"]] = ShortQuestion(
            fields["ref"], tuple(passages[((source,), number)] for source, number in cited), options
        )
    return questions


QUESTIONS = load_short_questions()
