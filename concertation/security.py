"""Security headers on every response, the trusted hosts and proxies, links in emails, safe redirects."""

import unicodedata
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, has_request_context, redirect, request, url_for
from werkzeug.exceptions import SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix

# What `make run` and the tests answer at when PUBLIC_URL is not set (debug or testing only).
DEVELOPMENT_URL = "http://127.0.0.1:5000"

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def _has_nul(values) -> bool:
    return any("\x00" in value for value in values if isinstance(value, str))


def resolve_public_url(app: Flask) -> str:
    """The platform's public address: PUBLIC_URL, else SERVER_NAME; refused at start-up in production when absent."""
    config = app.config
    raw = (config.get("PUBLIC_URL") or "").strip()
    if not raw and config.get("SERVER_NAME"):
        raw = (
            f"{config.get('PREFERRED_URL_SCHEME') or 'http'}://{config['SERVER_NAME']}"
            f"{(config.get('APPLICATION_ROOT') or '/').rstrip('/')}"
        )
    if not raw:
        if app.debug or app.testing:
            return DEVELOPMENT_URL
        raise RuntimeError(
            "PUBLIC_URL n’est pas défini : indiquez l’adresse publique de la plateforme "
            "(par exemple https://concertation.exemple.fr), d’où sont faits les liens des courriels."
        )
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise RuntimeError(f"PUBLIC_URL n’est pas une adresse http(s) valide : {raw!r}.")
    return raw.rstrip("/")


def public_url(endpoint: str, **values) -> str:
    """An absolute link to `endpoint` from the configured public address, never from the request's Host."""
    parts = urlsplit(current_app.config["PUBLIC_URL"])
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme)
    return adapter.build(endpoint, values, force_external=True)


def _forbidden_character(character: str) -> bool:
    # Browsers drop tabs and newlines inside URLs ("/\t/evil" becomes "//evil") and some read a
    # backslash as a slash: no backslash, space, control, format or separator character is accepted.
    return character == "\\" or character.isspace() or unicodedata.category(character)[0] in "CZ"


def local_path(target: str | None) -> str | None:
    """`target` as a path on this site, or None: the one check before following any `next` or referrer."""
    if not target or not isinstance(target, str) or len(target) > 2000:
        return None
    if any(_forbidden_character(c) for c in target):
        return None
    if target.startswith("//"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        # A full address is accepted only for this very site (a Referer header), and reduced to its path.
        if parts.scheme not in ("http", "https") or not has_request_context() or parts.netloc != request.host:
            return None
    path = parts.path
    if not path.startswith("/") or path.startswith("//"):
        return None
    return path + (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")


def redirect_back(*targets: str | None, fallback: str | None = None):
    """A redirect to the first of `targets` that is a path of this site, else to `fallback` (the home page)."""
    for target in targets:
        path = local_path(target)
        if path is not None:
            return redirect(path)
    return redirect(fallback or url_for("pages.home"))


class TrustedProxyFix:
    """Apply ProxyFix only to requests that come from one of the configured proxies' addresses."""

    def __init__(self, wsgi_app, proxies: int, addresses: list[str]):
        self.direct = wsgi_app
        self.proxied = ProxyFix(wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies)
        self.addresses = set(addresses)

    def __call__(self, environ, start_response):
        if environ.get("REMOTE_ADDR") in self.addresses:
            return self.proxied(environ, start_response)
        return self.direct(environ, start_response)


def init_app(app: Flask) -> None:
    app.config["PUBLIC_URL"] = resolve_public_url(app)
    if app.config.get("TRUSTED_HOSTS") is None and not (app.debug or app.testing):
        app.config["TRUSTED_HOSTS"] = [urlsplit(app.config["PUBLIC_URL"]).hostname]

    @app.errorhandler(SecurityError)
    def unknown_host(error):
        """A Host outside TRUSTED_HOSTS: no page can be drawn (no link can be built), so a short text."""
        return "Requête invalide : hôte inconnu.\n", 400, {"Content-Type": "text/plain; charset=utf-8"}

    if app.config.get("PROXY_FIX"):
        app.wsgi_app = TrustedProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, int(app.config["PROXY_FIX"]), app.config["PROXY_ADDRESSES"]
        )

    @app.before_request
    def refuse_nul_bytes():
        """No legitimate input holds a NUL byte, and PostgreSQL refuses them: answer 400 up front."""
        if (
            "\x00" in request.path
            or _has_nul(request.args.values())
            or (request.method == "POST" and _has_nul(request.form.values()))
        ):
            abort(400)

    @app.after_request
    def set_security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if request.is_secure:
            headers.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
        return response
