"""Workshop pages through the test client: announcing, registering, the organisers' list, the outcome, the ICS file."""

import html
import re
from datetime import timedelta

from sqlalchemy import select

from concertation.dates import long_date
from concertation.db import utcnow
from concertation.extensions import db
from concertation.proposals.models import Proposal
from concertation.workshops import services as ws
from concertation.workshops.models import Workshop
from tests.factories import make_consultation, make_proposal, make_user, make_workshop


def page(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.get_data(as_text=True)))


def _form(**kw):
    day = (utcnow() + timedelta(days=10)).date().isoformat()
    data = {
        "title": "Atelier à la salle des fêtes",
        "date": day,
        "start_time": "18:00",
        "end_time": "20:00",
        "mode": "in_person",
        "address": "Salle des fêtes, rue du Lavoir",
        "accessibility": "Rampe d’accès",
        "online_url": "",
        "capacity": "25",
        "description": "On parle d’**IA**.",
    }
    data.update(kw)
    return data


def test_an_organiser_announces_a_workshop_shown_on_the_consultation(client, auth):
    consultation = make_consultation()
    organiser = make_user("organiser", consultation.territory)
    auth.login(organiser)
    response = client.post(f"/consultations/{consultation.id}/ateliers/nouveau", data=_form())
    assert response.status_code == 302
    workshop = db.session.scalar(select(Workshop))
    assert response.headers["Location"].endswith(f"/ateliers/{workshop.id}")
    assert workshop.starts_at.hour in (16, 17)  # 18:00 in Paris, stored in UTC
    text = page(client.get(f"/consultations/{consultation.id}"))
    assert "Atelier à la salle des fêtes" in text
    text = page(client.get(f"/ateliers/{workshop.id}"))
    assert "Salle des fêtes, rue du Lavoir" in text and "Rampe d’accès" in text and "Places prises : 0 sur 25" in text


def test_a_refused_announcement_comes_back_filled_in_with_a_422(client, auth):
    consultation = make_consultation()
    auth.login(make_user("organiser", consultation.territory))
    response = client.post(
        f"/consultations/{consultation.id}/ateliers/nouveau", data=_form(end_time="17:00", address="")
    )
    assert response.status_code == 422
    text = page(response)
    assert "L’atelier doit finir après son début." in text
    assert 'value="Atelier à la salle des fêtes"' in text


def test_only_organisers_announce(client, auth):
    consultation = make_consultation()
    auth.login(make_user())
    assert client.get(f"/consultations/{consultation.id}/ateliers/nouveau").status_code == 403
    assert client.post(f"/consultations/{consultation.id}/ateliers/nouveau", data=_form()).status_code == 403
    assert db.session.scalar(select(Workshop)) is None


def test_a_participant_registers_then_waits_then_cancels(client, auth):
    workshop = make_workshop(capacity=1)
    ws.register(make_user(), workshop, utcnow())
    db.session.commit()
    person = make_user()
    auth.login(person)
    text = page(client.get(f"/ateliers/{workshop.id}"))
    assert "Rejoindre la liste d’attente" in text
    assert client.post(f"/ateliers/{workshop.id}/inscription").status_code == 302
    text = page(client.get(f"/ateliers/{workshop.id}"))
    assert "liste d’attente, en position 1" in text
    assert client.post(f"/ateliers/{workshop.id}/annulation").status_code == 302
    assert "Votre inscription est annulée." in page(client.get(f"/ateliers/{workshop.id}"))
    assert ws.registration_of(person, workshop) is None


def test_registering_needs_the_csrf_token(client, auth):
    workshop = make_workshop()
    person = make_user()
    auth.login(person)
    response = client.post(f"/ateliers/{workshop.id}/inscription", data={}, csrf=False)
    assert response.status_code == 400
    assert ws.registration_of(person, workshop) is None


def test_the_list_of_registered_people_is_for_organisers_only(client, auth):
    workshop = make_workshop()
    person = make_user(pseudonym="Inscrite Une")
    ws.register(person, workshop, utcnow())
    db.session.commit()
    url = f"/ateliers/{workshop.id}/inscrits"
    assert client.get(url).status_code == 302  # sign in first
    auth.login(person)
    assert client.get(url).status_code == 403
    auth.logout()
    auth.login(make_user())
    assert "Inscrite Une" not in page(client.get(f"/ateliers/{workshop.id}"))
    auth.logout()
    auth.login(make_user("organiser", workshop.consultation.territory))
    text = page(client.get(url))
    assert "Inscrite Une" in text and person.email in text


def test_the_online_link_is_given_to_registered_people_only(client, auth):
    workshop = make_workshop(mode="online", online_url="https://visio.exemple.org/salle-secrete")
    text = page(client.get(f"/ateliers/{workshop.id}"))
    assert "salle-secrete" not in text
    person = make_user()
    auth.login(person)
    client.post(f"/ateliers/{workshop.id}/inscription")
    assert "https://visio.exemple.org/salle-secrete" in page(client.get(f"/ateliers/{workshop.id}"))


