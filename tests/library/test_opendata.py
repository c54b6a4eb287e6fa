"""The library as open data and through the API: every entry, no contact, no personal data."""

import csv
import io
import json

from tests.factories import make_territory
from tests.library.factories import make_adoption, make_entry


def test_the_csv_has_every_entry_with_its_adoptions_and_no_contact(client):
    entry = make_entry(title="=Chatbot malicieux", contact="numerique@ville.example", status="experimentation")
    make_adoption(entry)
    make_entry(title="Tri des courriers", contact="courrier@ville.example")
    response = client.get("/bibliotheque/donnees.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "licence-ouverte" in response.headers["Link"]
    body = response.get_data(as_text=True)
    assert "@" not in body  # neither the contacts nor the authors' addresses
    rows = list(csv.DictReader(io.StringIO(body.removeprefix("\ufeff"))))
    assert [r["titre"] for r in rows] == ["'=Chatbot malicieux", "Tri des courriers"]  # no formula runs
    assert rows[0]["etat"] == "Expérimentation" and rows[0]["autres_collectivites"] == "1"
    assert rows[1]["autres_collectivites"] == "0" and rows[0]["logiciel_libre"] == "oui"


def test_the_json_states_its_licence_and_columns(client):
    make_entry(contact="numerique@ville.example")
    document = json.loads(client.get("/bibliotheque/donnees.json").get_data(as_text=True))
    assert "Licence Ouverte" in document["metadata"]["licence"]["name"]
    assert {c["name"] for c in document["metadata"]["columns"]} >= {"besoin", "controle_humain", "aipd"}
    assert document["data"][0]["titre"] == "Assistant de rédaction pour les agents"
    assert "numerique@ville.example" not in json.dumps(document)


def test_the_list_page_links_to_the_open_data(client):
    page = client.get("/bibliotheque").get_data(as_text=True)
    assert "/bibliotheque/donnees.csv" in page and "/api/v1/library" in page


def test_the_api_lists_and_shows_entries_with_their_retours(client):
    entry = make_entry(metier="accueil", contact="accueil@ville.example")
    make_entry(metier="eau", status="experimentation")
    make_adoption(entry, territory=make_territory(slug="val-de-loire"), gains="Moins d’appels.")
    listing = client.get("/api/v1/library").get_json()
    assert listing["meta"]["total"] == 2 and "Licence Ouverte" in listing["meta"]["licence"]["name"]
    assert [e["adoptions"] for e in listing["data"]] == [1, 0]
    assert [e["metier"] for e in client.get("/api/v1/library?metier=eau").get_json()["data"]] == ["eau"]
    assert client.get("/api/v1/library?status=experimentation").get_json()["meta"]["total"] == 1
    detail = client.get(f"/api/v1/library/{entry.id}").get_json()["data"]
    assert (
        detail["retours"][0]["territory"] == "val-de-loire" and "Moins d’appels." in detail["retours"][0]["gains_html"]
    )
    assert "contact" not in detail and "accueil@ville.example" not in json.dumps(detail)


def test_the_api_refuses_unknown_filters_with_a_400_and_unknown_entries_with_a_404(client):
    assert client.get("/api/v1/library?metier=astrologie").status_code == 400
    assert client.get("/api/v1/library?status=peut-etre").status_code == 400
    assert client.get("/api/v1/library/999999").status_code == 404


def test_the_api_describes_the_library(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert {"/library", "/library/{entry_id}"} <= set(spec["paths"])
