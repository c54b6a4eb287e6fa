"""The manifesto as an OpenDocument text (odfpy): each source is a real footnote of its point."""

import io

from odf.dc import Title
from odf.opendocument import OpenDocumentText
from odf.text import H, Note, NoteBody, NoteCitation, P

from concertation.manifesto.exports.document import PrintedManifesto
from concertation.synthesis.exports.odt import _styles, add_blocks


def _footnote(number: int, text: str, style) -> Note:
    note = Note(id=f"ftn{number}", noteclass="footnote")
    note.addElement(NoteCitation(text=str(number)))
    body = NoteBody()
    body.addElement(P(stylename=style, text=text))
    note.addElement(body)
    return note


def render(doc: PrintedManifesto, platform: str = "Concertation") -> bytes:
    """The ODT bytes of a prepared manifesto version."""
    document = OpenDocumentText()
    st = _styles(document)
    text = document.text
    notes = dict(doc.notes)
    text.addElement(P(stylename=st["title"], text=doc.title))
    for line in (doc.version_line, doc.change_note):
        if line:
            text.addElement(P(stylename=st["cover"], text=line))
    text.addElement(P(stylename=st["small"], text=doc.contribution))
    text.addElement(P(stylename=st["small"], text=f"Publié sur {platform} — {doc.licence}"))
    text.addElement(P(stylename=st["break"]))
    if doc.introduction:
        text.addElement(H(outlinelevel=1, stylename=st["h1"], text="Introduction"))
        add_blocks(text, doc.introduction, st)
    for chapter, points in doc.chapters:
        text.addElement(H(outlinelevel=1, stylename=st["h1"], text=chapter))
        for point in points:
            heading = H(outlinelevel=2, stylename=st["h2"], text=point.title)
            for number in point.notes:
                heading.addElement(_footnote(number, notes[number], st["small"]))
            text.addElement(heading)
            add_blocks(text, point.blocks, st)
    if doc.signatories or doc.earlier:
        text.addElement(H(outlinelevel=1, stylename=st["h1"], text="Territoires signataires"))
        for territory, date, statement in doc.signatories:
            text.addElement(P(stylename=st["body"], text=f"{territory} — {date}"))
            if statement:
                text.addElement(P(stylename=st["quote"], text=statement))
        for line in doc.earlier:
            text.addElement(P(stylename=st["small"], text=line))
    document.meta.addElement(Title(text=doc.title))
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()
