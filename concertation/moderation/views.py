"""Reporting, the moderation queue and log, blocks, and the territory's charter."""

import csv
import io

from flask import Blueprint, Response, abort, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select

from concertation.accounts.models import User
from concertation.comments.models import Comment
from concertation.db import utcnow
from concertation.errors import ActionRefused
from concertation.extensions import contribution_limit, db
from concertation.forms import commit_and_redirect, form_status, refusal_shown, show_refusal
from concertation.moderation import services
from concertation.moderation.forms import BlockForm, CharterForm, ReasonForm, RedactForm, ReportForm
from concertation.permissions import can, require
from concertation.proposals.models import Proposal
from concertation.synthesis.exports.csv_json import neutralise
from concertation.territories.models import Territory
from concertation.texts.models import Amendment

bp = Blueprint("moderation", __name__)

KINDS = {"proposition": Proposal, "commentaire": Comment, "amendement": Amendment}
DECISIONS = {"masquer": "hide", "retablir": "restore", "classer": "dismiss", "publier": "approve", "refuser": "reject"}


def _territory(slug: str) -> Territory:
    territory = db.session.scalar(select(Territory).where(Territory.slug == slug))
    if territory is None:
        abort(404)
    return territory


def _target(kind: str, target_id: int, territory: Territory | None = None):
    model = KINDS.get(kind)
    target = db.session.get(model, target_id) if model else None
    if target is None or (territory is not None and services.territory_of(target).id != territory.id):
        abort(404)
    return target


@bp.route("/signaler/<kind>/<int:target_id>", methods=["GET", "POST"])
@login_required
@contribution_limit("REPORTS")
def report(kind: str, target_id: int):
    target = _target(kind, target_id)
    if not can(current_user, "content.view", target):
        abort(404)  # the same answer as the content's own page: its existence is not told either
    require("content.report", target)
    form = ReportForm()
    if form.validate_on_submit():
        try:
            services.report(current_user, target, form.reason.data, form.detail.data or "", utcnow())
        except ActionRefused as error:
            db.session.rollback()
            if error.field is None:
                raise
            show_refusal(form, error)
        else:
            return commit_and_redirect(
                _("Merci : votre signalement a été transmis à la modération."), services.target_url(target)
            )
    status = form_status(form)
    return render_template(
        "moderation/report.html", form=form, target=target, kind=kind, territory=services.territory_of(target)
    ), status


@bp.route("/territoires/<slug>/moderation")
@login_required
def queue(slug: str):
    territory = _territory(slug)
    require("moderation.manage", territory)
    return render_template(
        "moderation/queue.html",
        territory=territory,
        items=services.queue(territory),
        form=ReasonForm(),
        target_url=services.target_url,
    )


@bp.route("/territoires/<slug>/moderation/<kind>/<int:target_id>/<decision>", methods=["POST"])
@login_required
def decide(slug: str, kind: str, target_id: int, decision: str):
    territory = _territory(slug)
    require("moderation.manage", territory)
    target = _target(kind, target_id, territory)
    action = DECISIONS.get(decision)
    form = ReasonForm()
    if action is None:
        abort(404)
    if not form.validate_on_submit():
        abort(400)
    reason = form.reason.data or ""
    now = utcnow()
    if action == "hide":
        services.hide(current_user, target, reason, now)
    elif action == "restore":
        services.restore(current_user, target, now, reason)
    elif action == "dismiss":
        services.dismiss(current_user, target, now)
    elif action == "approve":
        services.approve(current_user, target, now)
    else:
        services.reject(current_user, target, reason, now)
    return commit_and_redirect(
        _("Décision enregistrée dans le journal de modération."), url_for("moderation.queue", slug=slug)
    )


