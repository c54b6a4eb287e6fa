"""Liveness, readiness, request ids, JSON logs and metrics, as an operator and a probe see them."""

import json
import logging

from concertation.extensions import db


def test_liveness_answers_without_the_database(app, client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("base arrêtée")

    monkeypatch.setattr(db.session, "execute", broken)
    response = client.get("/sante")
    assert response.status_code == 200 and response.json == {"statut": "ok"}


def test_readiness_checks_the_database(app, client):
    response = client.get("/sante/pret")
    assert response.status_code == 200
    assert response.json["verifications"] == {"base_de_donnees": "ok"}


def test_readiness_says_503_when_the_queue_is_unreachable(app, client):
    app.config["JOBS_QUEUE_URL"] = "redis://127.0.0.1:1/0"
    response = client.get("/sante/pret")
    assert response.status_code == 503
    assert response.json["statut"] == "indisponible"
    assert response.json["verifications"]["file_de_travaux"].startswith("erreur")


def test_every_response_has_a_request_id_kept_from_the_proxy_or_made(app, client):
    made = client.get("/sante").headers["X-Request-Id"]
    assert len(made) == 32 and made != client.get("/sante").headers["X-Request-Id"]
    assert client.get("/sante", headers={"X-Request-Id": "abc-123"}).headers["X-Request-Id"] == "abc-123"
    odd = client.get("/sante", headers={"X-Request-Id": "<script>\u00e9"}).headers["X-Request-Id"]
    assert odd != "<script>\u00e9" and len(odd) == 32


def test_json_log_lines_carry_the_request_id(app):
    from concertation.operations.observability import JsonFormatter, RequestIdFilter

    with app.test_request_context("/propositions", headers={"X-Request-Id": "req-42"}):
        app.preprocess_request()
        record = logging.LogRecord("concertation.mail", logging.WARNING, __file__, 1, "Courriel %s", ("x",), None)
        RequestIdFilter().filter(record)
        line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "req-42" and line["message"] == "Courriel x" and line["path"] == "/propositions"


def test_metrics_count_requests_for_the_machine_itself_only(app, client):
    client.get("/sante")
    page = client.get("/metrics")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'concertation_http_requests_total{endpoint="operations.liveness",method="GET",status="200"}' in text
    assert 'concertation_outbox_messages{status="dead"}' in text
    assert "concertation_job_failures_total" in text
    # Through the reverse proxy, or from another machine: not found.
    assert client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 404
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.9"}).status_code == 404


def test_metrics_with_the_token_from_elsewhere(app, client):
    app.config["METRICS_TOKEN"] = "jeton-secret"
    outside = {"REMOTE_ADDR": "203.0.113.9"}
    assert client.get("/metrics", environ_base=outside, headers={"Authorization": "Bearer faux"}).status_code == 404
    assert (
        client.get("/metrics", environ_base=outside, headers={"Authorization": "Bearer jeton-secret"}).status_code
        == 200
    )
