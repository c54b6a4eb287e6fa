"""Two real OpenID Connect providers on loopback (FranceConnect's and ProConnect's stand-ins), and an app
configured to use them."""

from urllib.parse import urlsplit

import pytest
import requests

from tests.identity.provider import CLIENT_ID, CLIENT_SECRET, Provider


@pytest.fixture(scope="session")
def _providers():
    franceconnect = Provider("FranceConnect").start()
    proconnect = Provider("ProConnect").start()
    yield {"franceconnect": franceconnect, "proconnect": proconnect}
    franceconnect.stop()
    proconnect.stop()


@pytest.fixture
def providers(_providers):
    for provider in _providers.values():
        provider.reset()
    yield _providers
    for provider in _providers.values():
        provider.reset()


def oidc_settings(providers) -> dict:
    settings = {}
    for name, provider in providers.items():
        prefix = name.upper()
        settings[f"{prefix}_CLIENT_ID"] = CLIENT_ID
        settings[f"{prefix}_CLIENT_SECRET"] = CLIENT_SECRET
        settings[f"{prefix}_DISCOVERY_URL"] = provider.discovery_url
    return settings


@pytest.fixture
def app_config(migrated_database, tmp_path, providers):
    from tests.conftest import make_config

    return make_config(migrated_database, tmp_path, **oidc_settings(providers))


class Journey:
    """Goes through the provider as a browser would: our start → the provider (real HTTP) → our callback."""

    def __init__(self, client, providers):
        self.client, self.providers = client, providers

    def to_provider(self, name: str, next_path: str | None = None) -> str:
        response = self.client.get(f"/compte/connexion/{name}", query_string={"next": next_path} if next_path else {})
        assert response.status_code == 302, response.get_data(as_text=True)
        return response.headers["Location"]

    def back_from_provider(self, authorize_url: str) -> str:
        answer = requests.get(authorize_url, allow_redirects=False, timeout=5)
        assert answer.status_code == 302, answer.text
        return answer.headers["Location"]

    def callback(self, url: str):
        parts = urlsplit(url)
        return self.client.get(parts.path, query_string=parts.query)

    def sign_in(self, name: str, **claims):
        if claims:
            self.providers[name].next_claims = claims
        return self.callback(self.back_from_provider(self.to_provider(name)))


@pytest.fixture
def journey(client, providers):
    return Journey(client, providers)
