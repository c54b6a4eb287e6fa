"""The synthesis as a PDF laid out for reading (ReportLab, with the Vera fonts it ships: no system library)."""

import io
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (KeepTogether, ListFlowable, ListItem, PageBreak, Paragraph, SimpleDocTemplate, Spacer,
                                Table, TableStyle)

from concertation.synthesis.exports.document import PrintedSynthesis

FONT_DIR = Path(reportlab.__file__).parent / "fonts"
BRAND = colors.HexColor("#1f3f99")
MUTED = colors.HexColor("#4a4a55")


@cache
def _font() -> tuple[str, frozenset[int]]:
    """Register Bitstream Vera (Unicode TrueType, shipped inside ReportLab); return its name and its characters."""
    for name, file in (("Vera", "Vera.ttf"), ("Vera-Bold", "VeraBd.ttf"), ("Vera-Italic", "VeraIt.ttf"),
                       ("Vera-BoldItalic", "VeraBI.ttf")):
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
    pdfmetrics.registerFontFamily("Vera", normal="Vera", bold="Vera-Bold", italic="Vera-Italic",
                                  boldItalic="Vera-BoldItalic")
    return "Vera", frozenset(TTFont("probe", str(FONT_DIR / "Vera.ttf")).face.charToGlyph)


def _plain(text: str) -> str:
    """A character the font lacks becomes its nearest equivalent (thin spaces) or « ? »."""
    _name, chars = _font()
    text = text.replace("\u202f", "\u00a0").replace("\u2009", " ")
    return "".join(c if ord(c) in chars or c in "\n\t" else "?" for c in text)


def _safe(text: str) -> str:
    """Escaped for ReportLab's paragraph markup."""
    return escape(_plain(text))


def _styles() -> dict[str, ParagraphStyle]:
    font, _chars = _font()
    base = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=15, spaceAfter=6)
    return {
        "body": base,
        "cover_kicker": ParagraphStyle("kicker", parent=base, fontSize=12, textColor=MUTED, alignment=TA_CENTER),
        "cover_title": ParagraphStyle("cover", parent=base, fontName="Vera-Bold", fontSize=24, leading=30,
                                      textColor=BRAND, alignment=TA_CENTER, spaceAfter=18),
        "cover_line": ParagraphStyle("line", parent=base, fontSize=12, leading=18, alignment=TA_CENTER),
        "h1": ParagraphStyle("h1", parent=base, fontName="Vera-Bold", fontSize=16, leading=20, textColor=BRAND,
                             spaceBefore=12, spaceAfter=8),
        "h2": ParagraphStyle("h2", parent=base, fontName="Vera-Bold", fontSize=13, leading=17, spaceBefore=10),
        "h3": ParagraphStyle("h3", parent=base, fontName="Vera-Bold", fontSize=11, leading=15),
        "quote": ParagraphStyle("quote", parent=base, leftIndent=18, fontName="Vera-Italic"),
        "small": ParagraphStyle("small", parent=base, fontSize=9, leading=12, textColor=MUTED),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9.5, leading=12, spaceAfter=0),
    }


def _refs(numbers: list[int]) -> str:
    return f" <super>[{', '.join(str(n) for n in numbers)}]</super>" if numbers else ""


def _table(rows: list[list[str]], widths, styles) -> Table:
    cells = [[Paragraph(_safe(str(v)), styles["cell"]) for v in row] for row in rows]
    table = Table(cells, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.HexColor("#c9cad6")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f4f8")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return table


def blocks(text_blocks, styles) -> list:
    """The flowables of a text's blocks, (kind, text) or (kind, text, cited numbers): paragraphs, quotes,
    sub-headings ("h") and list items ("li", gathered into bullet lists). Syntheses and the manifesto share it."""
    story, items = [], []
    for kind, text, *cited in text_blocks:
        paragraph = Paragraph(_safe(text) + _refs(cited[0] if cited else []),
                              styles["h3" if kind == "h" else "quote" if kind == "quote" else "body"])
        if kind == "li":
            items.append(ListItem(paragraph))
            continue
        if items:
            story.append(ListFlowable(items, bulletType="bullet", bulletFontName="Vera"))
            items = []
        story.append(paragraph)
    if items:
        story.append(ListFlowable(items, bulletType="bullet", bulletFontName="Vera"))
    return story


def render(doc: PrintedSynthesis, platform: str = "Concertation") -> bytes:
    """The PDF bytes of a prepared synthesis."""
    styles = _styles()
    s = _safe
    story = [Spacer(1, 5 * cm), Paragraph(s(doc.territory), styles["cover_kicker"]), Spacer(1, 0.5 * cm),
             Paragraph(s(doc.title), styles["cover_title"]), Paragraph(s(doc.consultation), styles["cover_line"]),
             Paragraph(s(doc.period), styles["cover_line"]), Paragraph(s(doc.version_line), styles["cover_line"]),
             Spacer(1, 6 * cm),
             Paragraph(s(f"Publié sur {platform} — {doc.licence}"), styles["small"]),
             PageBreak(),
             Paragraph("Chiffres clés", styles["h1"]),
             _table([["Indicateur", "Valeur"], *[[label, value] for label, value in doc.figures]],
                    [10 * cm, 5 * cm], styles)]
    if doc.themes:
        story += [Paragraph("Contributions et votes par thème", styles["h2"]),
                  _table([["Thème", "Propositions", "Commentaires", "Votes"], *[list(t) for t in doc.themes]],
                         [7 * cm, 3 * cm, 3 * cm, 3 * cm], styles)]
    if doc.introduction:
        story.append(Paragraph("Introduction", styles["h1"]))
        story += blocks(doc.introduction, styles)
    for section in doc.sections:
        story.append(Paragraph(s(section.title) + _refs(section.cited), styles["h1"]))
        story += blocks(section.blocks, styles)
    if doc.retained:
        story.append(Paragraph("Propositions retenues", styles["h1"]))
        for n, (title, who, votes) in enumerate(doc.retained, start=1):
            story.append(KeepTogether([Paragraph(f"{n}. <b>{s(title)}</b>", styles["h2"]),
                                       Paragraph(s(f"{who} — {votes}"), styles["small"])]))
    if doc.references:
        story.append(Paragraph("Références", styles["h1"]))
        story += [Paragraph(f"[{n}] {s(label)}<br/><font size='8.5' color='#4a4a55'>{s(url)}</font>", styles["small"])
                  for n, label, url in doc.references]

    return build_a4(story, doc.title, doc.territory, doc.consultation)


def build_a4(story: list, title: str, author: str, subject: str) -> bytes:
    """An A4 PDF of `story`, with the document's title and page number at the foot of every page but the first."""
    def footer(canvas, template):
        canvas.saveState()
        canvas.setFont("Vera", 8.5)
        canvas.setFillColor(MUTED)
        if template.page > 1:
            canvas.drawString(2 * cm, 1.2 * cm, _plain(title)[:90])
            canvas.drawRightString(A4[0] - 2 * cm, 1.2 * cm, f"{template.page}")
        canvas.restoreState()

    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, leftMargin=2.2 * cm, rightMargin=2.2 * cm, topMargin=2 * cm,
                      bottomMargin=2.2 * cm, title=title, author=author, subject=subject,
                      lang="fr-FR").build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
