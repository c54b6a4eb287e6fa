"""The word-level difference between two wordings, readable by eye and by a screen reader.

Inserted and deleted words are marked with <ins> and <del> (coloured by the style sheet) and
preceded by a visually hidden « ajouté : » or « supprimé : », so that the difference does not
rest on colour or strike-through alone, which most screen readers do not announce.
"""

from dataclasses import dataclass
from difflib import SequenceMatcher

from flask_babel import gettext as _
from markupsafe import Markup, escape


@dataclass(frozen=True)
class Segment:
    kind: str  # "kept", "inserted" or "deleted"
    text: str


def word_diff(old: str, new: str) -> list[Segment]:
    """The segments that turn `old` into `new`, word by word (whitespace is normalised to one space)."""
    a, b = (old or "").split(), (new or "").split()
    segments: list[Segment] = []

    def add(kind: str, words: list[str]) -> None:
        if not words:
            return
        if segments and segments[-1].kind == kind:
            segments[-1] = Segment(kind, f"{segments[-1].text} {' '.join(words)}")
        else:
            segments.append(Segment(kind, " ".join(words)))

    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            add("kept", a[i1:i2])
        else:
            # A replaced run reads as what went, then what came.
            add("deleted", a[i1:i2])
            add("inserted", b[j1:j2])
    return segments


def render(segments: list[Segment]) -> Markup:
    """The segments as HTML; every piece of text is escaped."""
    parts = []
    for segment in segments:
        text = escape(segment.text)
        if segment.kind == "inserted":
            parts.append(Markup('<ins><span class="visually-hidden">{} </span>{}</ins>').format(_("ajouté :"), text))
        elif segment.kind == "deleted":
            parts.append(Markup('<del><span class="visually-hidden">{} </span>{}</del>').format(_("supprimé :"), text))
        else:
            parts.append(text)
    return Markup(" ").join(parts)


def diff_html(old: str, new: str) -> Markup:
    return render(word_diff(old, new))
