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
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib.utils import ImageReader
from reportlab.platypus import (
    Image,
    KeepTogether,
    ListFlowable,
    ListItem,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from concertation.synthesis.charts import Chart
from concertation.synthesis.exports.document import PrintedSynthesis, WhoTookPart

FONT_DIR = Path(reportlab.__file__).parent / "fonts"
BRAND = colors.HexColor("#1f3f99")
MUTED = colors.HexColor("#4a4a55")
BRAND_LIGHT = colors.HexColor("#3d5fb8")


@cache
def _font() -> tuple[str, frozenset[int]]:
    """Register Bitstream Vera (Unicode TrueType, shipped inside ReportLab); return its name and its characters."""
    for name, file in (
        ("Vera", "Vera.ttf"),
        ("Vera-Bold", "VeraBd.ttf"),
        ("Vera-Italic", "VeraIt.ttf"),
        ("Vera-BoldItalic", "VeraBI.ttf"),
    ):
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
    pdfmetrics.registerFontFamily(
        "Vera", normal="Vera", bold="Vera-Bold", italic="Vera-Italic", boldItalic="Vera-BoldItalic"
    )
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
        "cover_title": ParagraphStyle(
            "cover",
            parent=base,
            fontName="Vera-Bold",
            fontSize=24,
            leading=30,
            textColor=BRAND,
            alignment=TA_CENTER,
            spaceAfter=18,
        ),
        "cover_line": ParagraphStyle("line", parent=base, fontSize=12, leading=18, alignment=TA_CENTER),
        "h1": ParagraphStyle(
            "h1",
            parent=base,
            fontName="Vera-Bold",
            fontSize=16,
            leading=20,
            textColor=BRAND,
            spaceBefore=12,
            spaceAfter=8,
        ),
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
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.HexColor("#c9cad6")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f4f8")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def blocks(text_blocks, styles) -> list:
    """The flowables of a text's blocks, (kind, text) or (kind, text, cited numbers): paragraphs, quotes,
    sub-headings ("h") and list items ("li", gathered into bullet lists). Syntheses and the manifesto share it."""
    story, items = [], []
    for kind, text, *cited in text_blocks:
        paragraph = Paragraph(
            _safe(text) + _refs(cited[0] if cited else []),
            styles["h3" if kind == "h" else "quote" if kind == "quote" else "body"],
        )
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


def logo(path: str | None, width: float = 5 * cm, height: float = 2.6 * cm) -> Image | None:
    """A logo scaled to fit the box, centred; None without a file, or if the image cannot be read."""
    if not path:
        return None
    try:
        image_width, image_height = ImageReader(path).getSize()
    except Exception:  # an unreadable image leaves the cover without a logo rather than failing the download
        return None
    scale = min(width / image_width, height / image_height)
    return Image(path, width=image_width * scale, height=image_height * scale, hAlign="CENTER")


def _folded(text: str) -> str:
    return " ".join("".join(c for c in text.lower() if c.isalnum() or c.isspace()).split())


def _chart(chart: Chart, caption: str, styles, width: float = 16.4 * cm) -> list:
    """The reading room's chart (the same geometry as its SVG) drawn with ReportLab graphics."""
    if not chart.bars:
        return []
    scale = width / chart.width
    drawing = Drawing(width, chart.height * scale + 6)
    font, _chars = _font()

    def y(top: float, height: float = 0) -> float:  # SVG measures from the top, PDF from the bottom
        return (chart.height - top - height) * scale

    if chart.orientation == "vertical":
        drawing.add(Line(0, y(chart.height - 30), width, y(chart.height - 30), strokeColor=MUTED, strokeWidth=0.5))
        every = 1 if len(chart.bars) <= 16 else len(chart.bars) // 12 + 1
        for i, bar in enumerate(chart.bars):
            drawing.add(
                Rect(
                    bar.x * scale,
                    y(bar.y, bar.height),
                    bar.width * scale,
                    bar.height * scale,
                    fillColor=BRAND,
                    strokeColor=None,
                )
            )
            drawing.add(
                String(
                    (bar.x + bar.width / 2) * scale,
                    y(bar.y) + 2,
                    str(bar.value),
                    fontName=font,
                    fontSize=7,
                    textAnchor="middle",
                )
            )
            if i % every == 0:
                drawing.add(
                    String(
                        (bar.x + bar.width / 2) * scale,
                        y(chart.height - 14),
                        _plain(bar.label),
                        fontName=font,
                        fontSize=7,
                        textAnchor="middle",
                        fillColor=MUTED,
                    )
                )
    else:
        for i, bar in enumerate(chart.bars):
            label = _plain(bar.label if len(bar.label) <= 30 else bar.label[:29] + "…")
            baseline = y(bar.y + bar.height - 4)
            drawing.add(
                String((chart.label_width - 8) * scale, baseline, label, fontName=font, fontSize=8, textAnchor="end")
            )
            drawing.add(
                Rect(
                    bar.x * scale,
                    y(bar.y, bar.height),
                    max(bar.width, 1) * scale,
                    bar.height * scale,
                    fillColor=BRAND if i % 2 == 0 else BRAND_LIGHT,
                    strokeColor=None,
                )
            )
            drawing.add(String((bar.x + bar.width + 6) * scale, baseline, str(bar.value), fontName=font, fontSize=8))
    return [KeepTogether([Paragraph(_safe(caption), styles["h2"]), drawing])]


# Column widths of a breakdown's table, with the population (6 columns) or without (3): each header's longest
# word on one line (« participant·es » is 2.3 cm in 9.5 pt Vera, plus the cell's padding).
WHO_WIDTHS = {6: [3.3 * cm, 2.75 * cm, 2.9 * cm, 2.6 * cm, 2.6 * cm, 2.25 * cm], 3: [7 * cm, 4 * cm, 5 * cm]}


def who_took_part(part: WhoTookPart, styles) -> list:
    """« Qui a participé ? »: the frozen comparison with the population, its caution and one table per breakdown."""
    s = _safe
    story = [
        Paragraph(s(part.title), styles["h1"]),
        Paragraph(s(part.lead), styles["small"]),
        Paragraph(s(part.summary), styles["body"]),
        Paragraph(s(part.caution_title), styles["h3"]),
        ListFlowable(
            [ListItem(Paragraph(s(line), styles["small"])) for line in part.cautions],
            bulletType="bullet",
            bulletFontName="Vera",
        ),
    ]
    for title, rows, note in part.tables:
        story += [
            Paragraph(s(title), styles["h2"]),
            _table(rows, WHO_WIDTHS.get(len(rows[0])), styles),
            Paragraph(s(note), styles["small"]),
        ]
    return story


def cover(
    styles, logo_file: str | None, territory: str, title: str, lines: list[str], licence: str, platform: str
) -> list:
    """A printed document's first page: the territory's logo and name, the title, its lines, the licence."""
    s = _safe
    mark = logo(logo_file)
    return [
        Spacer(1, 3 * cm if mark else 5 * cm),
        *([mark, Spacer(1, 0.6 * cm)] if mark else []),
        Paragraph(s(territory), styles["cover_kicker"]),
        Spacer(1, 0.5 * cm),
        Paragraph(s(title), styles["cover_title"]),
        *[Paragraph(s(line), styles["cover_line"]) for line in lines],
        Spacer(1, 6 * cm),
        Paragraph(s(f"Publié sur {platform} — {licence}"), styles["small"]),
        PageBreak(),
    ]


def render(doc: PrintedSynthesis, platform: str = "Concertation") -> bytes:
    """The PDF bytes of a prepared synthesis."""
    styles = _styles()
    s = _safe
    # The consultation's title is printed under the synthesis's only when the latter does not already say it.
    lines = [doc.consultation] if _folded(doc.consultation) not in _folded(doc.title) else []
    story = [
        *cover(
            styles,
            doc.logo_file,
            doc.territory,
            doc.title,
            [*lines, doc.period, doc.version_line],
            doc.licence,
            platform,
        ),
        Paragraph("Chiffres clés", styles["h1"]),
        _table(
            [["Indicateur", "Valeur"], *[[label, value] for label, value in doc.figures]], [10 * cm, 5 * cm], styles
        ),
    ]
    if "participation" in doc.charts:
        story += _chart(
            doc.charts["participation"], "Participation par semaine (personnes ayant proposé, commenté ou voté)", styles
        )
    if doc.themes:
        story += [
            Paragraph("Contributions et votes par thème", styles["h2"]),
            _table(
                [["Thème", "Propositions", "Commentaires", "Votes"], *[list(t) for t in doc.themes]],
                [7 * cm, 3 * cm, 3 * cm, 3 * cm],
                styles,
            ),
        ]
        for key, caption in (
            ("contributions", "Contributions par thème (propositions et commentaires)"),
            ("votes", "Votes par thème (soutiens ou mentions reçus)"),
        ):
            if key in doc.charts:
                story += _chart(doc.charts[key], caption, styles)
    if doc.who_took_part is not None:
        story += who_took_part(doc.who_took_part, styles)
    if doc.introduction:
        story.append(Paragraph("Introduction", styles["h1"]))
        story += blocks(doc.introduction, styles)
    for section in doc.sections:
        story.append(Paragraph(s(section.title) + _refs(section.cited), styles["h1"]))
        story += blocks(section.blocks, styles)
    if doc.retained:
        story.append(Paragraph("Propositions retenues", styles["h1"]))
        for n, (title, who, votes) in enumerate(doc.retained, start=1):
            story.append(
                KeepTogether(
                    [
                        Paragraph(f"{n}. <b>{s(title)}</b>", styles["h2"]),
                        Paragraph(s(f"{who} — {votes}"), styles["small"]),
                    ]
                )
            )
    if doc.references:
        story.append(Paragraph("Références", styles["h1"]))
        story += [
            Paragraph(f"[{n}] {s(label)}<br/><font size='8.5' color='#4a4a55'>{s(url)}</font>", styles["small"])
            for n, label, url in doc.references
        ]

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
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=2.2 * cm,
        rightMargin=2.2 * cm,
        topMargin=2 * cm,
        bottomMargin=2.2 * cm,
        title=title,
        author=author,
        subject=subject,
        lang="fr-FR",
    ).build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
