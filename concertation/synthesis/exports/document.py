"""What a printed synthesis shows, prepared once for the PDF and the ODT alike.

The published version's stored HTML (made by text.py) is read back into plain
blocks (paragraphs, list items, headings, quotes): documents never interpret
user input any other way.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

from babel.numbers import format_decimal

from concertation.dates import long_date
from concertation.i18n import french_typography
from concertation.participation import comparison
from concertation.synthesis import charts
from concertation.synthesis.figures import FIGURE_LABELS, WORKSHOP_FIGURES
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
        return f"Mention majoritaire : {MENTIONS[snapshot.majority_mention]} ({counted(snapshot.grade_count, 'jugement', 'jugements')})"
    if snapshot.grade_count:
        return counted(snapshot.grade_count, "jugement", "jugements")
    return counted(snapshot.support_count, "soutien", "soutiens")


def figure_value(key: str, value) -> str:
    if value is None:
        return "—"
    if key == "population_share":
        return f"{format_decimal(value, locale='fr')} %"
    return format_decimal(value, locale="fr")


@dataclass
class Section:
    title: str
    blocks: list[tuple[str, str, list[int]]]  # (kind, text, citation numbers for that paragraph)
    cited: list[int] = field(default_factory=list)  # citations of the whole section


@dataclass
class WhoTookPart:
    """The comparison of participants with the population, as frozen at publication (already thresholded)."""

    summary: str  # how many took part, or why no figure is shown
    caution_title: str
    cautions: list[str]
    tables: list[tuple[str, list[list[str]], str]]  # (title, rows with their header first, what shares are among)
    title: ClassVar[str] = french_typography("Qui a participé ?")
    lead: ClassVar[str] = (
        "Les participant·es comparé·es à la population du territoire, chiffres figés à la publication."
    )


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
    retained: list[tuple[str, str, str]]  # (title, "pseudonym · theme", votes)
    references: list[tuple[int, str, str]]  # (number, label, absolute address)
    licence: str = "Licence Ouverte / Open Licence 2.0"
    logo_file: str | None = None  # the territory's logo (a file of UPLOAD_DIR), on the cover
    charts: dict = field(default_factory=dict)  # charts.figure_charts of the frozen figures
    who_took_part: WhoTookPart | None = None  # absent from a version published before it was frozen


MASKED = "masqué"


def _count(value) -> str:
    return MASKED if value is None else format_decimal(value, locale="fr")


def _share(value, masked: bool) -> str:
    """A share in per cent; « masqué » when its count is, « — » when there is nothing to divide."""
    if value is None:
        return MASKED if masked else "—"
    return french_typography(f"{format_decimal(value, locale='fr')} %")


def _gap(value) -> str:
    if value is None:
        return "—"
    return ("+" if value > 0 else "") + format_decimal(value, locale="fr")


def _dimension_rows(d: dict) -> list[list[str]]:
    with_population = d["key"] != "relation"
    header = ["Groupe", "Participant·es", "Part des participant·es"]
    if with_population:
        header += ["Population (15 ans ou plus)", "Part de la population", "Écart (points)"]
    rows = [header]
    for row in d["rows"]:
        line = [row["label"], _count(row["count"]), _share(row["share"], row["count"] is None)]
        if with_population:
            population = "—" if row["population"] is None else format_decimal(row["population"], locale="fr")
            line += [population, _share(row["population_share"], False), _gap(row["gap"])]
        rows.append(line)
    excluded = [("Non renseigné", d["unanswered"], d["unanswered_share"])]
    if d.get("with_outside"):
        excluded.append(("Hors du territoire", d["outside"], d["outside_share"]))
    for label, count, share in excluded:
        of_all = MASKED if share is None else french_typography(f"{_share(share, True)} de l’ensemble")
        rows.append([label, _count(count), of_all] + (["—"] * 3 if with_population else []))
    return rows


def who_took_part(frozen: dict | None) -> WhoTookPart | None:
    """The frozen comparison laid out for print: a summary, the caution, one table per breakdown."""
    if not frozen:
        return None
    participants = frozen.get("participants")
    if participants is None:
        summary = "Moins de 10 personnes ont participé : aucun chiffre n’est montré."
    else:
        summary = (
            f"{format_decimal(participants, locale='fr')} participant·es : les personnes qui ont proposé, commenté, "
            "voté ou répondu à un questionnaire de la consultation."
        )
    return WhoTookPart(
        summary=french_typography(summary),
        caution_title=comparison.CAUTION_TITLE,
        cautions=[french_typography(line) for line in comparison.CAUTIONS],
        tables=[
            (
                d["title"],
                _dimension_rows(d),
                french_typography(comparison.SHARES_AMONG.get(d.get("shares_among"), "")),
            )
            for d in frozen.get("dimensions", [])
        ],
    )


def counted(n: int, singular: str, plural: str) -> str:
    """« 0 soutien », « 1 soutien », « 2 soutiens »: the printed documents are in French, which counts 0 and 1
    in the singular."""
    return f"{n} {singular if n <= 1 else plural}"


def _date(value) -> str:
    return long_date(value)


def logo_file(territory, upload_dir: str | None) -> str | None:
    """The path of the territory's logo, when it has one and the file is there."""
    if not (territory.logo_key and upload_dir):
        return None
    path = Path(upload_dir) / territory.logo_key
    return str(path) if path.is_file() else None


def prepare(version, base_url: str = "", upload_dir: str | None = None) -> PrintedSynthesis:
    """The synthesis version as a printed document reads it (with the territory's logo found in `upload_dir`)."""
    consultation = version.consultation
    start, end = consultation.phase("proposals"), consultation.phase("synthesis")
    period = f"Consultation ouverte du {_date(start.starts_at)} au {_date(end.ends_at)}" if start and end else ""
    sections, references = [], []
    for s in version.sections:
        for c in s["citations"]:
            label = f"« {c['title']} »" if c["kind"] == "proposal" else f"Commentaire : « {c['excerpt'][:160]} »"
            references.append(
                (c["number"], f"{label} — {c['author']}", base_url + citation_path(version.consultation_id, c))
            )
        blocks = []
        for paragraph in s["paragraphs"]:
            found = html_blocks(paragraph["html"])
            blocks += [(kind, text, []) for kind, text in found[:-1]]
            if found:
                blocks.append((found[-1][0], found[-1][1], paragraph["citations"]))
        sections.append(Section(s["title"], blocks, s["cited"]))
    figures = version.figures
    return PrintedSynthesis(
        title=version.title,
        consultation=consultation.title,
        territory=consultation.territory.name,
        period=period,
        version_line=f"Version {version.number}, publiée le {_date(version.published_at)}",
        figures=[
            (FIGURE_LABELS[k], figure_value(k, figures.get(k)))
            for k in FIGURE_LABELS
            # The population share, and the workshops' figures of a consultation without workshops, say nothing when None.
            if k in figures and (figures.get(k) is not None or k not in ("population_share", *WORKSHOP_FIGURES))
        ],
        themes=[(t["theme"], t["proposals"], t["comments"], t["votes"]) for t in figures.get("by_theme", [])],
        introduction=html_blocks(version.introduction_html),
        sections=sections,
        retained=[
            (r.title, " · ".join(x for x in (r.author_pseudonym, r.theme_name) if x), votes_label(r))
            for r in version.retained
        ],
        references=sorted(references),
        logo_file=logo_file(consultation.territory, upload_dir),
        charts=charts.figure_charts(figures),
        who_took_part=who_took_part(figures.get("representativeness")),
    )
