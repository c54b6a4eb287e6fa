"""Signing in with FranceConnect and ProConnect against real providers on loopback: first visit, return,
linking, refusals of forged or replayed answers, logout at the provider, ProConnect agents."""

import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from sqlalchemy import select

from concertation.accounts.models import User
from concertation.extensions import db
from concertation.identity.models import LinkedIdentity
from concertation.territories.models import Membership
from tests.factories import PASSWORD, make_territory, make_user


def signed_in_name(client) -> str | None:
    page = client.get("/compte/profil")
    return None if page.status_code != 200 else page.get_data(as_text=True)


def test_the_sign_in_page_offers_the_configured_providers_with_their_about_link(client):
    page = client.get("/compte/connexion").get_data(as_text=True)
    assert 'S’identifier avec</span> <span class="connect-brand">FranceConnect' in page
    assert "Qu’est-ce que FranceConnect\u00a0?" in page
    assert 'href="https://franceconnect.gouv.fr/"' in page and 'target="_blank"' in page
    assert "ProConnect" in page and 'href="https://www.proconnect.gouv.fr/"' in page


def test_the_authorization_request_carries_state_nonce_pkce_and_the_eidas_level(journey, providers):
    url = journey.to_provider("franceconnect")
    query = parse_qs(urlsplit(url).query)
    assert url.startswith(providers["franceconnect"].issuer + "/authorize")
    assert len(query["state"][0]) >= 32 and len(query["nonce"][0]) >= 32  # ProConnect's minimum
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert query["acr_values"] == ["eidas1"]
    assert query["scope"] == ["openid email"]
    assert query["redirect_uri"] == ["http://localhost/compte/connexion/franceconnect/retour"]
    proconnect = parse_qs(urlsplit(journey.to_provider("proconnect")).query)
    assert proconnect["scope"] == ["openid email siret"]


def test_first_visit_asks_a_pseudonym_then_creates_a_confirmed_account(journey, client):
    response = journey.sign_in("franceconnect", sub="fc-1", email="Camille@Exemple.org", given_name="Camille")
    assert response.status_code == 302 and response.headers["Location"].endswith("/compte/bienvenue")
    page = client.get("/compte/bienvenue")
    assert "Choisissez le pseudonyme" in page.get_data(as_text=True)
    refused = client.post("/compte/bienvenue", data={"pseudonym": "Camille du bourg"})
    assert refused.status_code == 422  # terms not accepted
    done = client.post("/compte/bienvenue", data={"pseudonym": "Camille du bourg", "accept_terms": "y"})
    assert done.status_code == 302
    user = db.session.scalar(select(User).where(User.pseudonym == "Camille du bourg"))
    assert user.email == "camille@exemple.org" and user.confirmed_at is not None and user.password_hash is None
    assert user.name is None  # the given name was not asked for a use, and is not kept
    identity = db.session.scalar(select(LinkedIdentity).where(LinkedIdentity.user_id == user.id))
    assert (identity.provider, identity.subject, identity.acr) == ("franceconnect", "fc-1", "eidas1")
    assert "Camille du bourg" in signed_in_name(client)

    # Signed out, the next FranceConnect sign-in opens the same account, without the welcome page.
    client.post("/compte/deconnexion")
    again = journey.sign_in("franceconnect", sub="fc-1", email="camille@exemple.org")
    assert again.status_code == 302 and not again.headers["Location"].endswith("/bienvenue")
    assert "Camille du bourg" in signed_in_name(client)


def test_an_existing_email_account_is_not_linked_silently_but_after_its_password(journey, client):
    owner = make_user(email="dominique@exemple.org", pseudonym="Dominique")
    response = journey.sign_in("franceconnect", sub="fc-2", email="dominique@exemple.org")
    assert response.headers["Location"].endswith("/compte/lier")
    assert signed_in_name(client) is None  # not signed in into the account by the email match
    assert db.session.scalar(select(LinkedIdentity)) is None
    wrong = client.post("/compte/lier", data={"password": "pas le bon mot de passe"})
    assert wrong.status_code == 422 and db.session.scalar(select(LinkedIdentity)) is None
    right = client.post("/compte/lier", data={"password": PASSWORD})
    assert right.status_code == 302
    identity = db.session.scalar(select(LinkedIdentity))
    assert identity.user_id == owner.id and identity.subject == "fc-2"
    assert "Dominique" in signed_in_name(client)


