"""Fixtures: an app per test on a database migrated once per session (SQLite, or PostgreSQL
when TEST_DATABASE_URL is set), a client that sends CSRF tokens like a browser, and an
`auth` helper to sign in."""

import os
import re

import pytest
from flask.testing import FlaskClient
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import create_engine, make_url, text
from werkzeug.routing import Rule

from concertation import create_app
from concertation.extensions import db
from config import TestConfig, database_url

from tests.factories import PASSWORD

CSRF_INPUT = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def pytest_report_header(config):
    return f"database: {os.environ.get('TEST_DATABASE_URL') or 'SQLite (embedded)'}"


@pytest.fixture(scope="session")
def database_uri(tmp_path_factory) -> str:
    """SQLite: a file per run (per worker). PostgreSQL: TEST_DATABASE_URL's database, or, when the
    suite runs in several processes (`make test` runs it with pytest-xdist), a database of each worker's
    own beside it (`test_gw0`, `test_gw1`…), made if missing."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    url = make_url(database_url(url, ""))
    worker_id = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker_id:
        return url.render_as_string(hide_password=False)
    own = url.set(database=f"{url.database}_{worker_id}")
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        exists = connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": own.database})
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{own.database}"'))
    engine.dispose()
    return own.render_as_string(hide_password=False)


def _remember_url_builders() -> None:
    """Each test builds its own app, and Werkzeug writes and compiles two URL-building functions
    for each of its 244 routes: 70 % of `create_app`, 7 minutes of a run. Such a function depends
    only on the rule's parsed parts and defaults, so each is compiled once per run and shared."""
    compile_builder = Rule._compile_builder
    builders: dict[tuple, object] = {}

    def remembered(rule: Rule, append_unknown: bool = True):
        key = (
            append_unknown,
            rule.rule,
            tuple(rule._trace),
            repr(sorted((rule.defaults or {}).items())),
            tuple(sorted((name, type(converter)) for name, converter in rule._converters.items())),
        )
        if key not in builders:
            builders[key] = compile_builder(rule, append_unknown)
        return builders[key]

    Rule._compile_builder = remembered  # type: ignore[method-assign]


def _share_engines() -> None:
    """SQLAlchemy keeps its compiled statements on the engine: an engine per test's app compiled every
    statement again in every test. The apps of a run share one engine per database and options."""
    make_engine = SQLAlchemy._make_engine
    engines: dict[str, object] = {}

    def shared(extension: SQLAlchemy, bind_key, options: dict, app):
        key = repr((bind_key, sorted(options.items(), key=lambda item: item[0])))
        if key not in engines:
            engines[key] = make_engine(extension, bind_key, options, app)
        return engines[key]

    SQLAlchemy._make_engine = shared  # type: ignore[method-assign]


_remember_url_builders()
_share_engines()


def make_config(uri: str, tmp_dir, **overrides):
    attrs = {
        "SQLALCHEMY_DATABASE_URI": uri,
        "UPLOAD_DIR": str(tmp_dir / "uploads"),
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        **overrides,
    }
    return type("Config", (TestConfig,), attrs)


@pytest.fixture(scope="session")
def migrated_database(database_uri, tmp_path_factory):
    """Build the schema once, from the Alembic migrations (never create_all)."""
    from flask_migrate import upgrade

    app = create_app(make_config(database_uri, tmp_path_factory.mktemp("setup")))
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        upgrade()
        db.engine.dispose()
    return database_uri


def empty_all_tables() -> None:
    db.session.remove()
    if db.engine.dialect.name == "postgresql":
        # DELETE is much faster than TRUNCATE on small tables; the append-only log's
        # triggers are switched off for this connection only (the test role is a superuser).
        # One round trip: the statements go together (psycopg sends a text without parameters as is).
        deletes = "".join(f'DELETE FROM "{table.name}";' for table in reversed(db.metadata.sorted_tables))
        with db.engine.begin() as connection:
            connection.exec_driver_sql("SET LOCAL session_replication_role = replica;" + deletes)
        return
    _empty_sqlite()
    db.session.commit()


