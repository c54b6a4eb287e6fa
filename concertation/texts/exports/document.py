"""What a printed adopted version shows, prepared once for the PDF and the ODT alike.

The paragraphs' stored HTML (made by text.py) is read back into plain blocks, as for the syntheses and
the manifesto; the amendments appear by their public pseudonym only (one hidden by the moderation by the
moderation's public reason instead), and their supports or mentions only when the one rule for vote
counts allows it.
"""

from dataclasses import dataclass, field

from concertation.db import utcnow
from concertation.synthesis.exports.document import _date, counted, html_blocks, logo_file
from concertation.texts import services
from concertation.texts.models import AMENDMENT_KINDS, AMENDMENT_STATUSES, VERSION_CHANGES
from concertation.voting.models import MENTIONS
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


def _judgment(judgment: services.Judgment) -> str:
    line = counted(judgment.judges, "évaluation", "évaluations")
    if judgment.majority_mention is not None:
        line += f", mention majoritaire{NBSP}: {MENTIONS[judgment.majority_mention].lower()}"
    return line


def _source_line(source, supports: bool, judgment: services.Judgment | None) -> str:
    amendment = source.amendment
    if not amendment.is_visible:
        # Hidden by the moderation since the adoption: the change stays traced, without the amendment's author.
        return (
            f"Vient de l’amendement n°{NBSP}{amendment.id}, masqué par la modération"
            f"{NBSP}: {amendment.moderation_reason or 'motif non précisé'}."
        )
    line = (
        f"Vient de l’amendement n°{NBSP}{amendment.id} ({AMENDMENT_STATUSES[amendment.status].lower()}), "
        f"proposé par {amendment.author.public_name}"
    )
    if supports:
        line += f", {counted(source.support_count, 'soutien', 'soutiens')}"
    if judgment is not None:
        line += f", {_judgment(judgment)}"
    return line + "."


def _paragraph(paragraph, supports: bool, judgments: dict[int, services.Judgment]) -> PrintedParagraph:
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
    notes += [_source_line(source, supports, judgments.get(source.id)) for source in paragraph.sources]
    return PrintedParagraph(heading, blocks, notes)


def _answer(amendment) -> str:
    answer = AMENDMENT_STATUSES[amendment.status]
    reason = " ".join((amendment.answer_text or "").split())
    return f"{answer}{NBSP}: {reason}" if reason else answer


def amendment_table(
    amendments, supports: bool, judgments: dict[int, services.Judgment] | None = None
) -> list[list[str]]:
    """Every published amendment with its answer, header first; its supports, or its majority mention under
    majority judgment (``judgments`` given), only when counts may be shown. One hidden by the moderation
    shows the moderation's public reason instead of its author."""
    counts = ["Soutiens"] if supports else ["Mention majoritaire"] if judgments is not None else []
    rows = [["N°", "§", "Type", "Proposé par", *counts, "Réponse"]]
    for amendment in amendments:
        if supports:
            cells = [str(amendment.support_count)]
        elif judgments is not None:
            judgment = judgments.get(amendment.id)
            cells = [_judgment(judgment) if judgment is not None else ""]
        else:
            cells = []
        if amendment.is_visible:
            author = amendment.author.public_name
        else:
            author = f"Masqué par la modération{NBSP}: {amendment.moderation_reason or 'motif non précisé'}"
        rows.append(
            [
                str(amendment.id),
                str(amendment.paragraph.number),
                AMENDMENT_KINDS[amendment.kind],
                author,
                *cells,
                _answer(amendment),
            ]
        )
    return rows


def prepare(version, upload_dir: str | None = None) -> PrintedText:
    """The adopted version as a printed document reads it (with the territory's logo found in `upload_dir`)."""
    text = version.text
    consultation = text.consultation
    now = utcnow()
    supports = counts_shown(consultation, now) and consultation.voting_method == "support"
    # The mentions of the amendments the text came from, as frozen at adoption.
    frozen = services.version_judgments(version, now)
    chapters: list[tuple[str, list[PrintedParagraph]]] = []
    for paragraph in version.paragraphs:
        if not chapters or chapters[-1][0] != paragraph.chapter_title:
            chapters.append((paragraph.chapter_title, []))
        chapters[-1][1].append(_paragraph(paragraph, supports, frozen))
    amendments = services.published_amendments(text)
    accepted = sum(1 for amendment in amendments if amendment.is_accepted)
    judgments = None
    if consultation.voting_method == "majority" and counts_shown(consultation, now):
        judgments = services.judgments(text, [a.id for a in amendments], now)
        judgments.update(
            {
                source.amendment_id: frozen[source.id]
                for p in version.paragraphs
                for source in p.sources
                if source.id in frozen
            }
        )
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
        amendments=amendment_table(amendments, supports, judgments),
        logo_file=logo_file(consultation.territory, upload_dir),
    )
