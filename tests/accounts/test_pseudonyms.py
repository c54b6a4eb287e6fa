"""Pseudonyms that imitate someone else's, attacked through the sign-up and profile forms."""

import pytest
from sqlalchemy import func, select

from concertation.accounts.models import User
from concertation.accounts.personal_data import delete_account
from concertation.db import utcnow
from concertation.extensions import db
from tests.factories import make_user


def sign_up(client, pseudonym: str, email: str = "nouvelle@exemple.org"):
    return client.post(
        "/compte/inscription",
        data={"email": email, "pseudonym": pseudonym, "password": "une phrase de passe", "accept_terms": "y"},
    )


@pytest.mark.parametrize(
    "lookalike",
    [
        "Саmille",  # Cyrillic С and а among Latin letters
        "Самille",  # Cyrillic С, а, м
        "ＣＡＭＩＬＬＥ",  # full-width letters (NFKC)
        "Camílle",  # an accent changes nothing to the eye at a glance
    ],
)
def test_a_pseudonym_drawn_like_a_taken_one_is_refused(client, lookalike):
    make_user(pseudonym="Camille")
    response = sign_up(client, lookalike)
    assert response.status_code == 422, lookalike
    assert db.session.scalar(select(func.count(User.id))) == 1


def test_a_profile_cannot_take_a_lookalike_of_another_pseudonym(client, auth):
    make_user(pseudonym="Camille")
    user = make_user(pseudonym="Dominique")
    auth.login(user)
    response = client.post("/compte/profil", data={"pseudonym": "Саmille", "name": "", "locale": ""})
    assert response.status_code == 422
    db.session.refresh(user)
    assert user.pseudonym == "Dominique"


def test_mixed_alphabets_are_refused_even_when_free(client):
    response = sign_up(client, "Dmitriy Петров")
    assert response.status_code == 422 and "plusieurs alphabets" in response.get_data(as_text=True)
    assert sign_up(client, "Дмитрий Петров").status_code == 302


def test_a_deleted_persons_pseudonym_cannot_be_taken_over(client):
    camille = make_user(pseudonym="Camille")
    delete_account(camille, utcnow())
    db.session.commit()
    assert sign_up(client, "Camille").status_code == 422
    assert sign_up(client, "Саmille", email="autre@exemple.org").status_code == 422
