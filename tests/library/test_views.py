"""Library pages with the test client: finding by need, reading an entry, writing, adopting, refusals."""

import html
import re

import pytest
from sqlalchemy import func, select

from concertation.accounts.models import User
from concertation.extensions import db
from concertation.library.models import LibraryAdoption, LibraryEntry
from tests.factories import make_territory, make_user
from tests.library.factories import make_adoption, make_entry

FORM = {
    "title": "Transcription des conseils municipaux",
    "need": "Publier le compte rendu des débats plus vite.",
    "metier": "assemblees",
    "audience": "both",
    "status": "experimentation",
    "started_on": "2025-09-01",
    "data_used": "Les enregistrements audio des séances publiques.",
    "hosting": "internal",
    "open_source": "y",
    "vendor": "Whisper",
    "cost_band": "none",
    "human_oversight": "Le secrétariat des assemblées relit tout avant publication.",
    "human_reachable": "y",
    "contact": "assemblees@ville.example",
}


def page(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.get_data(as_text=True)))


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_list_finds_tools_by_need_and_filters_without_javascript(client):
    make_entry(title="Chatbot d’accueil", metier="accueil", need="Répondre aux usagers le soir.")
    make_entry(title="Tri des courriers", metier="courrier", need="Orienter le courrier entrant.")
    everything = page(client.get("/bibliotheque"))
    assert "2 fiches" in everything and "Chatbot d’accueil" in everything and "Tri des courriers" in everything
    found = page(client.get("/bibliotheque?q=courrier"))
    assert "1 fiche" in found and "Tri des courriers" in found and "Chatbot d’accueil" not in found
    by_metier = page(client.get("/bibliotheque?metier=accueil"))
    assert "Chatbot d’accueil" in by_metier and "Tri des courriers" not in by_metier
    assert "Aucune fiche" in page(client.get("/bibliotheque?q=blockchain"))


@pytest.mark.parametrize(
    "query", ["?metier=inconnu", "?open_source=peut-etre", "?page=99999999999999", "?q=" + "x" * 5000, "?status[]=1"]
)
def test_odd_filters_are_ignored(client, query):
    make_entry()
    assert client.get("/bibliotheque" + query).status_code == 200


def test_an_entry_page_shows_its_fields_retours_and_similar_entries(client):
    entry = make_entry(
        title="Chatbot d’accueil",
        metier="accueil",
        need="Répondre aux questions des usagers.",
        human_oversight="Un agent reprend la main à la demande.",
        human_reachable=True,
        personal_data=True,
        dpia_done=True,
    )
    make_entry(title="Prise de rendez-vous en ligne", metier="accueil")
    make_adoption(entry, context="Une commune rurale.", gains="Moins d’appels répétitifs.", would_recommend=True)
    text = page(client.get(f"/bibliotheque/{entry.id}"))
    assert "Chatbot d’accueil" in text and "Un agent reprend la main à la demande." in text
    assert "Utilisé aussi par 1 autre collectivité" in text
    assert "Moins d’appels répétitifs." in text and "recommande cet outil" in text
    assert "Analyse d’impact (AIPD)" in text and "Faite" in text
    assert "Prise de rendez-vous en ligne" in text  # similar entries
    assert client.get("/bibliotheque/999999").status_code == 404


def test_the_contact_is_shown_to_people_of_territories_only(client, auth):
    entry = make_entry(contact="numerique@ville.example")
    assert "numerique@ville.example" not in page(client.get(f"/bibliotheque/{entry.id}"))
    auth.login(make_user())
    assert "numerique@ville.example" not in page(client.get(f"/bibliotheque/{entry.id}"))
    auth.logout()
    auth.login(make_user("elu", make_territory()))
    assert "numerique@ville.example" in page(client.get(f"/bibliotheque/{entry.id}"))


def test_an_agent_writes_an_entry_of_their_territory(client, auth):
    territory = make_territory(name="Saint-Aubin")
    auth.login(make_user("agent", territory))
    assert "Décrire un outil de votre collectivité" in page(client.get("/bibliotheque"))
    response = client.post("/bibliotheque/nouvelle", data={**FORM, "territory": str(territory.id)})
    assert response.status_code == 302
    entry = db.session.scalar(select(LibraryEntry))
    assert entry.territory_id == territory.id and entry.open_source and entry.human_reachable
    assert response.headers["Location"].endswith(f"/bibliotheque/{entry.id}")
    assert "Le secrétariat des assemblées relit tout" in page(client.get(f"/bibliotheque/{entry.id}"))


def test_a_territory_that_is_not_theirs_is_refused(client, auth):
    auth.login(make_user("agent", make_territory()))
    other = make_territory()
    response = client.post("/bibliotheque/nouvelle", data={**FORM, "territory": str(other.id)})
    assert response.status_code == 422 and count(LibraryEntry) == 0
    assert "Choisissez une collectivité dans la liste." in page(response)


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"title": ""}, "Le titre est obligatoire."),
        ({"started_on": "31/02/2025"}, "date valide"),
        ({"status": "abandonne"}, "Dites pourquoi l’outil a été abandonné"),
        ({"open_source": "", "vendor": ""}, "Nommez l’éditeur de l’outil"),
        ({"metier": "astrologie"}, "Choisissez une valeur dans la liste."),
    ],
)
def test_bad_input_comes_back_filled_in_with_a_message(client, auth, changes, message):
    territory = make_territory()
    auth.login(make_user("organiser", territory))
    data = {**FORM, "territory": str(territory.id), **changes}
    response = client.post("/bibliotheque/nouvelle", data={k: v for k, v in data.items() if v != ""})
    assert response.status_code == 422 and count(LibraryEntry) == 0
    text = page(response)
    assert message in text and "Publier le compte rendu des débats plus vite." in text