def test_an_organiser_writes_the_minutes_and_enters_collected_contributions(client, auth):
    consultation = make_consultation("proposals")
    online = make_proposal(consultation, title="Former les agents d’abord")
    workshop = make_workshop(consultation, starts_in=timedelta(days=-3))
    auth.login(make_user("organiser", consultation.territory))
    response = client.post(
        f"/ateliers/{workshop.id}/compte-rendu", data={"minutes": "## Synthèse\n\nTrès **riche**.", "attendees": "17"}
    )
    assert response.status_code == 302
    response = client.post(
        f"/ateliers/{workshop.id}/propositions",
        data={
            "p-title": "Garder un guichet humain",
            "p-body": "Écrit sur une fiche.",
            "p-theme": str(consultation.themes[0].id),
        },
    )
    assert response.status_code == 302
    response = client.post(
        f"/ateliers/{workshop.id}/commentaires",
        data={"c-proposal": str(online.id), "c-stance": "for", "c-body": "Dit à l’oral : oui."},
    )
    assert response.status_code == 302
    text = page(client.get(f"/ateliers/{workshop.id}"))
    assert "17 personnes ont participé." in text and "<strong>riche</strong>" in text
    assert "Propositions recueillies : 1 ; commentaires recueillis : 1." in text
    collected = db.session.scalar(select(Proposal).where(Proposal.workshop_id == workshop.id))
    # Said once, with the workshop's date (not the day it was typed in), linking the workshop: neither
    # « Proposée par Recueilli en atelier » nor a badge repeating it.
    said = f'<a href="/ateliers/{workshop.id}">Recueillie en atelier le {long_date(workshop.starts_at)}</a>'
    text = page(client.get(f"/propositions/{collected.id}"))
    header = text[text.index("<h1>") : text.index('<div class="proposal-main">')]
    assert said in header
    assert header.lower().count("recueilli") == 1
    assert "Proposée par" not in text
    assert "recueilli en atelier" in page(client.get(f"/propositions/{online.id}"))
    listing = page(client.get(f"/consultations/{consultation.id}/propositions"))
    item = listing[listing.index("Garder un guichet humain") :]
    item = item[: item.index("</li>")]
    assert said in item and item.lower().count("recueilli") == 1
    online_item = listing[listing.index("Former les agents d’abord") :]
    assert "par " in online_item[: online_item.index("</li>")]


def test_a_refused_collected_proposal_comes_back_with_a_422(client, auth):
    consultation = make_consultation("proposals")
    workshop = make_workshop(consultation, starts_in=timedelta(days=-1))
    auth.login(make_user("organiser", consultation.territory))
    response = client.post(
        f"/ateliers/{workshop.id}/propositions",
        data={"p-title": "Court", "p-body": "Texte gardé", "p-theme": str(consultation.themes[0].id)},
    )
    assert response.status_code == 422
    assert "Texte gardé" in page(response)


