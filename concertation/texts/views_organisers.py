"""The organisers' side of participatory texts: import, open, answer the amendments, publish the adopted version."""

from flask import abort, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user, login_required

from concertation.consultations.models import Consultation
from concertation.db import utcnow
from concertation.extensions import db
from concertation.forms import commit_and_redirect, form_status, refusal_shown
from concertation.permissions import require, require_found
from concertation.routing import Routes
from concertation.texts import services
from concertation.texts.forms import AnswerForm, BulkAnswerForm, ImportForm
from concertation.texts.models import Amendment, DraftText

routes = Routes()


def _managed_text(text_id: int) -> DraftText:
    text = db.get_or_404(DraftText, text_id)
    require("text.manage", text.consultation)
    return text


@routes.route("/consultations/<int:consultation_id>/textes/nouveau", methods=["GET", "POST"])
@login_required
def create(consultation_id: int):
    consultation = require_found("text.manage", Consultation, consultation_id)
    form = ImportForm()
    if form.validate_on_submit():
        with refusal_shown(form):
            text = services.import_text(current_user, consultation, form.title.data, form.markdown(), utcnow())
            db.session.flush()
            return commit_and_redirect(
                _("Le texte est importé. Relisez-le, puis ouvrez-le aux amendements."),
                url_for("texts.show", text_id=text.id),
            )
    return render_template("texts/import.html", consultation=consultation, form=form, text=None), form_status(form)


@routes.route("/textes/<int:text_id>/importer", methods=["GET", "POST"])
@login_required
def reimport(text_id: int):
    text = _managed_text(text_id)
    if text.status != "draft":
        abort(409)
    form = ImportForm(obj=text if request.method == "GET" else None)
    if form.validate_on_submit():
        with refusal_shown(form):
            services.reimport_text(text, form.title.data, form.markdown())
            return commit_and_redirect(_("Le texte est remplacé."), url_for("texts.show", text_id=text.id))
    return render_template("texts/import.html", consultation=text.consultation, form=form, text=text), form_status(form)


@routes.route("/textes/<int:text_id>/ouvrir", methods=["POST"])
@login_required
def open_text(text_id: int):
    text = _managed_text(text_id)
    services.open_text(text, utcnow())
    return commit_and_redirect(_("Le texte est ouvert aux amendements."), url_for("texts.show", text_id=text.id))


@routes.route("/textes/<int:text_id>/amendements", methods=["GET", "POST"])
@login_required
def answers(text_id: int):
    """Every amendment of the text, to answer one by one or several at once."""
    text = _managed_text(text_id)
    amendments = services.text_amendments(text)
    form = BulkAnswerForm()
    if form.validate_on_submit():
        with refusal_shown(form):
            count = services.answer_many(
                current_user, text, form.amendment_ids(), form.status.data, form.reason.data or "", utcnow()
            )
            return commit_and_redirect(
                ngettext("%(num)d amendement a reçu sa réponse.", "%(num)d amendements ont reçu leur réponse.", count),
                url_for("texts.answers", text_id=text.id),
            )
    return render_template(
        "texts/answers.html",
        text=text,
        consultation=text.consultation,
        amendments=amendments,
        judgments=services.judgments(text, [a.id for a in amendments], utcnow()),
        form=form,
    ), form_status(form)


@routes.route("/textes/amendements/<int:amendment_id>/reponse", methods=["GET", "POST"])
@login_required
def answer(amendment_id: int):
    amendment = db.get_or_404(Amendment, amendment_id)
    text = amendment.paragraph.text
    require("text.manage", text.consultation)
    if not amendment.is_visible:
        abort(409)  # hidden or waiting for the moderation: it is decided in the moderation queue first
    form = AnswerForm(
        data={
            "status": amendment.status if amendment.status != "pending" else None,
            "reason": amendment.answer_text,
            "changed_wording": amendment.final_wording or amendment.wording,
        }
        if request.method == "GET"
        else None
    )
    if form.validate_on_submit():
        with refusal_shown(form):
            services.answer_amendment(
                current_user,
                amendment,
                form.status.data,
                form.reason.data or "",
                utcnow(),
                changed_wording=form.changed_wording.data or "",
            )
            return commit_and_redirect(
                _("La réponse est publiée ; la personne qui a proposé l’amendement en est prévenue."),
                url_for("texts.answers", text_id=text.id),
            )
    return render_template(
        "texts/answer.html", text=text, consultation=text.consultation, amendment=amendment, form=form
    ), form_status(form)


@routes.route("/textes/<int:text_id>/publier", methods=["POST"])
@login_required
def publish(text_id: int):
    text = _managed_text(text_id)
    version = services.publish_version(current_user, text, utcnow())
    db.session.flush()
    return commit_and_redirect(_("La version adoptée est publiée."), url_for("texts.version", version_id=version.id))
