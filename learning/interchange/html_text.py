"""Moodle's HTML text as our plain text: both GIFT's [html] and Moodle XML carry it."""

from html.parser import HTMLParser


class _PlainText(HTMLParser):
    BREAKS = {"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag in self.BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag) -> None:
        if tag in self.BREAKS:
            self.parts.append("\n")

    def handle_data(self, data) -> None:
        self.parts.append(data)


def plain_text(text: str, format: str = "html") -> str:
    """Moodle text as our plain text: HTML tags dropped, entities read, new lines kept."""
    if format in ("html", "moodle_auto_format"):
        parser = _PlainText()
        parser.feed(text)
        parser.close()
        text = "".join(parser.parts)
    kept: list[str] = []
    for line in text.replace("\xa0", " ").splitlines():
        line = " ".join(line.split())
        # Paragraphs are separated by one empty line, however the HTML spaced them.
        if line or (kept and kept[-1]):
            kept.append(line)
    return "\n".join(kept).strip()
