"""Who may manage commitments: role × target, through `permissions.can`."""

import pytest

from concertation import permissions
from tests.commitments.scenes import make_commitment, published_synthesis
from tests.factories import make_territory, make_user

ROLES = ["visitor", "participant", "agent", "organiser", "other_organiser", "elu", "admin"]
MANAGERS = {"organiser", "admin"}


def person(role, territory):
    if role == "visitor":
        return None
    if role == "participant":
        return make_user()
    if role == "other_organiser":
        return make_user("organiser", make_territory())
    if role == "admin":
        return make_user("admin")
    return make_user(role, territory)


@pytest.mark.parametrize("target", ["territory", "commitment", "consultation"])
@pytest.mark.parametrize("role", ROLES)
def test_only_the_territory_organisers_and_admins_manage_its_commitments(role, target):
    scene = published_synthesis()
    commitment = make_commitment(scene)
    user = person(role, scene.territory)
    subject = {"territory": scene.territory, "commitment": commitment, "consultation": scene.consultation}[target]
    assert permissions.can(user, "commitment.manage", subject) is (role in MANAGERS)
