"""A vote that asks a FranceConnect-verified identity (or declared residence), and results that say how
many votes came from verified accounts."""

import pytest

from concertation.db import utcnow
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.identity.models import LinkedIdentity
from concertation.voting import results, services
from tests.factories import make_consultation, make_proposal, make_support, make_territory, make_user


def verified(user, subject: str | None = None) -> None:
    db.session.add(LinkedIdentity(user_id=user.id, provider="franceconnect", subject=subject or f"fc-{user.id}"))
    db.session.commit()


def test_a_vote_reserved_to_franceconnect_refuses_others_and_accepts_verified_people(app):
    consultation = make_consultation("vote")
    consultation.vote_assurance = "franceconnect"
    db.session.commit()
    proposal = make_proposal(consultation)
    plain, checked = make_user(), make_user()
    verified(checked)
    with pytest.raises(ActionRefused) as refusal:
        services.support(plain, proposal, utcnow())
    assert refusal.value.status == 403 and "FranceConnect" in refusal.value.message
    assert services.support(checked, proposal, utcnow()) == 1


def test_declared_residence_is_enough_where_the_organisers_accept_it(app):
    territory = make_territory()
    consultation = make_consultation("vote", territory=territory)
    consultation.vote_assurance = "residence"
    db.session.commit()
    proposal = make_proposal(consultation)
    resident, elsewhere = make_user(), make_user()
    resident.residence_territory_id = territory.id
    elsewhere.residence_territory_id = make_territory().id
    db.session.commit()
    assert services.support(resident, proposal, utcnow()) == 1
    with pytest.raises(ActionRefused) as refusal:
        services.support(elsewhere, proposal, utcnow())
    assert refusal.value.status == 403 and "déclarez votre résidence" in refusal.value.message


def test_the_vote_panel_says_what_identity_is_missing(client, auth):
    consultation = make_consultation("vote")
    consultation.vote_assurance = "franceconnect"
    db.session.commit()
    proposal = make_proposal(consultation)
    auth.login(make_user())
    page = client.get(f"/propositions/{proposal.id}").get_data(as_text=True)
    assert "Ce vote est réservé aux identités vérifiées par FranceConnect." in page
    assert "Lier mon identité FranceConnect" in page
    refused = client.post(f"/consultations/{consultation.id}/propositions/{proposal.id}/soutien")
    assert refused.status_code == 403


def test_results_count_the_votes_of_verified_accounts_only_when_counts_are_shown(app):
    consultation = make_consultation("vote", results_live=False)
    proposal = make_proposal(consultation)
    people = [make_user() for _ in range(3)]
    verified(people[0])
    for person in people:
        make_support(proposal, person)
    assert results.verified_votes(consultation, utcnow()) is None  # the vote is open, results not public
    consultation.results_live = True
    db.session.commit()
    assert results.verified_votes(consultation, utcnow()) is None  # live, under the floor of judges
    after = consultation.phase("vote").ends_at
    assert results.verified_votes(consultation, after) == results.VerifiedVotes(verified=1, total=3)


def test_the_results_page_says_how_many_votes_came_from_verified_accounts(client, app):
    consultation = make_consultation("vote", results_live=True)
    proposal = make_proposal(consultation)
    app.config["LIVE_RESULTS_MIN_JUDGES"] = 2
    for n, person in enumerate([make_user(), make_user()]):
        if n == 0:
            verified(person)
        make_support(proposal, person)
    page = client.get(f"/consultations/{consultation.id}/resultats").get_data(as_text=True)
    assert "1 vote sur 2 vient d’un compte dont l’identité est vérifiée par FranceConnect." in page


def test_an_admin_records_a_territorys_siren_and_a_wrong_one_is_refused(client, auth):
    from concertation.territories.models import Territory

    territory = make_territory()
    auth.login(make_user("admin"))
    form = {
        "name": territory.name,
        "name_article": "",
        "kind": territory.kind,
        "slug": territory.slug,
        "domains": "",
        "description": "",
    }
    wrong = client.post(f"/admin/territoires/{territory.slug}/modifier", data={**form, "siren": "1234"})
    assert wrong.status_code == 422 and "Le SIREN compte 9 chiffres" in wrong.get_data(as_text=True)
    done = client.post(f"/admin/territoires/{territory.slug}/modifier", data={**form, "siren": "213 502 388"})
    assert done.status_code == 302
    assert db.session.get(Territory, territory.id).siren == "213502388"
