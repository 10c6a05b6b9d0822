"""What a strict content security policy would refuse in a page's HTML."""

import re
from html.parser import HTMLParser


class Inline(HTMLParser):
    """Collects what a strict policy would refuse: inline scripts, styles and
    event handlers, and anything loaded from another origin; and the page's
    landmarks."""

    def __init__(self) -> None:
        super().__init__()
        self.refused: list[str] = []
        self.landmarks: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag in ("main", "nav", "header", "footer"):
            self.landmarks.add(tag)
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.refused.append(f"{tag} {name}")
            loads = name == "src" or (tag == "link" and name == "href")
            if loads and value and re.match(r"(https?:)?//", value):
                self.refused.append(f"{tag} {name}={value}")
        if tag == "style":
            self.refused.append("style element")
        if (
            tag == "script"
            and "src" not in names
            and names.get("type") != "application/json"
        ):
            self.refused.append("inline script")


def parsed(content: bytes) -> Inline:
    parser = Inline()
    parser.feed(content.decode())
    return parser
