"""The manifesto as an OpenDocument text (odfpy): each source is a real footnote of its point."""

import io

from odf.dc import Title
from odf.opendocument import OpenDocumentText
from odf.text import H, List, ListItem, Note, NoteBody, NoteCitation, P

from concertation.manifesto.exports.document import PrintedManifesto
from concertation.synthesis.exports.odt import _styles


def _footnote(number: int, text: str, style) -> Note:
    note = Note(id=f"ftn{number}", noteclass="footnote")
    note.addElement(NoteCitation(text=str(number)))
    body = NoteBody()
    body.addElement(P(stylename=style, text=text))
    note.addElement(body)
    return note


def _blocks(parent, blocks, st) -> None:
    items = None
    for kind, value in blocks:
        paragraph = P(stylename=st["h3"] if kind == "h" else st["quote"] if kind == "quote" else st["body"],
                      text=value)
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
        _blocks(text, doc.introduction, st)
    for chapter, points in doc.chapters:
        text.addElement(H(outlinelevel=1, stylename=st["h1"], text=chapter))
        for point in points:
            heading = H(outlinelevel=2, stylename=st["h2"], text=point.title)
            for number in point.notes:
                heading.addElement(_footnote(number, notes[number], st["small"]))
            text.addElement(heading)
            _blocks(text, point.blocks, st)
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
