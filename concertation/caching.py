"""The shared cache: results computed once per change, anonymous pages served without the database.

On Redis (REDIS_URL) every app server shares it; without Redis an in-process cache serves each
process alone. Writes invalidate what they change after their commit (``mark_changed``, and the
session hook below for ORM writes); every entry also has a short lifetime, the safety net.

If Redis is away the platform keeps serving: a failed read is a miss, a failed write or
invalidation is logged and skipped (entries then live at most their lifetime).
"""

import hashlib
import logging
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from flask import Response, current_app, g, has_app_context, request, session
from flask_caching import Cache
from markupsafe import Markup
from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

cache = Cache()

# The generation of all public content: bumped by every committed write, part of the key of cached
# anonymous pages (so a new proposal or comment shows at once on every server).
CONTENT_GENERATION = "generation:content"
# The generation of the lists of consultations (the home page): bumped only by the writes to what their
# cards show, so that votes and comments, the bulk of the writes, leave the cached lists alone.
LISTING_GENERATION = "generation:listing"
LISTING_TABLES = frozenset({"consultation", "phase", "theme", "territory", "synthesis_version"})


def init_app(app) -> None:
    redis_url = app.config.get("CACHE_REDIS_URL") or app.config.get("REDIS_URL")
    settings = {
        "CACHE_TYPE": app.config.get("CACHE_TYPE") or ("RedisCache" if redis_url else "SimpleCache"),
        "CACHE_DEFAULT_TIMEOUT": app.config.get("CACHE_DEFAULT_TIMEOUT", 30),
        "CACHE_KEY_PREFIX": app.config.get("CACHE_KEY_PREFIX", "concertation:"),
    }
    if settings["CACHE_TYPE"] == "RedisCache":
        settings["CACHE_REDIS_URL"] = redis_url
        # A Redis away must not hang a request: fail fast, serve without the cache.
        settings["CACHE_OPTIONS"] = {"socket_timeout": 0.25, "socket_connect_timeout": 0.25}
    cache.init_app(app, config=settings)
    install_page_cache(app)


def enabled() -> bool:
    return has_app_context() and current_app.config.get("CACHE_ENABLED", True) and "cache" in current_app.extensions


def get(key: str) -> Any:
    if not enabled():
        return None
    try:
        return cache.get(key)
    except Exception:  # Redis away: a miss
        log.warning("cache unavailable (get %s)", key, exc_info=True)
        return None


def put(key: str, value: Any, timeout: int | None = None) -> None:
    if not enabled():
        return
    try:
        cache.set(key, value, timeout=timeout)
    except Exception:
        log.warning("cache unavailable (set %s)", key, exc_info=True)


def delete(*keys: str) -> None:
    if not enabled() or not keys:
        return
    try:
        cache.delete_many(*keys)
    except Exception:
        log.warning("cache unavailable (delete %s)", keys, exc_info=True)


def generation(name: str = CONTENT_GENERATION) -> int:
    """The current generation of public content, or of another set of content (0 when unknown)."""
    value = get(name)
    return int(value or 0)


def bump_generation(name: str = CONTENT_GENERATION) -> None:
    if not enabled():
        return
    try:
        if cache.cache.inc(name) is None:
            cache.set(name, 1, timeout=0)
    except Exception:
        log.warning("cache unavailable (generation)", exc_info=True)


def fragment(name: str, parts: tuple, render: Callable[[], str]) -> Markup:
    """A part of a page that everyone in the same situation sees alike (`parts` say what makes it differ:
    who sees what, language, filters…), rendered once per change of the lists of consultations and kept
    at most PAGE_CACHE_SECONDS (without Redis, each process keeps its own); `render` runs only when it is
    not kept."""
    seconds = current_app.config.get("PAGE_CACHE_SECONDS", 10) if enabled() else 0
    if seconds <= 0:
        return Markup(render())
    digest = hashlib.sha1(repr(parts).encode()).hexdigest()
    key = f"fragment:{name}:{generation(LISTING_GENERATION)}:{digest}"
    stored = get(key)
    if stored is None:
        stored = render()
        put(key, stored, timeout=seconds)
    return Markup(stored)


def results_key(consultation_id: int) -> str:
    return f"results:{consultation_id}"


