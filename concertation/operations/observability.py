"""Request ids, structured (JSON lines) logs and Prometheus metrics, bound to the app in init_app.

- Every response carries ``X-Request-Id``: the one the reverse proxy sent (if it looks sane), or a
  new one; every log line written during the request carries it too.
- ``LOG_JSON=1`` writes one JSON object per log line on stderr (for journald, Loki, Elastic…).
- Metrics use prometheus_client directly. Under gunicorn with several workers, set
  ``PROMETHEUS_MULTIPROC_DIR`` to an empty directory (deploy/ does): each process writes its
  figures there and /metrics adds them up.
"""

import json
import logging
import os
import re
import time
import uuid

from flask import Flask, g, has_request_context, request

REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,128}$")


def request_id() -> str | None:
    return g.get("request_id") if has_request_context() else None


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id() or "-"
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or request_id(),
        }
        if has_request_context():
            line.update(method=request.method, path=request.path)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def configure_logging(app: Flask) -> None:
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    if app.config.get("LOG_JSON"):
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"))
    root = logging.getLogger("concertation")
    if not any(getattr(h, "concertation", False) for h in root.handlers):
        handler.concertation = True
        root.addHandler(handler)
        root.setLevel(logging.INFO)
        root.propagate = False


def make_metrics():
    from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

    registry = CollectorRegistry(auto_describe=True)
    return {
        "registry": registry,
        "requests": Counter(
            "concertation_http_requests_total",
            "Requêtes HTTP servies",
            ["method", "endpoint", "status"],
            registry=registry,
        ),
        "latency": Histogram(
            "concertation_http_request_duration_seconds",
            "Durée des requêtes HTTP",
            ["method", "endpoint"],
            registry=registry,
        ),
        "job_failures": Counter("concertation_job_failures_total", "Envois échoués (chaque essai)", registry=registry),
        "outbox": Gauge(
            "concertation_outbox_messages",
            "Messages de l’outbox par état",
            ["status"],
            registry=registry,
            multiprocess_mode="livemax",
        ),
        "tasks": Gauge(
            "concertation_tasks",
            "Tâches de fond (aide à la synthèse, exports complets) par type et état",
            ["kind", "status"],
            registry=registry,
            multiprocess_mode="livemax",
        ),
    }


def init_app(app: Flask) -> None:
    configure_logging(app)
    if app.config.get("METRICS_ENABLED", True):
        app.extensions["metrics"] = make_metrics()

    @app.before_request
    def _start() -> None:
        given = request.headers.get("X-Request-Id", "")
        g.request_id = given if REQUEST_ID.match(given) else uuid.uuid4().hex
        g.started = time.perf_counter()

    @app.after_request
    def _finish(response):
        response.headers["X-Request-Id"] = g.get("request_id") or uuid.uuid4().hex
        metrics = app.extensions.get("metrics")
        if metrics is not None and "started" in g:
            endpoint = request.endpoint or "aucun"
            metrics["requests"].labels(request.method, endpoint, str(response.status_code)).inc()
            metrics["latency"].labels(request.method, endpoint).observe(time.perf_counter() - g.started)
        return response


def exposition(app: Flask) -> tuple[bytes, str]:
    """The metrics page: this process's figures, or every gunicorn worker's in multiprocess mode."""
    from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
    from prometheus_client import multiprocess

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = app.extensions["metrics"]["registry"]
    return generate_latest(registry), CONTENT_TYPE_LATEST
