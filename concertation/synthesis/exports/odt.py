"""The synthesis as an OpenDocument text (ODT), the open format French administrations are asked to use (odfpy)."""

import io

from odf.dc import Title
from odf.opendocument import OpenDocumentText
from odf.style import ParagraphProperties, Style, TableColumnProperties, TextProperties
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import H, List, ListItem, P, Span

from concertation.synthesis.exports.document import PrintedSynthesis, WhoTookPart

BRAND = "#1f3f99"


def _styles(document: OpenDocumentText) -> dict[str, Style]:
    def add(name, family="paragraph", parent=None, paragraph=None, text=None, automatic=False):
        style = Style(name=name, family=family, **({"parentstylename": parent} if parent else {}))
        if paragraph:
            style.addElement(ParagraphProperties(**paragraph))
        if text:
            style.addElement(TextProperties(**text))
        (document.automaticstyles if automatic else document.styles).addElement(style)
        return style

    body = add(
        "Text_20_body",
        paragraph={"marginbottom": "0.2cm"},
        text={"fontsize": "11pt", "fontfamily": "Liberation Sans", "language": "fr", "country": "FR"},
    )
    return {
        "body": body,
        "small": add("Small", parent="Text_20_body", text={"fontsize": "9pt", "color": "#4a4a55"}),
        "quote": add(
            "Quotations", parent="Text_20_body", paragraph={"marginleft": "0.8cm"}, text={"fontstyle": "italic"}
        ),
        "title": add(
            "Title",
            paragraph={"textalign": "center", "margintop": "6cm", "marginbottom": "0.6cm"},
            text={"fontsize": "24pt", "fontweight": "bold", "color": BRAND},
        ),
        "cover": add("Cover", paragraph={"textalign": "center", "marginbottom": "0.3cm"}, text={"fontsize": "13pt"}),
        "h1": add(
            "Heading_20_1",
            paragraph={"margintop": "0.5cm", "marginbottom": "0.25cm"},
            text={"fontsize": "16pt", "fontweight": "bold", "color": BRAND},
        ),
        "h2": add("Heading_20_2", paragraph={"margintop": "0.35cm"}, text={"fontsize": "13pt", "fontweight": "bold"}),
        "h3": add("Heading_20_3", text={"fontsize": "11pt", "fontweight": "bold"}),
        "break": add("PageBreak", parent="Text_20_body", paragraph={"breakbefore": "page"}, automatic=True),
        "sup": add("Superscript", family="text", text={"textposition": "super 58%"}, automatic=True),
        "bold": add("Strong", family="text", text={"fontweight": "bold"}, automatic=True),
        "column": _column(document, "WideColumn", "8cm"),
        # Six columns of figures fit the width of an A4 page.
        "narrow": _column(document, "NarrowColumn", "2.7cm"),
    }


def _column(document: OpenDocumentText, name: str, width: str) -> Style:
    style = Style(name=name, family="table-column")
    style.addElement(TableColumnProperties(columnwidth=width))
    document.automaticstyles.addElement(style)
    return style


def _paragraph(style, text: str, numbers: list[int] = (), sup=None) -> P:
    paragraph = P(stylename=style, text=text)
    if numbers:
        paragraph.addElement(Span(stylename=sup, text=f" [{', '.join(str(n) for n in numbers)}]"))
    return paragraph


def _table(name: str, rows: list[list[str]], styles, column: str = "column") -> Table:
    table = Table(name=name)
    for _ in rows[0]:
        table.addElement(TableColumn(stylename=styles[column]))
    for i, row in enumerate(rows):
        tr = TableRow()
        for value in row:
            cell = TableCell(valuetype="string")
            cell.addElement(P(stylename=styles["bold"] if i == 0 else styles["body"], text=str(value)))
            tr.addElement(cell)
        table.addElement(tr)
    return table


