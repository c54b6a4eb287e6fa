import pytest

from concertation import create_app
from config import Config


def test_every_response_carries_the_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in response.headers


def test_hsts_is_sent_over_https(client):
    response = client.get("/", base_url="https://localhost")
    assert "max-age" in response.headers["Strict-Transport-Security"]


def test_default_secret_key_is_refused_outside_debug_and_tests():
    class Production(Config):
        SECRET_KEY = "dev-only-secret-key-change-me"

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(Production)


def test_pages_are_in_french_with_a_skip_link_and_landmarks(client):
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="fr">' in html
    assert 'href="#contenu"' in html and 'id="contenu"' in html
    assert "<header" in html and "<main" in html and "<footer" in html and "<nav" in html


def test_unknown_page_is_a_french_404(client):
    response = client.get("/nulle-part")
    assert response.status_code == 404
    assert "Page introuvable" in response.get_data(as_text=True)


def test_post_without_csrf_token_is_refused_in_french(client):
    response = client.post("/compte/connexion", data={"email": "a@b.fr", "password": "x" * 12}, csrf=False)
    assert response.status_code == 400
    assert "jeton de sécurité" in response.get_data(as_text=True)


def test_the_interface_switches_to_english_and_back(client):
    response = client.post("/langue", data={"locale": "en", "next": "/territoires"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/territoires")
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in html
    client.post("/langue", data={"locale": "fr", "next": "/"})
    assert '<html lang="fr">' in client.get("/").get_data(as_text=True)


def test_language_switch_does_not_redirect_off_site(client):
    response = client.post("/langue", data={"locale": "fr", "next": "//evil.example/"})
    assert response.headers["Location"] in ("/", "http://localhost/")


def test_static_files_are_served_by_the_platform(client):
    html = client.get("/").get_data(as_text=True)
    assert "https://" not in html.split("<body")[0], "no third-party resource in <head>"
    response = client.get("/static/css/main.css")
    assert response.status_code == 200 and b"--brand" in response.data
    response.close()


def test_nul_bytes_anywhere_are_a_400(client):
    assert client.get("/api/v1/consultations?territory=%00").status_code == 400
    assert client.get("/territoires/a%00b").status_code == 400
    assert client.post("/compte/connexion", data={"email": "a\x00@b.fr", "password": "x"}).status_code == 400
