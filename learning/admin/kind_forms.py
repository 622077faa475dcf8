"""The admin's question form for each kind, each laid out for its kind: a radio,
tick boxes with worked-out credits, a true/false switch, accepted answers in
percent, ordering items one a line, matching pairs in two columns."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Question
from .question_forms import MAIN_FIELDS, QuestionForm, RowChoice

Kind = Question.Kind


class SingleForm(QuestionForm):
    kind = Kind.SINGLE
    template = "admin/learning/question/_rows_single.html"
    help = _(
        "Type the options, one a row, and mark the right one. Under Advanced you may give a "
        "wrong option part of the credit. Empty rows are left out."
    )

    def add_answer_fields(self) -> None:
        right = None
        for i in range(self.row_count):
            choice = self.choice(i)
            self._id_field(i, choice)
            self._text_field(i, choice, _("Option %(n)d"))
            partial = choice.credit if choice and choice.credit not in (0, 1) else None
            self._credit_field(i, partial, _("Credit of option %(n)d (%%)"))
            if choice and choice.credit == 1:
                right = str(i)
        self.fields["correct"] = forms.ChoiceField(
            label=_("Right option"),
            choices=[(str(i), str(i + 1)) for i in range(self.row_count)],
            widget=forms.RadioSelect,
            initial=right,
            error_messages={"required": _("Mark the right option.")},
        )

    def radio(self, i: int) -> dict:
        return {"value": str(i), "checked": self["correct"].value() == str(i)}

    def rows(self) -> list[dict]:
        rows = super().rows()
        for i, row in enumerate(rows):
            row["radio"] = self.radio(i)
        return rows

    def answer_rows(self) -> list[RowChoice]:
        right = self.cleaned_data.get("correct")
        rows = []
        for i in range(self.row_count):
            text = self.cleaned_data.get(f"row-{i}-text", "").strip()
            if not text:
                continue
            custom = self.cleaned_data.get(f"row-{i}-credit")
            credit = 1.0 if str(i) == right else (custom / 100 if custom is not None else 0.0)
            rows.append(RowChoice(self.row_id(i), text, credit))
        return rows


def shares(right: int, wrong: int, penalise: bool) -> tuple[float, float]:
    """Credits of a right and a wrong tick: right ones share the mark equally; with
    `penalise`, wrong ones share its loss equally, so ticking every box earns 0."""
    return (1 / right if right else 0.0), (-1 / wrong if wrong and penalise else 0.0)


class MultipleForm(QuestionForm):
    kind = Kind.MULTIPLE
    template = "admin/learning/question/_rows_multiple.html"
    help = _(
        "Type the options and tick every right one: the right ones share the mark equally. "
        "With “penalise wrong ticks”, each wrong tick costs an equal share, so ticking "
        "everything earns nothing. Custom credits (in %) under Advanced replace the worked-out "
        "ones; then an empty credit is 0."
    )

    def add_answer_fields(self) -> None:
        right = [c for c in self.existing if c.credit > 0]
        wrong = [c for c in self.existing if c.credit <= 0]
        penalise = any(c.credit < 0 for c in self.existing)
        good, bad = shares(len(right), len(wrong), penalise)
        custom = any(abs(c.credit - (good if c.credit > 0 else bad)) > 1e-6 for c in self.existing)
        self.fields["penalise"] = forms.BooleanField(
            label=_("Penalise wrong ticks"),
            required=False,
            initial=penalise if self.existing else True,
        )
        for i in range(self.row_count):
            choice = self.choice(i)
            self._id_field(i, choice)
            self._text_field(i, choice, _("Option %(n)d"))
            self.fields[f"row-{i}-correct"] = forms.BooleanField(
                label=_("Option %(n)d is right") % {"n": i + 1},
                required=False,
                initial=bool(choice and choice.credit > 0),
            )
            self._credit_field(
                i, choice.credit if choice and custom else None, _("Credit of option %(n)d (%%)")
            )

    def answer_rows(self) -> list[RowChoice]:
        data = self.cleaned_data
        filled = [i for i in range(self.row_count) if data.get(f"row-{i}-text", "").strip()]
        custom = any(data.get(f"row-{i}-credit") is not None for i in filled)
        right = [i for i in filled if data.get(f"row-{i}-correct")]
        good, bad = shares(len(right), len(filled) - len(right), data.get("penalise", False))
        rows = []
        for i in filled:
            if custom:
                credit = (data.get(f"row-{i}-credit") or 0.0) / 100
            else:
                credit = good if i in right else bad
            rows.append(RowChoice(self.row_id(i), data[f"row-{i}-text"].strip(), credit))
        return rows


class TrueFalseForm(QuestionForm):
    kind = Kind.TRUE_FALSE
    template = "admin/learning/question/_rows_true_false.html"
    help = _("Write a statement and say whether it is true: the two choices are made for you.")

    def add_answer_fields(self) -> None:
        truth = next((c.credit == 1 for c in self.existing if c.text == "True"), None)
        self.row_count = 0
        self.fields["truth"] = forms.TypedChoiceField(
            label=_("The statement is"),
            choices=[("true", _("True")), ("false", _("False"))],
            coerce=lambda value: value == "true",
            widget=forms.RadioSelect,
            initial=None if truth is None else ("true" if truth else "false"),
            error_messages={"required": _("Say whether the statement is true or false.")},
        )

    def answer_rows(self) -> list[RowChoice]:
        truth = self.cleaned_data.get("truth")
        if truth is None:
            return []
        ids = {c.text: c.pk for c in self.existing}
        # Stored in English, as GIFT's {T}/{F} and Moodle's truefalse: the page shows
        # these two words translated (scoring does not read them).
        return [
            RowChoice(ids.get("True"), "True", 1.0 if truth else 0.0),
            RowChoice(ids.get("False"), "False", 0.0 if truth else 1.0),
        ]


class ShortForm(QuestionForm):
    kind = Kind.SHORT
    template = "admin/learning/question/_rows_short.html"
    help = _(
        "List every answer you accept, one a row, with its credit in percent (100 for a "
        "right answer, less for a partly right one). Case, spacing and punctuation never "
        "matter. Try an answer to see the credit it gets, before you save."
    )

    class Meta(QuestionForm.Meta):
        fields = [*MAIN_FIELDS, "exact_answer"]

    def add_answer_fields(self) -> None:
        for i in range(self.row_count):
            choice = self.choice(i)
            self._id_field(i, choice)
            self._text_field(i, choice, _("Accepted answer %(n)d"))
            self._credit_field(
                i, choice.credit if choice else None, _("Credit of answer %(n)d (%%)")
            )
            if choice is None:
                self.fields[f"row-{i}-credit"].widget.attrs["placeholder"] = "100"
        self.fields["try_answer"] = forms.CharField(
            label=_("Try an answer"), required=False, max_length=200
        )

    def answer_rows(self) -> list[RowChoice]:
        rows = []
        for i in range(self.row_count):
            text = self.cleaned_data.get(f"row-{i}-text", "").strip()
            if text:
                credit = self.cleaned_data.get(f"row-{i}-credit")
                rows.append(
                    RowChoice(self.row_id(i), text, 1.0 if credit is None else credit / 100)
                )
        return rows


class OrderingForm(QuestionForm):
    kind = Kind.ORDERING
    template = "admin/learning/question/_rows_ordering.html"
    help = _("Type the items in their right order, one a line. Students see them shuffled.")

    def add_answer_fields(self) -> None:
        ranked = sorted(self.existing, key=lambda c: c.position or 0)
        self.row_count = 0
        self.fields["items"] = forms.CharField(
            label=_("Items in their right order, one a line"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 6}),
            initial="\n".join(c.text for c in ranked),
        )

    def answer_rows(self) -> list[RowChoice]:
        lines = [line.strip() for line in self.cleaned_data.get("items", "").splitlines()]
        lines = [line for line in lines if line]
        if any(len(line) > 500 for line in lines):
            raise forms.ValidationError(_("An item is longer than 500 characters."))
        # Matched by text, so that moving an item keeps its choice (and its id).
        ids = {c.text: c.pk for c in self.existing}
        return [RowChoice(ids.get(t), t, 0.0, position=n) for n, t in enumerate(lines, 1)]


class MatchingForm(QuestionForm):
    kind = Kind.MATCHING
    template = "admin/learning/question/_rows_matching.html"
    help = _(
        "Type each pair on a row: an item on the left, its partner on the right. Students "
        "choose each item's partner from all the right-hand ones."
    )

    def add_answer_fields(self) -> None:
        for i in range(self.row_count):
            choice = self.choice(i)
            self._id_field(i, choice)
            self._text_field(i, choice, _("Item %(n)d"))
            self.fields[f"row-{i}-match"] = forms.CharField(
                label=_("Partner of item %(n)d") % {"n": i + 1},
                required=False,
                max_length=500,
                initial=choice.match if choice else "",
            )

    def answer_rows(self) -> list[RowChoice]:
        rows = []
        for i in range(self.row_count):
            text = self.cleaned_data.get(f"row-{i}-text", "").strip()
            match = self.cleaned_data.get(f"row-{i}-match", "").strip()
            if match and not text:
                raise forms.ValidationError(_("Every partner needs its item on the left."))
            if text or match:
                rows.append(RowChoice(self.row_id(i), text, 0.0, match=match))
        return rows


FORMS: dict[str, type[QuestionForm]] = {
    form.kind: form
    for form in (SingleForm, MultipleForm, TrueFalseForm, ShortForm, OrderingForm, MatchingForm)
}