def add_blocks(parent, text_blocks, st) -> None:
    """Add a text's blocks, (kind, text) or (kind, text, cited numbers), to `parent`: paragraphs, quotes,
    sub-headings ("h") and list items ("li", gathered into lists). Syntheses and the manifesto share it."""
    items = None
    for kind, value, *cited in text_blocks:
        paragraph = _paragraph(
            st["h3"] if kind == "h" else st["quote"] if kind == "quote" else st["body"],
            value,
            cited[0] if cited else [],
            st["sup"],
        )
        if kind == "li":
            items = items or List()
            item = ListItem()
            item.addElement(paragraph)
            items.addElement(item)
            continue
        if items is not None:
            parent.addElement(items)
            items = None
        parent.addElement(paragraph)
    if items is not None:
        parent.addElement(items)


def add_who_took_part(parent, part: WhoTookPart, st) -> None:
    """« Qui a participé ? »: the frozen comparison with the population, its caution and one table per breakdown."""
    parent.addElement(H(outlinelevel=1, stylename=st["h1"], text=part.title))
    parent.addElement(P(stylename=st["small"], text=part.lead))
    parent.addElement(P(stylename=st["body"], text=part.summary))
    parent.addElement(H(outlinelevel=2, stylename=st["h2"], text=part.caution_title))
    add_blocks(parent, [("li", line) for line in part.cautions], st)
    for n, (title, rows, note) in enumerate(part.tables, start=1):
        parent.addElement(H(outlinelevel=2, stylename=st["h2"], text=title))
        parent.addElement(_table(f"Participation{n}", rows, st, "narrow"))
        parent.addElement(P(stylename=st["small"], text=note))


def render(doc: PrintedSynthesis, platform: str = "Concertation") -> bytes:
    """The ODT bytes of a prepared synthesis."""
    document = OpenDocumentText()
    st = _styles(document)
    text = document.text
    text.addElement(P(stylename=st["cover"], text=doc.territory))
    text.addElement(P(stylename=st["title"], text=doc.title))
    for line in (doc.consultation, doc.period, doc.version_line):
        text.addElement(P(stylename=st["cover"], text=line))
    text.addElement(P(stylename=st["small"], text=f"Publié sur {platform} — {doc.licence}"))
    text.addElement(P(stylename=st["break"]))
    text.addElement(H(outlinelevel=1, stylename=st["h1"], text="Chiffres clés"))
    text.addElement(_table("Chiffres", [["Indicateur", "Valeur"], *[[a, b] for a, b in doc.figures]], st))
    if doc.themes:
        text.addElement(H(outlinelevel=2, stylename=st["h2"], text="Contributions et votes par thème"))
        text.addElement(
            _table("Themes", [["Thème", "Propositions", "Commentaires", "Votes"], *[list(t) for t in doc.themes]], st)
        )
    if doc.who_took_part is not None:
        add_who_took_part(text, doc.who_took_part, st)
    if doc.introduction:
        text.addElement(H(outlinelevel=1, stylename=st["h1"], text="Introduction"))
        add_blocks(text, doc.introduction, st)
    for section in doc.sections:
        heading = H(outlinelevel=1, stylename=st["h1"], text=section.title)
        if section.cited:
            heading.addElement(Span(stylename=st["sup"], text=f" [{', '.join(map(str, section.cited))}]"))
        text.addElement(heading)
        add_blocks(text, section.blocks, st)
    if doc.retained:
        text.addElement(H(outlinelevel=1, stylename=st["h1"], text="Propositions retenues"))
        for n, (title, who, votes) in enumerate(doc.retained, start=1):
            text.addElement(H(outlinelevel=2, stylename=st["h2"], text=f"{n}. {title}"))
            text.addElement(P(stylename=st["small"], text=f"{who} — {votes}"))
    if doc.references:
        text.addElement(H(outlinelevel=1, stylename=st["h1"], text="Références"))
        for n, label, url in doc.references:
            text.addElement(P(stylename=st["small"], text=f"[{n}] {label} — {url}"))
    document.meta.addElement(Title(text=doc.title))
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()
