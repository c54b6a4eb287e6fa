"""The organisers' side of proposals: answering one, answering many at once, answer templates."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user, login_required

from concertation import query_args
from concertation.consultations.models import Consultation
from concertation.db import utcnow
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.forms import show_refusal
from concertation.permissions import require
from concertation.proposals import answers, bp
from concertation.proposals.forms import AnswerForm, AnswerTemplateForm, BulkAnswerForm
from concertation.proposals.models import AnswerTemplate, Proposal
from concertation.proposals.views import render_index


def _template_or_refuse(consultation, template_id: int | None) -> AnswerTemplate | None:
    if template_id is None:
        return None
    template = db.session.get(AnswerTemplate, template_id) if template_id > 0 else None
    if template is None or template.consultation_id != consultation.id:
        raise ActionRefused(_("Ce modèle de réponse n’existe pas dans cette consultation."), field="template")
    return template


@bp.route("/propositions/<int:proposal_id>/reponse", methods=["GET", "POST"])
@login_required
def answer(proposal_id: int):
    proposal = db.get_or_404(Proposal, proposal_id)
    require("proposal.answer", proposal)
    consultation = proposal.consultation
    form = AnswerForm(data={"answer": proposal.answer, "text": proposal.answer_text}
                      if request.method == "GET" else None)
    form.set_templates(answers.templates_of(consultation))
    if form.validate_on_submit():
        try:
            template = _template_or_refuse(consultation, form.template_id())
            answers.answer_proposal(current_user, proposal, form.answer.data, form.text.data or "", utcnow(),
                                    template=template)
        except ActionRefused as error:
            db.session.rollback()
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("La réponse est publiée et les personnes concernées sont prévenues."), "success")
            return redirect(url_for("proposals.show", proposal_id=proposal.id))
    status = 422 if form.is_submitted() else 200
    return render_template("proposals/answer.html", proposal=proposal, consultation=consultation,
                           form=form), status


@bp.route("/consultations/<int:consultation_id>/propositions/reponses", methods=["POST"])
@login_required
def bulk_answer(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    require("consultation.answer", consultation)
    form = BulkAnswerForm(prefix="bulk")
    form.set_templates(answers.templates_of(consultation))
    if form.validate_on_submit():
        try:
            template = _template_or_refuse(consultation, form.template_id())
            count = answers.bulk_answer(current_user, consultation, form.proposal_ids.data or [],
                                        form.answer.data, form.text.data or "", utcnow(), template=template)
        except ActionRefused as error:
            db.session.rollback()
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(ngettext("%(num)d proposition a reçu cette réponse.",
                           "%(num)d propositions ont reçu cette réponse.", count), "success")
            # Back to the list as it was filtered (the form's address carries the filters).
            return redirect(url_for("proposals.index", consultation_id=consultation.id, **query_args.link_args()))
    return render_index(consultation, bulk_form=form, status=422)


@bp.route("/consultations/<int:consultation_id>/modeles-de-reponse", methods=["GET", "POST"])
@login_required
def templates(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    require("consultation.answer", consultation)
    form = AnswerTemplateForm()
    if form.validate_on_submit():
        try:
            answers.create_template(consultation, form.name.data, form.answer.data, form.text.data or "")
        except ActionRefused as error:
            db.session.rollback()
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("Le modèle de réponse est enregistré."), "success")
            return redirect(url_for("proposals.templates", consultation_id=consultation.id))
    status = 422 if form.is_submitted() else 200
    return render_template("proposals/templates.html", consultation=consultation, form=form,
                           answer_templates=answers.templates_of(consultation)), status


def _template_or_404(consultation, template_id: int) -> AnswerTemplate:
    template = db.session.get(AnswerTemplate, template_id)
    if template is None or template.consultation_id != consultation.id:
        abort(404)
    return template


@bp.route("/consultations/<int:consultation_id>/modeles-de-reponse/<int:template_id>",
          methods=["GET", "POST"])
@login_required
def edit_template(consultation_id: int, template_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    require("consultation.answer", consultation)
    template = _template_or_404(consultation, template_id)
    form = AnswerTemplateForm(obj=template if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            answers.update_template(template, form.name.data, form.answer.data, form.text.data or "")
        except ActionRefused as error:
            db.session.rollback()
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("Le modèle de réponse est enregistré."), "success")
            return redirect(url_for("proposals.templates", consultation_id=consultation.id))
    status = 422 if form.is_submitted() else 200
    return render_template("proposals/template_edit.html", consultation=consultation, form=form,
                           template=template), status


@bp.route("/consultations/<int:consultation_id>/modeles-de-reponse/<int:template_id>/supprimer",
          methods=["POST"])
@login_required
def delete_template(consultation_id: int, template_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    require("consultation.answer", consultation)
    answers.delete_template(_template_or_404(consultation, template_id))
    db.session.commit()
    flash(_("Le modèle de réponse est supprimé."), "success")
    return redirect(url_for("proposals.templates", consultation_id=consultation.id))