def test_the_calendar_file_follows_rfc_5545(client):
    workshop = make_workshop(title="Atelier ; virgules, et \\ barres", description="Ligne un\nLigne deux " + "é" * 80)
    response = client.get(f"/ateliers/{workshop.id}/atelier.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    raw = response.get_data()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    lines = raw.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)  # folded at 75 octets
    for line in lines:
        line.decode("utf-8")  # never folded inside a character
    unfolded = raw.decode("utf-8").replace("\r\n ", "")
    assert "SUMMARY:Atelier \\; virgules\\, et \\\\ barres\r\n" in unfolded
    assert f"DTSTART:{workshop.starts_at:%Y%m%dT%H%M%SZ}" in unfolded
    assert f"UID:workshop-{workshop.id}@" in unfolded
    assert "Ligne un\\nLigne deux" in unfolded
    assert "LOCATION:Médiathèque\\, 2 place de l’Église\\, Saint-Aubin" in unfolded


def test_a_workshop_of_an_agents_consultation_is_hidden_from_the_public(client):
    workshop = make_workshop(make_consultation(audience="agents"))
    assert client.get(f"/ateliers/{workshop.id}").status_code == 403
    assert client.get(f"/ateliers/{workshop.id}/atelier.ics").status_code == 403
    assert client.get("/ateliers/999999").status_code == 404


def test_the_api_says_which_contributions_were_collected_at_a_workshop(client):
    from concertation.workshops import outcome

    consultation = make_consultation("proposals")
    online = make_proposal(consultation)
    workshop = make_workshop(consultation, starts_in=timedelta(days=-1))
    spoken = outcome.collect_proposal(
        workshop, "Dite à l’oral en atelier", "Sur une fiche.", consultation.themes[0].id, utcnow()
    )
    outcome.collect_comment(workshop, online, "Remarque orale.", None, utcnow())
    db.session.commit()
    listed = {p["id"]: p for p in client.get(f"/api/v1/consultations/{consultation.id}/proposals").get_json()["data"]}
    assert listed[spoken.id]["workshop_id"] == workshop.id and listed[online.id]["workshop_id"] is None
    assert listed[spoken.id]["author"] == "Recueilli en atelier"
    [comment] = client.get(f"/api/v1/proposals/{online.id}/comments").get_json()["data"]
    assert comment["workshop_id"] == workshop.id


def test_a_past_workshop_offers_no_seats_and_no_calendar_file_a_coming_one_does(client):
    consultation = make_consultation("proposals")
    past = make_workshop(consultation, starts_in=timedelta(days=-1))
    coming = make_workshop(consultation, starts_in=timedelta(days=5))
    text = page(client.get(f"/ateliers/{past.id}"))
    assert "Ajouter à mon agenda" not in text and "Places prises" not in text
    text = page(client.get(f"/ateliers/{coming.id}"))
    assert "Ajouter à mon agenda" in text and "Places prises" in text


def test_an_organiser_takes_someone_off_the_list_with_a_reason_and_the_next_person_gets_the_seat(client, auth):
    workshop = make_workshop(capacity=1)
    first, second = make_user(pseudonym="Première"), make_user(pseudonym="Deuxième")
    ws.register(first, workshop, utcnow())
    ws.register(second, workshop, utcnow() + timedelta(seconds=1))
    db.session.commit()
    registration = ws.registration_of(first, workshop)
    url = f"/ateliers/{workshop.id}/inscriptions/{registration.id}/retrait"
    auth.login(make_user("organiser", workshop.consultation.territory))
    assert url in page(client.get(f"/ateliers/{workshop.id}/inscrits"))
    assert "Première est inscrit·e" in page(client.get(url))
    refused = client.post(url, data={"reason": ""})
    assert refused.status_code == 422 and "Donnez le motif du retrait." in page(refused)
    assert client.post(url, data={"reason": "x"}, csrf=False).status_code == 400
    response = client.post(url, data={"reason": "Inscription en double."})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/ateliers/{workshop.id}/inscrits")
    text = page(client.get(f"/ateliers/{workshop.id}/inscrits"))
    assert "La personne est retirée de l’atelier et en est informée." in text and "Première" not in text
    assert ws.registration_of(second, workshop).status == "confirmed"
    # Replayed: the registration is gone, nothing changes.
    assert client.post(url, data={"reason": "Inscription en double."}).status_code == 404
    assert db.session.get(Workshop, workshop.id).seats_taken == 1


def test_another_territorys_organiser_cannot_take_anyone_off_the_list(client, auth):
    workshop = make_workshop()
    person = make_user()
    ws.register(person, workshop, utcnow())
    db.session.commit()
    registration = ws.registration_of(person, workshop)
    url = f"/ateliers/{workshop.id}/inscriptions/{registration.id}/retrait"
    auth.login(make_user("organiser"))
    assert client.get(url).status_code == 403
    assert client.post(url, data={"reason": "Je ne suis pas d’ici."}).status_code == 403
    assert ws.registration_of(person, workshop) is not None


def test_an_organiser_cancels_a_workshop_which_then_takes_no_registration(client, auth):
    workshop = make_workshop()
    person = make_user()
    ws.register(person, workshop, utcnow())
    db.session.commit()
    organiser = make_user("organiser", workshop.consultation.territory)
    auth.login(organiser)
    url = f"/ateliers/{workshop.id}/annuler"
    assert url in page(client.get(f"/ateliers/{workshop.id}"))
    assert "1 personne inscrite ou en liste d’attente recevra le motif" in page(client.get(url))
    assert client.post(url, data={"reason": ""}).status_code == 422
    assert client.post(url, data={"reason": "Salle indisponible."}).status_code == 302
    text = page(client.get(f"/ateliers/{workshop.id}"))
    assert "Cet atelier est annulé" in text and "Motif : Salle indisponible." in text
    assert "Places prises" not in text and "atelier.ics" not in text  # no seats or calendar file to offer
    assert url not in text
    assert "· <strong>Annulé</strong>" in page(client.get(f"/consultations/{workshop.consultation_id}/ateliers"))
    assert client.post(url, data={"reason": "Salle indisponible."}).status_code == 403  # replayed
    assert "STATUS:CANCELLED" in client.get(f"/ateliers/{workshop.id}/atelier.ics").get_data(as_text=True)
    auth.logout()
    auth.login(make_user())
    text = page(client.get(f"/ateliers/{workshop.id}"))
    assert "M’inscrire" not in text and "Cet atelier est annulé" in text
    assert client.post(f"/ateliers/{workshop.id}/inscription").status_code == 403


def test_another_territorys_organiser_cannot_cancel_a_workshop(client, auth):
    workshop = make_workshop()
    auth.login(make_user("organiser"))
    assert client.post(f"/ateliers/{workshop.id}/annuler", data={"reason": "Pas le mien."}).status_code == 403
    assert db.session.get(Workshop, workshop.id).cancelled_at is None
