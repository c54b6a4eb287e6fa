"""Reads the forms of a rendered page: their action and the names and options of their fields."""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name -> options ([] for free text)
    kinds: dict[str, str] = field(default_factory=dict)


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append(Form(a.get("action") or "", (a.get("method") or "get").lower()))
        elif not self.forms:
            return
        elif tag in ("input", "textarea") and a.get("name"):
            kind = a.get("type", "textarea" if tag == "textarea" else "text")
            form = self.forms[-1]
            if kind in ("radio", "checkbox"):
                form.fields.setdefault(a["name"], []).append(a.get("value", "y"))
            elif kind not in ("submit", "button"):
                form.fields.setdefault(a["name"], [])
            form.kinds[a["name"]] = kind
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self.forms[-1].fields[a["name"]] = []
            self.forms[-1].kinds[a["name"]] = "select"
        elif tag == "option" and self._select:
            self.forms[-1].fields[self._select].append(a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def forms_in(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def main_form(html: str) -> Form:
    """The page's main POST form: the one with the most fields (not the language or sign-out forms)."""
    candidates = [f for f in forms_in(html) if f.method == "post" and "csrf_token" in f.fields]
    return max(candidates, key=lambda f: len(f.fields))
