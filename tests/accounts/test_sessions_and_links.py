"""Attacks on accounts over HTTP: a confirmation link used twice or on someone else's browser,
links and sessions that outlive a password change, copied cookies, stolen invitation links."""

import re
from datetime import timedelta

from sqlalchemy import select

from concertation.accounts.models import User
from concertation.db import utcnow
from concertation.extensions import db
from tests.factories import PASSWORD, make_territory, make_user

LINK = re.compile(r"http://localhost(/\S+)")
NEW_PASSWORD = "une toute nouvelle phrase"


def last_link(outbox, to: str) -> str:
    message = [m for m in outbox if m["To"] == to][-1]
    return LINK.search(message.get_content()).group(1)


def signed_in(client) -> bool:
    return client.get("/compte/profil").status_code == 200


def sign_up(client, email="camille@exemple.org", pseudonym="Camille"):
    response = client.post(
        "/compte/inscription",
        data={"email": email, "pseudonym": pseudonym, "password": "une phrase de passe", "accept_terms": "y"},
    )
    assert response.status_code == 302
    return response


def copy_cookie(source, target, name: str) -> None:
    cookie = source.get_cookie(name)
    assert cookie is not None, name
    target.set_cookie(name, cookie.value, domain="localhost")


# --- 3. Confirmation links: one use, and they sign in only the browser that signed up -----------


def test_a_confirmation_link_opened_elsewhere_confirms_but_signs_nobody_in(app, client, outbox):
    sign_up(client)
    link = last_link(outbox, "camille@exemple.org")
    stranger = app.test_client()
    response = stranger.get(link)
    assert response.status_code == 302 and response.headers["Location"].endswith("/compte/connexion")
    assert not signed_in(stranger)
    assert db.session.scalar(select(User).where(User.email == "camille@exemple.org")).is_confirmed


def test_a_confirmation_link_works_once(app, client, outbox):
    sign_up(client)
    link = last_link(outbox, "camille@exemple.org")
    assert client.get(link).status_code == 302 and signed_in(client)
    client.post("/compte/deconnexion")
    for browser in (client, app.test_client()):
        again = browser.get(link, follow_redirects=True)
        assert again.request.path == "/compte/connexion" and "déjà servi" in again.get_data(as_text=True)
        assert not signed_in(browser)


def test_a_confirmation_link_dies_with_a_password_reset(app, client, outbox):
    sign_up(client)
    confirmation = last_link(outbox, "camille@exemple.org")
    client.post("/compte/mot-de-passe-oublie", data={"email": "camille@exemple.org"})
    reset = last_link(outbox, "camille@exemple.org")
    assert client.post(reset, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 302
    thief = app.test_client()
    assert thief.get(confirmation).status_code in (302, 400)
    assert not signed_in(thief)


def test_reset_links_die_when_the_person_signs_out_everywhere(client, auth, outbox):
    user = make_user()
    client.post("/compte/mot-de-passe-oublie", data={"email": user.email})
    reset = last_link(outbox, user.email)
    auth.login(user)
    assert client.post("/compte/deconnexion-partout").status_code == 302
    refused = client.post(reset, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert refused.status_code == 400
    assert client.post("/compte/connexion", data={"email": user.email, "password": PASSWORD}).status_code == 302


# --- 5. Sessions end everywhere: sign-out everywhere, new password, reset --------------------


def test_a_copied_session_cookie_dies_when_the_password_changes(app, client, auth):
    user = make_user()
    auth.login(user)
    thief = app.test_client()
    copy_cookie(client, thief, "session")
    assert signed_in(thief)
    response = client.post(
        "/compte/profil/mot-de-passe", data={"pw-current_password": PASSWORD, "pw-password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert signed_in(client), "the person who changed the password stays signed in"
    assert not signed_in(thief)


def test_a_copied_remember_me_cookie_dies_when_the_person_signs_out_everywhere(app, client):
    user = make_user()
    client.post("/compte/connexion", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    cookie = client.get_cookie("remember_token")
    assert cookie is not None
    # A remember-me cookie lasts two weeks at most, not a year.
    assert cookie.expires - utcnow() <= timedelta(days=15)
    thief = app.test_client()
    copy_cookie(client, thief, "remember_token")
    assert signed_in(thief)
    profile = client.get("/compte/profil").get_data(as_text=True)
    assert "Se déconnecter partout" in profile and "14 jours" in profile
    client.post("/compte/deconnexion-partout")
    assert not signed_in(client)
    thief.delete_cookie("session", domain="localhost")
    assert not signed_in(thief)


def test_a_password_reset_ends_every_session(app, client, auth, outbox):
    user = make_user()
    auth.login(user)
    other_device = app.test_client()
    other_device.post("/compte/mot-de-passe-oublie", data={"email": user.email})
    reset = last_link(outbox, user.email)
    assert other_device.post(reset, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 302
    assert not signed_in(client)


def test_sign_out_everywhere_needs_the_csrf_token(client, auth):
    user = make_user()
    auth.login(user)
    assert client.post("/compte/deconnexion-partout", csrf=False).status_code == 400
    assert signed_in(client)


def test_a_session_naming_only_the_account_id_is_not_accepted(app, client, auth):
    user = make_user()
    auth.login(user)
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
    assert not signed_in(client)


# --- 7. Invitations: bound to the invited address, one use, expiry ---------------------------


def invite(client, auth, territory, email: str) -> str:
    organiser = make_user("organiser", territory)
    auth.login(organiser)
    client.post(f"/territoires/{territory.slug}/invitations", data={"email": email})
    auth.logout()
    return LINK.search(client.application.extensions["outbox"][-1].get_content()).group(1)


def test_an_invitation_link_in_the_wrong_hands_makes_nobody_an_agent(client, auth, outbox):
    territory = make_territory()
    link = invite(client, auth, territory, "agent@perso.fr")
    intruder = make_user(email="intrus@exemple.org")
    auth.login(intruder)
    refused = client.post(link)
    assert refused.status_code == 403 and "autre adresse" in refused.get_data(as_text=True)
    db.session.refresh(intruder)
    assert intruder.roles_in(territory.id) == set()
    auth.logout()

    invited = make_user(email="agent@perso.fr")
    auth.login(invited)
    assert client.post(link).status_code == 302
    db.session.refresh(invited)
    assert invited.roles_in(territory.id) == {"agent"}
    assert client.post(link).status_code == 409


# --- Sign-up and reset answer alike for registered and unknown addresses -----------------------


def test_sign_up_and_reset_do_the_same_work_for_registered_and_unknown_addresses(client, monkeypatch):
    from concertation.accounts import services

    calls = []
    for name in ("hash_password", "reset_token"):
        real = getattr(services, name)
        monkeypatch.setattr(services, name, lambda *a, _real=real, _name=name: calls.append(_name) or _real(*a))
    known = make_user(email="connue@exemple.org")

    def work(path, data):
        calls.clear()
        assert client.post(path, data=data).status_code == 302
        return sorted(calls)

    def signup(email, pseudonym):
        return {"email": email, "pseudonym": pseudonym, "password": "une phrase de passe", "accept_terms": "y"}

    assert work("/compte/inscription", signup(known.email, "Autre nom")) == work(
        "/compte/inscription", signup("nouvelle@exemple.org", "Nouvelle")
    )
    assert work("/compte/mot-de-passe-oublie", {"email": known.email}) == work(
        "/compte/mot-de-passe-oublie", {"email": "inconnue@exemple.org"}
    )