# Writes: what changed, collected at flush, invalidated after commit ------------------------------


def mark_changed(session: Session, consultation_id: int | None = None, table: str | None = None) -> None:
    """Record that this transaction changes public content (and this consultation's results, and the lists
    of consultations when `table` is one they show)."""
    pending = session.info.setdefault("cache_changes", set())
    pending.add(consultation_id)
    if table in LISTING_TABLES:
        session.info["listing_changed"] = True


def _consultation_of(obj) -> int | None:
    from concertation.consultations.models import Consultation

    if isinstance(obj, Consultation):
        return obj.id
    consultation_id = getattr(obj, "consultation_id", None)
    return consultation_id if isinstance(consultation_id, int) else None


@event.listens_for(Session, "after_flush")
def _collect(session: Session, flush_context) -> None:
    for obj in (*session.new, *session.dirty, *session.deleted):
        mark_changed(session, _consultation_of(obj), getattr(obj, "__tablename__", None))


@event.listens_for(Session, "do_orm_execute")
def _collect_statements(state) -> None:
    """Bulk INSERT/UPDATE/DELETE statements change content too (their services name the consultation)."""
    if state.is_insert or state.is_update or state.is_delete:
        mapper = state.bind_mapper
        mark_changed(state.session, table=mapper.local_table.name if mapper is not None else None)


@event.listens_for(Session, "after_commit")
def _invalidate(session: Session) -> None:
    changes = session.info.pop("cache_changes", None)
    listing_changed = session.info.pop("listing_changed", False)
    if not changes or not enabled():
        return
    delete(*(results_key(cid) for cid in changes if cid is not None))
    bump_generation()
    if listing_changed:
        bump_generation(LISTING_GENERATION)


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop("cache_changes", None)
    session.info.pop("listing_changed", None)


# Anonymous pages: shared between visitors, sent with Cache-Control, ETag and Last-Modified ----------


def _anonymous(app) -> bool:
    """A visitor with no session and no remembered sign-in: nothing on the page is theirs."""
    cookies = request.cookies
    return not (
        cookies.get(app.config.get("SESSION_COOKIE_NAME", "session"))
        or cookies.get(app.config.get("REMEMBER_COOKIE_NAME", "remember_token"))
    )


def _page_key(app) -> str:
    from concertation import select_locale

    return f"page:{generation()}:{select_locale()}:{request.url}"


def _cacheable_request(app) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and request.endpoint != "static"
        and app.config.get("PAGE_CACHE_SECONDS", 10) > 0
        and _anonymous(app)
    )


def _serve_cached_page():
    app = current_app._get_current_object()
    if not _cacheable_request(app) or not enabled():
        return None
    g.page_cache_key = _page_key(app)
    stored = get(g.page_cache_key)
    if stored is None:
        return None
    body, status, headers = stored
    response = Response(body, status=status, headers=headers)
    response.headers["X-Cache"] = "HIT"
    return response.make_conditional(request)


def _store_page(response: Response) -> Response:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if response.headers.get("X-Cache") == "HIT":
        return response
    shareable = (
        _cacheable_request(app)
        and response.status_code == 200
        and response.mimetype == "text/html"
        and "Set-Cookie" not in response.headers
        and not session.modified
        and not session
        and not response.direct_passthrough
    )
    if not shareable:
        if "Cache-Control" not in response.headers and (session or not _anonymous(app)):
            response.headers["Cache-Control"] = "private, no-cache"
        return response
    seconds = app.config.get("PAGE_CACHE_SECONDS", 10)
    response.headers["Cache-Control"] = f"public, max-age={seconds}"
    response.vary.add("Accept-Language")
    response.vary.add("Cookie")
    response.last_modified = datetime.now(timezone.utc).replace(microsecond=0)
    response.add_etag()
    key = getattr(g, "page_cache_key", None)
    if key is not None:
        headers = [(name, value) for name, value in response.headers.items() if name.lower() != "set-cookie"]
        put(key, (response.get_data(), response.status_code, headers), timeout=seconds)
    return response.make_conditional(request)  # type: ignore[return-value]


def install_page_cache(app) -> None:
    app.before_request(_serve_cached_page)
    app.after_request(_store_page)
