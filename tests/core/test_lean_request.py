"""A signed-in request stays lean: no session written back when nothing changed, the person and their roles read once."""

import re

from sqlalchemy import event

from concertation.extensions import db
from tests.factories import make_consultation, make_proposal_row, make_territory, make_user

# A signed-in organiser's proposal page: the proposal with its consultation, territory, author and theme (1),
# phases, themes, the comments (2), the stances, the person with their memberships and blocks (1), follow,
# supports, moderation queues, unread notifications, and what the proposal became (its commitments, one statement,
# and the library's tools that came of it, one statement). It was
# 17 while every territory loaded its agents’ email domains and every author their memberships, 15 while the
# memberships took a statement of their own, 14 while the territory's block was asked apart.
PROPOSAL_PAGE_STATEMENTS = 13


def signed_in_scene(client, auth):
    territory = make_territory(domains=["mairie.example"])
    organiser = make_user("organiser", territory)
    consultation = make_consultation("proposals", territory=territory, author=organiser)
    proposal_id = make_proposal_row(consultation).id
    consultation_id = consultation.id
    auth.login(organiser)
    client.get("/")  # the page after signing in shows (and pops) the welcome message: that one writes the session
    return proposal_id, consultation_id


def statements(client, url: str) -> list[str]:
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        seen.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return seen


def test_a_signed_in_get_sends_no_cookie_when_nothing_changed(app, client, auth):
    proposal_id, consultation_id = signed_in_scene(client, auth)
    for url in ("/", f"/propositions/{proposal_id}", f"/consultations/{consultation_id}", "/"):
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers.getlist("Set-Cookie") == [], url
        assert "private" in response.headers["Cache-Control"]
    # Still signed in: the session was kept, not dropped.
    assert "Se déconnecter" in client.get("/").get_data(as_text=True)


def test_a_signed_in_proposal_page_reads_the_person_and_roles_once_and_costs_a_fixed_number_of_statements(
    app, client, auth
):
    proposal_id, _consultation_id = signed_in_scene(client, auth)
    seen = statements(client, f"/propositions/{proposal_id}")
    from_table = [found.group(1) if (found := re.search(r' FROM "?(\w+)', s)) else "" for s in seen]
    assert from_table.count("user") == 1  # the person, once (Flask-Login's loader)
    person = seen[from_table.index("user")]
    assert "JOIN membership" in person and "JOIN block" in person  # their roles and blocks, in the same statement
    assert from_table.count("membership") == 0 and from_table.count("block") == 0  # and not again
    assert from_table.count("territory_domain") == 0  # agents' email domains: no page but the administration's
    assert len(seen) == PROPOSAL_PAGE_STATEMENTS, "\n".join(seen)


def test_a_participant_who_organises_nothing_costs_no_moderation_queue_query(app, client, auth):
    """The navigation's moderation counter is for organisers: a citizen's pages do not ask for it."""
    territory = make_territory()
    organiser = make_user("organiser", territory)
    consultation = make_consultation("proposals", territory=territory, author=organiser)
    proposal_id = make_proposal_row(consultation).id
    auth.login(make_user("citizen", territory))
    client.get("/")
    seen = statements(client, f"/propositions/{proposal_id}")
    assert not [s for s in seen if "report.resolved_at" in s], "\n".join(seen)
    assert len(seen) == PROPOSAL_PAGE_STATEMENTS - 1, "\n".join(seen)


def test_wtforms_own_messages_follow_the_request_language_from_catalogues_read_once(app):
    from wtforms import StringField
    from wtforms.validators import DataRequired

    from concertation.forms import BaseForm, _wtforms_messages

    class Named(BaseForm):
        name = StringField(validators=[DataRequired()])

    _wtforms_messages.cache_clear()
    for language, message in [("fr", "Ce champ est requis."), ("en", "This field is required."), ("fr", None)]:
        headers = {"Cookie": f"locale={language}"}
        # A context of its own for each request, as served (the locale is kept on the app context).
        with app.app_context(), app.test_request_context("/", method="POST", data={}, headers=headers):
            form = Named(meta={"csrf": False})
            assert not form.validate()
            assert form.name.errors == [message or "Ce champ est requis."]
    assert _wtforms_messages.cache_info().misses == 2  # one catalogue per language, not one per request


def test_the_interface_catalogue_is_read_once_per_app_and_language(app, client, monkeypatch):
    from babel import support

    loads = []
    read = support.Translations.load.__func__

    def counted(cls, *args, **kwargs):
        loads.append(args)
        return read(cls, *args, **kwargs)

    monkeypatch.setattr(support.Translations, "load", classmethod(counted))
    app.config["PAGE_CACHE_SECONDS"] = 0  # every request draws its page
    client.set_cookie("locale", "en")
    pages = [client.get("/conditions-d-utilisation").get_data(as_text=True) for _ in range(3)]
    assert all("Terms of use" in page for page in pages)
    first = len(loads)
    assert first >= 1
    pages = [client.get("/conditions-d-utilisation").get_data(as_text=True) for _ in range(2)]
    assert len(loads) == first  # not once per request (the English catalogue took 30 ms to read under load)
