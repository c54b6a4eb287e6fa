"""Consultation pages, and the organiser's forms to create and edit them."""

from flask import Blueprint, abort, current_app, render_template, request, send_from_directory, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from concertation.consultations import progress, services, views_cover
from concertation.consultations.forms import ConsultationForm, DuplicateForm, ResourceForm
from concertation.consultations.models import Consultation, Resource
from concertation.dates import utc_to_paris
from concertation.extensions import db
from concertation.db import utcnow
from concertation.forms import BaseForm, choices, commit_and_redirect, form_status, refusal_shown
from concertation.permissions import require, require_found
from concertation.territories.models import Territory

bp = Blueprint("consultations", __name__)
# The cover image's routes have a module of their own, on this one blueprint.
views_cover.routes.add_to(bp)


def _data_from(form: ConsultationForm, consultation: Consultation | None = None) -> services.ConsultationData:
    return services.ConsultationData(
        title=form.title.data,
        summary=form.summary.data,
        description=form.description.data or "",
        audience=form.audience.data,
        voting_method=form.voting_method.data,
        support_limit=form.support_limit.data,
        supports_during_proposals=form.supports_during_proposals.data,
        results_live=form.results_live.data,
        themes=services.parse_themes(form.themes.data),
        phase_dates=services.chained_phases(
            {kind: start.data for kind, start in form.phase_fields()},
            consultation.phases if consultation is not None else None,
        ),
        premoderation=form.premoderation.data,
        vote_assurance=form.vote_assurance.data or "",
    )


def _fill(form: ConsultationForm, consultation: Consultation) -> None:
    form.themes.data = "\n".join(t.name for t in consultation.themes)
    for kind, start in form.phase_fields():
        phase = consultation.phase(kind)
        if phase is not None:
            start.data = utc_to_paris(phase.starts_at).date()


def _fill_from_model(form: ConsultationForm, territory: Territory) -> None:
    """Prefill a new consultation's form from an earlier one (?modele=<id>) the organiser may edit."""
    model = db.session.get(Consultation, request.args.get("modele", type=int) or 0)
    if model is None or model.territory_id != territory.id:
        abort(404)
    require("consultation.edit", model)
    data, starts = services.duplicate_data(model, utcnow())
    for name in (
        "title",
        "summary",
        "description",
        "audience",
        "voting_method",
        "support_limit",
        "supports_during_proposals",
        "results_live",
        "premoderation",
        "vote_assurance",
    ):
        form[name].data = getattr(data, name)
    form.themes.data = "\n".join(data.themes)
    for kind, start in form.phase_fields():
        start.data = starts[kind]


@bp.route("/consultations/<int:consultation_id>")
def show(consultation_id: int):
    consultation = require_found("consultation.view", Consultation, consultation_id)
    now = utcnow()
    return render_template(
        "consultations/show.html",
        consultation=consultation,
        progress=progress.progress(consultation, now),
        actions=progress.open_actions(current_user, consultation, now),
    )


@bp.route("/territoires/<slug>/consultations/nouvelle", methods=["GET", "POST"])
@login_required
def create(slug: str):
    territory = db.session.scalar(select(Territory).where(Territory.slug == slug))
    if territory is None:
        abort(404)
    require("consultation.create", territory)
    form = ConsultationForm()
    if request.method == "GET" and request.args.get("modele"):
        _fill_from_model(form, territory)
    if form.validate_on_submit():
        with refusal_shown(form):
            consultation = services.create_consultation(current_user, territory, _data_from(form))
            return commit_and_redirect(
                _("La consultation est créée. Ajoutez maintenant les ressources de la phase d’information."),
                url_for("consultations.resources", consultation_id=consultation.id),
            )
    status = form_status(form)
    earlier = services.earlier_consultations(territory)
    duplicate_form = DuplicateForm(formdata=None, modele=request.args.get("modele", ""))
    duplicate_form.modele.choices = choices(
        [("", _("Choisissez une consultation")), *((str(c.id), c.title) for c in earlier)]
    )
    return render_template(
        "consultations/edit.html",
        form=form,
        territory=territory,
        consultation=None,
        duplicate_form=duplicate_form if earlier else None,
    ), status


@bp.route("/consultations/<int:consultation_id>/modifier", methods=["GET", "POST"])
@login_required
def edit(consultation_id: int):
    consultation = require_found("consultation.edit", Consultation, consultation_id)
    form = ConsultationForm(obj=consultation if request.method == "GET" else None)
    if request.method == "GET":
        _fill(form, consultation)
    if form.validate_on_submit():
        with refusal_shown(form):
            services.update_consultation(consultation, _data_from(form, consultation))
            return commit_and_redirect(
                _("La consultation est enregistrée."), url_for("consultations.show", consultation_id=consultation.id)
            )
    status = form_status(form)
    return render_template(
        "consultations/edit.html", form=form, territory=consultation.territory, consultation=consultation
    ), status


@bp.route("/consultations/<int:consultation_id>/ressources", methods=["GET", "POST"])
@login_required
def resources(consultation_id: int):
    consultation = require_found("consultation.edit", Consultation, consultation_id)
    form = ResourceForm()
    if form.validate_on_submit():
        with refusal_shown(form):
            services.add_resource(
                consultation,
                form.title.data,
                form.description.data or "",
                form.url.data,
                request.files.get(form.file.name),
                current_app.config["UPLOAD_DIR"],
                current_app.config["UPLOAD_MAX_BYTES"],
            )
            return commit_and_redirect(
                _("La ressource est ajoutée."), url_for("consultations.resources", consultation_id=consultation.id)
            )
    status = form_status(form)
    return render_template(
        "consultations/resources.html", consultation=consultation, form=form, remove_form=BaseForm()
    ), status


@bp.route("/consultations/<int:consultation_id>/ressources/<int:resource_id>/retirer", methods=["POST"])
@login_required
def remove_resource(consultation_id: int, resource_id: int):
    consultation = require_found("consultation.edit", Consultation, consultation_id)
    resource = db.session.get(Resource, resource_id)
    if resource is None or resource.consultation_id != consultation.id:
        abort(404)
    if not BaseForm().validate_on_submit():
        abort(400)
    services.remove_resource(resource, current_app.config["UPLOAD_DIR"])
    return commit_and_redirect(
        _("La ressource est retirée."), url_for("consultations.resources", consultation_id=consultation.id)
    )


@bp.route("/ressources/<int:resource_id>/document")
def download(resource_id: int):
    resource = db.session.get(Resource, resource_id)
    if resource is None or not resource.file_key:
        abort(404)
    require("consultation.view", resource.consultation)
    extension = resource.file_key.rsplit(".", 1)[-1]
    return send_from_directory(
        current_app.config["UPLOAD_DIR"],
        resource.file_key,
        mimetype=services.ALLOWED_UPLOADS[extension],
        as_attachment=extension not in ("pdf", "png", "jpg", "jpeg", "txt"),
        download_name=resource.file_name,
    )
