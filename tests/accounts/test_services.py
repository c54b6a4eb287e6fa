from datetime import timedelta

import pytest

from concertation.accounts import services
from concertation.db import utcnow
from concertation.errors import ActionRefused
from concertation.extensions import db
from tests.factories import PASSWORD, make_territory, make_user


def register(email="camille@exemple.org", pseudonym="Camille", password="une phrase de passe", terms=True):
    user = services.register(email, password, pseudonym, terms, utcnow())
    db.session.commit()
    return user


def test_register_stores_a_hashed_password_and_a_lowercased_email(app):
    user = register(email="Camille@Exemple.ORG")
    assert user.email == "camille@exemple.org"
    assert user.password_hash and "une phrase de passe" not in user.password_hash
    assert user.confirmed_at is None and user.terms_accepted_at is not None


def test_register_refuses_without_accepting_the_terms(app):
    with pytest.raises(ActionRefused) as refused:
        register(terms=False)
    assert refused.value.field == "accept_terms"


def test_register_refuses_a_short_password(app):
    with pytest.raises(ActionRefused, match="au moins 10"):
        register(password="court")


def test_register_refuses_a_taken_pseudonym_whatever_its_case(app):
    register()
    with pytest.raises(ActionRefused, match="pseudonyme"):
        register(email="autre@exemple.org", pseudonym="CAMILLE")


def test_register_with_a_known_email_creates_nothing(app):
    register()
    assert register(pseudonym="Autre") is None


def test_confirmation_link_confirms_once_and_recognises_agents(app):
    territory = make_territory(domains=["ville-exemple.fr"])
    user = register(email="agent@dsi.ville-exemple.fr")
    token = services.confirmation_token(user)
    services.confirm_email(token, utcnow())
    db.session.commit()
    assert user.is_confirmed
    assert user.roles_in(territory.id) == {"agent"}
    assert user.memberships[0].source == "domain"


def test_other_domains_are_not_agents(app):
    territory = make_territory(domains=["ville-exemple.fr"])
    user = register(email="quelquun@pas-ville-exemple.fr")
    services.confirm_email(services.confirmation_token(user), utcnow())
    assert user.roles_in(territory.id) == set()


def test_a_forged_confirmation_token_is_refused(app):
    with pytest.raises(ActionRefused, match="pas valide"):
        services.confirm_email("forged.token.value", utcnow())


def test_reset_token_works_once(app):
    user = make_user()
    token = services.reset_token(user)
    services.reset_password(token, "nouvelle phrase de passe", utcnow())
    db.session.commit()
    assert services.authenticate(user.email, "nouvelle phrase de passe", utcnow()) == user
    with pytest.raises(ActionRefused, match="déjà servi"):
        services.reset_password(token, "encore une autre phrase", utcnow())


def test_authenticate(app):
    user = make_user()
    assert services.authenticate(user.email.upper(), PASSWORD, utcnow()) == user
    assert services.authenticate(user.email, "mauvais mot de passe", utcnow()) is None
    assert services.authenticate("inconnu@exemple.org", PASSWORD, utcnow()) is None


def test_deleted_accounts_cannot_sign_in(app):
    user = make_user()
    user.deleted_at = utcnow() - timedelta(days=1)
    db.session.commit()
    assert services.authenticate(user.email, PASSWORD, utcnow()) is None


def test_change_password_needs_the_current_one(app):
    user = make_user()
    with pytest.raises(ActionRefused) as refused:
        services.change_password(user, "faux", "nouvelle phrase de passe")
    assert refused.value.field == "current_password"
    services.change_password(user, PASSWORD, "nouvelle phrase de passe")
    assert services.authenticate(user.email, "nouvelle phrase de passe", utcnow()) == user
