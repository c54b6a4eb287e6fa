"""Consultation pages, and the organiser's forms to create and edit them."""

from flask import Blueprint, abort, current_app, render_template, request, send_from_directory, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from concertation import phases
from concertation.consultations import services
from concertation.consultations.forms import ConsultationForm, ResourceForm
from concertation.consultations.models import Consultation, Resource
from concertation.dates import paris_to_utc, utc_to_paris
from concertation.extensions import db
from concertation.forms import BaseForm, commit_and_redirect, form_status, refusal_shown
from concertation.permissions import require
from concertation.territories.models import Territory

bp = Blueprint("consultations", __name__)



def _data_from(form: ConsultationForm) -> services.ConsultationData:
    return services.ConsultationData(
        title=form.title.data, summary=form.summary.data, description=form.description.data or "",
        audience=form.audience.data, voting_method=form.voting_method.data,
        support_limit=form.support_limit.data, supports_during_proposals=form.supports_during_proposals.data,
        results_live=form.results_live.data, themes=services.parse_themes(form.themes.data),
        phase_dates=[phases.PhaseDates(kind, paris_to_utc(start.data), paris_to_utc(end.data) if end else None)
                     for kind, start, end in form.phase_fields()],
    )


def _fill(form: ConsultationForm, consultation: Consultation) -> None:
    form.themes.data = "\n".join(t.name for t in consultation.themes)
    for kind, start, end in form.phase_fields():
        phase = consultation.phase(kind)
        if phase is not None:
            start.data = utc_to_paris(phase.starts_at).replace(tzinfo=None)
            if end is not None and phase.ends_at:
                end.data = utc_to_paris(phase.ends_at).replace(tzinfo=None)


@bp.route("/consultations/<int:consultation_id>")
def show(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    require("consultation.view", consultation)
    return render_template("consultations/show.html", consultation=consultation)


@bp.route("/territoires/<slug>/consultations/nouvelle", methods=["GET", "POST"])
@login_required
def create(slug: str):
    territory = db.session.scalar(select(Territory).where(Territory.slug == slug))
    if territory is None:
        abort(404)
    require("consultation.create", territory)
    form = ConsultationForm()
    if form.validate_on_submit():
        with refusal_shown(form):
            consultation = services.create_consultation(current_user, territory, _data_from(form))
            return commit_and_redirect(
                _("La consultation est créée. Ajoutez maintenant les ressources de la phase d’information."),
                url_for("consultations.resources", consultation_id=consultation.id))
    status = form_status(form)
    return render_template("consultations/edit.html", form=form, territory=territory, consultation=None), status


@bp.route("/consultations/<int:consultation_id>/modifier", methods=["GET", "POST"])
@login_required
def edit(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    require("consultation.edit", consultation)
    form = ConsultationForm(obj=consultation if request.method == "GET" else None)
    if request.method == "GET":
        _fill(form, consultation)
    if form.validate_on_submit():
        with refusal_shown(form):
            services.update_consultation(consultation, _data_from(form))
            return commit_and_redirect(_("La consultation est enregistrée."),
                                       url_for("consultations.show", consultation_id=consultation.id))
    status = form_status(form)
    return render_template("consultations/edit.html", form=form, territory=consultation.territory,
                           consultation=consultation), status


@bp.route("/consultations/<int:consultation_id>/ressources", methods=["GET", "POST"])
@login_required
def resources(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    require("consultation.edit", consultation)
    form = ResourceForm()
    if form.validate_on_submit():
        with refusal_shown(form):
            services.add_resource(consultation, form.title.data, form.description.data or "", form.url.data,
                                  request.files.get(form.file.name), current_app.config["UPLOAD_DIR"],
                                  current_app.config["UPLOAD_MAX_BYTES"])
            return commit_and_redirect(_("La ressource est ajoutée."),
                                       url_for("consultations.resources", consultation_id=consultation.id))
    status = form_status(form)
    return render_template("consultations/resources.html", consultation=consultation, form=form,
                           remove_form=BaseForm()), status


@bp.route("/consultations/<int:consultation_id>/ressources/<int:resource_id>/retirer", methods=["POST"])
@login_required
def remove_resource(consultation_id: int, resource_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    require("consultation.edit", consultation)
    resource = db.session.get(Resource, resource_id)
    if resource is None or resource.consultation_id != consultation.id:
        abort(404)
    if not BaseForm().validate_on_submit():
        abort(400)
    services.remove_resource(resource, current_app.config["UPLOAD_DIR"])
    return commit_and_redirect(_("La ressource est retirée."),
                               url_for("consultations.resources", consultation_id=consultation.id))


@bp.route("/ressources/<int:resource_id>/document")
def download(resource_id: int):
    resource = db.session.get(Resource, resource_id)
    if resource is None or not resource.file_key:
        abort(404)
    require("consultation.view", resource.consultation)
    extension = resource.file_key.rsplit(".", 1)[-1]
    return send_from_directory(
        current_app.config["UPLOAD_DIR"], resource.file_key, mimetype=services.ALLOWED_UPLOADS[extension],
        as_attachment=extension not in ("pdf", "png", "jpg", "jpeg", "txt"), download_name=resource.file_name,
    )
