"""Attacks on the platform's edges, over HTTP: poisoned links in emails, unknown hosts, open
redirects on every route that follows a `next`-like value, forged proxy headers."""

import re
from urllib.parse import urlsplit

import pytest

from concertation import create_app
from concertation.security import local_path
from config import Config
from tests.conftest import CSRF_INPUT, _serve
from tests.factories import PASSWORD, make_consultation, make_proposal, make_territory, make_user

PUBLIC = "https://concertation.exemple.fr"
LINK = re.compile(r"https?://[^\s/]+(?:/\S*)?")


@pytest.fixture
def public_app(app_config):
    """An app with a configured public address and no SERVER_NAME, behind one trusted proxy."""
    config = type("Public", (app_config,), {"SERVER_NAME": None, "PUBLIC_URL": PUBLIC, "PROXY_FIX": 1})
    yield from _serve(config)


def post_with(client, path, data, headers):
    """A POST whose CSRF token comes from a page fetched with the same (forged) headers."""
    pages = (
        client.get(url, headers=headers).get_data(as_text=True)
        for url in ("/conditions-d-utilisation", "/compte/connexion")
    )  # signed in, or a visitor
    token = next(found for page in pages if (found := CSRF_INPUT.search(page))).group(1)
    return client.post(path, data={**data, "csrf_token": token}, headers=headers)


def links_in(outbox) -> list[str]:
    return [link for message in outbox for link in LINK.findall(message.get_content())]


# --- 4. Links in emails come from PUBLIC_URL, never from the request's Host ---------------------

