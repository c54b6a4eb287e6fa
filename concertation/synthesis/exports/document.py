"""What a printed synthesis shows, prepared once for the PDF and the ODT alike.

The published version's stored HTML (made by text.py) is read back into plain
blocks (paragraphs, list items, headings, quotes): documents never interpret
user input any other way.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser

from babel.dates import format_date
from babel.numbers import format_decimal

from concertation.dates import utc_to_paris
from concertation.synthesis.figures import FIGURE_LABELS
from concertation.synthesis.links import citation_path
from concertation.voting.models import MENTIONS

BLOCK_TAGS = {"p": "p", "li": "li", "h3": "h", "h4": "h", "h5": "h", "h6": "h", "blockquote": "quote", "pre": "pre"}


class _Blocks(HTMLParser):
    def __init__(self):
        super().__init__()
        self.blocks: list[tuple[str, str]] = []
        self.kind: str | None = None
        self.text: list[str] = []

    def _close(self):
        text = " ".join("".join(self.text).split())
        if text:
            self.blocks.append((self.kind or "p", text))
        self.text = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self._close()
            self.kind = BLOCK_TAGS[tag] if not (tag == "p" and self.kind in ("li", "quote")) else self.kind
        elif tag == "br":
            self.text.append(" ")

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS:
            self._close()
            self.kind = None

    def handle_data(self, data):
        self.text.append(data)


def html_blocks(stored_html: str) -> list[tuple[str, str]]:
    """(kind, text) blocks of sanitised HTML: kind is p, li, h, quote or pre."""
    parser = _Blocks()
    parser.feed(stored_html or "")
    parser.close()
    parser._close()
    return parser.blocks


def votes_label(snapshot) -> str:
    if snapshot.majority_mention is not None:
        return f"Mention majoritaire : {MENTIONS[snapshot.majority_mention]} ({snapshot.grade_count} jugements)"
    if snapshot.grade_count:
        return f"{snapshot.grade_count} jugements"
    return f"{snapshot.support_count} soutien{'s' if snapshot.support_count > 1 else ''}"


def figure_value(key: str, value) -> str:
    if value is None:
        return "—"
    if key == "population_share":
        return f"{format_decimal(value, locale='fr')} %"
    return format_decimal(value, locale="fr")


@dataclass
class Section:
    title: str
    blocks: list[tuple[str, str, list[int]]]     # (kind, text, citation numbers for that paragraph)
    cited: list[int] = field(default_factory=list)   # citations of the whole section


@dataclass
class PrintedSynthesis:
    title: str
    consultation: str
    territory: str
    period: str
    version_line: str
    figures: list[tuple[str, str]]
    themes: list[tuple[str, int, int, int]]
    introduction: list[tuple[str, str]]
    sections: list[Section]
    retained: list[tuple[str, str, str]]          # (title, "pseudonym · theme", votes)
    references: list[tuple[int, str, str]]        # (number, label, absolute address)
    licence: str = "Licence Ouverte / Open Licence 2.0"


def _date(value) -> str:
    return format_date(utc_to_paris(value).date(), "d MMMM y", locale="fr") if value else ""


def prepare(version, base_url: str = "") -> PrintedSynthesis:
    """The synthesis version as a printed document reads it."""
    consultation = version.consultation
    start, end = consultation.phase("proposals"), consultation.phase("synthesis")
    period = f"Consultation ouverte du {_date(start.starts_at)} au {_date(end.ends_at)}" if start and end else ""
    sections, references = [], []
    for s in version.sections:
        for c in s["citations"]:
            label = f"« {c['title']} »" if c["kind"] == "proposal" else f"Commentaire : « {c['excerpt'][:160]} »"
            references.append((c["number"], f"{label} — {c['author']}",
                               base_url + citation_path(version.consultation_id, c)))
        blocks = []
        for paragraph in s["paragraphs"]:
            found = html_blocks(paragraph["html"])
            blocks += [(kind, text, []) for kind, text in found[:-1]]
            if found:
                blocks.append((found[-1][0], found[-1][1], paragraph["citations"]))
        sections.append(Section(s["title"], blocks, s["cited"]))
    figures = version.figures
    return PrintedSynthesis(
        title=version.title, consultation=consultation.title, territory=consultation.territory.name, period=period,
        version_line=f"Version {version.number}, publiée le {_date(version.published_at)}",
        figures=[(FIGURE_LABELS[k], figure_value(k, figures.get(k))) for k in FIGURE_LABELS
                 if k in figures and (figures.get(k) is not None or k != "population_share")],
        themes=[(t["theme"], t["proposals"], t["comments"], t["votes"]) for t in figures.get("by_theme", [])],
        introduction=html_blocks(version.introduction_html),
        sections=sections,
        retained=[(r.title, " · ".join(x for x in (r.author_pseudonym, r.theme_name) if x), votes_label(r))
                  for r in version.retained],
        references=sorted(references),
    )
