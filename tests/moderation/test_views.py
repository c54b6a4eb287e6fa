import csv
import io

import pytest

from concertation.db import utcnow
from concertation.extensions import db
from concertation.moderation import services
from tests.queries import statements_for
from tests.factories import make_comment, make_consultation, make_proposal, make_territory, make_user


def scene():
    territory = make_territory()
    organiser = make_user("organiser", territory)
    proposal = make_proposal(make_consultation("proposals", territory=territory, author=organiser))
    return territory, organiser, proposal


def test_reporting_a_proposal(client, auth):
    territory, organiser, proposal = scene()
    auth.login(make_user())
    page = client.get(f"/signaler/proposition/{proposal.id}").get_data(as_text=True)
    assert proposal.title in page and "charte de modération" in page
    missing = client.post(f"/signaler/proposition/{proposal.id}", data={"detail": "x"})
    assert missing.status_code == 422 and "Choisissez un motif" in missing.get_data(as_text=True)
    done = client.post(f"/signaler/proposition/{proposal.id}", data={"reason": "spam", "detail": "Pub"})
    assert done.status_code == 302
    again = client.post(f"/signaler/proposition/{proposal.id}", data={"reason": "spam"})
    assert again.status_code == 409 and "déjà signalé" in again.get_data(as_text=True)


def test_reporting_needs_a_confirmed_account_and_an_existing_target(client, auth):
    _, _, proposal = scene()
    assert client.get(f"/signaler/proposition/{proposal.id}").status_code == 302
    auth.login(make_user())
    assert client.get("/signaler/proposition/999999").status_code == 404
    assert client.get(f"/signaler/autre/{proposal.id}").status_code == 404
    auth.logout()
    auth.login(proposal.author)
    assert client.get(f"/signaler/proposition/{proposal.id}").status_code == 403


ROLES = ["visitor", "participant", "agent", "elu", "other_organiser", "organiser", "admin"]


def login_as(role, territory, auth):
    if role == "visitor":
        return
    if role == "participant":
        user = make_user()
    elif role == "other_organiser":
        user = make_user("organiser", make_territory())
    elif role == "admin":
        user = make_user("admin")
    else:
        user = make_user(role, territory)
    auth.login(user)


@pytest.mark.parametrize("role", ROLES)
def test_moderation_pages_are_for_the_territory_organisers_and_admins(client, auth, role):
    territory, organiser, proposal = scene()
    login_as(role, territory, auth)
    allowed = role in ("organiser", "admin")
    for url in (
        f"/territoires/{territory.slug}/moderation",
        f"/territoires/{territory.slug}/moderation/journal",
        f"/territoires/{territory.slug}/moderation/journal.csv",
        f"/territoires/{territory.slug}/moderation/blocages",
        f"/territoires/{territory.slug}/charte/modifier",
        f"/territoires/{territory.slug}/moderation/proposition/{proposal.id}/expurger",
    ):
        response = client.get(url)
        expected = 200 if allowed else (302 if role == "visitor" else 403)
        assert response.status_code == expected, url
        response.close()
    hide = client.post(
        f"/territoires/{territory.slug}/moderation/proposition/{proposal.id}/masquer", data={"reason": "Hors sujet"}
    )
    assert hide.status_code == (302 if allowed else (302 if role == "visitor" else 403))
    db.session.refresh(proposal)
    assert proposal.moderation == ("hidden" if allowed else "visible")


def test_an_organiser_cannot_moderate_another_territorys_content_by_forging_ids(client, auth):
    territory, organiser, proposal = scene()
    other_territory, other_organiser, _ = scene()
    auth.login(other_organiser)
    response = client.post(
        f"/territoires/{other_territory.slug}/moderation/proposition/{proposal.id}/masquer", data={"reason": "x"}
    )
    assert response.status_code == 404
    db.session.refresh(proposal)
    assert proposal.moderation == "visible"


