"""A consultation's cover image: organisers choose it (with its text alternative); everyone gets the file."""

from flask import abort, current_app, flash, redirect, render_template, request, send_from_directory, url_for
from flask_babel import gettext as _
from flask_login import login_required

from concertation.routing import Routes
from concertation.consultations.forms import CoverForm
from concertation.consultations.models import Consultation
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.forms import BaseForm, show_refusal
from concertation.permissions import require_found
from concertation.territories import branding

routes = Routes()


@routes.route("/consultations/<int:consultation_id>/couverture", methods=["GET", "POST"])
@login_required
def cover(consultation_id: int):
    consultation = require_found("consultation.edit", Consultation, consultation_id)
    form = CoverForm(data={"cover_alt": consultation.cover_alt})
    if form.validate_on_submit():
        try:
            branding.set_cover(
                consultation, request.files.get(form.cover.name), form.cover_alt.data, current_app.config["UPLOAD_DIR"]
            )
        except ActionRefused as error:
            db.session.rollback()
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("L’image de couverture est enregistrée."), "success")
            return redirect(url_for("consultations.show", consultation_id=consultation.id))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "consultations/cover.html", consultation=consultation, form=form, remove_form=BaseForm()
    ), status


@routes.route("/consultations/<int:consultation_id>/couverture/retirer", methods=["POST"])
@login_required
def remove_cover(consultation_id: int):
    consultation = require_found("consultation.edit", Consultation, consultation_id)
    if not BaseForm().validate_on_submit():
        abort(400)
    branding.remove_cover(consultation, current_app.config["UPLOAD_DIR"])
    db.session.commit()
    flash(_("L’image de couverture est retirée."), "success")
    return redirect(url_for("consultations.show", consultation_id=consultation.id))


@routes.route("/consultations/<int:consultation_id>/image-de-couverture")
def cover_image(consultation_id: int):
    consultation = require_found("consultation.view", Consultation, consultation_id)
    if not consultation.cover_key:
        abort(404)
    extension = consultation.cover_key.rsplit(".", 1)[-1]
    return send_from_directory(
        current_app.config["UPLOAD_DIR"], consultation.cover_key, mimetype=branding.IMAGE_TYPES[extension], max_age=3600
    )
