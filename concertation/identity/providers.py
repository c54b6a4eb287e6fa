"""The OpenID Connect clients of FranceConnect and ProConnect, on Authlib's Flask client.

Authlib does the protocol: the authorization code flow with `state`, `nonce` and PKCE (S256) kept in
the session, the discovery document and the provider's keys (JWKS) fetched then kept, the ID token's
signature and claims checked (issuer, audience, expiry, nonce, and the `acr` level when one is asked).
This module adds what both providers' documentation asks beyond it: the UserInfo answer is itself a
signed JWT (`application/jwt`), checked here with the same keys, issuer and audience; the discovery
document is fetched again after OIDC_METADATA_TTL; the end-session URL carries `id_token_hint`,
`state` and `post_logout_redirect_uri`.
"""

import secrets
import time
from dataclasses import dataclass

import requests
from authlib.integrations.base_client.errors import MismatchingStateError, OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app
from flask_babel import lazy_gettext as _l
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry
from joserfc.jwt import JWTClaimsRegistry

from concertation.errors import ActionRefused


@dataclass(frozen=True)
class Provider:
    name: str  # "franceconnect" or "proconnect": the key of settings, routes and linked identities
    label: str  # as the provider writes its name, on its button
    scope: str  # only what the platform uses (see the privacy page)
    about_url: str  # the « Qu'est-ce que … ? » link their guidelines put under the button


PROVIDERS = {
    # FranceConnect: `openid` gives the subject, `email` the address of the account; no name, no birth data.
    "franceconnect": Provider("franceconnect", "FranceConnect", "openid email", "https://franceconnect.gouv.fr/"),
    # ProConnect: the professional email and the SIRET of the person's organisation (agent recognition).
    "proconnect": Provider("proconnect", "ProConnect", "openid email siret", "https://www.proconnect.gouv.fr/"),
}


class ProviderUnavailable(ActionRefused):
    """The provider did not answer, or answered nonsense: a 503 page, not a crash."""


def _settings(app: Flask, name: str) -> tuple[str | None, str | None, str | None]:
    prefix = name.upper()
    return (
        app.config.get(f"{prefix}_CLIENT_ID"),
        app.config.get(f"{prefix}_CLIENT_SECRET"),
        app.config.get(f"{prefix}_DISCOVERY_URL"),
    )


def init_app(app: Flask) -> None:
    """Register a client for each provider whose three settings are present; the others stay off."""
    oauth = OAuth(app)
    app.extensions["oidc_providers"] = []
    for name, provider in PROVIDERS.items():
        client_id, secret, discovery = _settings(app, name)
        if not (client_id and secret and discovery):
            continue
        oauth.register(
            name,
            client_id=client_id,
            client_secret=secret,
            server_metadata_url=discovery,
            client_kwargs={
                "scope": provider.scope,
                "code_challenge_method": "S256",
                "token_endpoint_auth_method": "client_secret_post",
                "default_timeout": app.config.get("OIDC_TIMEOUT", 8),
            },
        )
        app.extensions["oidc_providers"].append(name)
    app.extensions["oidc"] = oauth
    _allow_forms_to_providers(app)

    from concertation.identity.services import identities_of

    # Globals, not a context processor: the buttons' macro is imported without the page's context.
    app.jinja_env.globals.update(oidc_providers=configured, linked_identities=identities_of, oidc_labels=PROVIDERS)


def _allow_forms_to_providers(app: Flask) -> None:
    """The sign-in buttons and the sign-out form lead, through redirects, to the providers' servers: the
    Content-Security-Policy's form-action (which browsers apply to redirects too) names them."""
    from urllib.parse import urlsplit

    from concertation.security import CSP

    origins = sorted(
        {
            f"{parts.scheme}://{parts.netloc}"
            for parts in (urlsplit(_settings(app, name)[2] or "") for name in app.extensions["oidc_providers"])
            if parts.scheme in ("http", "https") and parts.netloc
        }
    )
    if not origins:
        return
    policy = CSP.replace("form-action 'self'", "form-action 'self' " + " ".join(origins))

    @app.after_request
    def csp_with_providers(response):
        response.headers.setdefault("Content-Security-Policy", policy)
        return response


def configured() -> list[Provider]:
    """The providers this platform offers, in the order of PROVIDERS (none: the sign-in page is unchanged)."""
    return [PROVIDERS[name] for name in current_app.extensions.get("oidc_providers", [])]


def get(name: str) -> Provider:
    if name not in current_app.extensions.get("oidc_providers", []):
        raise ActionRefused(_l("Ce mode de connexion n’est pas proposé sur cette plateforme."), status=404)
    return PROVIDERS[name]


def _client(name: str):
    client = current_app.extensions["oidc"].create_client(name)
    loaded = client.server_metadata.get("_loaded_at")
    if loaded is not None and time.time() - loaded > current_app.config.get("OIDC_METADATA_TTL", 3600):
        # Fetched again (with the keys) after the TTL, so that a provider's new endpoints or keys are seen.
        client.server_metadata.clear()
    return client


def _unavailable(provider: Provider) -> ProviderUnavailable:
    return ProviderUnavailable(
        _l(
            "%(provider)s ne répond pas pour le moment. Réessayez dans quelques minutes, ou connectez-vous "
            "avec votre adresse électronique et votre mot de passe.",
            provider=provider.label,
        ),
        status=503,
    )


def _acr_wanted(name: str) -> str:
    return current_app.config.get(f"{name.upper()}_ACR") or ""


