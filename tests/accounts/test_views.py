import re

from sqlalchemy import select

from concertation.accounts.models import User
from concertation.extensions import db
from tests.factories import PASSWORD, make_territory, make_user

LINK = re.compile(r"http://localhost(/\S+)")


def link_in(message) -> str:
    return LINK.search(message.get_content()).group(1)


def test_sign_up_confirm_and_sign_in(client, outbox):
    territory = make_territory(domains=["ville-exemple.fr"])
    response = client.post(
        "/compte/inscription",
        data={
            "email": "Agent@Ville-Exemple.fr",
            "pseudonym": "Dominique",
            "password": "une phrase de passe",
            "accept_terms": "y",
        },
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/compte/verifiez-vos-courriels")
    assert len(outbox) == 1 and outbox[0]["To"] == "agent@ville-exemple.fr"

    # Not confirmed yet: sign-in is refused with a way to get a new link.
    refused = client.post(
        "/compte/connexion", data={"email": "agent@ville-exemple.fr", "password": "une phrase de passe"}
    )
    assert refused.status_code == 403
    assert "pas encore confirmée" in refused.get_data(as_text=True)

    confirmed = client.get(link_in(outbox[0]), follow_redirects=True)
    assert "Votre adresse est confirmée" in confirmed.get_data(as_text=True)
    user = db.session.scalar(select(User).where(User.email == "agent@ville-exemple.fr"))
    assert user.is_confirmed and user.roles_in(territory.id) == {"agent"}

    client.post("/compte/deconnexion")
    signed_in = client.post(
        "/compte/connexion", data={"email": "agent@ville-exemple.fr", "password": "une phrase de passe"}
    )
    assert signed_in.status_code == 302
    profile = client.get("/compte/profil").get_data(as_text=True)
    assert "Dominique" in profile and "Agent·e" in profile


def test_sign_up_errors_keep_what_was_typed(client, outbox):
    response = client.post(
        "/compte/inscription", data={"email": "pas-une-adresse", "pseudonym": "Camille", "password": "court"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "adresse électronique n’est pas valide" in html
    assert "Le mot de passe doit faire entre 10 et 128 caractères" in html
    assert "conditions d’utilisation pour créer un compte" in html
    assert 'value="Camille"' in html and 'value="pas-une-adresse"' in html
    assert 'aria-invalid="true"' in html
    assert outbox == []


def test_sign_up_with_an_existing_email_reveals_nothing(client, outbox):
    user = make_user(email="deja@exemple.org")
    response = client.post(
        "/compte/inscription",
        data={
            "email": "deja@exemple.org",
            "pseudonym": "Nouveau",
            "password": "une phrase de passe",
            "accept_terms": "y",
        },
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/compte/verifiez-vos-courriels")
    assert outbox[0]["To"] == user.email and "Tentative" in outbox[0]["Subject"]
    assert db.session.scalar(select(User).where(User.pseudonym == "Nouveau")) is None


def test_wrong_password_is_a_401_with_a_french_message(client):
    user = make_user()
    response = client.post("/compte/connexion", data={"email": user.email, "password": "mauvais mot de passe"})
    assert response.status_code == 401
    assert "Adresse électronique ou mot de passe incorrect" in response.get_data(as_text=True)


def test_repeated_failed_sign_ins_are_throttled(limited_app):
    client = limited_app.test_client()
    user = make_user()
    statuses = [
        client.post("/compte/connexion", data={"email": user.email, "password": "faux faux faux"}).status_code
        for _ in range(4)
    ]
    assert statuses == [401, 401, 401, 429]
    blocked = client.post("/compte/connexion", data={"email": user.email, "password": PASSWORD})
    assert blocked.status_code == 429
    assert "Trop de requêtes" in blocked.get_data(as_text=True)
    # Another account from the same address is not blocked by these failures.
    other = make_user()
    assert client.post("/compte/connexion", data={"email": other.email, "password": PASSWORD}).status_code == 302


def test_next_parameter_only_redirects_locally(client):
    user = make_user()
    response = client.post(
        "/compte/connexion?next=https://evil.example/", data={"email": user.email, "password": PASSWORD}
    )
    assert response.headers["Location"] in ("/", "http://localhost/")
    client.post("/compte/deconnexion")
    response = client.post("/compte/connexion?next=/territoires", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"].endswith("/territoires")


def test_session_cookie_is_httponly_and_samesite_lax(client):
    user = make_user()
    response = client.post("/compte/connexion", data={"email": user.email, "password": PASSWORD})
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_logout_is_a_post(client, auth):
    user = make_user()
    auth.login(user)
    assert client.get("/compte/deconnexion").status_code == 405
    auth.logout()
    assert client.get("/compte/profil").status_code == 302


def test_password_reset_journey(client, outbox):
    user = make_user()
    response = client.post("/compte/mot-de-passe-oublie", data={"email": user.email})
    assert response.status_code == 302
    link = link_in(outbox[-1])
    assert client.get(link).status_code == 200
    mismatch = client.post(link, data={"password": "nouvelle phrase", "confirm": "autre chose"})
    assert mismatch.status_code == 422 and "ne correspondent pas" in mismatch.get_data(as_text=True)
    done = client.post(link, data={"password": "nouvelle phrase", "confirm": "nouvelle phrase"})
    assert done.status_code == 302
    assert (
        client.post("/compte/connexion", data={"email": user.email, "password": "nouvelle phrase"}).status_code == 302
    )
    # The link has served.
    assert client.get(link).status_code == 400


def test_forgot_password_for_an_unknown_email_says_the_same(client, outbox):
    response = client.post("/compte/mot-de-passe-oublie", data={"email": "personne@exemple.org"}, follow_redirects=True)
    assert "Si un compte existe" in response.get_data(as_text=True)
    assert outbox == []


def test_profile_edit(client, auth):
    user = make_user()
    other = make_user(pseudonym="Pris")
    auth.login(user)
    taken = client.post("/compte/profil", data={"pseudonym": "pris", "name": "", "locale": ""})
    assert taken.status_code == 422 and "déjà pris" in taken.get_data(as_text=True)
    saved = client.post("/compte/profil", data={"pseudonym": "Nouveau nom", "name": "Jeanne Dupont", "locale": "en"})
    assert saved.status_code == 302
    db.session.refresh(user)
    assert (user.pseudonym, user.name, user.locale) == ("Nouveau nom", "Jeanne Dupont", "en")
    assert other.pseudonym == "Pris"
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


def test_change_password_with_a_wrong_current_password(client, auth):
    user = make_user()
    auth.login(user)
    response = client.post(
        "/compte/profil/mot-de-passe", data={"pw-current_password": "faux", "pw-password": "nouvelle phrase de passe"}
    )
    assert response.status_code == 422 and "actuel est incorrect" in response.get_data(as_text=True)
