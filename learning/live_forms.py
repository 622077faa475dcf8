"""The live game's forms: a teacher's new game, and a phone's way in."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from .models import Bank, Quiz
from .models.live import PIN_DIGITS, SECONDS_MAX, SECONDS_MIN
from .services.live import NICKNAME_MAX

# Lazy in the number too, so that each request reads it in its own language.
RANDOM_TEAMS = ngettext_lazy("%(count)s random team", "%(count)s random teams", "count")


class GameForm(forms.Form):
    quiz = forms.ModelChoiceField(
        label=_("Quiz"), queryset=Quiz.objects.published(), required=False, to_field_name="slug"
    )
    bank = forms.ModelChoiceField(label=_("or a bank"), queryset=Bank.objects.all(), required=False)
    count = forms.IntegerField(
        label=_("Questions"),
        min_value=1,
        max_value=100,
        required=False,
        help_text=_("Leave empty for all of the quiz's questions, or ten of a bank's."),
    )
    seconds = forms.IntegerField(
        label=_("Seconds per question"),
        min_value=SECONDS_MIN,
        max_value=SECONDS_MAX,
        initial=20,
    )
    teams = forms.TypedChoiceField(
        label=_("Teams"),
        coerce=int,
        initial=0,
        choices=[(0, _("No teams: everyone for themselves"))]
        + [(n, RANDOM_TEAMS % {"count": n}) for n in range(2, 7)],
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("quiz") and cleaned.get("bank"):
            raise forms.ValidationError(_("Choose a quiz or a bank, not both."))
        if not cleaned.get("quiz") and not cleaned.get("bank") and not self.errors:
            raise forms.ValidationError(_("Choose a quiz or a bank."))
        if cleaned.get("bank") and not cleaned.get("count"):
            cleaned["count"] = 10
        return cleaned


class PinField(forms.RegexField):
    def to_python(self, value):
        # Typed as it is read out, in groups ("326 207"): the digits count.
        return "".join(super().to_python(value).split())


class JoinForm(forms.Form):
    pin = PinField(
        label=_("Game PIN"),
        regex=rf"^\d{{{PIN_DIGITS}}}$",
        # Room for the spaces of a PIN typed in groups, which are dropped.
        max_length=2 * PIN_DIGITS,
        error_messages={"invalid": _("The PIN is the six digits on the projector.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    nickname = forms.CharField(
        label=_("Nickname"),
        max_length=NICKNAME_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
