"""A draft imported from an ODT file: headings become chapters, paragraphs become numbered paragraphs."""

import io
import zipfile

import pytest
from odf.opendocument import OpenDocumentText
from odf.table import Table, TableCell, TableRow
from odf.text import H, LineBreak, List, ListItem, Note, NoteBody, NoteCitation, P, S, Span
from sqlalchemy import select

from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.texts import odt_import, services
from concertation.texts.models import DraftText
from tests.factories import make_consultation, make_user


def charter_odt() -> bytes:
    document = OpenDocumentText()
    body = document.text
    body.addElement(P(text="Préambule : l’IA au service des agents."))
    body.addElement(H(outlinelevel=1, text="Principes"))
    first = P(text="L’IA aide les agents,")
    first.addElement(S(c=2))
    first.addElement(Span(text="elle ne les remplace pas."))
    note = Note(id="n1", noteclass="footnote")
    note.addElement(NoteCitation(text="1"))
    note_body = NoteBody()
    note_body.addElement(P(text="Une note de bas de page."))
    note.addElement(note_body)
    first.addElement(note)
    body.addElement(first)
    body.addElement(P(text=""))  # an empty paragraph is no paragraph
    body.addElement(P(text="# Pas un titre"))
    items = List()
    for words in ("Former les agents.", "Choisir avec eux."):
        item = ListItem()
        item.addElement(P(text=words))
        items.addElement(item)
    body.addElement(items)
    body.addElement(H(outlinelevel=2, text="Données"))
    lines = P(text="Les données restent en Europe.")
    lines.addElement(LineBreak())
    lines.addElement(Span(text="Elles n’entraînent aucun modèle."))
    body.addElement(lines)
    table = Table(name="T")
    row = TableRow()
    cell = TableCell()
    cell.addElement(P(text="Une cellule de tableau."))
    row.addElement(cell)
    table.addElement(row)
    body.addElement(table)
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def test_headings_become_chapters_and_paragraphs_numbered_paragraphs():
    chapters = services.parse_markdown(odt_import.markdown_of(charter_odt()))
    assert [c.title for c in chapters] == ["", "Principes", "Données"]
    assert chapters[0].paragraphs == ["Préambule : l’IA au service des agents."]
    assert chapters[1].paragraphs == [
        "L’IA aide les agents, elle ne les remplace pas.",  # the footnote is not the paragraph's text
        "\\# Pas un titre",  # kept a paragraph, not read as a heading
        "- Former les agents.\n- Choisir avec eux.",
    ]
    assert chapters[2].paragraphs == [
        "Les données restent en Europe.\nElles n’entraînent aucun modèle.",
        "Une cellule de tableau.",
    ]


def zipped(**files) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name.replace("_", "."), content)
    return buffer.getvalue()


CONTENT = (
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>{}'
    "</office:text></office:body></office:document-content>"
)


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "Le fichier est vide."),
        (b"x" * (odt_import.FILE_MAX + 1), "Le fichier dépasse 10 Mo."),
        (b"pas une archive", "n’est pas un texte OpenDocument (ODT) lisible"),
        (zipped(mimetype="application/vnd.oasis.opendocument.spreadsheet"), "n’est pas un texte OpenDocument"),
        (zipped(mimetype=odt_import.MIMETYPE), "n’est pas un texte OpenDocument"),
        (zipped(content_xml="<pas du xml"), "lisible"),
        (zipped(content_xml='<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'), "lisible"),
        (zipped(content_xml=CONTENT.format("<text:h>Un titre seul</text:h>")), "aucun paragraphe"),
        (zipped(content_xml=CONTENT.format("<text:p>x</text:p>" * 501)), "au plus 500 paragraphes"),
    ],
)
def test_a_file_that_is_not_a_readable_text_is_refused_in_french(data, message):
    with pytest.raises(ActionRefused) as refused:
        odt_import.markdown_of(data)
    assert message in str(refused.value.message) and refused.value.field == "document"


def test_an_organiser_imports_an_odt_file_and_can_correct_its_markdown(client, auth):
    consultation = make_consultation("proposals")
    auth.login(make_user("organiser", consultation.territory))
    form = client.get(f"/consultations/{consultation.id}/textes/nouveau").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in form and 'type="file"' in form
    response = client.post(
        f"/consultations/{consultation.id}/textes/nouveau",
        data={"title": "Charte", "source": "", "document": (io.BytesIO(charter_odt()), "charte.odt")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    text = db.session.scalar(select(DraftText))
    assert [c.title for c in text.chapters] == ["", "Principes", "Données"]
    assert [p.number for p in services.paragraphs_of(text)] == [1, 2, 3, 4, 5, 6]
    html = client.get(f"/textes/{text.id}").get_data(as_text=True)
    assert "elle ne les remplace pas." in html and "<li>Former les agents.</li>" in html
    # The Markdown made from the file is what the organisers correct before opening the text.
    assert "# Principes" in client.get(f"/textes/{text.id}/importer").get_data(as_text=True)


@pytest.mark.parametrize(
    "upload, message",
    [
        ((io.BytesIO(b"du texte"), "charte.odt"), "n’est pas un texte OpenDocument (ODT) lisible"),
        ((io.BytesIO(b"du texte"), "charte.docx"), "Joignez un fichier ODT"),
        ((io.BytesIO(b"x" * 2001), "charte.odt"), "Le fichier dépasse"),
    ],
)
def test_a_bad_file_comes_back_with_a_422_and_a_french_message(client, auth, monkeypatch, upload, message):
    monkeypatch.setattr(odt_import, "FILE_MAX", 2000)  # the limit is 10 Mo; a small one keeps the test light
    consultation = make_consultation("proposals")
    auth.login(make_user("organiser", consultation.territory))
    response = client.post(
        f"/consultations/{consultation.id}/textes/nouveau",
        data={"title": "Ma charte", "source": "", "document": upload},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert "Ma charte" in html and db.session.scalar(select(DraftText)) is None


def test_neither_text_nor_file_is_refused(client, auth):
    consultation = make_consultation("proposals")
    auth.login(make_user("organiser", consultation.territory))
    response = client.post(f"/consultations/{consultation.id}/textes/nouveau", data={"title": "Ma charte"})
    assert response.status_code == 422
    assert "ou joignez un fichier ODT" in response.get_data(as_text=True)