def test_queue_hide_restore_and_log(client, auth):
    territory, organiser, proposal = scene()
    comment = make_comment(proposal, body="Mon voisin M. Martin")
    services.report(make_user(), comment, "personal_data", "Un nom", utcnow())
    db.session.commit()
    auth.login(organiser)
    html = client.get("/").get_data(as_text=True)
    assert "Modération" in html and "(1" in html
    queue = client.get(f"/territoires/{territory.slug}/moderation").get_data(as_text=True)
    assert "Mon voisin M. Martin" in queue and "Données personnelles — « Un nom »" in queue
    no_reason = client.post(
        f"/territoires/{territory.slug}/moderation/commentaire/{comment.id}/masquer", data={"reason": ""}
    )
    assert no_reason.status_code == 400 and "motif" in no_reason.get_data(as_text=True)
    client.post(
        f"/territoires/{territory.slug}/moderation/commentaire/{comment.id}/masquer",
        data={"reason": "Données personnelles"},
    )
    db.session.refresh(comment)
    assert comment.moderation == "hidden"
    log = client.get(f"/territoires/{territory.slug}/moderation/journal").get_data(as_text=True)
    assert "Masquage" in log and "Données personnelles" in log


def test_redact_through_the_page(client, auth):
    territory, organiser, proposal = scene()
    auth.login(organiser)
    url = f"/territoires/{territory.slug}/moderation/proposition/{proposal.id}/expurger"
    assert proposal.body in client.get(url).get_data(as_text=True)
    empty = client.post(url, data={"title": proposal.title, "body": ""})
    assert empty.status_code == 422
    done = client.post(url, data={"title": proposal.title, "body": "Texte sans nom", "reason": "Nom"})
    assert done.status_code == 302
    db.session.refresh(proposal)
    assert proposal.body == "Texte sans nom"


def test_log_csv_neutralises_formulas(client, auth):
    territory, organiser, proposal = scene()
    services.hide(organiser, proposal, '=HYPERLINK("http://evil")', utcnow())
    db.session.commit()
    auth.login(organiser)
    response = client.get(f"/territoires/{territory.slug}/moderation/journal.csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][0] == "date" and rows[1][5].startswith("'=")
    assert rows[1][2] == "Masquage" and rows[1][3] == "proposition"  # values in French too
    assert all(organiser.email not in cell for row in rows for cell in row)


def test_block_by_pseudonym_and_unblock(client, auth):
    territory, organiser, proposal = scene()
    target = make_user(pseudonym="Troll")
    auth.login(organiser)
    unknown = client.post(
        f"/territoires/{territory.slug}/moderation/blocages", data={"pseudonym": "Personne", "reason": "x"}
    )
    assert unknown.status_code == 422 and "Aucun·e participant·e" in unknown.get_data(as_text=True)
    assert (
        client.post(
            f"/territoires/{territory.slug}/moderation/blocages", data={"pseudonym": "troll", "reason": "Insultes"}
        ).status_code
        == 302
    )
    assert services.is_blocked(target.id, territory.id)
    assert client.post(f"/territoires/{territory.slug}/moderation/blocages/{target.id}/lever").status_code == 302
    assert not services.is_blocked(target.id, territory.id)


def test_charter_is_public_and_editable_by_organisers(client, auth):
    territory, organiser, _ = scene()
    assert "Charte de modération" in client.get(f"/territoires/{territory.slug}/charte").get_data(as_text=True)
    auth.login(organiser)
    bad = client.post(
        f"/territoires/{territory.slug}/charte/modifier",
        data={"charter": "Soyez **courtois**", "report_threshold": "0"},
    )
    assert bad.status_code == 422 and "Soyez **courtois**" in bad.get_data(as_text=True)
    client.post(
        f"/territoires/{territory.slug}/charte/modifier",
        data={"charter": "Soyez **courtois**", "report_threshold": "5", "dpo_contact": "dpo@ville.fr"},
    )
    html = client.get(f"/territoires/{territory.slug}/charte").get_data(as_text=True)
    assert "<strong>courtois</strong>" in html and "Après 5 signalements" in html and "dpo@ville.fr" in html


def test_the_navigation_counts_every_queue_of_an_organiser_in_one_query(client, auth):
    from concertation.territories.services import grant_role

    territory, organiser, proposal = scene()
    auth.login(organiser)
    one_territory = statements_for(client, "/")
    others = [make_territory(name=f"Ville {n}") for n in range(3)]
    for other in others:
        grant_role(other, organiser, "organiser")
    db.session.commit()
    make_proposal(make_consultation("proposals", territory=others[1]), moderation="pending")
    services.report(make_user(), proposal, "spam", "", utcnow())
    db.session.commit()
    assert statements_for(client, "/") == one_territory
    page = client.get("/").get_data(as_text=True)
    assert f"Modération {territory.name}" in page and f"Modération {others[1].name}" in page
    # The navigation is written twice (in full on wide screens, in the phone's menu).
    assert page.count("(1<span") == 4 and page.count("(0<span") == 4
