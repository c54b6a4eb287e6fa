from datetime import timedelta

import pytest

from concertation.db import utcnow
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.territories import services
from tests.factories import make_territory, make_user


def test_parse_domains_accepts_lines_commas_and_at_signs():
    assert services.parse_domains("Ville.fr\n@agglo.fr, ville.fr") == ["ville.fr", "agglo.fr"]


def test_parse_domains_refuses_nonsense():
    with pytest.raises(ActionRefused, match="pas un nom de domaine"):
        services.parse_domains("pas un domaine")


@pytest.mark.parametrize(
    "code, ok",
    [
        ("69123", True),
        ("2A004", True),
        ("971", True),
        ("69", True),
        ("213100018", True),
        ("1234", False),
        ("ABCDE", False),
    ],
)
def test_territory_codes(app, code, ok):
    if ok:
        assert services.create_territory("Ville", "commune", f"ville-{code.lower()}", code).code == code
    else:
        with pytest.raises(ActionRefused):
            services.create_territory("Ville", "commune", "ville", code)


def test_slug_must_be_unique_and_well_formed(app):
    make_territory(slug="lyon")
    with pytest.raises(ActionRefused, match="déjà"):
        services.create_territory("Lyon bis", "commune", "lyon")
    with pytest.raises(ActionRefused, match="minuscules"):
        services.create_territory("Lyon", "commune", "Lyon Centre")


def test_update_keeps_and_replaces_domains(app):
    territory = make_territory(domains=["a.fr", "b.fr"])
    services.update_territory(territory, "Nouveau nom", "region", territory.slug, None, ["b.fr", "c.fr"])
    db.session.commit()
    assert [d.domain for d in territory.domains] == ["b.fr", "c.fr"]
    assert territory.kind_label == "Région"


def test_grant_role_is_idempotent_and_revocable(app):
    territory, user = make_territory(), make_user()
    first = services.grant_role(territory, user, "organiser")
    assert services.grant_role(territory, user, "organiser") is first
    services.revoke_role(territory, user, "organiser")
    db.session.commit()
    assert user.roles_in(territory.id) == set()


def test_invitation_makes_an_agent_once(app):
    territory, organiser, invitee = make_territory(), make_user(), make_user(email="invitee@exemple.org")
    invitation, token = services.create_invitation(organiser, territory, "Invitee@Exemple.org", utcnow())
    db.session.commit()
    assert invitation.email == "invitee@exemple.org" and token not in invitation.token_hash
    membership = services.accept_invitation(invitee, token, utcnow())
    db.session.commit()
    assert membership.role == "agent" and membership.source == "invitation"
    with pytest.raises(ActionRefused, match="déjà été acceptée"):
        services.accept_invitation(make_user(), token, utcnow())


def test_expired_and_forged_invitations_are_refused(app):
    territory, organiser = make_territory(), make_user()
    _, token = services.create_invitation(organiser, territory, "x@exemple.org", utcnow() - timedelta(days=20))
    db.session.commit()
    with pytest.raises(ActionRefused, match="expiré"):
        services.accept_invitation(make_user(), token, utcnow())
    with pytest.raises(ActionRefused, match="n’existe pas"):
        services.accept_invitation(make_user(), "forged", utcnow())


def test_unconfirmed_people_cannot_accept_an_invitation(app):
    territory, organiser = make_territory(), make_user()
    _, token = services.create_invitation(organiser, territory, "x@exemple.org", utcnow())
    with pytest.raises(ActionRefused, match="Confirmez"):
        services.accept_invitation(make_user(confirmed=False), token, utcnow())
