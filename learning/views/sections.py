"""Sections of pages kept whole in the cache as the HTML they rendered."""

from collections.abc import Callable

from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

# A key names everything its section shows (`selectors.kept`), so a section is
# never stale; the time only bounds what an idle key holds in the cache.
KEPT_SECONDS = 3600


def kept_section(
    key: str, template_name: str, context: Callable[[], dict], *, shared: bool = False
) -> SafeString:
    """The section `template_name` renders, kept under `key`; `context` is read
    only when it is not kept. Rendered without the request: a kept section holds
    no form (no CSRF token) and nothing of the reader that its key does not name.
    A `shared` section, costly to draw, is kept where every process finds it
    (`CACHES["shared"]`); the others in `CACHES["default"]`, on one machine each
    process's own memory, quicker to read."""
    cache = caches["shared" if shared else "default"]
    html = cache.get(key)
    if html is None:
        html = render_to_string(template_name, context())
        cache.set(key, html, KEPT_SECONDS)
    # HTML our own template rendered, every value escaped there.
    return mark_safe(html)
