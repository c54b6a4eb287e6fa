"""Notifications page, marking as read, email preference; following proposals and consultations."""

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from concertation import query_args
from concertation.consultations.models import Consultation
from concertation.db import utcnow
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.forms import commit_and_redirect
from concertation.i18n import N_
from concertation.notifications import services
from concertation.notifications.forms import PreferencesForm
from concertation.permissions import require, require_found
from concertation.proposals.models import Proposal

bp = Blueprint("notifications", __name__)


@bp.route("/notifications")
@login_required
def index():
    require("notifications.read")
    page = services.notifications_of(current_user, query_args.page_number())
    form = PreferencesForm(formdata=None, notify_by_email=current_user.notify_by_email)
    return render_template(
        "notifications/index.html",
        notifications=page,
        preferences_form=form,
        unread=services.unread_count(current_user),
    )


@bp.route("/notifications/<int:notification_id>/ouvrir", methods=["POST"])
@login_required
def open(notification_id: int):
    """Mark one notification read and go to what it is about."""
    try:
        notification = services.notification_of(current_user, notification_id)
    except ActionRefused:
        abort(404)
    services.mark_read(notification, utcnow())
    db.session.commit()
    target = notification.url
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("notifications.index")
    return redirect(target)


@bp.route("/notifications/tout-marquer-comme-lu", methods=["POST"])
@login_required
def mark_all_read():
    services.mark_all_read(current_user, utcnow())
    return commit_and_redirect(_("Toutes vos notifications sont marquées comme lues."), url_for("notifications.index"))


@bp.route("/notifications/preferences", methods=["POST"])
@login_required
def preferences():
    form = PreferencesForm()
    if not form.validate_on_submit():
        abort(400)
    services.set_email_preference(current_user, bool(form.notify_by_email.data))
    return commit_and_redirect(_("Vos préférences de notification sont enregistrées."), url_for("notifications.index"))


# What can be followed: its model, its page, and what the person is told after following or not.
FOLLOWABLE = {
    "proposal": (
        Proposal,
        "proposals.show",
        N_("Vous suivez cette proposition : vous serez prévenu·e des commentaires et de la réponse."),
        N_("Vous ne suivez plus cette proposition."),
    ),
    "consultation": (
        Consultation,
        "consultations.show",
        N_("Vous suivez cette consultation : vous serez prévenu·e de l’ouverture de chaque phase."),
        N_("Vous ne suivez plus cette consultation."),
    ),
}


def _follow(kind: str, target_id: int, following: bool):
    model, page, followed, unfollowed = FOLLOWABLE[kind]
    target = require_found(f"{kind}.follow", model, target_id)
    if following:
        services.follow(current_user, now=utcnow(), **{kind: target})
    else:
        services.unfollow(current_user, **{kind: target})
    return commit_and_redirect(_(followed if following else unfollowed), url_for(page, **{f"{kind}_id": target.id}))


@bp.route("/propositions/<int:proposal_id>/suivre", methods=["POST"], defaults={"following": True})
@bp.route(
    "/propositions/<int:proposal_id>/ne-plus-suivre",
    methods=["POST"],
    defaults={"following": False},
    endpoint="unfollow_proposal",
)
@login_required
def follow_proposal(proposal_id: int, following: bool):
    return _follow("proposal", proposal_id, following)


@bp.route("/consultations/<int:consultation_id>/suivre", methods=["POST"], defaults={"following": True})
@bp.route(
    "/consultations/<int:consultation_id>/ne-plus-suivre",
    methods=["POST"],
    defaults={"following": False},
    endpoint="unfollow_consultation",
)
@login_required
def follow_consultation(consultation_id: int, following: bool):
    return _follow("consultation", consultation_id, following)
