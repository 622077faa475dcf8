"""Forms: one answer form that takes the shape of the question's kind, and sign-up.

Answer forms name options by their place on the page (0, 1, 2 ...), never by
database id: ids follow the order in which a teacher typed the choices, which
is often the key's order, so they would leak it.
"""

import csv
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import User
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import roster
from .models import Bank, Choice, Passage, Question, Quiz, Review, StudySettings

Kind = Question.Kind


@dataclass
class Control:
    """One control of the answer form as _answer_form.html draws it.

    The question page is the page a whole class loads at once, and drawing its
    form through crispy-forms' and Django's widget templates was most of its time
    (bench/README.md). So the form hands the template plain values instead: one
    `type` (radio, checkbox, text or select), the options (value, text, whether it
    is chosen, and the id of its input unless it is a select's), the typed text,
    the errors.
    """

    name: str
    label: str
    type: str
    options: list[tuple[str, str, bool, str]] = field(default_factory=list)
    value: str = ""
    errors: list[str] = field(default_factory=list)
    help_text: str = ""

    @property
    def id(self) -> str:
        return f"id_{self.name}"


class AnswerForm(forms.Form):
    # What the whole form asks, for the kinds whose fields are one per item.
    help_text = ""

    def __init__(
        self,
        *args: Any,
        question: Question,
        choices: Sequence[Choice],
        options: Sequence[Choice] = (),
        kept: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # Kept: what was posted is only drawn again, never checked (flagging
        # from the answer form must not scold a half-typed answer).
        self.kept = kept
        self.kind = question.kind
        self.choices = list(choices)
        self.options = list(options)
        listed = [(str(i), c.text) for i, c in enumerate(self.choices)]
        required = {"required": _("Choose an answer before saving.")}
        if self.kind in (Kind.SINGLE, Kind.TRUE_FALSE):
            self.fields["answer"] = forms.ChoiceField(
                label=question.prompt,
                choices=listed,
                widget=forms.RadioSelect,
                error_messages=required,
            )
        elif self.kind == Kind.MULTIPLE:
            self.fields["answer"] = forms.MultipleChoiceField(
                label=question.prompt,
                help_text=_("Tick every answer that applies."),
                choices=listed,
                widget=forms.CheckboxSelectMultiple,
                error_messages={"required": _("Tick at least one answer before saving.")},
            )
        elif self.kind == Kind.SHORT:
            self.fields["answer"] = forms.CharField(
                label=question.prompt,
                max_length=200,
                error_messages={"required": _("Type an answer before saving.")},
            )
        elif self.kind == Kind.ORDERING:
            self.help_text = _("Give each item its place, starting from 1.")
            places = [("", "—")] + [(str(p), str(p)) for p in range(1, len(self.choices) + 1)]
            for i, choice in enumerate(self.choices):
                self.fields[f"item_{i}"] = forms.ChoiceField(
                    label=choice.text,
                    choices=places,
                    error_messages={"required": _("Give every item a place before saving.")},
                )
        elif self.kind == Kind.MATCHING:
            # Partners pair one to one (the question's rules make them differ), so
            # a partner chosen twice is always wrong once, and choosing one partner
            # for every item would otherwise be a sure share of the credit.
            self.help_text = _("Choose the partner of each item. Use each partner once.")
            partners = [("", "—")] + [(str(i), o.match) for i, o in enumerate(self.options)]
            for i, choice in enumerate(self.choices):
                self.fields[f"item_{i}"] = forms.ChoiceField(
                    label=choice.text,
                    choices=partners,
                    error_messages={
                        "required": _("Choose a partner for every item before saving.")
                    },
                )

    def controls(self) -> list[Control]:
        """The form's fields, with what was posted, ready to draw (see Control)."""
        drawn = []
        for name, form_field in self.fields.items():
            posted = self.data.getlist(name) if self.is_bound else []
            errors = list(self.errors.get(name, [])) if self.is_bound and not self.kept else []
            control = Control(
                name=name,
                label=str(form_field.label),
                type="text",
                errors=errors,
                help_text=str(form_field.help_text or ""),
            )
            if isinstance(form_field, forms.ChoiceField):
                control.type = {
                    forms.RadioSelect: "radio",
                    forms.CheckboxSelectMultiple: "checkbox",
                }.get(type(form_field.widget), "select")
                prefix = "" if control.type == "select" else f"{control.id}_"
                control.options = [
                    (value, str(text), value in posted, prefix and f"{prefix}{n}")
                    for n, (value, text) in enumerate(form_field.choices)
                ]
            else:
                control.value = posted[0] if posted else ""
            drawn.append(control)
        return drawn

    @property
    def group_errors(self) -> list[str]:
        """Every error of the form once, for the one message beside the question
        (an empty submit would otherwise say the same thing on every item)."""
        if not self.is_bound or self.kept:
            return []
        found = [str(e) for errors in self.errors.values() for e in errors]
        return list(dict.fromkeys(found))

    @property
    def wrong_ticks_cost(self) -> bool:
        """A multiple-response question whose wrong ticks take marks away, as the
        question says before it is answered."""
        return self.kind == Kind.MULTIPLE and any(c.credit < 0 for c in self.choices)

    def posted_text(self) -> str:
        """What was posted, valid or not, as one line a student recognises: the
        answer quoted back when it arrived too late to be stored."""
        parts = []
        for control in self.controls():
            chosen = [
                text for value, text, is_chosen, _id in control.options if is_chosen and value
            ]
            if control.type == "text":
                chosen = [control.value.strip()] if control.value.strip() else []
            if control.type == "select" and chosen:
                chosen = [f"{control.label} → {chosen[0]}"]
            parts.extend(chosen)
        return "; ".join(parts)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.kind == Kind.ORDERING and not self.errors:
            positions = [cleaned[f"item_{i}"] for i in range(len(self.choices))]
            if len(set(positions)) != len(positions):
                raise forms.ValidationError(_("Give each item a different position."))
        if self.kind == Kind.MATCHING and not self.errors:
            partners = [cleaned[f"item_{i}"] for i in range(len(self.choices))]
            repeated = next((p for p in partners if partners.count(p) > 1), None)
            if repeated is not None:
                raise forms.ValidationError(
                    _("Use each partner once: “%(partner)s” is chosen for more than one item."),
                    params={"partner": self.options[int(repeated)].match},
                )
        return cleaned

    def response(self) -> dict[str, Any]:
        """The cleaned answer in the stored form, keyed by choice id."""
        data = self.cleaned_data
        if self.kind in (Kind.SINGLE, Kind.TRUE_FALSE):
            return {"choice": self.choices[int(data["answer"])].id}
        if self.kind == Kind.MULTIPLE:
            return {"choices": sorted(self.choices[int(i)].id for i in data["answer"])}
        if self.kind == Kind.SHORT:
            return {"text": data["answer"].strip()}
        return self._parts({c: data[f"item_{i}"] for i, c in enumerate(self.choices)})

    def _parts(self, given: dict[Choice, str]) -> dict[str, Any]:
        """An ordering's places or a matching's partners, as posted for each item."""
        if self.kind == Kind.ORDERING:
            return {"positions": {str(c.id): int(v) for c, v in given.items()}}
        return {"matches": {str(c.id): self.options[int(v)].match for c, v in given.items()}}

    def partial_response(self) -> dict[str, Any] | None:
        """Half an ordering or matching answer when the time runs out: the items
        given a place or partner no other item has (one partner for every item
        would be a sure share of the credit), graded as ever; None if nothing."""
        if not self.is_bound or self.kind not in (Kind.ORDERING, Kind.MATCHING):
            return None
        names = {c: f"item_{i}" for i, c in enumerate(self.choices)}
        given = {c: self.data.get(n, "") for c, n in names.items()}
        given = {c: v for c, v in given.items() if v and self.fields[names[c]].valid_value(v)}
        values = list(given.values())
        given = {c: v for c, v in given.items() if values.count(v) == 1}
        return self._parts(given) if given else None

    @staticmethod
    def data_for(
        *, kind: str, choices: Sequence[Choice], options: Sequence[Choice], response: dict
    ) -> QueryDict:
        """The form data that gives `response` on a page showing `choices` (and a
        matching question's `options`) in this order: the preview's "fill in the
        right answers"."""
        data = QueryDict(mutable=True)
        place = {c.id: i for i, c in enumerate(choices)}
        if kind in (Kind.SINGLE, Kind.TRUE_FALSE):
            data["answer"] = str(place[response["choice"]])
        elif kind == Kind.MULTIPLE:
            data.setlist("answer", [str(place[i]) for i in response["choices"] if i in place])
        elif kind == Kind.SHORT:
            data["answer"] = response["text"]
        elif kind == Kind.ORDERING:
            for i, c in enumerate(choices):
                data[f"item_{i}"] = str(response["positions"][str(c.id)])
        else:
            partners = [o.match for o in options]
            for i, c in enumerate(choices):
                data[f"item_{i}"] = str(partners.index(response["matches"][str(c.id)]))
        return data


class SignUpForm(UserCreationForm):
    email = forms.EmailField(
        label=_("Email (optional)"),
        required=False,
        help_text=_("Only used to reset a forgotten password."),
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")


class StudySettingsForm(forms.ModelForm):
    class Meta:
        model = StudySettings
        fields = ("new_per_day", "reviews_per_day", "desired_retention")
        widgets = {"desired_retention": forms.NumberInput(attrs={"step": "0.01"})}
        # A student reads these: plain words, not the scheduler's ("retention").
        labels = {"desired_retention": _("How sure you want to be of remembering (0.70 to 0.97)")}


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(coerce=int, choices=Review.Rating.choices)
    version = forms.IntegerField(min_value=0)
    # When the answer was shown, in ms since the epoch, to record how long the
    # student looked; a tampered value only skews that student's own statistic.
    shown_at = forms.IntegerField(required=False, min_value=0)

    def looked_ms(self, now: datetime) -> int | None:
        """How long the answer was shown before this rating, up to an hour."""
        shown_at = self.cleaned_data["shown_at"]
        if not shown_at:
            return None
        return min(max(0, int(now.timestamp() * 1000) - shown_at), 3_600_000)


class ClassroomForm(forms.Form):
    name = forms.CharField(label=_("Name of the class"), max_length=200)


class JoinForm(forms.Form):
    code = forms.CharField(
        label=_("Join code"),
        max_length=20,
        help_text=_("The eight letters and digits your teacher gave you."),
    )


class AssignmentForm(forms.Form):
    quiz = forms.ModelChoiceField(queryset=Quiz.objects.published(), label=_("Quiz"))
    due_at = forms.DateTimeField(
        label=pgettext_lazy("assignment", "Due"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The browser's date box has no zone: the server reads it in the school's.
        self.fields["due_at"].help_text = _("In the school's time zone, %(zone)s.") % {
            "zone": timezone.get_current_timezone_name()
        }


class RosterForm(forms.Form):
    names = forms.CharField(
        label=_("Names, one a line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Paste them from a spreadsheet or type them."),
    )
    file = forms.FileField(
        label=_("Or a CSV file"),
        required=False,
        help_text=_("UTF-8, the names in the first column; a header row “name” is skipped."),
    )

    MAX_BYTES = 100_000

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        upload = data.get("file")
        if upload:
            if upload.size > self.MAX_BYTES:
                raise forms.ValidationError(_("The file is larger than 100 kB."))
            try:
                data["lines"] = roster.read_csv(upload.read().decode("utf-8-sig"))
            except (UnicodeDecodeError, csv.Error):
                raise forms.ValidationError(_("The file is not a UTF-8 CSV file.")) from None
        else:
            data["lines"] = roster.read_pasted(data.get("names", ""))
        return data


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Write the comment first.")},
    )


class OverrideForm(forms.Form):
    credit = forms.DecimalField(
        label=_("Credit (0 to 1)"), min_value=0, max_value=1, max_digits=4, decimal_places=2
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("GIFT, Moodle XML or CSV file"),
        help_text=_(
            "UTF-8 text. Read by its name: .xml as Moodle XML, .csv as CSV, anything else as "
            "GIFT, unless you choose the format below."
        ),
    )
    format = forms.ChoiceField(
        label=_("Format"),
        required=False,
        choices=[
            ("", _("From the file name")),
            ("gift", _("GIFT")),
            ("xml", _("Moodle XML")),
            ("csv", _("CSV")),
        ],
    )
    bank = forms.ModelChoiceField(
        queryset=Bank.objects.all(),
        required=False,
        label=_("Bank"),
        help_text=_("For questions the file puts in no category."),
    )
    passage = forms.ModelChoiceField(
        queryset=Passage.objects.select_related("source"),
        required=False,
        label=_("Passage"),
        help_text=_("Cited by questions the file names no passage for."),
    )

    # A question bank is text; a bigger upload is a mistake, not a bank.
    MAX_BYTES = 2_000_000

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        try:
            self.cleaned_data["text"] = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("The file is not UTF-8 text.")) from None
        return upload
