import io
import zipfile

from odf import teletype
from odf.opendocument import load
from odf.text import P, H
from pypdf import PdfReader

from concertation.db import utcnow
from concertation.extensions import db
from concertation.synthesis import services
from concertation.synthesis.exports import document, odt, pdf
from tests.factories import make_comment_row, make_consultation, make_proposal_row, make_support, make_user


def published_version():
    consultation = make_consultation("synthesis")
    organiser = make_user()
    retained = make_proposal_row(
        consultation,
        title="Former tous les agents à l’IA générative",
        answer="retained",
        theme=consultation.themes[0],
        author=make_user(pseudonym="Zoé"),
    )
    make_support(retained)
    comment = make_comment_row(consultation, retained, body="Et les élus aussi, s’il vous plaît !")
    synthesis = services.start_synthesis(organiser, consultation)
    services.update_synthesis(
        synthesis,
        "Synthèse : former avant d’équiper — œuvre commune",
        "Une **introduction**.",
        {synthesis.sections[0].id: "Premier paragraphe.\n\n- un\n- deux\n\n> Une citation"},
    )
    services.set_retained(synthesis, [retained.id])
    services.add_citation(synthesis.sections[0], "proposal", retained.id, 1)
    services.add_citation(synthesis.sections[0], "comment", comment.id, None)
    version = services.publish(organiser, synthesis, utcnow())
    db.session.commit()
    return version


def test_prepared_document_numbers_citations_and_reads_paragraphs():
    version = published_version()
    printed = document.prepare(version, "https://concertation.example")
    section = printed.sections[0]
    assert section.blocks[0] == ("p", "Premier paragraphe.", [1])
    assert section.blocks[1:] == [("li", "un", []), ("li", "deux", []), ("quote", "Une citation", [])]
    assert section.cited == [2]
    assert printed.references[0][2].startswith("https://concertation.example/propositions/")
    assert printed.retained[0][2] == "1 soutien"


def test_pdf_opens_and_contains_the_title_and_retained_proposals():
    version = published_version()
    data = pdf.render(document.prepare(version))
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(page.extract_text() for page in reader.pages)
    flat = " ".join(text.split())
    assert "former avant d’équiper" in flat and "œuvre commune" in flat
    assert "Former tous les agents à l’IA générative" in flat
    assert "Références" in flat and "Zoé" in flat
    assert reader.metadata.title == version.title


def test_odt_opens_and_contains_the_title_and_retained_proposals():
    version = published_version()
    data = odt.render(document.prepare(version))
    assert zipfile.ZipFile(io.BytesIO(data)).read("mimetype") == b"application/vnd.oasis.opendocument.text"
    loaded = load(io.BytesIO(data))
    text = "\n".join(teletype.extractText(e) for e in loaded.getElementsByType(P) + loaded.getElementsByType(H))
    assert version.title in text
    assert "Former tous les agents à l’IA générative" in text
    assert "[1]" in text


def _png(path, colour=(31, 63, 153)):
    from PIL import Image

    Image.new("RGB", (120, 60), colour).save(path)
    return path.name


def test_pdf_cover_carries_the_territorys_logo_and_does_not_repeat_the_title(tmp_path):
    version = published_version()
    territory = version.consultation.territory
    territory.logo_key = _png(tmp_path / "logo.png")
    version.consultation.title = "Former avant d’équiper"
    db.session.commit()
    reader = PdfReader(io.BytesIO(pdf.render(document.prepare(version, "", str(tmp_path)))))
    cover = reader.pages[0]
    assert len(cover.images) == 1
    flat = " ".join(cover.extract_text().split())
    # The consultation's title is part of the synthesis's: it is not printed a second time.
    assert flat.lower().count("former avant d’équiper") == 1
    without = PdfReader(io.BytesIO(pdf.render(document.prepare(version, "", None))))
    assert len(without.pages[0].images) == 0


def test_pdf_draws_the_charts_of_the_reading_room():
    version = published_version()
    reader = PdfReader(io.BytesIO(pdf.render(document.prepare(version))))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Participation par semaine" in text and "Votes par thème" in text
    theme = version.consultation.themes[0].name
    assert text.count(theme) >= 3  # the table, and a bar label in each of the two charts by theme


def test_a_broken_logo_file_leaves_the_cover_without_it(tmp_path):
    version = published_version()
    (tmp_path / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n not really")
    version.consultation.territory.logo_key = "broken.png"
    db.session.commit()
    reader = PdfReader(io.BytesIO(pdf.render(document.prepare(version, "", str(tmp_path)))))
    assert len(reader.pages[0].images) == 0
