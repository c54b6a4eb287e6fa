"""A real OpenID Connect provider on loopback, for the tests: discovery, JWKS, authorize, token, UserInfo
(a signed JWT, as FranceConnect and ProConnect answer) and end-session, served over HTTP by werkzeug and
signed with joserfc (RS256).

It checks what a provider checks (client id and secret, redirect URI, PKCE S256, one use per code) and
can be told to misbehave, to see the platform refuse: `tamper` changes the next ID token (wrong nonce,
issuer, audience, expired, signed with another key). The person who signs in is `next_claims`; in a
browser, the authorize page is a form with a button, as a real provider's would be.
"""

import base64
import hashlib
import json
import secrets
import threading
from html import escape
import time
from urllib.parse import urlencode

from joserfc import jwt
from joserfc.jwk import RSAKey
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

CLIENT_ID = "concertation-test"
CLIENT_SECRET = "secret-de-test-assez-long"


class Provider:
    def __init__(self, name: str = "provider") -> None:
        self.name = name
        self.key = RSAKey.generate_key(2048, parameters={"kid": "k1", "use": "sig", "alg": "RS256"})
        self.other_key = RSAKey.generate_key(2048, parameters={"kid": "k1", "use": "sig", "alg": "RS256"})
        self.next_claims: dict = {"sub": "citoyen-1", "email": "camille@exemple.org"}
        self.tamper: dict = {}
        self.acr = "eidas1"
        self.codes: dict[str, dict] = {}
        self.tokens: dict[str, dict] = {}
        self.logouts: list[dict] = []
        self.authorize_requests: list[dict] = []
        self.down = False
        self.server = make_server("127.0.0.1", 0, self)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.issuer = self.url + "/api/v2"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True, name=f"oidc-{name}")

    # Life ----------------------------------------------------------------------------------------

    def start(self) -> "Provider":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def reset(self) -> None:
        self.next_claims = {"sub": "citoyen-1", "email": "camille@exemple.org"}
        self.tamper, self.down, self.acr = {}, False, "eidas1"
        self.codes.clear(), self.tokens.clear(), self.logouts.clear(), self.authorize_requests.clear()

    @property
    def discovery_url(self) -> str:
        return self.issuer + "/.well-known/openid-configuration"

    # HTTP ----------------------------------------------------------------------------------------

    def __call__(self, environ, start_response):
        request = Request(environ)
        if self.down:
            return Response("indisponible", status=502)(environ, start_response)
        routes = {
            "/api/v2/.well-known/openid-configuration": self.discovery,
            "/api/v2/jwks": self.jwks,
            "/api/v2/authorize": self.authorize,
            "/api/v2/token": self.token,
            "/api/v2/userinfo": self.userinfo,
            "/api/v2/session/end": self.end_session,
        }
        handler = routes.get(request.path)
        response = handler(request) if handler else Response("not found", status=404)
        return response(environ, start_response)

    def discovery(self, request) -> Response:
        return _json(
            {
                "issuer": self.issuer,
                "authorization_endpoint": self.issuer + "/authorize",
                "token_endpoint": self.issuer + "/token",
                "userinfo_endpoint": self.issuer + "/userinfo",
                "end_session_endpoint": self.issuer + "/session/end",
                "jwks_uri": self.issuer + "/jwks",
                "response_types_supported": ["code"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "userinfo_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
                "acr_values_supported": ["eidas1", "eidas2", "eidas3"],
            }
        )

    def jwks(self, request) -> Response:
        return _json({"keys": [self.key.as_dict(private=False)]})

    def authorize(self, request) -> Response:
        args = request.values
        if args.get("client_id") != CLIENT_ID or args.get("response_type") != "code":
            return Response("Y000400 Bad Request", status=400)
        redirect_uri = args["redirect_uri"]
        if request.method == "GET" and args.get("interactive") is None and not self.auto:
            # A page with a button, as a real provider shows: the browser journey clicks it.
            fields = "".join(
                f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">' for k, v in args.items(multi=True)
            )
            page = (
                f'<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>{self.name}</title></head>'
                f"<body><main><h1>{self.name} (test)</h1>"
                f'<form method="post" action="{self.issuer}/authorize">{fields}'
                '<button type="submit" name="interactive" value="1">Continuer</button></form>'
                f'<form method="post" action="{self.issuer}/authorize">{fields}'
                '<button type="submit" name="interactive" value="deny">Annuler</button></form></main></body></html>'
            )
            return Response(page, content_type="text/html; charset=utf-8")
        self.authorize_requests.append(dict(args))
        if args.get("interactive") == "deny":
            return _redirect(redirect_uri, error="access_denied", state=args.get("state", ""))
        code = secrets.token_urlsafe(24)
        self.codes[code] = {
            "redirect_uri": redirect_uri,
            "nonce": args.get("nonce"),
            "challenge": args.get("code_challenge"),
            "method": args.get("code_challenge_method"),
            "claims": dict(self.next_claims),
            "acr": args.get("acr_values") or self.acr,
        }
        return _redirect(redirect_uri, code=code, state=args.get("state", ""))

    auto = True  # the test client follows the redirect without a page; the browser journey sets False

    def token(self, request) -> Response:
        form = request.form
        if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
            return _json({"error": "invalid_client"}, 401)
        grant = self.codes.pop(form.get("code", ""), None)  # one use only
        if grant is None or form.get("redirect_uri") != grant["redirect_uri"]:
            return _json({"error": "invalid_grant"}, 400)
        verifier = form.get("code_verifier", "")
        digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if grant["method"] != "S256" or digest != grant["challenge"]:
            return _json({"error": "invalid_grant", "error_description": "PKCE"}, 400)
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 60,
            "sub": grant["claims"]["sub"],
            "nonce": grant["nonce"],
            "acr": grant["acr"],
            "amr": ["pwd"],
        }
        key = self.key
        for name, value in self.tamper.items():
            if name == "wrong_key":
                key = self.other_key
            else:
                claims[name] = value
        access_token = secrets.token_urlsafe(24)
        self.tokens[access_token] = grant["claims"]
        id_token = jwt.encode({"alg": "RS256", "kid": "k1"}, claims, key)
        return _json({"access_token": access_token, "token_type": "Bearer", "expires_in": 60, "id_token": id_token})

    def userinfo(self, request) -> Response:
        header = request.headers.get("Authorization", "")
        claims = self.tokens.get(header.removeprefix("Bearer ").strip())
        if claims is None:
            return _json({"error": "invalid_token"}, 401)
        body = {**claims, "iss": self.issuer, "aud": CLIENT_ID}
        signed = jwt.encode({"alg": "RS256", "kid": "k1"}, body, self.key)
        return Response(signed, content_type="application/jwt")

    def end_session(self, request) -> Response:
        args = request.args
        self.logouts.append(dict(args))
        try:
            jwt.decode(args.get("id_token_hint", ""), self.key)
        except Exception:
            return Response("id_token_hint invalide", status=400)
        return _redirect(args["post_logout_redirect_uri"], state=args.get("state", ""))


def _json(data, status: int = 200) -> Response:
    return Response(json.dumps(data), status=status, content_type="application/json")


def _redirect(uri: str, **params) -> Response:
    separator = "&" if "?" in uri else "?"
    return Response("", status=302, headers={"Location": uri + separator + urlencode(params)})
