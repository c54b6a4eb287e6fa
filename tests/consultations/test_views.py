import io
import re
from datetime import timedelta

from concertation import phases
from concertation.accounts.models import User
from concertation.consultations.models import Consultation, Resource
from concertation.dates import utc_to_paris
from concertation.db import utcnow
from concertation.extensions import db
from tests.factories import make_consultation, make_proposal_row, make_territory, make_user


def form_data(**kw):
    data = {
        "title": "Former les agents à l’IA",
        "summary": "Vos priorités de formation",
        "description": "Une **belle** description",
        "themes": "Formation\nAccueil",
        "audience": "both",
        "voting_method": "support",
        "support_limit": "3",
    }
    for d in phases.consecutive_phases("proposals", utcnow()):
        data[f"{d.kind}_start"] = utc_to_paris(d.starts_at).strftime("%Y-%m-%d")
    data.update(kw)
    return data


def test_organiser_creates_a_consultation(client, auth):
    territory = make_territory()
    auth.login(make_user("organiser", territory))
    response = client.post(f"/territoires/{territory.slug}/consultations/nouvelle", data=form_data())
    assert response.status_code == 302
    consultation = db.session.query(Consultation).one()
    assert consultation.support_limit == 3 and consultation.audience == "both"
    html = client.get(f"/consultations/{consultation.id}").get_data(as_text=True)
    assert "Former les agents à l’IA" in html and "<strong>belle</strong>" in html
    assert 'aria-current="step"' in html and "Étape 2 sur 5\u00a0: Propositions" in html
    assert "Formation" in html and "Accueil" in html


def test_five_days_make_the_calendar_each_phase_ending_when_the_next_begins_at_paris_midnight(client, auth):
    territory = make_territory()
    auth.login(make_user("organiser", territory))
    days = ["2026-07-01", "2026-07-15", "2026-09-01", "2026-09-20", "2026-10-31"]
    data = form_data(**{f"{kind}_start": day for kind, day in zip(phases.PHASE_ORDER, days)})
    assert "information_end" not in client.get(f"/territoires/{territory.slug}/consultations/nouvelle").get_data(
        as_text=True
    )
    assert client.post(f"/territoires/{territory.slug}/consultations/nouvelle", data=data).status_code == 302
    consultation = db.session.query(Consultation).one()
    stored = [
        (p.kind, p.starts_at.isoformat(), p.ends_at.isoformat() if p.ends_at else None)
        for p in sorted(consultation.phases, key=lambda p: phases.PHASE_ORDER.index(p.kind))
    ]
    assert stored == [
        ("information", "2026-06-30T22:00:00+00:00", "2026-07-14T22:00:00+00:00"),
        ("proposals", "2026-07-14T22:00:00+00:00", "2026-08-31T22:00:00+00:00"),
        ("vote", "2026-08-31T22:00:00+00:00", "2026-09-19T22:00:00+00:00"),
        ("synthesis", "2026-09-19T22:00:00+00:00", "2026-10-30T23:00:00+00:00"),  # winter time from 25 October
        ("closed", "2026-10-30T23:00:00+00:00", None),
    ]


