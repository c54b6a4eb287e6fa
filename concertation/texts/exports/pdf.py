"""The adopted version as a PDF, laid out like the syntheses and the manifesto (their ReportLab renderer)."""

from reportlab.lib.units import cm
from reportlab.platypus import KeepTogether, Paragraph

from concertation.synthesis.exports.pdf import _safe, _styles, _table, blocks, build_a4, cover
from concertation.texts.exports.document import PrintedText

# Widths of the amendment table's columns (N°, §, type, author, [supports or mention], answer) on A4's 16.6 cm.
WIDTHS = [1.3 * cm, 1 * cm, 2.8 * cm, 3 * cm, 8.5 * cm]
WIDTHS_WITH_COUNTS = [1.2 * cm, 0.9 * cm, 2.6 * cm, 3 * cm, 3 * cm, 5.9 * cm]


def render(doc: PrintedText, platform: str = "Concertation") -> bytes:
    """The PDF bytes of a prepared adopted version."""
    styles = _styles()
    s = _safe
    story = cover(
        styles,
        doc.logo_file,
        doc.territory,
        doc.title,
        [doc.consultation, doc.version_line, doc.summary],
        doc.licence,
        platform,
    )
    for chapter, paragraphs in doc.chapters:
        if chapter:
            story.append(Paragraph(s(chapter), styles["h1"]))
        for paragraph in paragraphs:
            heading = blocks([("h", paragraph.heading)], styles)
            body = blocks(paragraph.blocks, styles) + [Paragraph(s(note), styles["small"]) for note in paragraph.notes]
            story.append(KeepTogether(heading + body[:1]))
            story += body[1:]
    if len(doc.amendments) > 1:
        widths = WIDTHS_WITH_COUNTS if len(doc.amendments[0]) == len(WIDTHS_WITH_COUNTS) else WIDTHS
        story += [Paragraph("Tableau des amendements", styles["h1"]), _table(doc.amendments, widths, styles)]
    return build_a4(story, doc.title, doc.territory, doc.consultation)
