"""Browser fixtures: the app served on a loopback port, a headless Chromium driven by Playwright.

The server lives for the whole session and serves, in each test, that test's own app (the
`app` fixture of tests/conftest.py: same database, emptied after the test). Browser tests
are skipped, with the reason, when Chromium, Playwright or axe-core is missing.
"""

import os
import shutil
import threading
import traceback

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.browser.axe import AXE_PATH, SCREENSHOTS
from tests.browser.sweep import DemoScene

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Headless, and quiet on a closed network: without the background-networking flags
# Chromium keeps trying to reach Google's services.
CHROMIUM_ARGS = [
    "--lang=fr-FR",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WIDE, NARROW = 1280, 320


def missing_requirement() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not (os.path.isfile(CHROMIUM_PATH) and os.access(CHROMIUM_PATH, os.X_OK)):
        return (
            f"Chromium absent ({CHROMIUM_PATH}) : installez le paquet Debian « chromium » "
            "(apt-get install chromium chromium-l10n) ou indiquez CHROMIUM_PATH."
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright absent : pip install -e '.[test]'."
    if not AXE_PATH.is_file():
        return "axe-core absent : lancez « npm ci --prefix tests/browser/vendor » (ou make test, avec npm)."
    return None


def pytest_collection_modifyitems(config, items):
    reason = missing_requirement()
    if reason is None:
        return
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.skip(reason=reason))


class _QuietHandler(WSGIRequestHandler):
    """Werkzeug's handler without a log line per request (errors are still reported)."""

    def log_request(self, *args, **kwargs) -> None:
        pass


class _Body:
    """A response body that counts as finished once sent.

    Werkzeug reads what is left on the socket before it calls close(), and that read can wait
    for Chromium to close the connection, long after the response went out.
    """

    def __init__(self, body, done):
        self.body, self.done, self.finished, self.closed = body, done, False, False

    def __iter__(self):
        try:
            yield from self.body
        finally:
            # Closed here too: when Chromium resets the connection, werkzeug's read of what is left
            # on the socket raises before it calls close(), and a static file was left open.
            self.close()

    def close(self) -> None:
        try:
            if hasattr(self.body, "close") and not self.closed:
                self.closed = True
                self.body.close()
        finally:
            self.finish()

    def finish(self) -> None:
        if not self.finished:
            self.finished = True
            self.done()


class LiveServer:
    """A threaded werkzeug server on 127.0.0.1 that serves whichever app the current test gives it."""

    def __init__(self) -> None:
        self.app = None
        self.errors: list[str] = []
        self._in_flight = 0
        self._idle = threading.Condition()
        self.server = make_server("127.0.0.1", 0, self, threaded=True, request_handler=_QuietHandler)
        self.host = f"127.0.0.1:{self.server.server_port}"
        self.url = f"http://{self.host}"
        self.thread = threading.Thread(target=self.server.serve_forever, name="live-server", daemon=True)

    def __call__(self, environ, start_response):
        with self._idle:
            self._in_flight += 1
        try:
            if self.app is None:
                start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
                return _Body([b"No app is being served."], self._done)
            return _Body(self.app(environ, start_response), self._done)
        except Exception:
            # The test's app propagates exceptions (TESTING): keep them to fail the test with.
            self.errors.append(traceback.format_exc())
            self._done()
            raise

    def _done(self) -> None:
        with self._idle:
            self._in_flight -= 1
            self._idle.notify_all()

    def serve(self, app) -> None:
        # Links in emails are built from PUBLIC_URL: make them point here.
        app.config["SERVER_NAME"] = self.host
        app.config["PUBLIC_URL"] = self.url
        self.errors.clear()
        self.app = app

    def release(self, timeout: float = 10) -> None:
        """Stop serving the test's app once its requests have finished (before its tables are emptied)."""
        with self._idle:
            finished = self._idle.wait_for(lambda: self._in_flight == 0, timeout=timeout)
        self.app = None
        if not finished:
            self.errors.append(f"{self._in_flight} requête(s) encore en cours après {timeout} s.")

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def _live_server():
    server = LiveServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser(_live_server):
    """One headless Chromium for the session (closed before the server stops)."""
    reason = missing_requirement()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM_PATH,
            headless=True,
            args=CHROMIUM_ARGS,
            env={**os.environ, "LANGUAGE": "fr_FR", "LANG": "fr_FR.UTF-8"},
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def live_server(app, _live_server, browser):
    """The address of the test's app, served to the browser."""
    _live_server.serve(app)
    yield _live_server
    _live_server.release()
    if _live_server.errors:
        pytest.fail("Erreur dans l’application pendant le test :\n" + "\n".join(_live_server.errors))


class Browsing:
    """Opens browser contexts on the live server and reports what goes wrong in their pages."""

    def __init__(self, browser, server: LiveServer):
        self.browser = browser
        self.server = server
        self.contexts = []
        self.problems: list[str] = []

    def new_page(self, javascript: bool = True):
        """A new visitor (own cookies), at 1280 px wide, in French."""
        context = self.browser.new_context(
            base_url=self.server.url,
            locale="fr-FR",
            timezone_id="Europe/Paris",
            viewport={"width": WIDE, "height": 900},
            java_script_enabled=javascript,
        )
        context.set_default_timeout(10_000)
        self.contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: self.problems.append(f"{page.url}: erreur JavaScript : {error}"))
        # The pages must live with their own Content-Security-Policy: a refusal is a bug.
        page.on(
            "console",
            lambda message: (
                self.problems.append(f"{page.url}: {message.text}")
                if message.type == "error" and "Content Security Policy" in message.text
                else None
            ),
        )
        return page

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def browsing(browser, live_server):
    session = Browsing(browser, live_server)
    yield session
    session.close()
    assert not session.problems, "\n".join(session.problems)


@pytest.fixture
def page(browsing):
    return browsing.new_page()


@pytest.fixture
def demo_scene(app):
    """The demonstration of `flask seed-demo` (territories, people, consultations in every phase)."""
    return DemoScene()
