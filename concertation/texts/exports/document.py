"""What a printed adopted version shows, prepared once for the PDF and the ODT alike.

The paragraphs' stored HTML (made by text.py) is read back into plain blocks, as for the syntheses and
the manifesto; the amendments appear by their public pseudonym only, and their supports only when the
one rule for vote counts allows it.
"""

from dataclasses import dataclass, field

from concertation.synthesis.exports.document import _date, counted, html_blocks, logo_file
from concertation.texts import services
from concertation.texts.models import AMENDMENT_KINDS, AMENDMENT_STATUSES, VERSION_CHANGES
from concertation.voting.results import counts_shown

LICENCE = "Licence Ouverte / Open Licence 2.0"
NBSP = "\u00a0"


@dataclass
class PrintedParagraph:
    heading: str  # « § 3 », « § 3 — Modifié », « § 5 du projet — Supprimé »
    blocks: list[tuple[str, str]]
    notes: list[str] = field(default_factory=list)  # the draft's wording, the amendments it came from


@dataclass
class PrintedText:
    title: str
    territory: str
    consultation: str
    version_line: str
    summary: str
    chapters: list[tuple[str, list[PrintedParagraph]]]
    amendments: list[list[str]]  # the amendment table, its header first
    licence: str = LICENCE
    logo_file: str | None = None


def _source_line(source, shown: bool) -> str:
    amendment = source.amendment
    line = (
        f"Vient de l’amendement n°{NBSP}{amendment.id} ({AMENDMENT_STATUSES[amendment.status].lower()}), "
        f"proposé par {amendment.author.public_name}"
    )
    if shown:
        line += f", {counted(source.support_count, 'soutien', 'soutiens')}"
    return line + "."


def _paragraph(paragraph, shown: bool) -> PrintedParagraph:
    change = paragraph.change
    if change == "deleted":
        heading = f"§{NBSP}{paragraph.draft_number} du projet — {VERSION_CHANGES[change]}"
        blocks = []
    else:
        heading = f"§{NBSP}{paragraph.number}"
        if change != "kept":
            heading += f" — {VERSION_CHANGES[change]}"
        blocks = html_blocks(paragraph.body_html)
    notes = []
    if change in ("changed", "deleted") and paragraph.draft_body:
        notes.append(f"Rédaction du projet{NBSP}: « {' '.join(paragraph.draft_body.split())} »")
    notes += [_source_line(source, shown) for source in paragraph.sources]
    return PrintedParagraph(heading, blocks, notes)


def _answer(amendment) -> str:
    answer = AMENDMENT_STATUSES[amendment.status]
    reason = " ".join((amendment.answer_text or "").split())
    return f"{answer}{NBSP}: {reason}" if reason else answer


def amendment_table(amendments, shown: bool) -> list[list[str]]:
    """Every amendment with its answer, header first; the supports column only when counts may be shown."""
    header = ["N°", "§", "Type", "Proposé par", *(["Soutiens"] if shown else []), "Réponse"]
    rows = [header]
    for amendment in amendments:
        rows.append(
            [
                str(amendment.id),
                str(amendment.paragraph.number),
                AMENDMENT_KINDS[amendment.kind],
                amendment.author.public_name,
                *([str(amendment.support_count)] if shown else []),
                _answer(amendment),
            ]
        )
    return rows


def prepare(version, upload_dir: str | None = None) -> PrintedText:
    """The adopted version as a printed document reads it (with the territory's logo found in `upload_dir`)."""
    text = version.text
    consultation = text.consultation
    shown = counts_shown(consultation)
    chapters: list[tuple[str, list[PrintedParagraph]]] = []
    for paragraph in version.paragraphs:
        if not chapters or chapters[-1][0] != paragraph.chapter_title:
            chapters.append((paragraph.chapter_title, []))
        chapters[-1][1].append(_paragraph(paragraph, shown))
    amendments = services.text_amendments(text)
    accepted = sum(1 for amendment in amendments if amendment.is_accepted)
    return PrintedText(
        title=version.title,
        territory=consultation.territory.name,
        consultation=consultation.title,
        version_line=f"Version adoptée n°{NBSP}{version.number}, publiée le {_date(version.published_at)}",
        summary=(
            f"{counted(len(amendments), 'amendement proposé', 'amendements proposés')}, "
            f"{counted(accepted, 'accepté', 'acceptés')} en tout ou en partie."
        ),
        chapters=chapters,
        amendments=amendment_table(amendments, shown),
        logo_file=logo_file(consultation.territory, upload_dir),
    )
