"""The adopted version as an OpenDocument text, with the syntheses' styles and block writer (odfpy)."""

import io

from odf.dc import Title
from odf.opendocument import OpenDocumentText
from odf.text import H, P

from concertation.synthesis.exports.odt import _styles, _table, add_blocks
from concertation.texts.exports.document import PrintedText


def render(doc: PrintedText, platform: str = "Concertation") -> bytes:
    """The ODT bytes of a prepared adopted version."""
    document = OpenDocumentText()
    st = _styles(document)
    text = document.text
    text.addElement(P(stylename=st["cover"], text=doc.territory))
    text.addElement(P(stylename=st["title"], text=doc.title))
    for line in (doc.consultation, doc.version_line, doc.summary):
        text.addElement(P(stylename=st["cover"], text=line))
    text.addElement(P(stylename=st["small"], text=f"Publié sur {platform} — {doc.licence}"))
    text.addElement(P(stylename=st["break"]))
    for chapter, paragraphs in doc.chapters:
        if chapter:
            text.addElement(H(outlinelevel=1, stylename=st["h1"], text=chapter))
        for paragraph in paragraphs:
            text.addElement(H(outlinelevel=2, stylename=st["h2"], text=paragraph.heading))
            add_blocks(text, paragraph.blocks, st)
            for note in paragraph.notes:
                text.addElement(P(stylename=st["small"], text=note))
    if len(doc.amendments) > 1:
        text.addElement(H(outlinelevel=1, stylename=st["h1"], text="Tableau des amendements"))
        text.addElement(_table("Amendements", doc.amendments, st))
    document.meta.addElement(Title(text=doc.title))
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()