@bp.route("/territoires/<slug>/moderation/<kind>/<int:target_id>/expurger", methods=["GET", "POST"])
@login_required
def redact(slug: str, kind: str, target_id: int):
    territory = _territory(slug)
    require("moderation.manage", territory)
    target = _target(kind, target_id, territory)
    # An amendment's free text, where personal data may slip in, is its justification.
    body = target.justification if isinstance(target, Amendment) else target.body
    form = RedactForm(data={"title": getattr(target, "title", None), "body": body} if request.method == "GET" else None)
    if form.validate_on_submit():
        with refusal_shown(form):
            services.redact(
                current_user,
                target,
                form.body.data,
                form.reason.data or "",
                utcnow(),
                new_title=form.title.data if kind == "proposition" else None,
            )
            return commit_and_redirect(
                _("Le texte est corrigé ; l’original n’est conservé que dans le journal de modération."),
                url_for("moderation.queue", slug=slug),
            )
    status = form_status(form)
    return render_template("moderation/redact.html", territory=territory, target=target, kind=kind, form=form), status


@bp.route("/territoires/<slug>/moderation/journal")
@login_required
def log(slug: str):
    territory = _territory(slug)
    require("moderation.manage", territory)
    return render_template(
        "moderation/log.html", territory=territory, entries=services.log_entries(territory, limit=500)
    )


# The journal's CSV is in French, values included (the "type" column: what the action concerned).
LOG_TARGETS = {"proposal": "proposition", "comment": "commentaire", "amendment": "amendement", "user": "participant"}


@bp.route("/territoires/<slug>/moderation/journal.csv")
@login_required
def log_csv(slug: str):
    territory = _territory(slug)
    require("moderation.manage", territory)

    def rows():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["date", "moderateur", "action", "type", "identifiant", "motif", "avant", "apres"])
        for entry in services.log_entries(territory):
            writer.writerow(
                [
                    neutralise(v)
                    for v in (
                        entry.created_at.isoformat(),
                        entry.moderator.pseudonym if entry.moderator else "automatique",
                        entry.action_label,
                        LOG_TARGETS.get(entry.target_type, entry.target_type),
                        entry.target_id,
                        entry.reason,
                        entry.before,
                        entry.after,
                    )
                ]
            )
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate(0)

    return Response(
        stream_with_context(rows()),
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename=journal-moderation-{territory.slug}.csv"},
    )


@bp.route("/territoires/<slug>/moderation/blocages", methods=["GET", "POST"])
@login_required
def blocks(slug: str):
    territory = _territory(slug)
    require("moderation.manage", territory)
    form = BlockForm()
    if form.validate_on_submit():
        user = db.session.scalar(
            select(User).where(func.lower(User.pseudonym) == form.pseudonym.data.lower(), User.deleted_at.is_(None))
        )
        if user is None:
            form.pseudonym.errors = [_("Aucun·e participant·e n’a ce pseudonyme.")]
        else:
            with refusal_shown(form):
                services.block(current_user, territory, user, form.reason.data, utcnow())
                return commit_and_redirect(
                    _("%(name)s ne peut plus contribuer dans ce territoire.", name=user.pseudonym),
                    url_for("moderation.blocks", slug=slug),
                )
    status = form_status(form)
    return render_template(
        "moderation/blocks.html", territory=territory, form=form, blocks=services.blocks(territory)
    ), status


@bp.route("/territoires/<slug>/moderation/blocages/<int:user_id>/lever", methods=["POST"])
@login_required
def unblock(slug: str, user_id: int):
    territory = _territory(slug)
    require("moderation.manage", territory)
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    if not ReasonForm().validate_on_submit():
        abort(400)
    services.unblock(current_user, territory, user, utcnow())
    return commit_and_redirect(_("Le blocage est levé."), url_for("moderation.blocks", slug=slug))


@bp.route("/territoires/<slug>/charte")
def charter(slug: str):
    territory = _territory(slug)
    return render_template("moderation/charter.html", territory=territory)


@bp.route("/territoires/<slug>/charte/modifier", methods=["GET", "POST"])
@login_required
def edit_charter(slug: str):
    territory = _territory(slug)
    require("moderation.manage", territory)
    form = CharterForm(obj=territory if request.method == "GET" else None)
    if form.validate_on_submit():
        with refusal_shown(form):
            services.set_charter(territory, form.charter.data or "", form.report_threshold.data, form.dpo_contact.data)
            return commit_and_redirect(_("La charte est enregistrée."), url_for("moderation.charter", slug=slug))
    status = form_status(form)
    return render_template("moderation/edit_charter.html", territory=territory, form=form), status
