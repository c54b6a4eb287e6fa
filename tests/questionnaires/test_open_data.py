"""Open data of a questionnaire's results: files and API once the consultation closes, from 10 respondents, counts only."""

import csv
import html
import io
import json
import re
import zipfile

import jsonschema_rs

from concertation.db import utcnow
from concertation.extensions import db
from concertation.questionnaires import services as q
from tests.api.test_crawl import response_schema
from tests.factories import make_consultation, make_questionnaire, make_user
from tests.questionnaires.test_exports import answered_with_a_dangerous_question
from tests.questionnaires.test_services import fields


def close(consultation) -> None:
    """Move every phase a year back: the consultation is closed now."""
    for phase in consultation.phases:
        phase.starts_at = phase.starts_at.replace(year=phase.starts_at.year - 1)
        if phase.ends_at:
            phase.ends_at = phase.ends_at.replace(year=phase.ends_at.year - 1)
    db.session.commit()


def answered(n: int, consultation=None):
    questionnaire = make_questionnaire(consultation)
    for i in range(n):
        q.submit(
            make_user(),
            questionnaire,
            utcnow(),
            fields(questionnaire, single="Oui" if i % 3 else "Non", scale=4, text=f"Je m’appelle Personne {i}"),
        )
    db.session.commit()
    return questionnaire


def test_open_data_is_refused_before_the_consultation_closes_even_to_organisers(client, auth):
    questionnaire = answered(12)
    url = f"/questionnaires/{questionnaire.id}/donnees.csv"
    assert client.get(url).status_code == 403
    auth.login(make_user("organiser", questionnaire.consultation.territory))
    assert client.get(url).status_code == 403
    assert client.get(f"/questionnaires/{questionnaire.id}/donnees.json").status_code == 403
    assert "donnees.csv" not in client.get(f"/questionnaires/{questionnaire.id}/resultats").get_data(as_text=True)