def authorize_redirect(name: str, redirect_uri: str, prompt: str | None = None):
    """The redirection to the provider's authorization endpoint (state, nonce and PKCE kept in the session)."""
    provider = get(name)
    # ProConnect asks for a state and a nonce of at least 32 characters (Authlib's defaults are shorter).
    extra = {"state": secrets.token_urlsafe(32), "nonce": secrets.token_urlsafe(32)}
    if prompt:
        extra["prompt"] = prompt
    acr = _acr_wanted(name)
    if acr and name == "franceconnect":
        extra["acr_values"] = acr
    elif acr:
        # ProConnect asks for a level through the `claims` parameter (its documentation, « certification dirigeant »).
        extra["claims"] = '{"id_token":{"acr":{"essential":true,"value":"%s"}}}' % acr
    try:
        return _client(name).authorize_redirect(redirect_uri, **extra)
    except (requests.RequestException, ValueError, KeyError) as error:
        current_app.logger.warning("OIDC %s: discovery failed: %s", name, error)
        raise _unavailable(provider) from None


def _claims_options(name: str, issuer: str | None) -> dict:
    options: dict = {"iss": {"essential": True, "values": [issuer]}} if issuer else {}
    acr = _acr_wanted(name)
    if acr:
        # eIDAS levels are ordered: a higher level than the one asked is accepted.
        levels = ["eidas1", "eidas2", "eidas3"]
        values = levels[levels.index(acr) :] if acr in levels else [acr]
        options["acr"] = {"essential": True, "values": values}
    return options


def complete(name: str, args) -> dict:
    """Check the provider's answer on the callback and return the person's claims (ID token and UserInfo).

    Refused (400) when the state is not this browser's (tampered, replayed, from another session), when
    the provider reports an error, or when a token does not check out; 503 when the provider is down.
    """
    provider = get(name)
    error = args.get("error")
    if error == "access_denied":
        raise ActionRefused(
            _l("Vous avez annulé la connexion avec %(provider)s : vous n’êtes pas connecté·e.", provider=provider.label)
        )
    if error:
        raise ActionRefused(
            _l(
                "%(provider)s a refusé la connexion. Réessayez, ou connectez-vous avec votre adresse électronique.",
                provider=provider.label,
            )
        )
    client = _client(name)
    try:
        metadata = client.load_server_metadata()
        token = client.authorize_access_token(claims_options=_claims_options(name, metadata.get("issuer")))
        if "userinfo" not in token:
            raise ActionRefused(_l("%(provider)s n’a pas renvoyé d’identité vérifiable.", provider=provider.label))
        claims = dict(token["userinfo"])
        claims.update(_userinfo(client, token, claims["sub"], metadata))
    except MismatchingStateError:
        raise ActionRefused(
            _l(
                "Cette réponse de connexion n’est pas attendue par ce navigateur (déjà utilisée, expirée ou "
                "venue d’une autre session). Recommencez la connexion."
            )
        ) from None
    except OAuthError as oauth_error:
        current_app.logger.warning("OIDC %s: %s", name, oauth_error)
        raise ActionRefused(
            _l("%(provider)s n’a pas validé la connexion. Recommencez la connexion.", provider=provider.label)
        ) from None
    except JoseError as jose_error:
        current_app.logger.warning("OIDC %s: token refused: %r", name, jose_error)
        raise ActionRefused(
            _l(
                "La réponse de %(provider)s n’a pas pu être vérifiée : vous n’êtes pas connecté·e. Recommencez.",
                provider=provider.label,
            )
        ) from None
    except (requests.RequestException, ValueError, KeyError) as network_error:
        current_app.logger.warning("OIDC %s: provider unreachable: %s", name, network_error)
        raise _unavailable(provider) from None
    claims["id_token"] = token["id_token"]
    return claims


def _userinfo(client, token: dict, subject: str, metadata: dict) -> dict:
    """The UserInfo claims: a JWT signed with the provider's keys (both providers), or plain JSON."""
    endpoint = metadata.get("userinfo_endpoint")
    if not endpoint:
        return {}
    response = requests.get(
        endpoint,
        headers={"Authorization": f"Bearer {token['access_token']}"},
        timeout=current_app.config.get("OIDC_TIMEOUT", 8),
    )
    response.raise_for_status()
    if response.headers.get("Content-Type", "").split(";")[0].strip() == "application/jwt":
        keys = KeySet.import_key_set(client.fetch_jwk_set())
        algorithms = metadata.get("userinfo_signing_alg_values_supported") or metadata.get(
            "id_token_signing_alg_values_supported"
        )
        decoded = jwt.decode(response.text.strip(), keys, registry=JWSRegistry(algorithms=algorithms))
        registry = JWTClaimsRegistry(
            iss={"essential": True, "value": str(metadata.get("issuer") or "")},
            aud={"essential": True, "value": client.client_id},
        )
        registry.validate(decoded.claims)
        data = dict(decoded.claims)
    else:
        data = response.json()
    if data.get("sub") != subject:
        raise ActionRefused(_l("L’identité renvoyée ne correspond pas à celle de la connexion."))
    return {key: value for key, value in data.items() if key not in ("iss", "aud", "exp", "iat", "nbf")}


def logout_url(name: str, id_token: str, post_logout_redirect_uri: str, state: str) -> str | None:
    """The provider's end-session address (RP-initiated logout), or None when it has none or is unreachable."""
    if name not in current_app.extensions.get("oidc_providers", []):
        return None
    client = _client(name)
    try:
        endpoint = client.load_server_metadata().get("end_session_endpoint")
    except (requests.RequestException, ValueError) as error:
        current_app.logger.warning("OIDC %s: no end-session endpoint: %s", name, error)
        return None
    if not endpoint:
        return None
    from authlib.common.urls import add_params_to_uri

    return add_params_to_uri(
        endpoint,
        [("id_token_hint", id_token), ("state", state), ("post_logout_redirect_uri", post_logout_redirect_uri)],
    )
