"""The adopted version as PDF and ODT: the adopted wording, where each change came from, the amendment table."""

import io
import zipfile

import pytest
from pypdf import PdfReader

from concertation.db import utcnow
from concertation.extensions import db
from concertation.texts import services
from tests.factories import make_user
from tests.texts.scene import adopted_with_mentions, grades_change_later, make_amendment, make_text


def pdf_text(response) -> str:
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.get_data())).pages)
    return " ".join(text.split())


def odt_text(response) -> str:
    assert response.status_code == 200 and response.mimetype == "application/vnd.oasis.opendocument.text"
    content = zipfile.ZipFile(io.BytesIO(response.get_data())).read("content.xml").decode("utf-8")
    return " ".join(content.split())


def adopted(live: bool = False, first: str = "Alice"):
    """A charter with an accepted rewriting (3 supports), a rejected amendment and an accepted addition, adopted."""
    text = make_text(results_live=live)
    alice = make_user(pseudonym=f"{first} Martin", email=f"{first.lower()}.secret@exemple.org")
    rewriting = make_amendment(text, 2, author=alice, wording="L’IA aide les agents formés.")
    rejected = make_amendment(text, 3, author=make_user(pseudonym=f"{first} Lefort"), kind="delete")
    addition = make_amendment(text, 4, kind="add_after", wording="Un registre des outils est publié.")
    now = utcnow()
    for _ in range(3):
        services.support(make_user(), rewriting, now)
    organiser = make_user("organiser", text.consultation.territory)
    services.answer_amendment(organiser, rewriting, "accepted", "Plus clair.", now)
    services.answer_amendment(organiser, rejected, "rejected", "Le choix avec les agents reste essentiel.", now)
    services.answer_amendment(organiser, addition, "accepted", "", now)
    version = services.publish_version(organiser, text, now)
    db.session.commit()
    return version, rewriting, rejected, addition


@pytest.mark.parametrize("fmt", ["pdf", "odt"])
def test_the_adopted_text_prints_its_wording_its_sources_and_the_amendment_table(client, fmt):
    version, rewriting, rejected, addition = adopted()
    page = client.get(f"/textes/versions/{version.id}").get_data(as_text=True)
    url = f"/textes/versions/{version.id}/texte-adopte.{fmt}"
    assert f'href="{url}"' in page
    response = client.get(url)
    assert f"texte-adopte-{version.text_id}-v1.{fmt}" in response.headers["Content-Disposition"]
    body = pdf_text(response) if fmt == "pdf" else odt_text(response)
    # The adopted wording, and where it came from, by pseudonym.
    assert "L’IA aide les agents formés." in body and "Un registre des outils est publié." in body
    assert f"Vient de l’amendement n° {rewriting.id} (accepté), proposé par Alice Martin." in body
    assert "Alice Martin" in body and "Modifié" in body and "Ajouté" in body
    # The amendment table: the rejected one too, with its reason.
    assert "Tableau des amendements" in body and "Alice Lefort" in body
    assert "Le choix avec les agents reste essentiel." in body
    assert "Licence Ouverte" in body
    assert "alice.secret" not in body and "@" not in body
    # Results are not public yet: no support count anywhere.
    assert "Soutiens" not in body and "3 soutiens" not in body


def test_supports_are_printed_when_the_counts_may_be_shown(client):
    version, *_ = adopted(live=True)
    body = pdf_text(client.get(f"/textes/versions/{version.id}/texte-adopte.pdf"))
    assert "3 soutiens" in body and "Soutiens" in body
    assert "Soutiens" in odt_text(client.get(f"/textes/versions/{version.id}/texte-adopte.odt"))


def test_the_documents_follow_the_version_page_access(client, auth):
    assert client.get("/textes/versions/999999/texte-adopte.pdf").status_code == 404
    version, *_ = adopted()
    assert client.get(f"/textes/versions/{version.id}/texte-adopte.doc").status_code == 404
    # A consultation reserved to agents keeps its adopted text from visitors, in print too.
    version.text.consultation.audience = "agents"
    db.session.commit()
    assert client.get(f"/textes/versions/{version.id}/texte-adopte.pdf").status_code in (302, 403)
    assert client.get(f"/textes/versions/{version.id}").status_code in (302, 403)


def test_the_printed_version_gives_the_mentions_frozen_at_adoption_and_no_support_under_majority_judgment(client, app):
    app.config["LIVE_RESULTS_MIN_JUDGES"] = 3
    _text, amendment, version = adopted_with_mentions(results_live=True)
    grades_change_later(amendment)
    for body in (
        pdf_text(client.get(f"/textes/versions/{version.id}/texte-adopte.pdf")),
        odt_text(client.get(f"/textes/versions/{version.id}/texte-adopte.odt")),
    ):
        assert "5 évaluations, mention majoritaire" in body and "très bien" in body
        assert "Mention majoritaire" in body  # the table's column
        assert "soutien" not in body.lower()
