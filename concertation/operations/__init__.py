"""Running the platform: health and readiness, request ids and logs, metrics, the outbox's dead letters."""

from flask import Blueprint

bp = Blueprint("operations", __name__)
