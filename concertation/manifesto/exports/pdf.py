"""The manifesto as a PDF (ReportLab, Vera fonts), laid out like the syntheses; sources as numbered notes."""

from pathlib import Path

from reportlab.lib.units import cm
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, Spacer, Table

from concertation.manifesto.exports.document import PrintedManifesto
from concertation.synthesis.exports.pdf import _refs, _safe, _styles, blocks, build_a4, logo

# The platform's own mark (the favicon's drawing) on the cover: the manifesto belongs to no single territory.
PLATFORM_LOGO = Path(__file__).resolve().parents[3] / "static" / "img" / "apple-touch-icon.png"


def render(doc: PrintedManifesto, platform: str = "Concertation") -> bytes:
    """The PDF bytes of a prepared manifesto version."""
    styles = _styles()
    s = _safe
    mark = logo(str(PLATFORM_LOGO) if PLATFORM_LOGO.is_file() else None, 2.2 * cm, 2.2 * cm)
    story = [
        Spacer(1, 3.5 * cm if mark else 5 * cm),
        *([mark, Spacer(1, 0.8 * cm)] if mark else []),
        Paragraph(s(doc.title), styles["cover_title"]),
        Paragraph(s(doc.version_line), styles["cover_line"]),
    ]
    if doc.change_note:
        story.append(Paragraph(s(doc.change_note), styles["cover_line"]))
    story += [
        Spacer(1, 1 * cm),
        Paragraph(s(doc.contribution), styles["small"]),
        Spacer(1, 4 * cm),
        Paragraph(s(f"Publié sur {platform} — {doc.licence}"), styles["small"]),
        PageBreak(),
    ]
    if doc.introduction:
        story.append(Paragraph("Introduction", styles["h1"]))
        story += blocks(doc.introduction, styles)
    for chapter, points in doc.chapters:
        story.append(Paragraph(s(chapter), styles["h1"]))
        for point in points:
            story.append(KeepTogether([Paragraph(s(point.title) + _refs(point.notes), styles["h2"])]))
            story += blocks(point.blocks, styles)
    if doc.signatories or doc.earlier:
        story.append(Paragraph("Territoires signataires", styles["h1"]))
        for territory, date, statement in doc.signatories:
            signature = Paragraph(f"<b>{s(territory)}</b> — {s(date)}", styles["body"])
            mark = logo(doc.signatory_logos.get(territory), 2.4 * cm, 1.2 * cm)
            story.append(
                Table(
                    [[mark, signature]],
                    colWidths=[2.8 * cm, None],
                    hAlign="LEFT",
                    style=[("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0)],
                )
                if mark
                else signature
            )
            if statement:
                story.append(Paragraph(s(statement), styles["quote"]))
        story += [Paragraph(s(line), styles["small"]) for line in doc.earlier]
    if doc.notes:
        story.append(Paragraph("Sources", styles["h1"]))
        story += [Paragraph(f"[{n}] {s(text)}", styles["small"]) for n, text in doc.notes]
    return build_a4(story, doc.title, platform, doc.version_line)
