"""Who may adopt an entry and read its contact, beyond the role table (tests/core/test_permissions.py holds
every library.* row): agents of another territory, an organiser of two territories."""

from concertation.permissions import can, library_adopter_territories
from tests.factories import make_territory, make_user
from tests.library.factories import make_entry


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
