"""Notifications page, marking as read, email preference; following proposals and consultations."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from concertation import query_args
from concertation.consultations.models import Consultation
from concertation.db import utcnow
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.notifications import bp, services
from concertation.notifications.forms import PreferencesForm
from concertation.permissions import require
from concertation.proposals.models import Proposal


@bp.route("/notifications")
@login_required
def index():
    require("notifications.read")
    page = services.notifications_of(current_user, query_args.page_number())
    form = PreferencesForm(formdata=None, notify_by_email=current_user.notify_by_email)
    return render_template("notifications/index.html", notifications=page, preferences_form=form,
                           unread=services.unread_count(current_user))


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
    db.session.commit()
    flash(_("Toutes vos notifications sont marquées comme lues."), "success")
    return redirect(url_for("notifications.index"))


@bp.route("/notifications/preferences", methods=["POST"])
@login_required
def preferences():
    form = PreferencesForm()
    if not form.validate_on_submit():
        abort(400)
    services.set_email_preference(current_user, bool(form.notify_by_email.data))
    db.session.commit()
    flash(_("Vos préférences de notification sont enregistrées."), "success")
    return redirect(url_for("notifications.index"))



@bp.route("/propositions/<int:proposal_id>/suivre", methods=["POST"])
@login_required
def follow_proposal(proposal_id: int):
    proposal = db.get_or_404(Proposal, proposal_id)
    require("proposal.follow", proposal)
    services.follow(current_user, proposal=proposal, now=utcnow())
    db.session.commit()
    flash(_("Vous suivez cette proposition : vous serez prévenu·e des commentaires et de la réponse."), "success")
    return redirect(url_for("proposals.show", proposal_id=proposal.id))


@bp.route("/propositions/<int:proposal_id>/ne-plus-suivre", methods=["POST"])
@login_required
def unfollow_proposal(proposal_id: int):
    proposal = db.get_or_404(Proposal, proposal_id)
    require("proposal.follow", proposal)
    services.unfollow(current_user, proposal=proposal)
    db.session.commit()
    flash(_("Vous ne suivez plus cette proposition."), "success")
    return redirect(url_for("proposals.show", proposal_id=proposal.id))


@bp.route("/consultations/<int:consultation_id>/suivre", methods=["POST"])
@login_required
def follow_consultation(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    require("consultation.follow", consultation)
    services.follow(current_user, consultation=consultation, now=utcnow())
    db.session.commit()
    flash(_("Vous suivez cette consultation : vous serez prévenu·e de l’ouverture de chaque phase."), "success")
    return redirect(url_for("consultations.show", consultation_id=consultation.id))


@bp.route("/consultations/<int:consultation_id>/ne-plus-suivre", methods=["POST"])
@login_required
def unfollow_consultation(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    require("consultation.follow", consultation)
    services.unfollow(current_user, consultation=consultation)
    db.session.commit()
    flash(_("Vous ne suivez plus cette consultation."), "success")
    return redirect(url_for("consultations.show", consultation_id=consultation.id))
