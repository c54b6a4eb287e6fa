"""The organisers' side of workshops: announcing, the list of registered people, the outcome, collected contributions."""

from datetime import datetime

from flask import abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required, current_user
from sqlalchemy import select

from concertation.consultations.models import Consultation
from concertation.comments.models import STANCES
from concertation.dates import paris_to_utc, utc_to_paris
from concertation.db import utcnow
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.forms import commit_and_redirect, form_status, refusal_shown
from concertation.permissions import require, require_found
from concertation.proposals.models import Proposal
from concertation.routing import Routes
from concertation.synthesis.figures import visible_proposal
from concertation.workshops import outcome, services
from concertation.workshops.forms import (
    CancelWorkshopForm,
    CollectedCommentForm,
    CollectedProposalForm,
    OutcomeForm,
    RemoveRegistrationForm,
    WorkshopForm,
)
from concertation.workshops.models import Workshop, WorkshopRegistration

routes = Routes()


def _managed(workshop_id: int) -> Workshop:
    workshop = db.get_or_404(Workshop, workshop_id)
    require("workshop.manage", workshop.consultation)
    return workshop


def _data(form: WorkshopForm) -> services.WorkshopData:
    starts = paris_to_utc(datetime.combine(form.date.data, form.start_time.data))
    ends = paris_to_utc(datetime.combine(form.date.data, form.end_time.data))
    return services.WorkshopData(
        title=form.title.data,
        starts_at=starts,
        ends_at=ends,
        capacity=form.capacity.data,
        mode=form.mode.data or "",
        description=form.description.data or "",
        address=form.address.data or "",
        accessibility=form.accessibility.data or "",
        online_url=form.online_url.data or "",
    )


def _render_form(consultation: Consultation, form: WorkshopForm, workshop: Workshop | None = None, status: int = 200):
    return render_template(
        "workshops/form.html", consultation=consultation, workshop=workshop, form=form, crumb=None
    ), status


