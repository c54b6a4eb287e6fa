"""The comparison frozen in a published synthesis, read back from its PDF, its ODT and the API: the same
thresholded figures as the page (a group under 10 masked), with the caution, after the live figures moved."""

import io
import json

import jsonschema_rs
import pytest
from odf.opendocument import load
from odf.table import Table, TableCell, TableRow
from odf import teletype

from sqlalchemy import select

from concertation.extensions import db
from concertation.synthesis.models import SynthesisVersion
from tests.api.test_crawl import response_schema
from tests.participation.scene import supporters
from tests.participation.test_privacy import HAMLET, _scene
from tests.documents import odt_text, pdf_text

VERSION_RULE = "/api/v1/consultations/<int:consultation_id>/synthesis/versions/<int:number>"


def _flat(text: str) -> str:
    return " ".join(text.split())


def _odt_table(data: bytes, name: str) -> list[list[str]]:
    """The cells of the ODT's table `name`, row by row, as the XML holds them."""
    table = next(t for t in load(io.BytesIO(data)).getElementsByType(Table) if t.getAttribute("name") == name)
    return [
        [_flat(teletype.extractText(cell)) for cell in row.getElementsByType(TableCell)]
        for row in table.getElementsByType(TableRow)
    ]


def _later_scene():
    """The scene of test_privacy, then ten more people aged 75 or more: live, that group is no longer small."""
    consultation, version, people, loner = _scene()
    supporters(consultation, [("75+", "Centre")] * 10)
    return consultation, version


def _document(client, consultation, version, fmt: str) -> bytes:
    response = client.get(f"/consultations/{consultation.id}/synthese/versions/{version.number}/synthese.{fmt}")
    assert response.status_code == 200
    return response.data


@pytest.mark.parametrize("fmt, text_of", [("pdf", pdf_text), ("odt", odt_text)])
def test_the_printed_synthesis_shows_the_frozen_comparison_with_its_caution_and_masked_groups(client, fmt, text_of):
    consultation, version = _later_scene()
    frozen = version.figures["representativeness"]
    text = _flat(text_of(_document(client, consultation, version, fmt)))
    assert "Qui a participé ?" in text
    assert f"{frozen['participants']} participant·es" in text
    assert "Les limites de ces chiffres" in text
    assert "Aucun chiffre ne porte sur moins de 10 personnes" in text
    # Twelve people aged 30 to 44; the one aged 75 or more stays masked, as frozen, though ten more came since.
    assert "30 à 44 ans 12" in text
    assert "75 ans ou plus masqué masqué" in text
    assert "75 ans ou plus 11" not in text
    assert HAMLET not in text  # the loner's place, in a group of one, is never named


def test_the_odt_holds_one_table_per_breakdown_with_masked_cells(client):
    consultation, version = _later_scene()
    data = _document(client, consultation, version, "odt")
    ages = _odt_table(data, "Participation1")
    assert ages[0] == [
        "Groupe",
        "Participant·es",
        "Part des participant·es",
        "Population (15 ans ou plus)",
        "Part de la population",
        "Écart (points)",
    ]
    by_label = {row[0]: row[1:] for row in ages[1:]}
    assert by_label["30 à 44 ans"][0] == "12"
    assert by_label["75 ans ou plus"][:2] == ["masqué", "masqué"]
    # The four people without a profile are fewer than 10: masked too.
    assert by_label["Non renseigné"][:2] == ["masqué", "masqué"]
    relations = _odt_table(data, "Participation3")
    assert relations[0] == ["Groupe", "Participant·es", "Part des participant·es"]


def test_a_version_with_too_few_participants_says_so_and_an_older_one_has_no_section(client):
    consultation, version = _later_scene()
    first = db.session.scalar(
        select(SynthesisVersion).where(
            SynthesisVersion.synthesis_id == version.synthesis_id, SynthesisVersion.number == 1
        )
    )
    assert first.figures["representativeness"]["participants"] is None
    text = _flat(pdf_text(_document(client, consultation, first, "pdf")))
    assert "Moins de 10 personnes ont participé : aucun chiffre n’est montré." in text
    # A version frozen before the comparison existed prints no section about it.
    first.figures = {k: v for k, v in first.figures.items() if k != "representativeness"}
    db.session.commit()
    for fmt, text_of in (("pdf", pdf_text), ("odt", odt_text)):
        assert "Qui a participé" not in _flat(text_of(_document(client, consultation, first, fmt)))


def test_the_api_gives_the_frozen_comparison_thresholded_as_described(client):
    consultation, version = _later_scene()
    frozen = version.figures["representativeness"]
    body = client.get(f"/api/v1/consultations/{consultation.id}/synthesis/versions/{version.number}").get_json()
    jsonschema_rs.validator_for(response_schema(VERSION_RULE)).validate(body)
    shown = body["data"]["figures"]["representativeness"]
    assert shown["participants"] == frozen["participants"] and shown["floor"] == 10
    assert any("moins de 10 personnes" in line for line in shown["caution"])
    ages = next(d for d in shown["dimensions"] if d["key"] == "age")
    counts = {row["key"]: row["count"] for row in ages["rows"]}
    assert counts["30-44"] == 12 and counts["75+"] is None
    every = [row["count"] for d in shown["dimensions"] for row in d["rows"]]
    every += [d[k] for d in shown["dimensions"] for k in ("unanswered", "outside")]
    assert all(n is None or n >= 10 for n in every)
    assert HAMLET not in json.dumps(body, ensure_ascii=False)


def test_the_api_gives_null_for_a_version_frozen_before_the_comparison(client):
    consultation, version = _later_scene()
    version.figures = {k: v for k, v in version.figures.items() if k != "representativeness"}
    db.session.commit()
    body = client.get(f"/api/v1/consultations/{consultation.id}/synthesis").get_json()
    jsonschema_rs.validator_for(response_schema("/api/v1/consultations/<int:consultation_id>/synthesis")).validate(body)
    assert body["data"]["figures"]["representativeness"] is None
