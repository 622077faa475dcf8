"""How a number is written for people: one way on every page, in the reader's language."""

from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _


def percent(value: float | None) -> str:
    """A percentage of a score: "46.7%", "50%"; "" for none.

    One decimal, dropped when it is zero, so the quiz list, the result, the home
    page and the gradebook all say the same. floatformat writes the number as the
    active language does ("46,7" in French); the catalog places the sign.
    """
    if value is None:
        return ""
    # Translators: French puts a narrow no-break space before the sign ("46,7 %").
    return _("%(number)s%%") % {"number": floatformat(value, -1)}
