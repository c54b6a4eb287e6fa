"""Profile answers stay out of every public output, except as thresholded figures; they leave with the person."""

import json

from concertation.accounts import personal_data
from concertation.db import utcnow
from concertation.extensions import db
from concertation.participation import services
from concertation.participation.models import ParticipationProfile
from concertation.synthesis import services as synthesis
from tests.factories import make_territory, make_user
from tests.participation.scene import AGES, AREAS, area_named, supporters
from tests.manifesto.scene import published_synthesis
from tests.url_walk import rules, urls

HAMLET = "Hameau-Zorglub"  # the one person's place, in a territory of its own


def _scene():
    """A published synthesis whose consultation has 12 profiled supporters and one person from a hamlet."""
    consultation, version, organiser = published_synthesis()
    services.set_population(consultation.territory, dict(AGES), list(AREAS))
    elsewhere = make_territory()
    services.set_population(elsewhere, {}, [services.AreaFigure(HAMLET, 40, None)])
    people = supporters(consultation, [("30-44", "Centre")] * 12)
    loner = supporters(consultation, [(None, None)])[0]
    services.save_profile(loner, "75+", str(area_named(elsewhere, HAMLET).id), "agent", "1", True, utcnow())
    draft = consultation_synthesis(consultation)
    new = synthesis.publish(organiser, draft, utcnow(), change_note="Avec les chiffres de participation.")
    db.session.commit()
    return consultation, new, people, loner


def consultation_synthesis(consultation):
    from sqlalchemy import select
    from concertation.synthesis.models import Synthesis

    return db.session.scalar(select(Synthesis).where(Synthesis.consultation_id == consultation.id))


def test_the_published_synthesis_freezes_the_comparison_without_a_group_under_ten(client):
    consultation, version, _people, _loner = _scene()
    frozen = version.figures["representativeness"]
    assert frozen["participants"] >= 13
    age = {row["key"]: row["count"] for row in frozen["dimensions"][0]["rows"]}
    assert age["30-44"] == 12 and age["75+"] is None
    page = client.get(f"/consultations/{consultation.id}/synthese").get_data(as_text=True)
    assert "Qui a participé" in page and "Les limites de ces chiffres" in page
    # Later profiles do not change what was published.
    supporters(consultation, [("75+", "Centre")] * 10)
    db.session.refresh(version)
    assert version.figures["representativeness"] == frozen


def test_no_public_output_carries_a_profile_answer(app, client):
    consultation, version, _people, _loner = _scene()
    values = {
        "consultation_id": consultation.id,
        "slug": consultation.territory.slug,
        "number": version.number,
        "version_id": version.id,
    }
    walked = 0
    for rule, _methods in rules(app, methods=("GET",)):
        for path in urls(rule, values):
            response = client.get(path)
            textual = response.mimetype.startswith("text/") or response.mimetype.endswith(("json", "csv"))
            if response.status_code != 200 or not textual:
                continue  # PDF, ODT, ODS: made from the same figures as the pages and data walked here
            body = response.get_data(as_text=True)
            walked += 1
            assert HAMLET not in body, path
            assert "Agriculteur" not in body, path  # the loner's professional category is never shown
            assert "participation_profile" not in body and "lives_elsewhere" not in body, path
    assert walked > 20


def test_the_data_download_holds_the_profile_and_deletion_erases_it(client, auth):
    territory = make_territory()
    services.set_population(territory, {}, [services.AreaFigure("Les Prés", 400, "99102")])
    user = make_user()
    services.save_profile(user, "60-74", str(area_named(territory, "Les Prés").id), "both", "7", True, utcnow())
    db.session.commit()
    auth.login(user)
    data = json.loads(client.get("/compte/mes-donnees.json").get_data(as_text=True))
    profile = data["participation_profile"]
    assert profile["age_band"] == "60-74" and profile["area"]["name"] == "Les Prés"
    assert profile["professional_category_label"] == "Retraité·es" and profile["consent_text"]
    personal_data.delete_account(user, utcnow())
    db.session.commit()
    assert db.session.query(ParticipationProfile).filter_by(user_id=user.id).count() == 0


def test_a_person_without_a_profile_downloads_none(client, auth):
    user = make_user()
    auth.login(user)
    data = json.loads(client.get("/compte/mes-donnees.json").get_data(as_text=True))
    assert data["participation_profile"] is None