def test_saving_the_edit_form_untouched_keeps_the_hours_of_the_phases(client, auth):
    consultation = make_consultation("vote")
    before = {p.kind: (p.starts_at, p.ends_at) for p in consultation.phases}
    auth.login(db.session.get(type(make_user()), consultation.created_by_id))
    from tests.core.test_crawl import parse, rendered_values

    page = parse(client.get(f"/consultations/{consultation.id}/modifier").get_data(as_text=True))
    form = next(f for f in page.forms if f.method == "post" and any(n == "title" for n, *_ in f.fields))
    from werkzeug.datastructures import MultiDict

    response = client.post(
        f"/consultations/{consultation.id}/modifier", data=MultiDict(rendered_values(form)), csrf=False
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert {p.kind: (p.starts_at, p.ends_at) for p in db.session.get(Consultation, consultation.id).phases} == before


def test_premoderation_is_chosen_in_the_form(client, auth):
    territory = make_territory()
    auth.login(make_user("organiser", territory))
    client.post(f"/territoires/{territory.slug}/consultations/nouvelle", data=form_data(premoderation="y"))
    assert db.session.query(Consultation).one().premoderation is True


def test_a_new_consultation_starts_from_an_earlier_one(client, auth):
    earlier = make_consultation(
        "closed", voting_method="majority", themes=["Formation", "Données"], title="Première édition sur l’IA"
    )
    earlier.premoderation = True
    db.session.commit()
    territory = earlier.territory
    auth.login(db.session.get(type(make_user()), earlier.created_by_id))
    page = client.get(f"/territoires/{territory.slug}/consultations/nouvelle").get_data(as_text=True)
    assert "Partir d’une consultation précédente" in page and f'value="{earlier.id}"' in page
    html = client.get(f"/territoires/{territory.slug}/consultations/nouvelle?modele={earlier.id}").get_data(
        as_text=True
    )
    assert "Première édition sur l’IA (nouvelle édition)" in html and "Formation\nDonnées" in html
    assert '<input checked id="voting_method-1" name="voting_method" type="radio" value="majority">' in html
    assert re.search(r'<input [^>]*checked id="premoderation"', html)
    assert db.session.query(Consultation).count() == 1  # nothing created before the form is sent
    other = make_consultation("closed")
    assert client.get(f"/territoires/{territory.slug}/consultations/nouvelle?modele={other.id}").status_code == 404


def test_bad_dates_are_refused_next_to_the_field_and_nothing_is_lost(client, auth):
    territory = make_territory()
    auth.login(make_user("organiser", territory))
    data = form_data(vote_start=form_data()["proposals_start"])
    response = client.post(f"/territoires/{territory.slug}/consultations/nouvelle", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "«\u00a0Vote\u00a0» doit commencer après «\u00a0Propositions\u00a0»" in html
    assert 'id="vote_start-error"' in html
    assert "Une **belle** description" in html and 'value="Former les agents à l’IA"' in html
    assert db.session.query(Consultation).count() == 0


def test_malformed_dates_are_a_422_not_a_500(client, auth):
    territory = make_territory()
    auth.login(make_user("organiser", territory))
    response = client.post(
        f"/territoires/{territory.slug}/consultations/nouvelle",
        data=form_data(information_start="31/02/2026", support_limit="beaucoup"),
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "date valide" in html and "entier valide" in html


def test_a_participant_may_not_create_or_edit(client, auth):
    consultation = make_consultation()
    auth.login(make_user())
    assert client.get(f"/territoires/{consultation.territory.slug}/consultations/nouvelle").status_code == 403
    assert (
        client.post(f"/territoires/{consultation.territory.slug}/consultations/nouvelle", data=form_data()).status_code
        == 403
    )
    assert client.post(f"/consultations/{consultation.id}/modifier", data=form_data()).status_code == 403


def test_an_organiser_of_another_territory_may_not_edit(client, auth):
    consultation = make_consultation()
    auth.login(make_user("organiser", make_territory()))
    assert client.get(f"/consultations/{consultation.id}/modifier").status_code == 403
    assert client.get(f"/consultations/{consultation.id}/ressources").status_code == 403


def test_organiser_edits_a_consultation(client, auth):
    consultation = make_consultation("information")
    auth.login(consultation_organiser(consultation))
    page = client.get(f"/consultations/{consultation.id}/modifier").get_data(as_text=True)
    assert consultation.title in page and "Formation" in page
    response = client.post(f"/consultations/{consultation.id}/modifier", data=form_data(title="Nouveau titre"))
    assert response.status_code == 302
    db.session.refresh(consultation)
    assert consultation.title == "Nouveau titre"


def consultation_organiser(consultation):
    from concertation.territories.services import members

    return members(consultation.territory, "organiser")[0]


def test_agents_only_consultations_are_hidden_from_others(client, auth):
    consultation = make_consultation(audience="agents")
    assert client.get(f"/consultations/{consultation.id}").status_code == 403
    assert consultation.title not in client.get("/").get_data(as_text=True)
    auth.login(make_user("agent", make_territory()))
    assert client.get(f"/consultations/{consultation.id}").status_code == 403
    auth.logout()
    auth.login(make_user("agent", consultation.territory))
    assert client.get(f"/consultations/{consultation.id}").status_code == 200
    assert consultation.title in client.get("/").get_data(as_text=True)


def test_home_lists_open_consultations_with_territory_phase_and_dates(client):
    consultation = make_consultation("vote")
    html = client.get("/").get_data(as_text=True)
    assert consultation.title in html and consultation.territory.name in html
    assert "Phase\u00a0: Vote" in html and "Vote jusqu’au" in html


def test_unknown_consultation_is_404(client):
    assert client.get("/consultations/999999").status_code == 404


def test_resources_link_and_document(client, auth, app):
    consultation = make_consultation("information")
    auth.login(consultation_organiser(consultation))
    url = f"/consultations/{consultation.id}/ressources"
    assert client.post(url, data={"title": "Guide", "url": "https://www.cnil.fr/"}).status_code == 302
    pdf = (io.BytesIO(b"%PDF-1.4 test"), "fiche IA.pdf")
    assert client.post(url, data={"title": "Fiche", "file": pdf}, content_type="multipart/form-data").status_code == 302
    exe = (io.BytesIO(b"MZ"), "virus.exe")
    refused = client.post(url, data={"title": "Mauvais", "file": exe}, content_type="multipart/form-data")
    assert refused.status_code == 422 and "pas accepté" in refused.get_data(as_text=True)

    auth.logout()
    page = client.get(f"/consultations/{consultation.id}").get_data(as_text=True)
    assert "Guide" in page and "Fiche" in page
    document = db.session.query(Resource).filter_by(kind="document").one()
    download = client.get(f"/ressources/{document.id}/document")
    assert download.status_code == 200 and download.data == b"%PDF-1.4 test"
    assert download.mimetype == "application/pdf"
    download.close()


def test_remove_resource_of_another_consultation_is_404(client, auth):
    consultation = make_consultation("information")
    other = make_consultation("information")
    from concertation.consultations.services import add_resource

    resource = add_resource(other, "Lien", "", "https://exemple.org")
    db.session.commit()
    auth.login(consultation_organiser(consultation))
    response = client.post(f"/consultations/{consultation.id}/ressources/{resource.id}/retirer")
    assert response.status_code == 404
    assert db.session.get(Resource, resource.id) is not None


def test_home_is_paginated(client):
    for _ in range(14):
        make_consultation("vote")
    first = client.get("/").get_data(as_text=True)
    assert first.count('class="card consultation-card"') == 6 and "(14)" in first
    assert "Voir les 14 consultations" in first and "section=current" in first
    section = client.get("/?section=current").get_data(as_text=True)
    assert section.count('class="card consultation-card"') == 12 and 'rel="next"' in section
    second = client.get("/?section=current&page=2").get_data(as_text=True)
    assert second.count('class="card consultation-card"') == 2
    assert client.get("/?section=current&page=999").status_code == 200


def test_home_sorts_consultations_into_running_upcoming_and_finished(client):
    running = make_consultation("proposals")
    upcoming = make_consultation("upcoming")
    finished = make_consultation("closed")
    html = client.get("/").get_data(as_text=True)
    sections = {name: html.index(f'id="section-{name}"') for name in ("current", "upcoming", "finished")}
    assert sections["current"] < html.index(running.title) < sections["upcoming"]
    assert sections["upcoming"] < html.index(upcoming.title) < sections["finished"]
    assert sections["finished"] < html.index(finished.title)
    assert "Propositions jusqu’au" in html and "Ouverture le" in html and "Terminée le" in html


def test_home_filters_by_territory_theme_phase_and_words(client):
    north = make_territory(name="Communauté du Nord")
    by_territory = make_consultation("vote", territory=north, title="Les agents et l’IA générative")
    by_theme = make_consultation("proposals", themes=["Santé"], title="L’IA à l’hôpital de jour")
    other = make_consultation("proposals", title="Une autre consultation")
    page = client.get(f"/?territory={north.slug}").get_data(as_text=True)
    assert by_territory.title in page and other.title not in page and by_theme.title not in page
    page = client.get("/?theme=inconnu").get_data(as_text=True)
    assert other.title in page  # a theme no consultation has is ignored
    page = client.get("/?theme=Sant%C3%A9").get_data(as_text=True)
    assert by_theme.title in page and other.title not in page
    page = client.get("/?phase=vote").get_data(as_text=True)
    assert by_territory.title in page and by_theme.title not in page
    page = client.get("/?q=H%C3%94PITAL").get_data(as_text=True)
    assert by_theme.title in page and other.title not in page
    page = client.get("/?q=%25").get_data(as_text=True)
    assert "Aucune consultation ne correspond à ces critères." in page
    # Unknown values are ignored, not an error.
    ignored = client.get("/?territory=nulle-part&phase=bientot&section=x")
    assert ignored.status_code == 200 and other.title in ignored.get_data(as_text=True)


def test_finished_consultation_card_links_its_published_synthesis(client):
    from concertation.synthesis import services as syntheses

    consultation = make_consultation("closed")
    organiser = db.session.get(User, consultation.created_by_id)
    retained = make_proposal_row(consultation, answer="retained", theme=consultation.themes[0])
    synthesis = syntheses.start_synthesis(organiser, consultation)
    syntheses.update_synthesis(synthesis, "Synthèse : former avant d’équiper", "Introduction.", {})
    syntheses.set_retained(synthesis, [retained.id])
    syntheses.publish(organiser, synthesis, consultation.phase("synthesis").starts_at + timedelta(days=1))
    db.session.commit()
    unpublished = make_consultation("closed")
    html = client.get("/").get_data(as_text=True)
    assert f"/consultations/{consultation.id}/synthese" in html and "Lire la synthèse" in html
    assert f"/consultations/{unpublished.id}/synthese" not in html
