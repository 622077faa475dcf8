"""The question form of the admin: the fields every kind shares and its answer rows
(`kind_forms.py` has one form per kind).

A teacher never types credits as fractions unless they want to: single choice
marks its right option with a radio, multiple response with tick boxes (the
credits are worked out, custom ones under "Advanced"), true/false is one
switch, short answer a list of accepted answers with their credit in percent,
ordering the items one a line in their right order, matching pairs in two
columns. Every form turns its rows into the same Choice rows as before, and
the rules of `validation.choice_problems` still decide what is acceptable.

Rows keep the id of the choice they show, so that editing a question updates
its choices in place: attempts refer to choices by id (their frozen order,
their responses), and a regrade must still find them.
"""

from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Choice, Passage, Question
from ..validation import choice_problems

Kind = Question.Kind
# Blank rows offered after the filled ones; "Save and continue" offers four more.
BLANK_ROWS = 4
MAX_ROWS = 50

MAIN_FIELDS = [
    "bank",
    "ref",
    "prompt",
    "explanation",
    "passage",
    "also_cites",
    "difficulty",
    "weight",
    "paraphrase_note",
]


class RowChoice:
    """One row's values before they become a Choice: `id` of the choice it edits."""

    def __init__(self, id: int | None, text: str, credit: float = 0.0, **extra: Any) -> None:
        self.id, self.text, self.credit = id, text, credit
        self.position = extra.get("position")
        self.match = extra.get("match", "")


class QuestionForm(forms.ModelForm):
    """The fields every kind shares; subclasses add their answer rows."""

    kind: ClassVar[str] = ""
    help: ClassVar[str] = ""
    template: ClassVar[str] = ""

    class Meta:
        model = Question
        fields = MAIN_FIELDS
        widgets = {
            "prompt": forms.Textarea(attrs={"rows": 3}),
            "explanation": forms.Textarea(attrs={"rows": 3}),
            "paraphrase_note": forms.Textarea(attrs={"rows": 2}),
            # Tick boxes: a source has tens of paragraphs, and the admin's two-list
            # filter widget carries ARIA attributes screen readers reject.
            "also_cites": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.kind = self.kind
        if "passage" in self.fields:
            self.fields["passage"].queryset = Passage.objects.select_related("source")
        if "also_cites" in self.fields:
            self.fields["also_cites"].queryset = Passage.objects.select_related("source")
        self.existing: list[Choice] = (
            list(self.instance.choices.order_by("id")) if self.instance.pk else []
        )
        self.row_count = self._row_count()
        self.add_answer_fields()

    def _row_count(self) -> int:
        wanted = len(self.existing) + BLANK_ROWS
        if self.is_bound:
            posted = [k for k in self.data if k.startswith("row-") and k.endswith("-text")]
            wanted = max(wanted, len(posted))
        return min(wanted, MAX_ROWS)

    # Subclasses: add their fields, give their rows back, draw their rows.
    def add_answer_fields(self) -> None:
        raise NotImplementedError

    def answer_rows(self) -> list[RowChoice]:
        raise NotImplementedError

    def rows(self) -> list[dict[str, forms.BoundField]]:
        """The row fields, row by row, for the template."""
        names = ("id", "text", "correct", "credit", "match")
        return [
            {
                "n": i + 1,
                **{n: self[f"row-{i}-{n}"] for n in names if f"row-{i}-{n}" in self.fields},
            }
            for i in range(self.row_count)
        ]

    def _id_field(self, i: int, choice: Choice | None) -> None:
        self.fields[f"row-{i}-id"] = forms.IntegerField(
            required=False, widget=forms.HiddenInput, initial=choice.pk if choice else None
        )

    def _text_field(self, i: int, choice: Choice | None, label: str) -> None:
        self.fields[f"row-{i}-text"] = forms.CharField(
            label=label % {"n": i + 1},
            required=False,
            max_length=500,
            initial=choice.text if choice else "",
        )

    def _credit_field(self, i: int, initial: float | None, label: str) -> None:
        self.fields[f"row-{i}-credit"] = forms.FloatField(
            label=label % {"n": i + 1},
            required=False,
            min_value=-100,
            max_value=100,
            initial=None if initial is None else round(initial * 100, 4),
            widget=forms.NumberInput(attrs={"step": "any", "class": "vSmallField"}),
        )

    def choice(self, i: int) -> Choice | None:
        return self.existing[i] if i < len(self.existing) else None

    def row_id(self, i: int) -> int | None:
        """The posted row's choice id, if it is one of this question's choices."""
        value = self.cleaned_data.get(f"row-{i}-id")
        return value if value in {c.pk for c in self.existing} else None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if any(name.startswith("row-") for name in self.errors):
            return cleaned
        rows = self.answer_rows()
        texts = [r.text for r in rows]
        if len(set(texts)) != len(texts):
            raise forms.ValidationError(_("Two answers of this question have the same text."))
        options = [
            Choice(text=r.text, credit=r.credit, position=r.position, match=r.match) for r in rows
        ]
        problems = choice_problems(self.kind, [c.as_option(id=i) for i, c in enumerate(options)])
        if problems:
            raise forms.ValidationError(problems)
        if self.instance.published:
            missing = []
            if not (cleaned.get("explanation") or "").strip():
                missing.append(_("A published question needs an explanation."))
            if not cleaned.get("passage"):
                missing.append(_("A published question needs the passage it cites."))
            if missing:
                raise forms.ValidationError(missing)
        self.cleaned_rows = rows
        return cleaned

    def unsaved_choices(self) -> list[Choice]:
        """The rows as Choice objects, unsaved, each with the id of the choice it
        edits: what the question's choices become, and what "try an answer" grades."""
        return [
            Choice(id=r.id, text=r.text, credit=r.credit, position=r.position, match=r.match)
            for r in self.cleaned_rows
        ]