def test_an_existing_account_can_be_linked_by_a_link_sent_to_its_address(journey, client, outbox):
    owner = make_user(email="sacha@exemple.org", pseudonym="Sacha")
    journey.sign_in("franceconnect", sub="fc-3", email="sacha@exemple.org")
    sent = client.post("/compte/lier/courriel", data={})
    assert sent.status_code == 302
    message = [m for m in outbox if m["to"] == "sacha@exemple.org"][-1]
    link = next(word for word in message.get_content().split() if "/compte/lier/confirmer/" in word)
    opened = client.get(urlsplit(link).path)
    assert opened.status_code == 302
    assert db.session.scalar(select(LinkedIdentity)).user_id == owner.id
    assert "Sacha" in signed_in_name(client)
    # The link is for one identity and account: used again, it links nothing more.
    assert client.get(urlsplit(link).path).status_code in (302, 409)


def test_a_signed_in_person_links_and_unlinks_keeping_a_way_to_sign_in(journey, client, auth):
    user = make_user(pseudonym="Alix")
    auth.login(user)
    linked = journey.sign_in("franceconnect", sub="fc-4", email="autre@exemple.org")
    assert linked.headers["Location"].endswith("/compte/profil")
    identity = db.session.scalar(select(LinkedIdentity))
    assert identity.user_id == user.id
    profile = client.get("/compte/profil").get_data(as_text=True)
    assert "Identités liées" in profile and "Délier" in profile
    assert client.post(f"/compte/identites/{identity.id}/delier").status_code == 302
    assert db.session.scalar(select(LinkedIdentity)) is None


def test_unlinking_the_only_way_to_sign_in_is_refused(journey, client):
    journey.sign_in("franceconnect", sub="fc-5", email="seul@exemple.org")
    client.post("/compte/bienvenue", data={"pseudonym": "Sans mot de passe", "accept_terms": "y"})
    identity = db.session.scalar(select(LinkedIdentity))
    refused = client.post(f"/compte/identites/{identity.id}/delier")
    assert refused.status_code == 409
    assert "seul moyen de connexion" in refused.get_data(as_text=True)
    assert db.session.scalar(select(LinkedIdentity)) is not None


# Refusals ------------------------------------------------------------------------------------------


def test_a_tampered_state_is_refused(journey, client):
    back = journey.back_from_provider(journey.to_provider("franceconnect"))
    forged = back.replace("state=", "state=x")
    response = journey.callback(forged)
    assert response.status_code == 400
    assert "pas attendue par ce navigateur" in response.get_data(as_text=True)
    assert db.session.scalar(select(LinkedIdentity)) is None


def test_a_replayed_callback_is_refused(journey, client):
    back = journey.back_from_provider(journey.to_provider("franceconnect"))
    assert journey.callback(back).status_code == 302
    assert journey.callback(back).status_code == 400


def test_a_state_from_another_session_is_refused(journey, app, providers):
    # The victim's browser receives the attacker's answer: its session never asked for that state.
    attacker = app.test_client()
    from tests.identity.conftest import Journey

    back = Journey(attacker, providers).back_from_provider(Journey(attacker, providers).to_provider("franceconnect"))
    assert journey.callback(back).status_code == 400


