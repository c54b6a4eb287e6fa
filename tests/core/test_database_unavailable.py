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


# A pooled connection is pinged only when it has waited (concertation.db.ping_when_idle) --------------


def _pooled_engine(app, idle_seconds: float):
    from sqlalchemy import create_engine

    from concertation.db import ping_when_idle

    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"], pool_size=1, max_overflow=0)
    ping_when_idle(engine, idle_seconds)
    return engine


def _kill_the_pooled_connection(engine) -> None:
    from sqlalchemy import text

    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
        raw = connection.connection.dbapi_connection
    raw.close()  # as a database restart would leave it: dead, back in the pool


def test_a_connection_that_died_while_waiting_is_replaced_before_a_request_uses_it(app):
    import time

    from sqlalchemy import text

    engine = _pooled_engine(app, idle_seconds=0.0)
    try:
        _kill_the_pooled_connection(engine)
        time.sleep(0.01)
        with engine.connect() as connection:
            assert connection.execute(text("SELECT 1")).scalar() == 1
    finally:
        engine.dispose()


def test_a_connection_used_a_moment_ago_is_handed_over_without_a_round_trip(app):
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    engine = _pooled_engine(app, idle_seconds=60.0)
    try:
        _kill_the_pooled_connection(engine)
        # Not pinged: the request that gets it fails (a 503 in the app), and the pool starts afresh.
        with pytest.raises(DBAPIError), engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        with engine.connect() as connection:
            assert connection.execute(text("SELECT 1")).scalar() == 1
    finally:
        engine.dispose()


def _pings_over_three_requests(app) -> int:
    from concertation.extensions import db

    pings = []
    do_ping = db.engine.dialect.do_ping

    def counted(dbapi_connection):
        pings.append(1)
        return do_ping(dbapi_connection)

    db.engine.dialect.do_ping = counted  # type: ignore[method-assign]
    try:
        client = app.test_client()
        for _ in range(3):
            assert client.get("/").status_code == 200
    finally:
        del db.engine.dialect.do_ping
    return len(pings)


@pytest.mark.parametrize(("idle_seconds", "pinged"), [(60.0, False), (0.0, True)])
def test_the_app_pings_its_pooled_connections_only_after_the_configured_wait(app_config, idle_seconds, pinged):
    from tests.conftest import _serve

    # Pages not cached, so that each request checks a connection out.
    config = type("Ping", (app_config,), {"DATABASE_PING_IDLE_SECONDS": idle_seconds, "PAGE_CACHE_SECONDS": 0})
    for app in _serve(config):
        assert bool(_pings_over_three_requests(app)) is pinged
