"""Who may write, adopt and read the contact of library entries: role × action, decided by permissions.can."""

import pytest

from concertation.permissions import can, library_adopter_territories
from tests.core.test_permissions import ROLES, person
from tests.factories import make_territory, make_user
from tests.library.factories import make_entry

# visitor, participant, unconfirmed, agent, organiser, elu, other_organiser, admin (roles in the entry's territory)
EXPECTED = {
    "library.create": [0, 0, 0, 1, 1, 0, 0, 1],
    "library.edit": [0, 0, 0, 1, 1, 0, 0, 1],
    "library.adopt": [0, 0, 0, 0, 0, 0, 1, 0],
    "library.contact": [0, 0, 0, 1, 1, 1, 1, 1],
    "library.link": [0, 0, 0, 0, 1, 0, 0, 1],
    "library.assess": [0, 0, 0, 1, 1, 0, 0, 1],
}


@pytest.mark.parametrize("action", EXPECTED)
@pytest.mark.parametrize("index, role", list(enumerate(ROLES)))
def test_library_actions(app, action, index, role):
    entry = make_entry()
    user = person(role, entry.territory)
    target = entry.territory if action == "library.create" else entry
    assert can(user, action, target) is bool(EXPECTED[action][index])


def test_agents_of_another_territory_neither_edit_nor_adopt(app):
    entry = make_entry()
    other_agent = make_user("agent", make_territory())
    assert not can(other_agent, "library.edit", entry)
    assert not can(other_agent, "library.adopt", entry)
    assert can(other_agent, "library.contact", entry)


def test_an_organiser_of_both_territories_adopts_in_the_name_of_the_other_only(app):
    entry = make_entry()
    elsewhere = make_territory(name="Ailleurs")
    organiser = make_user("organiser", entry.territory)
    from concertation.territories.services import grant_role

    grant_role(elsewhere, organiser, "organiser")
    assert can(organiser, "library.adopt", entry)
    assert library_adopter_territories(organiser, entry) == [elsewhere]
