"""Checks on rendered HTML: no executable markup came from user text."""

from html.parser import HTMLParser

DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "svg", "math", "style", "base", "meta", "link", "form"}


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in DANGEROUS_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag}[{name}]")
            if (
                name in ("href", "src", "action", "formaction")
                and value
                and value.strip().lower().replace("\x00", "").startswith(("javascript:", "data:text", "vbscript:"))
            ):
                self.problems.append(f"{tag}[{name}={value}]")


def executable_markup(html: str) -> list[str]:
    """What in `html` could run: dangerous tags, event handlers, script URLs."""
    collector = _Collector()
    collector.feed(html)
    return collector.problems
