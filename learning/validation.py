"""The rules a question's choices must follow for its kind, as a pure function.

The admin shows these messages next to the choices, and the importers refuse a
question that breaks them, so every way in keeps the same rules.
"""

from collections.abc import Sequence

from django.utils.translation import gettext as _

from .scoring import Option

# Credits are typed as decimals (0.33 for a third): sums are checked to this.
TOLERANCE = 0.01


def choice_problems(kind: str, options: Sequence[Option]) -> list[str]:
    """What is wrong with these choices for a question of this kind; empty if nothing."""
    check = CHECKS.get(kind)
    return check(options) if check else []


def _single(options: Sequence[Option]) -> list[str]:
    problems = []
    if len(options) < 2:
        problems.append(_("A single-choice question needs at least two choices."))
    if sum(1 for o in options if o.credit == 1) != 1:
        problems.append(_("A single-choice question needs exactly one choice with credit 1."))
    return problems


def _true_false(options: Sequence[Option]) -> list[str]:
    if len(options) != 2 or sum(1 for o in options if o.credit == 1) != 1:
        return [_("A true/false question needs two choices, exactly one of them with credit 1.")]
    return []


def _multiple(options: Sequence[Option]) -> list[str]:
    right = [o.credit for o in options if o.credit > 0]
    if not right or abs(sum(right) - 1) > TOLERANCE:
        return [
            _(
                "A multiple-response question needs right choices whose credits add up to 1 "
                "(they add up to %(total)s)."
            )
            % {"total": round(sum(right), 3)}
        ]
    return []


def _short(options: Sequence[Option]) -> list[str]:
    if not any(o.credit == 1 and o.text.strip() for o in options):
        return [_("A short-answer question needs an accepted answer with credit 1.")]
    return []


def _ordering(options: Sequence[Option]) -> list[str]:
    positions = sorted(o.position or 0 for o in options)
    if len(options) < 2:
        return [_("An ordering question needs at least two items.")]
    if positions != list(range(1, len(options) + 1)):
        return [
            _("Give the items the positions 1 to %(n)d, each once, with no gaps.")
            % {"n": len(options)}
        ]
    return []


def _matching(options: Sequence[Option]) -> list[str]:
    problems = []
    if len(options) < 2:
        problems.append(_("A matching question needs at least two pairs."))
    if any(not o.match.strip() for o in options):
        problems.append(_("Every item of a matching question needs its partner."))
    lefts = [o.text.strip() for o in options]
    rights = [o.match.strip() for o in options]
    if len(set(lefts)) != len(lefts) or len(set(rights)) != len(rights):
        problems.append(_("The items of a matching question, and their partners, must differ."))
    return problems


CHECKS = {
    "single": _single,
    "true_false": _true_false,
    "multiple": _multiple,
    "short": _short,
    "ordering": _ordering,
    "matching": _matching,
}