POISONED_HEADERS = [
    {"Host": "evil.example"},
    {"X-Forwarded-Host": "evil.example"},
    {"Host": "evil.example", "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "http"},
]


@pytest.mark.parametrize("headers", POISONED_HEADERS)
def test_every_account_email_links_to_the_public_address_whatever_the_host(public_app, headers):
    outbox = public_app.extensions.setdefault("outbox", [])
    client = public_app.test_client()
    known = make_user(email="connue@exemple.org")
    territory = make_territory()
    organiser = make_user("organiser", territory)
    requests = [
        ("/compte/mot-de-passe-oublie", {"email": known.email}),
        (
            "/compte/inscription",
            {
                "email": "nouvelle@exemple.org",
                "pseudonym": "Nouvelle",
                "password": "une phrase de passe",
                "accept_terms": "y",
            },
        ),
        (
            "/compte/inscription",
            {"email": known.email, "pseudonym": "Autre nom", "password": "une phrase de passe", "accept_terms": "y"},
        ),
        ("/compte/renvoyer-confirmation", {"email": "nouvelle@exemple.org"}),
    ]
    for path, data in requests:
        assert post_with(client, path, data, headers).status_code == 302
    post_with(client, "/compte/connexion", {"email": organiser.email, "password": PASSWORD}, headers)
    post_with(client, f"/territoires/{territory.slug}/invitations", {"email": "agent@exemple.org"}, headers)
    links = links_in(outbox)
    assert len(outbox) == 5 and len(links) >= 5
    assert all(link.startswith(PUBLIC + "/") for link in links), links


def test_production_refuses_to_start_without_a_public_address():
    class Production(Config):
        SECRET_KEY = "a-real-secret-for-this-test-only"
        PUBLIC_URL = None
        SERVER_NAME = None

    with pytest.raises(RuntimeError, match="PUBLIC_URL"):
        create_app(Production)

    class Malformed(Production):
        PUBLIC_URL = "concertation.exemple.fr"

    with pytest.raises(RuntimeError, match="PUBLIC_URL"):
        create_app(Malformed)


def test_production_answers_only_to_its_public_host(app_config):
    class Production(app_config):
        TESTING = False
        SECRET_KEY = "a-real-secret-for-this-test-only"
        PUBLIC_URL = PUBLIC
        SERVER_NAME = None

    app = create_app(Production)
    assert app.config["TRUSTED_HOSTS"] == ["concertation.exemple.fr"]
    client = app.test_client()
    assert client.get("/conditions-d-utilisation", headers={"Host": "concertation.exemple.fr"}).status_code == 200
    assert client.get("/conditions-d-utilisation", headers={"Host": "evil.example"}).status_code == 400
    assert (
        client.post(
            "/compte/mot-de-passe-oublie", data={"email": "x@exemple.org"}, headers={"Host": "evil.example"}
        ).status_code
        == 400
    )


def test_trusted_hosts_refuse_a_forged_host_in_tests_too(app_config):
    config = type("Hosts", (app_config,), {"TRUSTED_HOSTS": ["localhost"]})
    for app in _serve(config):
        client = app.test_client()
        assert client.get("/").status_code == 200
        assert client.get("/", headers={"Host": "evil.example"}).status_code == 400


# --- 6. One safe-redirect function, tried with the usual bypasses, on every route -------------

BYPASSES = [
    "//evil.example",
    "///evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "\t//evil.example",
    " //evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/\\/evil.example",
    "https://evil.example",
    "http:evil.example",
    "https:/evil.example",
    "HTTPS://evil.example",
    "//evil.example/%2F..",
    "%2F%2Fevil.example",
    "javascript:alert(1)",
    "data:text/html,<script>",
    "https://localhost@evil.example/",
    "//localhost@evil.example",
    "https://evil.example\\@localhost/",
    "/\r\nLocation: https://evil.example",
    "/a\r\nSet-Cookie: x=1",
    "/\u3000/evil.example",
    "/\u202e/evil.example",
    "http://evil.example:80@localhost",
    "\x0b//evil.example",
]


def assert_stays_here(response):
    assert response.status_code < 500, response.status_code
    location = response.headers.get("Location")
    if location is None:
        return
    assert not any(c in location for c in "\t\r\n\\"), location
    assert not location.startswith("//"), location
    parts = urlsplit(location)
    assert parts.netloc in ("", "localhost"), location
    assert parts.scheme in ("", "http", "https"), location


@pytest.mark.parametrize("target", BYPASSES)
def test_local_path_refuses_every_bypass(app, target):
    with app.test_request_context("/"):
        assert local_path(target) is None


@pytest.mark.parametrize(
    "target",
    [
        "/",
        "/consultations/3?page=2",
        "/propositions/4#commentaires",
        "/%2F%2Fevil.example",
        "http://localhost/debat?x=1",
    ],
)
def test_local_path_keeps_paths_of_this_site(app, target):
    with app.test_request_context("/"):
        kept = local_path(target)
    assert kept is not None and kept.startswith("/") and not kept.startswith("//")


@pytest.mark.parametrize("target", BYPASSES)
def test_sign_in_never_sends_elsewhere(client, target):
    user = make_user()
    response = client.post(
        "/compte/connexion", query_string={"next": target}, data={"email": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert_stays_here(response)


@pytest.mark.parametrize("target", BYPASSES)
def test_language_choice_never_sends_elsewhere(client, target):
    response = client.post("/langue", data={"locale": "en", "next": target})
    assert response.status_code == 302
    assert_stays_here(response)


def _arguments(rule, scene) -> dict:
    def value(name):
        converter = rule._converters.get(name)
        if name in scene:
            return scene[name]
        return sorted(converter.items)[0] if hasattr(converter, "items") else 1

    return {name: value(name) for name in rule.arguments if name not in (rule.defaults or {})}


def test_no_route_redirects_off_site_whatever_next_or_referer_says(app, client):
    """Walk the URL map: every route, GET and POST, gets hostile `next`, `back`, `url` values and a
    hostile Referer; no answer may send the browser to another site, or be a 500."""
    territory = make_territory()
    consultation = make_consultation("vote", territory=territory)
    proposal = make_proposal(consultation)
    user = make_user()
    scene = {
        "consultation_id": consultation.id,
        "proposal_id": proposal.id,
        "slug": territory.slug,
        "territory_slug": territory.slug,
    }
    client.post("/compte/connexion", data={"email": user.email, "password": PASSWORD})
    payloads = [
        "//evil.example",
        "/\t/evil.example",
        "/\\evil.example",
        "https://evil.example",
        "/\r\nLocation: https://evil.example",
    ]
    skipped = {"accounts.logout", "accounts.logout_everywhere", "accounts.delete_account", "static"}
    walked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint in skipped:
            continue
        path = app.url_map.bind("localhost").build(rule.endpoint, _arguments(rule, scene))
        for payload in payloads:
            fields = {"next": payload, "back": payload, "url": payload, "return_to": payload}
            headers = {"Referer": payload.replace("\r\n", "")}
            if "GET" in rule.methods:
                assert_stays_here(client.get(path, query_string=fields, headers=headers))
            if "POST" in rule.methods:
                assert_stays_here(client.post(path, query_string=fields, data=fields, headers=headers))
        walked += 1
    assert walked > 50


# --- 13. Forged X-Forwarded-For from a client that reached the server directly ----------------


def test_forged_forwarded_for_does_not_multiply_sign_in_attempts(app_config):
    from concertation.extensions import limiter

    config = type("Proxied", (app_config,), {"RATELIMIT_ENABLED": True, "PROXY_FIX": 1})
    for app in _serve(config):
        limiter.reset()
        client = app.test_client()
        attacker = {"REMOTE_ADDR": "198.51.100.7"}
        statuses = [
            client.post(
                "/compte/connexion",
                environ_base=attacker,
                headers={"X-Forwarded-For": f"203.0.113.{n}"},
                data={"email": f"cible{n}@exemple.org", "password": "devine devine"},
            ).status_code
            for n in range(24)
        ]
        limiter.reset()
    assert statuses.count(429) >= 4, statuses


def test_the_trusted_proxy_is_believed_for_the_client_address(app_config):
    config = type("Proxied", (app_config,), {"PROXY_FIX": 1, "PAGE_CACHE_SECONDS": 0})
    seen: list[str] = []
    for app in _serve(config):
        app.before_request(lambda: seen.append(__import__("flask").request.remote_addr))
        client = app.test_client()
        client.get("/", environ_base={"REMOTE_ADDR": "127.0.0.1"}, headers={"X-Forwarded-For": "10.9.9.9, 192.0.2.44"})
        client.get("/", environ_base={"REMOTE_ADDR": "198.51.100.7"}, headers={"X-Forwarded-For": "192.0.2.44"})
    # Through the proxy: the address the proxy appended (the last one), not what the client claimed.
    # Directly: the real peer; its header is ignored.
    assert seen == ["192.0.2.44", "198.51.100.7"]
