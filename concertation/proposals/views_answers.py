"""The organisers' side of proposals: answering one, answering many at once, answer templates."""

from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from concertation.consultations.models import Consultation
from concertation.db import utcnow
from concertation.extensions import db
from concertation.forms import commit_and_redirect, form_status, refusal_shown
from concertation.permissions import require_found
from concertation.proposals import answers
from concertation.proposals.forms import AnswerForm, AnswerTemplateForm
from concertation.proposals.models import AnswerTemplate, Proposal
from concertation.routing import Routes

routes = Routes()


@routes.route("/propositions/<int:proposal_id>/reponse", methods=["GET", "POST"])
@login_required
def answer(proposal_id: int):
    proposal = require_found("proposal.answer", Proposal, proposal_id)
    consultation = proposal.consultation
    form = AnswerForm(
        data={"answer": proposal.answer, "text": proposal.answer_text} if request.method == "GET" else None
    )
    form.set_templates(answers.templates_of(consultation))
    if form.validate_on_submit():
        with refusal_shown(form):
            template = answers.template_or_refuse(consultation, form.template_id())
            answers.answer_proposal(
                current_user, proposal, form.answer.data, form.text.data or "", utcnow(), template=template
            )
            return commit_and_redirect(
                _("La réponse est publiée et les personnes concernées sont prévenues."),
                url_for("proposals.show", proposal_id=proposal.id),
            )
    status = form_status(form)
    return render_template("proposals/answer.html", proposal=proposal, consultation=consultation, form=form), status


@routes.route("/consultations/<int:consultation_id>/modeles-de-reponse", methods=["GET", "POST"])
@login_required
def templates(consultation_id: int):
    consultation = require_found("consultation.answer", Consultation, consultation_id)
    form = AnswerTemplateForm()
    if form.validate_on_submit():
        with refusal_shown(form):
            answers.create_template(consultation, form.name.data, form.answer.data, form.text.data or "")
            return commit_and_redirect(
                _("Le modèle de réponse est enregistré."),
                url_for("proposals.templates", consultation_id=consultation.id),
            )
    status = form_status(form)
    return render_template(
        "proposals/templates.html",
        consultation=consultation,
        form=form,
        answer_templates=answers.templates_of(consultation),
    ), status


def _template_or_404(consultation, template_id: int) -> AnswerTemplate:
    template = db.session.get(AnswerTemplate, template_id)
    if template is None or template.consultation_id != consultation.id:
        abort(404)
    return template


@routes.route("/consultations/<int:consultation_id>/modeles-de-reponse/<int:template_id>", methods=["GET", "POST"])
@login_required
def edit_template(consultation_id: int, template_id: int):
    consultation = require_found("consultation.answer", Consultation, consultation_id)
    template = _template_or_404(consultation, template_id)
    form = AnswerTemplateForm(obj=template if request.method == "GET" else None)
    if form.validate_on_submit():
        with refusal_shown(form):
            answers.update_template(template, form.name.data, form.answer.data, form.text.data or "")
            return commit_and_redirect(
                _("Le modèle de réponse est enregistré."),
                url_for("proposals.templates", consultation_id=consultation.id),
            )
    status = form_status(form)
    return render_template(
        "proposals/template_edit.html", consultation=consultation, form=form, template=template
    ), status


@routes.route("/consultations/<int:consultation_id>/modeles-de-reponse/<int:template_id>/supprimer", methods=["POST"])
@login_required
def delete_template(consultation_id: int, template_id: int):
    consultation = require_found("consultation.answer", Consultation, consultation_id)
    answers.delete_template(_template_or_404(consultation, template_id))
    return commit_and_redirect(
        _("Le modèle de réponse est supprimé."), url_for("proposals.templates", consultation_id=consultation.id)
    )