def test_people_who_may_not_write_get_403_or_the_sign_in(client, auth):
    assert client.get("/bibliotheque/nouvelle").status_code == 302  # to the sign-in page
    auth.login(make_user())
    assert client.get("/bibliotheque/nouvelle").status_code == 403
    auth.logout()
    auth.login(make_user("elu", make_territory()))
    assert client.get("/bibliotheque/nouvelle").status_code == 403


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/bibliotheque/{e}/modifier"),
        ("get", "/bibliotheque/{e}/evaluation"),
        ("get", "/bibliotheque/{e}/liens"),
        ("get", "/bibliotheque/{e}/nous-l-utilisons-aussi"),
        ("get", "/bibliotheque/retours/{a}/signaler"),
        ("post", "/bibliotheque/retours/{a}/masquer"),
    ],
)
def test_the_forms_answer_404_for_what_does_not_exist_and_403_to_those_who_may_not(client, auth, method, path):
    entry = make_entry()
    adoption = make_adoption(entry)
    # The person who wrote the retour may not report it; an élu of the entry's territory may do none of the rest.
    writer, elu = db.session.get(User, adoption.declared_by_id), make_user("elu", entry.territory)
    auth.login(writer if "signaler" in path else elu)
    send = getattr(client, method)
    assert send(path.format(e=999999, a=999999), data={"reason": "x"}).status_code == 404
    assert send(path.format(e=entry.id, a=adoption.id), data={"reason": "x"}).status_code == 403


def test_only_the_territory_edits_its_entry(client, auth):
    entry = make_entry()
    auth.login(make_user("organiser", make_territory()))
    assert client.get(f"/bibliotheque/{entry.id}/modifier").status_code == 403
    assert client.post(f"/bibliotheque/{entry.id}/modifier", data=FORM).status_code == 403
    auth.logout()
    auth.login(make_user("agent", entry.territory))
    form = page(client.get(f"/bibliotheque/{entry.id}/modifier"))
    assert "Assistant de rédaction pour les agents" in form  # filled in with the entry
    assert client.post(f"/bibliotheque/{entry.id}/modifier", data=FORM).status_code == 302
    db.session.refresh(entry)
    assert entry.title == "Transcription des conseils municipaux" and entry.status == "experimentation"


def test_an_organiser_of_another_territory_says_we_use_it_too(client, auth):
    entry = make_entry()
    elsewhere = make_territory(name="Val-de-Loire")
    auth.login(make_user("organiser", elsewhere))
    assert "Nous l’utilisons aussi" in page(client.get(f"/bibliotheque/{entry.id}"))
    data = {
        "territory": str(elsewhere.id),
        "context": "Un service courrier de trois agents.",
        "gains": "Une heure par jour.",
        "difficulties": "Les noms propres.",
        "would_recommend": "non",
    }
    response = client.post(f"/bibliotheque/{entry.id}/nous-l-utilisons-aussi", data=data)
    assert response.status_code == 302
    adoption = db.session.scalar(select(LibraryAdoption))
    assert adoption.territory_id == elsewhere.id and adoption.would_recommend is False
    text = page(client.get(f"/bibliotheque/{entry.id}"))
    assert "Val-de-Loire" in text and "ne recommande pas cet outil" in text
    # Declared again: the form comes filled in, and the retour is updated, not counted twice.
    assert "Les noms propres." in page(client.get(f"/bibliotheque/{entry.id}/nous-l-utilisons-aussi"))
    client.post(f"/bibliotheque/{entry.id}/nous-l-utilisons-aussi", data={**data, "would_recommend": "oui"})
    assert count(LibraryAdoption) == 1


def test_adopting_is_refused_to_the_entry_territory_and_to_agents(client, auth):
    entry = make_entry()
    data = {"territory": str(entry.territory_id), "context": "Chez nous."}
    auth.login(make_user("organiser", entry.territory))
    assert "Nous l’utilisons aussi" not in page(client.get(f"/bibliotheque/{entry.id}"))
    assert client.post(f"/bibliotheque/{entry.id}/nous-l-utilisons-aussi", data=data).status_code == 403
    auth.logout()
    auth.login(make_user("agent", make_territory()))
    assert client.get(f"/bibliotheque/{entry.id}/nous-l-utilisons-aussi").status_code == 403
    assert count(LibraryAdoption) == 0


def test_an_empty_retour_or_a_forged_territory_is_a_422(client, auth):
    entry = make_entry()
    elsewhere = make_territory()
    auth.login(make_user("organiser", elsewhere))
    url = f"/bibliotheque/{entry.id}/nous-l-utilisons-aussi"
    empty = client.post(url, data={"territory": str(elsewhere.id)})
    assert empty.status_code == 422 and "Racontez au moins le contexte" in page(empty)
    forged = client.post(url, data={"territory": str(entry.territory_id), "context": "Chez eux."})
    assert forged.status_code == 422
    assert count(LibraryAdoption) == 0


def test_posting_without_the_csrf_token_is_refused(client, auth):
    territory = make_territory()
    auth.login(make_user("agent", territory))
    response = client.post("/bibliotheque/nouvelle", data={**FORM, "territory": str(territory.id)}, csrf=False)
    assert response.status_code in (400, 422) and count(LibraryEntry) == 0


def test_the_library_reads_in_english(client):
    entry = make_entry(status="abandonne", abandon_reason="Trop d’erreurs.")
    client.post("/langue", data={"locale": "en", "next": "/"})
    text = page(client.get(f"/bibliotheque/{entry.id}"))
    assert "Abandoned" in text and "Why the tool was abandoned" in text
    assert "Library of territorial AI" in page(client.get("/bibliotheque"))
