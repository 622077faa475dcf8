import functools
import html
import json
from datetime import timedelta

from django import template
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils import translation
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from .. import formatting, roles

register = template.Library()
register.filter("percent", formatting.percent)
register.filter("when", formatting.when)


@register.filter
def span(value: timedelta | None) -> str:
    """A duration as people say it: "20 min", "1 h 5 min", "45 s"."""
    if value is None:
        return ""
    seconds = int(value.total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    # The same messages as a card button's interval (scheduling.interval_label).
    in_minutes = ngettext("%(n)d min", "%(n)d min", minutes) % {"n": minutes}
    if hours:
        # Translators: a duration such as "1 h 5 min".
        return _("%(hours)s %(minutes)s") % {
            "hours": ngettext("%(n)d h", "%(n)d h", hours) % {"n": hours},
            "minutes": in_minutes,
        }
    if minutes:
        return in_minutes
    return ngettext("%(n)d s", "%(n)d s", secs) % {"n": secs}


@register.filter
def clock(seconds: int | None) -> str:
    """Seconds as a countdown clock: 1:05:09 or 12:34."""
    if seconds is None:
        return ""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@register.simple_tag
def countdown_texts(seconds: int) -> str:
    """What a live countdown says at each second live.js speaks it (every ten, then
    the last five), with the page's language's own plural forms (Arabic has six), as
    JSON for a data attribute: the script cannot choose a plural itself."""
    return _countdown_texts(get_language(), seconds)


@functools.lru_cache(maxsize=128)
def _countdown_texts(language: str, seconds: int) -> str:
    spoken = sorted({*range(6), *range(10, seconds + 1, 10)})
    texts = {
        n: ngettext("%(seconds)s second", "%(seconds)s seconds", n) % {"seconds": n} for n in spoken
    }
    return json.dumps(texts, ensure_ascii=False)


@register.filter
def is_teacher(user: AbstractBaseUser | str) -> bool:
    # The 500 page is drawn with no context: there `user` is the empty string.
    return isinstance(user, AbstractBaseUser | AnonymousUser) and roles.is_teacher(user)


# Each language named in itself, as its readers write it at the head of a list
# (Django's own names say "français" and "العربيّة").
_LANGUAGE_NAMES = {
    "en": "English",
    "zh-hans": "中文",
    "ru": "Русский",
    "ar": "العربية",
    "fr": "Français",
    "es": "Español",
}


@register.simple_tag
def language_choices() -> list[tuple[str, str]]:
    """(code, name in itself) for every language the site speaks, in settings' order."""
    return [(code, _LANGUAGE_NAMES.get(code, code)) for code, _name in settings.LANGUAGES]


@register.filter
def letter(index: int | str) -> str:
    """A matching partner's letter, as `<ol type="A">` numbers the list of partners
    the options refer to: "A" for the first (index 0), "AA" after "Z"."""
    n, letters = int(index) + 1, ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@register.filter
def content_dir(language: str) -> str:
    """` lang="…" dir="rtl"` (or ltr) for a control whose text starts with something
    else than its language (a letter "A · " before an Arabic partner would make
    `dir="auto"` read it left to right); `content_lang` when the language is not known."""
    try:
        bidi = translation.get_language_info(language)["bidi"]
    except KeyError:
        return content_lang(language)
    return format_html(' lang="{}" dir="{}"', language, "rtl" if bidi else "ltr")


@register.filter
def content_lang(language: str) -> str:
    """` lang="…" dir="auto"` for text written in a source's language (a Chinese page
    shows the English statement as English; an English prompt stays left to right on
    an Arabic page); only `dir="auto"` when the language is not known."""
    if not language:
        return mark_safe(' dir="auto"')
    return format_html(' lang="{}" dir="auto"', language)


@register.simple_tag
def navigator_chips(navigator, current: int) -> str:
    """The navigator's links, one for each question: answered, flagged, current.
    Drawn here rather than in a template loop: a drill has 100 questions on every
    page, and the loop's nodes were most of its page's time. The words are escaped
    once, not once a chip (escaping eight values a chip was a third of the page);
    positions are integers and the links come from one `reverse`, escaped here
    (strings, so by `html.escape`: Django's `escape` is that, behind a check for lazy
    text that took most of its time)."""
    labels = {True: escape(_("answered")), False: escape(_("not answered"))}
    flagged = escape(_("flagged"))
    chips = []
    for entry in navigator:
        position = int(entry.position)
        classes = "nav-chip"
        if entry.answered:
            classes += " is-answered"
        mark = hidden_flag = ""
        if entry.flagged:
            classes += " is-flagged"
            mark = '<span aria-hidden="true">⚑</span>'
            hidden_flag = f", {flagged}"
        here = ' aria-current="page"' if position == current else ""
        chips.append(
            f'<li><a href="{html.escape(entry.url)}" class="{classes}" data-position="{position}"'
            f'{here}>{position}{mark}<span class="visually-hidden">, '
            f"{labels[entry.answered]}{hidden_flag}</span></a></li>"
        )
    return mark_safe("\n".join(chips))


@register.simple_tag
def grid_rows(grid) -> str:
    """A mastery grid's rows as SVG: each student's name, then a shaded square a
    bank with its share as a tooltip. Drawn here rather than in `_grid.html`, as
    `navigator_chips` is: a class of 50 and 20 banks is 13,000 template variables,
    half of a class overview's first draw (bench/README.md, nineteenth round). Each
    name is escaped once; the rest are integers, written as the template wrote them
    (no thousands separators) and coordinates unlocalized."""
    size = int(grid.size)
    lines = []
    for label, y, row in grid.lines:
        name = html.escape(label)
        # Shortened as the `truncatechars:16` filter shortens it.
        short = html.escape(Truncator(label).chars(16))
        lines.append(f'<text class="label" x="0" y="{y}">{short}</text>')
        lines.extend(
            f'<rect class="heat heat-{int(cell.level)}" x="{int(cell.x)}" y="{int(cell.y)}"'
            f' width="{size}" height="{size}" data-known="{int(cell.known)}"'
            f' data-total="{int(cell.total)}"><title>{name}: {int(cell.known)}/'
            f"{int(cell.total)} ({int(cell.percent)}%)</title></rect>"
            for cell in row
        )
    return mark_safe("\n".join(lines))


@register.simple_tag
def grid_table_rows(grid) -> str:
    """A mastery grid's rows as the table under "Show data", drawn with `grid_rows`."""
    rows = []
    for label, _y, row in grid.lines:
        cells = "".join(
            f'<td class="text-end">{int(cell.known)}/{int(cell.total)}</td>' for cell in row
        )
        rows.append(f'<tr><th scope="row">{html.escape(label)}</th>{cells}</tr>')
    return mark_safe("".join(rows))
