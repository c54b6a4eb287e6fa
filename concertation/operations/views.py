"""Health (/sante), readiness (/sante/pret), metrics (/metrics) and the outbox's dead letters (/admin/envois)."""

import hmac
import ipaddress

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import text

from concertation import jobs, tasks
from concertation.db import utcnow
from concertation.extensions import db, limiter
from concertation.forms import BaseForm
from concertation.operations import bp
from concertation.operations.observability import exposition
from concertation.permissions import require


@bp.route("/sante")
@limiter.exempt
def liveness():
    """The process answers: no database, no Redis (a load balancer's or systemd's liveness probe)."""
    return jsonify(statut="ok")


@bp.route("/sante/pret")
@limiter.exempt
def readiness():
    """Ready to serve: the database answers, and Redis too when a queue is configured (else 503)."""
    checks: dict[str, str] = {}
    try:
        db.session.execute(text("SELECT 1"))
        checks["base_de_donnees"] = "ok"
    except Exception as error:  # any failure means "not ready"
        checks["base_de_donnees"] = f"erreur : {type(error).__name__}"
    finally:
        db.session.rollback()
    queue = None
    try:
        queue = jobs.queue(current_app)
        if queue is not None:
            queue.connection.ping()
            checks["file_de_travaux"] = "ok"
    except Exception as error:
        checks["file_de_travaux"] = f"erreur : {type(error).__name__}"
    ready = all(value == "ok" for value in checks.values())
    return jsonify(statut="pret" if ready else "indisponible", verifications=checks), 200 if ready else 503


def _metrics_allowed() -> bool:
    token = current_app.config.get("METRICS_TOKEN")
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if token and given and hmac.compare_digest(given.encode(), token.encode()):
        return True
    try:
        return ipaddress.ip_address(request.remote_addr or "").is_loopback and "X-Forwarded-For" not in request.headers
    except ValueError:
        return False


@bp.route("/metrics")
@limiter.exempt
def metrics():
    """Prometheus figures; only from the machine itself (not through the proxy) or with METRICS_TOKEN."""
    if "metrics" not in current_app.extensions or not _metrics_allowed():
        abort(404)
    try:
        gauge = current_app.extensions["metrics"]["outbox"]
        found = jobs.counts()
        for status in (jobs.PENDING, jobs.SENDING, jobs.SENT, jobs.DEAD):
            gauge.labels(status).set(found.get(status, 0))
        task_gauge = current_app.extensions["metrics"]["tasks"]
        for (kind, status), count in tasks.counts_by_kind().items():
            task_gauge.labels(kind, status).set(count)
        queue = jobs.queue(current_app)
        if queue is not None:
            gauge.labels("en_file_redis").set(queue.count)
    except Exception:  # the figures of requests still go out
        current_app.logger.exception("Profondeur de file indisponible")
    finally:
        db.session.rollback()
    body, content_type = exposition(current_app)
    return body, 200, {"Content-Type": content_type, "Cache-Control": "no-store"}


@bp.route("/admin/envois", methods=["GET", "POST"])
@login_required
def dead_letters():
    """Emails that could not be delivered after every retry, with their error and a retry button."""
    require("admin.access")
    form = BaseForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        if request.form.get("task_id"):
            task = db.session.get(tasks.Task, request.form.get("task_id", type=int) or 0)
            if task is None or task.status != tasks.DEAD:
                flash(_("Cette tâche n’est plus en échec : la liste a été mise à jour."), "info")
                return redirect(url_for("operations.dead_letters"))
            tasks.retry(task, utcnow())
            db.session.commit()
            flash(_("La tâche est relancée."), "success")
            return redirect(url_for("operations.dead_letters"))
        message = db.session.get(jobs.OutboxMessage, request.form.get("message_id", type=int) or 0)
        if message is None or message.status != jobs.DEAD:
            flash(_("Cet envoi n’est plus en échec : la liste a été mise à jour."), "info")
            return redirect(url_for("operations.dead_letters"))
        jobs.retry(message, utcnow())
        db.session.commit()
        flash(_("L’envoi à %(email)s est relancé.", email=message.recipient), "success")
        return redirect(url_for("operations.dead_letters"))
    return render_template(
        "operations/dead_letters.html",
        messages=jobs.dead_letters(),
        counts=jobs.counts(),
        form=form,
        failed_tasks=tasks.failed(),
    )
