"""Workshop pages for everyone: a consultation's workshops, one workshop, registering, its calendar file."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from concertation.consultations.models import Consultation
from concertation.db import utcnow
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.forms import BaseForm
from concertation.permissions import require
from concertation.security import public_url
from concertation.workshops import ics, outcome, services, views_organisers
from concertation.workshops.models import CONFIRMED, Workshop

bp = Blueprint("workshops", __name__)
views_organisers.routes.add_to(bp)


@bp.app_template_global("workshops_of")
def _workshops_of(consultation: Consultation) -> list[Workshop]:
    return services.workshops_of(consultation)


@bp.route("/consultations/<int:consultation_id>/ateliers")
def index(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    require("consultation.view", consultation)
    now = utcnow()
    listed = services.workshops_of(consultation)
    return render_template(
        "workshops/index.html",
        consultation=consultation,
        coming=[w for w in listed if not w.has_started(now)],
        past=[w for w in listed if w.has_started(now)],
    )


def _viewable(workshop_id: int) -> Workshop:
    workshop = db.get_or_404(Workshop, workshop_id)
    require("workshop.view", workshop)
    return workshop


@bp.route("/ateliers/<int:workshop_id>")
def show(workshop_id: int):
    workshop = _viewable(workshop_id)
    registration = services.registration_of(current_user, workshop)
    proposals, comments = outcome.collected_of(workshop)
    return render_template(
        "workshops/show.html",
        workshop=workshop,
        consultation=workshop.consultation,
        registration=registration,
        position=services.waiting_position(registration) if registration else None,
        waiting=services.waiting_count(workshop),
        collected_proposals=[p for p in proposals if p.is_visible],
        collected_comments=[c for c in comments if c.is_visible and not c.is_deleted],
        started=workshop.has_started(utcnow()),
    )


@bp.route("/ateliers/<int:workshop_id>/atelier.ics")
def calendar(workshop_id: int):
    workshop = _viewable(workshop_id)
    body = ics.workshop_ics(workshop, public_url("workshops.show", workshop_id=workshop.id), utcnow())
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="atelier-{workshop.id}.ics"'},
    )


@bp.route("/ateliers/<int:workshop_id>/inscription", methods=["POST"])
@login_required
def register(workshop_id: int):
    workshop = _viewable(workshop_id)
    require("workshop.register", workshop)
    if not BaseForm().validate_on_submit():
        abort(400)
    try:
        registration = services.register(current_user, workshop, utcnow())
    except ActionRefused as refusal:
        db.session.rollback()
        return _refused(workshop, refusal)
    db.session.commit()
    if registration.status == CONFIRMED:
        flash(_("Vous êtes inscrit·e à l’atelier."), "success")
    else:
        flash(
            _("L’atelier est complet : vous êtes sur la liste d’attente. Nous vous écrirons si une place se libère."),
            "info",
        )
    return redirect(url_for("workshops.show", workshop_id=workshop.id))


@bp.route("/ateliers/<int:workshop_id>/annulation", methods=["POST"])
@login_required
def cancel(workshop_id: int):
    workshop = _viewable(workshop_id)
    if not BaseForm().validate_on_submit():
        abort(400)
    try:
        services.cancel(current_user, workshop, utcnow())
    except ActionRefused as refusal:
        db.session.rollback()
        return _refused(workshop, refusal)
    db.session.commit()
    flash(_("Votre inscription est annulée."), "success")
    return redirect(url_for("workshops.show", workshop_id=workshop.id))


def _refused(workshop: Workshop, refusal: ActionRefused):
    flash(refusal.message, "error")
    return redirect(url_for("workshops.show", workshop_id=workshop.id))