def test_once_closed_everyone_downloads_the_counts_under_the_open_licence_without_free_texts(client):
    questionnaire = answered(12)
    close(questionnaire.consultation)
    page = client.get(f"/questionnaires/{questionnaire.id}/resultats").get_data(as_text=True)
    assert f"/questionnaires/{questionnaire.id}/donnees.csv" in page and "Licence Ouverte" in page
    response = client.get(f"/questionnaires/{questionnaire.id}/donnees.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "etalab.gouv.fr/licence-ouverte" in response.headers["Link"]
    text = response.get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    oui = next(r for r in rows if r["question"] == "Utilisez-vous l’IA ?" and r["reponse"] == "Oui")
    assert oui["nombre"] == "8" and oui["repondants_question"] == "12"
    assert "Personne" not in text and "@" not in text
    body = json.loads(client.get(f"/questionnaires/{questionnaire.id}/donnees.json").get_data(as_text=True))
    assert body["metadata"]["licence"]["name"] == "Licence Ouverte / Open Licence 2.0"
    assert body["metadata"]["questionnaire"]["respondents"] == 12
    assert [c["name"] for c in body["metadata"]["columns"]][:2] == ["section", "question"]
    assert {"question": "Utilisez-vous l’IA ?", "reponse": "Non", "nombre": 4}.items() <= body["data"][1].items()
    assert "Personne" not in json.dumps(body)


def test_open_data_stays_unpublished_under_ten_respondents(client):
    questionnaire = answered(9)
    close(questionnaire.consultation)
    assert client.get(f"/questionnaires/{questionnaire.id}/donnees.csv").status_code == 404
    assert client.get(f"/questionnaires/{questionnaire.id}/donnees.json").status_code == 404


def test_the_open_data_csv_neutralises_formulas(client):
    questionnaire = answered_with_a_dangerous_question(10)
    close(questionnaire.consultation)
    text = client.get(f"/questionnaires/{questionnaire.id}/donnees.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    dangerous = [r for r in rows if "HYPERLINK" in r["question"]]
    assert dangerous and all(r["question"].startswith("'=") for r in dangerous)


def test_an_agents_consultation_publishes_no_open_data(client, auth):
    questionnaire = answered(12, make_consultation("proposals", audience="agents"))
    close(questionnaire.consultation)
    auth.login(make_user("organiser", questionnaire.consultation.territory))
    assert client.get(f"/questionnaires/{questionnaire.id}/donnees.csv").status_code == 403
    assert client.get(f"/api/v1/questionnaires/{questionnaire.id}/results").status_code == 404


def _validated(client, url: str, rule: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200
    body = response.get_json()
    jsonschema_rs.validator_for(response_schema(rule)).validate(body)
    assert body["meta"]["licence"]["name"] == "Licence Ouverte / Open Licence 2.0"
    return body["data"]


def test_the_api_lists_published_questionnaires_and_gives_results_only_once_closed(client):
    questionnaire = answered(12)
    make_questionnaire(questionnaire.consultation, published=False, title="Brouillon secret")
    listed = _validated(
        client,
        f"/api/v1/consultations/{questionnaire.consultation_id}/questionnaires",
        "/api/v1/consultations/<int:consultation_id>/questionnaires",
    )
    assert [item["title"] for item in listed] == ["Vos usages de l’IA"]
    assert listed[0]["results_published"] is False and listed[0]["question_count"] == 6
    rule = "/api/v1/questionnaires/<int:questionnaire_id>/results"
    before = _validated(client, listed[0]["results_url"], rule)
    assert before["results"] is None and before["respondents"] is None and before["csv_url"] is None

    close(questionnaire.consultation)
    after = _validated(client, f"/api/v1/questionnaires/{questionnaire.id}/results", rule)
    assert after["results_published"] is True and after["respondents"] == 12
    by_label = {r["label"]: r for r in after["results"]}
    single = by_label["Utilisez-vous l’IA ?"]
    assert single["respondents"] == 12
    assert [(r["label"], r["count"], r["share"]) for r in single["rows"]] == [("Oui", 8, 0.6667), ("Non", 4, 0.3333)]
    assert by_label["Confiance"]["mean"] == 4 and by_label["Confiance"]["scale"]["max"] == 5
    assert by_label["Autre chose ?"]["free_text"] is True and by_label["Autre chose ?"]["rows"] == []
    assert "Personne" not in json.dumps(after)
    assert after["csv_url"].endswith(f"/questionnaires/{questionnaire.id}/donnees.csv")


def test_the_api_withholds_results_under_ten_respondents_and_hides_drafts(client):
    questionnaire = answered(9)
    close(questionnaire.consultation)
    data = _validated(
        client,
        f"/api/v1/questionnaires/{questionnaire.id}/results",
        "/api/v1/questionnaires/<int:questionnaire_id>/results",
    )
    assert data["respondents"] == 9 and data["results"] is None
    draft = make_questionnaire(questionnaire.consultation, published=False)
    assert client.get(f"/api/v1/questionnaires/{draft.id}/results").status_code == 404


def _data_page(client, consultation) -> str:
    response = client.get(f"/consultations/{consultation.id}/donnees")
    assert response.status_code == 200
    return re.sub(r"\s+", " ", html.unescape(response.get_data(as_text=True)))


def test_the_consultations_open_data_page_lists_the_questionnaire_results_once_public(client):
    questionnaire = answered(12)
    consultation = questionnaire.consultation
    links = [f"/questionnaires/{questionnaire.id}/donnees.{fmt}" for fmt in ("csv", "json", "ods")]
    text = _data_page(client, consultation)
    assert not any(link in text for link in links)  # not before the consultation closes
    close(consultation)
    text = _data_page(client, consultation)
    assert all(link in text for link in links)
    assert f"Résultats du questionnaire « {questionnaire.title} »" in text and "(12 répondant" in text
    assert "Licence Ouverte / Open Licence 2.0" in text
    assert "<code>repondants_question</code>" in text  # its columns described, as the other datasets' are
    assert "ODS : le format ouvert des tableurs" in text
    response = client.get(links[2])
    assert response.status_code == 200 and response.mimetype == "application/vnd.oasis.opendocument.spreadsheet"
    assert "etalab.gouv.fr/licence-ouverte" in response.headers["Link"]
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as ods:
        content = ods.read("content.xml").decode("utf-8")
    assert "Utilisez-vous l’IA ?" in content and "Personne" not in content


def test_the_open_data_page_lists_no_questionnaire_under_ten_respondents(client):
    questionnaire = answered(9)
    close(questionnaire.consultation)
    text = _data_page(client, questionnaire.consultation)
    assert f"/questionnaires/{questionnaire.id}/donnees" not in text and "Résultats du questionnaire" not in text
    assert client.get(f"/questionnaires/{questionnaire.id}/donnees.ods").status_code == 404
