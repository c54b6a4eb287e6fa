"""While PostgreSQL restarts, a citizen gets a French 503, not a raw 500; the app needs no restart."""

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError

from concertation import errors


def _lost_connection():
    return OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly"))


@pytest.fixture
def broken_app(app):
    @app.get("/test/base-injoignable")
    def database_away():
        raise _lost_connection()

    @app.get("/test/bug-de-requete")
    def query_bug():
        raise IntegrityError("INSERT", {}, Exception("duplicate key"))

    return app


def test_lost_database_is_a_french_503_page(broken_app, client):
    response = client.get("/test/base-injoignable")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    page = response.get_data(as_text=True)
    assert "Service momentanément indisponible" in page
    assert "base de données" in page


def test_lost_database_is_a_503_problem_for_the_api_and_scripts(broken_app, client):
    response = client.get("/test/base-injoignable", headers={"Accept": "application/json"})
    assert response.status_code == 503
    assert response.json["status"] == 503


def test_the_page_falls_back_to_plain_html_when_the_layout_needs_the_database(broken_app, client, monkeypatch):
    def layout_needs_database(*args, **kwargs):
        raise _lost_connection()

    monkeypatch.setattr(errors, "render_template", layout_needs_database)
    response = client.get("/test/base-injoignable")
    assert response.status_code == 503
    assert "Service momentanément indisponible" in response.get_data(as_text=True)


def test_other_database_errors_stay_bugs(broken_app, client):
    # Not a lost connection: not hidden behind a 503 (the test app propagates it, production logs a 500).
    with pytest.raises(IntegrityError):
        client.get("/test/bug-de-requete")


def test_the_next_request_works_again(broken_app, client):
    assert client.get("/test/base-injoignable").status_code == 503
    assert client.get("/").status_code == 200


def test_a_connection_lost_while_closing_the_request_does_not_spoil_the_page(app, client, monkeypatch):
    from concertation.extensions import db

    remove = db.session.remove
    calls = []

    def remove_once_failing():
        calls.append(1)
        if len(calls) == 1:
            raise _lost_connection()
        return remove()

    monkeypatch.setattr(db.session, "remove", remove_once_failing)
    assert client.get("/").status_code == 200
    assert calls