def _empty_sqlite() -> None:
    """Between tests only: the log's triggers are lifted for the time of the deletes, then put back."""
    connection = db.session.connection()
    query = "SELECT {} FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'moderation_action'"
    triggers = connection.execute(text(query.format("sql"))).scalars().all()
    for name in connection.execute(text(query.format("name"))).scalars().all():
        connection.execute(text(f'DROP TRIGGER "{name}"'))
    for table in reversed(db.metadata.sorted_tables):
        connection.execute(text(f'DELETE FROM "{table.name}"'))
    for ddl in triggers:
        connection.execute(text(ddl))


class BrowserLikeClient(FlaskClient):
    """A test client whose POSTs carry the CSRF token of the session, as a real form would.

    Pass ``csrf=False`` to send a POST without it.
    """

    def open(self, *args, **kwargs):
        # Each request runs in an application context of its own, as it does when served
        # (so `g`, the signed-in user and the database session are not shared with the test);
        # the test's own session ends its transaction around it, to see what the request wrote.
        db.session.commit()
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.commit()
        return response

    def csrf_token(self) -> str:
        # Signed in, every page has one (the sign-out form); a visitor's pages have none (they are
        # cached, without a session): the sign-in form has one.
        page = self.get("/conditions-d-utilisation").get_data(as_text=True)
        found = CSRF_INPUT.search(page) or CSRF_INPUT.search(self.get("/compte/connexion").get_data(as_text=True))
        return found.group(1)

    def post(self, *args, csrf: bool = True, **kwargs):
        if csrf:
            data = kwargs.get("data")
            if data is None:
                data = {}
            if isinstance(data, dict) and "csrf_token" not in data:
                data = {**data, "csrf_token": self.csrf_token()}
            kwargs["data"] = data
        return super().post(*args, **kwargs)


@pytest.fixture
def app_config(migrated_database, tmp_path):
    return make_config(migrated_database, tmp_path)


def _serve(config):
    app = create_app(config)
    app.test_client_class = BrowserLikeClient
    with app.app_context():
        yield app
        db.session.remove()
        empty_all_tables()


@pytest.fixture
def app(app_config):
    yield from _serve(app_config)


@pytest.fixture
def limited_app(app_config):
    """An app whose rate limits are on (they are off in the other tests), with fresh counters."""
    from concertation.extensions import limiter

    config = type(
        "Limited",
        (app_config,),
        {
            "RATELIMIT_ENABLED": True,
            "LOGIN_MAX_FAILURES": "3 per hour",
            "RATELIMIT_PROPOSALS": "2 per hour",
            "RATELIMIT_COMMENTS": "2 per hour",
            "RATELIMIT_VOTES": "2 per minute",
            "RATELIMIT_REPORTS": "2 per hour",
        },
    )
    for app in _serve(config):
        limiter.reset()
        yield app
        limiter.reset()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def outbox(app):
    return app.extensions.setdefault("outbox", [])


class AuthActions:
    def __init__(self, client):
        self.client = client

    def login(self, user, password: str = PASSWORD):
        response = self.client.post("/compte/connexion", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return response

    def logout(self):
        return self.client.post("/compte/deconnexion")


@pytest.fixture
def auth(client):
    return AuthActions(client)


# What the run did not test ----------------------------------------------------------------
# Locally a skipped test is allowed and counted at the end, by reason. Under CI=true a skipped
# browser test fails the run: the CI machine has Chromium and axe-core, so a skip there means the
# browser tests silently stopped running.

_skipped: list[tuple[str, str, bool]] = []  # (test, reason, browser test?)


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def pytest_runtest_logreport(report):
    if report.skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        _skipped.append((report.nodeid, reason.removeprefix("Skipped: "), "browser" in report.keywords))


def pytest_sessionfinish(session, exitstatus):
    if _in_ci() and exitstatus == 0 and any(browser for _t, _r, browser in _skipped):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not _skipped:
        return
    terminalreporter.section("ce que cette exécution n’a pas testé")
    by_reason: dict[str, int] = {}
    for _test, reason, _browser in _skipped:
        by_reason[reason] = by_reason.get(reason, 0) + 1
    for reason, count in sorted(by_reason.items(), key=lambda item: -item[1]):
        terminalreporter.write_line(f"{count:4d} ignoré(s) : {reason}")
    browser_skips = sum(1 for _t, _r, browser in _skipped if browser)
    if _in_ci() and browser_skips:
        terminalreporter.write_line(
            f"CI=true : {browser_skips} test(s) dans le navigateur ignoré(s) — "
            "l’exécution échoue (Chromium ou axe-core manquant ?).",
            red=True,
            bold=True,
        )