@routes.route("/consultations/<int:consultation_id>/ateliers/nouveau", methods=["GET", "POST"])
@login_required
def create(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    require("workshop.manage", consultation)
    form = WorkshopForm()
    if form.validate_on_submit():
        with refusal_shown(form):
            workshop = services.announce_workshop(current_user, consultation, _data(form), utcnow())
            return commit_and_redirect(
                _("L’atelier est annoncé : les inscriptions sont ouvertes."),
                url_for("workshops.show", workshop_id=workshop.id),
            )
    return _render_form(consultation, form, status=form_status(form))


@routes.route("/ateliers/<int:workshop_id>/modifier", methods=["GET", "POST"])
@login_required
def edit(workshop_id: int):
    workshop = _managed(workshop_id)
    if request.method == "GET":
        starts, ends = utc_to_paris(workshop.starts_at), utc_to_paris(workshop.ends_at)
        form = WorkshopForm(obj=workshop, date=starts.date(), start_time=starts.time(), end_time=ends.time())
    else:
        form = WorkshopForm()
    if form.validate_on_submit():
        with refusal_shown(form):
            services.update_workshop(workshop, _data(form), utcnow(), current_user)
            return commit_and_redirect(
                _("L’annonce de l’atelier est enregistrée."), url_for("workshops.show", workshop_id=workshop.id)
            )
    return _render_form(workshop.consultation, form, workshop, form_status(form))


@routes.route("/ateliers/<int:workshop_id>/inscrits")
@login_required
def registrations(workshop_id: int):
    workshop = _managed(workshop_id)
    return render_template(
        "workshops/registrations.html",
        workshop=workshop,
        consultation=workshop.consultation,
        registrations=services.registrations(workshop),
        retention_days=current_app.config["WORKSHOP_RETENTION_DAYS"],
    )


@routes.route("/ateliers/<int:workshop_id>/annuler", methods=["GET", "POST"])
@login_required
def cancel_workshop(workshop_id: int):
    workshop = require_found("workshop.cancel", Workshop, workshop_id)
    form = CancelWorkshopForm()
    if form.validate_on_submit():
        with refusal_shown(form):
            services.cancel_workshop(current_user, workshop, form.reason.data, utcnow())
            return commit_and_redirect(
                _("L’atelier est annulé : les personnes inscrites en sont informées."),
                url_for("workshops.show", workshop_id=workshop.id),
            )
    return render_template(
        "workshops/cancel_workshop.html",
        workshop=workshop,
        consultation=workshop.consultation,
        form=form,
        registered=len(services.registrations(workshop)),
    ), form_status(form)


@routes.route("/ateliers/<int:workshop_id>/inscriptions/<int:registration_id>/retrait", methods=["GET", "POST"])
@login_required
def remove_registration(workshop_id: int, registration_id: int):
    workshop = require_found("workshop.remove_registrant", Workshop, workshop_id)
    registration = db.session.get(WorkshopRegistration, registration_id)
    if registration is None or registration.workshop_id != workshop.id:
        abort(404)  # a replayed request: the registration is already gone, nothing changes
    form = RemoveRegistrationForm()
    if form.validate_on_submit():
        with refusal_shown(form, missing_is_404=True):
            services.remove_registration(current_user, workshop, registration.id, form.reason.data, utcnow())
            return commit_and_redirect(
                _("La personne est retirée de l’atelier et en est informée."),
                url_for("workshops.registrations", workshop_id=workshop.id),
            )
    return render_template(
        "workshops/remove_registration.html",
        workshop=workshop,
        consultation=workshop.consultation,
        registration=registration,
        form=form,
    ), form_status(form)


@routes.route("/ateliers/<int:workshop_id>/compte-rendu", methods=["GET", "POST"])
@login_required
def outcome_form(workshop_id: int):
    workshop = _managed(workshop_id)
    form = OutcomeForm(obj=workshop if request.method == "GET" else None)
    if form.validate_on_submit():
        with refusal_shown(form, missing_is_404=True):
            outcome.record_outcome(workshop, form.minutes.data or "", form.attendees.data, utcnow())
            return commit_and_redirect(
                _("Le compte rendu est enregistré."), url_for("workshops.show", workshop_id=workshop.id)
            )
    return render_template(
        "workshops/outcome.html",
        workshop=workshop,
        consultation=workshop.consultation,
        form=form,
        started=workshop.has_started(utcnow()),
    ), form_status(form)


# Contributions collected at the workshop ----------------------------------------------------


def _proposal_choices(consultation: Consultation) -> list[tuple[str, str]]:
    titles = db.session.execute(
        select(Proposal.id, Proposal.title).where(visible_proposal(consultation.id)).order_by(Proposal.title)
    ).all()
    return [("", _("La consultation en général"))] + [(str(pid), title) for pid, title in titles]


def _forms(workshop: Workshop, proposal_form=None, comment_form=None):
    consultation = workshop.consultation
    proposal_form = proposal_form or CollectedProposalForm(prefix="p")
    proposal_form.theme.choices = [(str(t.id), t.name) for t in consultation.themes] or [("", _("Sans thème"))]
    comment_form = comment_form or CollectedCommentForm(prefix="c")
    comment_form.proposal.choices = _proposal_choices(consultation)
    comment_form.stance.choices = [("", _("Sans position"))] + [(k, _(v)) for k, v in STANCES.items()]
    return proposal_form, comment_form


def _render_collect(workshop: Workshop, proposal_form=None, comment_form=None, status: int = 200):
    proposal_form, comment_form = _forms(workshop, proposal_form, comment_form)
    proposals, comments = outcome.collected_of(workshop)
    return render_template(
        "workshops/collect.html",
        workshop=workshop,
        consultation=workshop.consultation,
        proposal_form=proposal_form,
        comment_form=comment_form,
        proposals=proposals,
        comments=comments,
        started=workshop.has_started(utcnow()),
    ), status


@routes.route("/ateliers/<int:workshop_id>/contributions")
@login_required
def collect(workshop_id: int):
    return _render_collect(_managed(workshop_id))


def _as_int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 10 else None


@routes.route("/ateliers/<int:workshop_id>/propositions", methods=["POST"])
@login_required
def collect_proposal(workshop_id: int):
    workshop = _managed(workshop_id)
    form, _comment_form = _forms(workshop, CollectedProposalForm(prefix="p"))
    if form.validate_on_submit():
        with refusal_shown(form):
            outcome.collect_proposal(workshop, form.title.data, form.body.data, _as_int(form.theme.data), utcnow())
            return commit_and_redirect(
                _("La proposition recueillie est publiée."),
                url_for("workshops.collect", workshop_id=workshop.id),
            )
    return _render_collect(workshop, proposal_form=form, status=422)


@routes.route("/ateliers/<int:workshop_id>/commentaires", methods=["POST"])
@login_required
def collect_comment(workshop_id: int):
    workshop = _managed(workshop_id)
    _proposal_form, form = _forms(workshop, comment_form=CollectedCommentForm(prefix="c"))
    if form.validate_on_submit():
        proposal_id = _as_int(form.proposal.data)
        proposal = db.session.get(Proposal, proposal_id) if proposal_id else None
        with refusal_shown(form):
            if proposal_id and proposal is None:
                raise ActionRefused(_("Choisissez une proposition visible de cette consultation."), field="proposal")
            outcome.collect_comment(workshop, proposal, form.body.data, form.stance.data or None, utcnow())
            return commit_and_redirect(
                _("Le commentaire recueilli est publié."),
                url_for("workshops.collect", workshop_id=workshop.id),
            )
    return _render_collect(workshop, comment_form=form, status=422)