@pytest.mark.parametrize(
    "tamper, what",
    [
        ({"nonce": "pas-le-bon"}, "wrong nonce"),
        ({"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200}, "expired"),
        ({"wrong_key": True}, "signed with another key"),
        ({"iss": "https://faux-fournisseur.exemple"}, "wrong issuer"),
        ({"aud": "un-autre-client"}, "wrong audience"),
        ({"acr": "aucun"}, "acr below the level asked"),
    ],
)
def test_an_id_token_that_does_not_check_out_is_refused(journey, providers, tamper, what):
    providers["franceconnect"].tamper = tamper
    response = journey.sign_in("franceconnect", sub="fc-6", email="x@exemple.org")
    assert response.status_code == 400, what
    assert "n’a pas pu être vérifiée" in response.get_data(as_text=True), what
    assert db.session.scalar(select(LinkedIdentity)) is None


def test_the_person_cancelling_at_the_provider_is_told_plainly(journey, client):
    url = journey.to_provider("franceconnect")
    state = parse_qs(urlsplit(url).query)["state"][0]
    response = client.get(
        "/compte/connexion/franceconnect/retour", query_string={"error": "access_denied", "state": state}
    )
    assert response.status_code == 303 and response.headers["Location"].endswith("/compte/connexion")
    page = client.get("/compte/connexion").get_data(as_text=True)
    assert "Vous avez annulé la connexion avec FranceConnect" in page


def test_a_provider_that_is_down_gets_a_french_503_page(journey, providers, app):
    app.extensions["oidc"].create_client("franceconnect").server_metadata.clear()
    providers["franceconnect"].down = True
    response = journey.client.get("/compte/connexion/franceconnect")
    assert response.status_code == 503
    assert "FranceConnect ne répond pas" in response.get_data(as_text=True)


def test_a_provider_that_goes_down_during_the_callback_gets_a_503(journey, providers):
    back = journey.back_from_provider(journey.to_provider("franceconnect"))
    providers["franceconnect"].down = True
    response = journey.callback(back)
    assert response.status_code == 503
    assert "FranceConnect ne répond pas" in response.get_data(as_text=True)


def test_an_unconfigured_provider_is_404(client):
    assert client.get("/compte/connexion/inconnu").status_code == 404


# Logout at the provider ------------------------------------------------------------------------------


def test_signing_out_ends_the_session_at_the_provider(journey, client, providers):
    journey.sign_in("franceconnect", sub="fc-7", email="fin@exemple.org")
    client.post("/compte/bienvenue", data={"pseudonym": "Fin de session", "accept_terms": "y"})
    out = client.post("/compte/deconnexion")
    assert out.status_code == 302
    end_session = out.headers["Location"]
    query = parse_qs(urlsplit(end_session).query)
    assert end_session.startswith(providers["franceconnect"].issuer + "/session/end")
    assert query["post_logout_redirect_uri"] == ["http://localhost/compte/deconnexion/retour"]
    assert query["id_token_hint"][0].count(".") == 2 and len(query["state"][0]) >= 32
    back = requests.get(end_session, allow_redirects=False, timeout=5)
    assert back.status_code == 302 and providers["franceconnect"].logouts
    returned = client.get(
        urlsplit(back.headers["Location"]).path, query_string=urlsplit(back.headers["Location"]).query
    )
    assert returned.status_code == 302
    assert "de votre fournisseur d’identité" in client.get("/").get_data(as_text=True)
    assert signed_in_name(client) is None


# ProConnect agents -------------------------------------------------------------------------------------


def test_proconnect_with_the_territorys_siren_makes_a_verified_agent_without_invitation(journey, client):
    territory = make_territory(name="Saint-Aubin")
    territory.siren = "213502388"
    db.session.commit()
    journey.sign_in("proconnect", sub="pc-1", email="agent@prestataire.fr", siret="21350238800019")
    client.post("/compte/bienvenue", data={"pseudonym": "Agent Aubin", "accept_terms": "y"})
    user = db.session.scalar(select(User).where(User.pseudonym == "Agent Aubin"))
    membership = db.session.scalar(select(Membership).where(Membership.user_id == user.id))
    assert (membership.territory_id, membership.role, membership.source) == (territory.id, "agent", "proconnect-siren")
    identity = db.session.scalar(select(LinkedIdentity).where(LinkedIdentity.user_id == user.id))
    assert identity.siret == "21350238800019"
    assert "vérifié par ProConnect" in client.get("/compte/profil").get_data(as_text=True)


def test_proconnect_with_the_territorys_domain_makes_an_agent_and_another_siret_does_not(journey, client):
    from concertation.territories.services import update_territory

    territory = make_territory(name="Lyon")
    update_territory(territory, territory.name, territory.kind, territory.slug, None, ["mairie-lyon.fr"])
    other = make_territory(name="Ailleurs")
    other.siren = "999999999"
    db.session.commit()
    journey.sign_in("proconnect", sub="pc-2", email="agent@dsi.mairie-lyon.fr", siret="21690123100011")
    client.post("/compte/bienvenue", data={"pseudonym": "Agent Lyon", "accept_terms": "y"})
    user = db.session.scalar(select(User).where(User.pseudonym == "Agent Lyon"))
    memberships = db.session.scalars(select(Membership).where(Membership.user_id == user.id)).all()
    assert [(m.territory_id, m.source) for m in memberships] == [(territory.id, "proconnect-domain")]


def test_the_content_security_policy_lets_forms_lead_to_the_providers(client, providers):
    policy = client.get("/compte/connexion").headers["Content-Security-Policy"]
    assert f"form-action 'self' {providers['franceconnect'].url} {providers['proconnect'].url}" in policy or (
        f"form-action 'self' {providers['proconnect'].url} {providers['franceconnect'].url}" in policy
    )


def test_the_callback_is_rate_limited_like_the_sign_in_form(limited_app, providers):
    client = limited_app.test_client()
    statuses = [client.get("/compte/connexion/franceconnect/retour?code=x&state=y").status_code for _ in range(21)]
    assert statuses[:20] == [400] * 20
    assert statuses[20] == 429


@pytest.mark.parametrize(
    "data",
    [
        {"pseudonym": "x" * 5000, "accept_terms": "y"},
        {"pseudonym": "\x00<script>", "accept_terms": "y"},
        {"pseudonym": ["a", "b"], "accept_terms": ["y", "n"]},
        {},
    ],
)
def test_hostile_input_on_the_first_visit_and_linking_pages_is_a_4xx(journey, client, data):
    make_user(email="hostile@exemple.org")
    journey.sign_in("franceconnect", sub="fc-hostile", email="nouveau@exemple.org")
    assert 400 <= client.post("/compte/bienvenue", data=data).status_code < 500
    journey.sign_in("franceconnect", sub="fc-hostile-2", email="hostile@exemple.org")
    assert 400 <= client.post("/compte/lier", data={"password": data.get("pseudonym", "")}).status_code < 500
    assert client.post("/compte/lier/courriel", data={}, csrf=False).status_code == 400


# Deleting an account that has no password ---------------------------------------------------------


def _passwordless_account(journey, client, sub: str) -> User:
    journey.sign_in("franceconnect", sub=sub, email=f"{sub}@exemple.org")
    client.post("/compte/bienvenue", data={"pseudonym": f"Sans mot de passe {sub}", "accept_terms": "y"})
    return db.session.scalar(select(User).where(User.pseudonym == f"Sans mot de passe {sub}"))


def test_an_account_without_password_is_deleted_once_its_provider_confirms_the_person(journey, client):
    user = _passwordless_account(journey, client, "fc-del")
    page = client.get("/compte/mes-donnees").get_data(as_text=True)
    assert "FranceConnect vous demandera de vous identifier de nouveau" in page
    assert 'name="password"' not in page
    asked = client.post("/compte/supprimer", data={"confirm": "y"})
    assert asked.status_code == 303 and asked.headers["Location"].endswith("/compte/connexion/franceconnect")
    to_provider = journey.to_provider("franceconnect")
    assert parse_qs(urlsplit(to_provider).query)["prompt"] == ["login"]
    done = journey.callback(journey.back_from_provider(to_provider))
    assert done.status_code == 302 and done.headers["Location"].endswith("/")
    db.session.refresh(user)
    assert user.deleted_at is not None and user.email is None
    assert db.session.scalar(select(LinkedIdentity)) is None
    assert signed_in_name(client) is None


def test_another_identity_at_the_provider_does_not_confirm_the_deletion(journey, client, providers):
    user = _passwordless_account(journey, client, "fc-del2")
    client.post("/compte/supprimer", data={"confirm": "y"})
    providers["franceconnect"].next_claims = {"sub": "someone-else", "email": "autre@exemple.org"}
    refused = journey.callback(journey.back_from_provider(journey.to_provider("franceconnect")))
    assert refused.status_code == 303 and refused.headers["Location"].endswith("/compte/mes-donnees")
    db.session.refresh(user)
    assert user.deleted_at is None
    assert "Sans mot de passe fc-del2" in signed_in_name(client)


def test_without_the_box_ticked_nothing_is_asked_of_the_provider(journey, client):
    user = _passwordless_account(journey, client, "fc-del3")
    refused = client.post("/compte/supprimer", data={})
    assert refused.status_code == 422 and "Cochez la case" in refused.get_data(as_text=True)
    db.session.refresh(user)
    assert user.deleted_at is None
