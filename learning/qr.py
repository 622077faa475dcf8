"""QR codes drawn on the server as inline SVG (segno): no script, no image
service, and sharp on any projector."""

import segno
from django.utils.safestring import SafeString, mark_safe


def svg(text: str) -> SafeString:
    """An <svg> of `text` that scales to its box; segno writes only the code's
    own path, no outside data, so it is safe to put in the page as it is."""
    code = segno.make(text, error="m")
    drawn = code.svg_inline(scale=1, border=4, dark="#000", light="#fff", omitsize=True)
    return mark_safe(drawn)
