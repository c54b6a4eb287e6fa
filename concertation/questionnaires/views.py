"""Questionnaire pages: answering section by section, the results, and the organisers' editor."""

from collections.abc import Iterator

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from concertation import permissions, phases
from concertation.consultations.models import Consultation
from concertation.db import utcnow
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.forms import commit_and_redirect, form_status, refusal_shown
from concertation.permissions import require
from concertation.questionnaires import free_texts, ready_made, results, services, views_results
from concertation.questionnaires.forms import QuestionForm, QuestionnaireForm, SectionForm
from concertation.questionnaires.models import CONDITIONING_KINDS, Question, Questionnaire
from concertation.synthesis.exports import csv_json, ods

bp = Blueprint("questionnaires", __name__)
views_results.routes.add_to(bp)


@bp.app_template_global("questionnaires_of")
def _questionnaires_of(consultation: Consultation) -> list[Questionnaire]:
    """The consultation's questionnaires a page may list: the published ones, and the drafts for organisers."""
    return services.questionnaires_of(
        consultation, include_drafts=permissions.can(current_user, "questionnaire.manage", consultation)
    )


def _fields() -> dict[str, list[str]]:
    return {name: request.form.getlist(name) for name in request.form}


# Listing and building -----------------------------------------------------------------------


def _render_index(consultation: Consultation, form: QuestionnaireForm | None = None, status: int = 200):
    organiser = permissions.can(current_user, "questionnaire.manage", consultation)
    if organiser and form is None:
        form = QuestionnaireForm()
    return render_template(
        "questionnaires/index.html",
        consultation=consultation,
        questionnaires=_questionnaires_of(consultation),
        form=form if organiser else None,
    ), status


@bp.route("/consultations/<int:consultation_id>/questionnaires")
def index(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    require("consultation.view", consultation)
    return _render_index(consultation)


@bp.route("/consultations/<int:consultation_id>/questionnaires", methods=["POST"])
@login_required
def create(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    require("questionnaire.manage", consultation)
    form = QuestionnaireForm()
    if form.validate_on_submit():
        with refusal_shown(form):
            questionnaire = services.create_questionnaire(
                current_user, consultation, form.title.data, form.intro.data or "", form.audience.data, utcnow()
            )
            return commit_and_redirect(
                _("Le questionnaire est créé : ajoutez ses sections et ses questions."),
                url_for("questionnaires.edit", questionnaire_id=questionnaire.id),
            )
    return _render_index(consultation, form, form_status(form))


def _managed(questionnaire_id: int) -> Questionnaire:
    questionnaire = db.get_or_404(Questionnaire, questionnaire_id)
    require("questionnaire.manage", questionnaire.consultation)
    return questionnaire


def _conditions(questionnaire: Questionnaire):
    """(question, option) pairs a new question may be conditioned on: choices of questions not conditional."""
    return [
        (q, o)
        for q in questionnaire.questions
        if q.kind in CONDITIONING_KINDS and q.condition_option_id is None
        for o in q.options
    ]


def _render_edit(questionnaire, form=None, section_form=None, question_form=None, status: int = 200):
    form = form or QuestionnaireForm(obj=questionnaire)
    section_form = section_form or SectionForm()
    if question_form is None:
        question_form = QuestionForm()
        question_form.set_choices(questionnaire, _conditions(questionnaire))
    return render_template(
        "questionnaires/edit.html",
        questionnaire=questionnaire,
        consultation=questionnaire.consultation,
        form=form,
        section_form=section_form,
        question_form=question_form,
        answers=services.respondent_count(questionnaire),
    ), status


@bp.route("/questionnaires/<int:questionnaire_id>/modifier", methods=["GET", "POST"])
@login_required
def edit(questionnaire_id: int):
    questionnaire = _managed(questionnaire_id)
    form = QuestionnaireForm(obj=questionnaire if request.method == "GET" else None)
    if form.validate_on_submit():
        with refusal_shown(form):
            services.update_questionnaire(questionnaire, form.title.data, form.intro.data or "", form.audience.data)
            return commit_and_redirect(
                _("Le questionnaire est enregistré."), url_for("questionnaires.edit", questionnaire_id=questionnaire.id)
            )
    return _render_edit(questionnaire, form=form, status=form_status(form))


@bp.route("/questionnaires/<int:questionnaire_id>/sections", methods=["POST"])
@login_required
def add_section(questionnaire_id: int):
    questionnaire = _managed(questionnaire_id)
    form = SectionForm()
    if form.validate_on_submit():
        with refusal_shown(form):
            services.add_section(questionnaire, form.section_title.data)
            return commit_and_redirect(
                _("La section est ajoutée."), url_for("questionnaires.edit", questionnaire_id=questionnaire.id)
            )
    return _render_edit(questionnaire, section_form=form, status=422)


@bp.route("/questionnaires/<int:questionnaire_id>/questions", methods=["POST"])
@login_required
def add_question(questionnaire_id: int):
    questionnaire = _managed(questionnaire_id)
    form = QuestionForm()
    form.set_choices(questionnaire, _conditions(questionnaire))
    if form.validate_on_submit():
        section_id = form.as_int(form.section.data)
        section = next((s for s in questionnaire.sections if s.id == section_id), None)
        if section is None:
            form.section.errors = [_("Choisissez une section (ajoutez-en une d’abord).")]
        else:
            data = services.QuestionData(
                kind=form.kind.data or "",
                label=form.label.data,
                hint=form.hint.data or "",
                required=bool(form.required.data),
                options=(form.options.data or "").splitlines(),
                max_choices=form.max_choices.data,
                scale_max=form.as_int(form.scale_max.data),
                scale_min_label=form.scale_min_label.data or "",
                scale_max_label=form.scale_max_label.data or "",
                condition_option_id=form.as_int(form.condition.data),
            )
            with refusal_shown(form):
                services.add_question(section, data)
                return commit_and_redirect(
                    _("La question est ajoutée."), url_for("questionnaires.edit", questionnaire_id=questionnaire.id)
                )
    return _render_edit(questionnaire, question_form=form, status=422)


@bp.route("/questionnaires/questions/<int:question_id>/supprimer", methods=["POST"])
@login_required
def delete_question(question_id: int):
    question = db.get_or_404(Question, question_id)
    questionnaire = _managed(question.section.questionnaire_id)
    try:
        services.delete_question(question)
    except ActionRefused as refusal:
        db.session.rollback()
        flash(refusal.message, "error")
        return redirect(url_for("questionnaires.edit", questionnaire_id=questionnaire.id))
    return commit_and_redirect(
        _("La question est supprimée."), url_for("questionnaires.edit", questionnaire_id=questionnaire.id)
    )


@bp.route("/questionnaires/<int:questionnaire_id>/publier", methods=["POST"])
@login_required
def publish(questionnaire_id: int):
    questionnaire = _managed(questionnaire_id)
    try:
        services.publish(questionnaire, utcnow())
    except ActionRefused as refusal:
        db.session.rollback()
        flash(refusal.message, "error")
        return redirect(url_for("questionnaires.edit", questionnaire_id=questionnaire.id))
    return commit_and_redirect(
        _("Le questionnaire est publié : il prend des réponses pendant les phases de propositions et de vote."),
        url_for("questionnaires.show", questionnaire_id=questionnaire.id),
    )


# Answering ----------------------------------------------------------------------------------


def _section_number(value, questionnaire: Questionnaire) -> int:
    number = QuestionForm.as_int(value) or 1
    return min(max(number, 1), max(len(questionnaire.sections), 1))


def _render_show(questionnaire: Questionnaire, number: int, fields=None, errors=None, status: int = 200):
    can_answer = permissions.can(current_user, "questionnaire.answer", questionnaire)
    answered = can_answer and services.has_answered(current_user, questionnaire)
    draft = services.draft_of(current_user, questionnaire) if can_answer and not answered else {}
    fields = draft if fields is None else fields
    sections = questionnaire.sections
    section = sections[number - 1] if sections else None
    chosen = services.chosen_options(questionnaire, fields)
    return render_template(
        "questionnaires/show.html",
        questionnaire=questionnaire,
        consultation=questionnaire.consultation,
        can_answer=can_answer and not answered,
        answered=answered,
        section=section,
        number=number,
        total=len(sections),
        fields=fields,
        errors=errors or {},
        chosen=chosen,
        questions=services.questions_to_ask(section, chosen) if section else [],
        open_now=phases.questionnaire_open(questionnaire.consultation, utcnow()),
        has_draft=bool(draft),
        field_name=services.field_name,
    ), status


@bp.route("/questionnaires/<int:questionnaire_id>")
def show(questionnaire_id: int):
    questionnaire = db.get_or_404(Questionnaire, questionnaire_id)
    require("questionnaire.view", questionnaire)
    return _render_show(questionnaire, _section_number(request.args.get("section"), questionnaire))


@bp.route("/questionnaires/<int:questionnaire_id>", methods=["POST"])
@login_required
def answer(questionnaire_id: int):
    questionnaire = db.get_or_404(Questionnaire, questionnaire_id)
    require("questionnaire.answer", questionnaire)
    number = _section_number(request.form.get("section"), questionnaire)
    action = request.form.get("action", "next")
    here = url_for("questionnaires.show", questionnaire_id=questionnaire.id)
    now = utcnow()
    try:
        services.save_draft(current_user, questionnaire, _fields(), now, questionnaire.sections[number - 1].questions)
        db.session.commit()
        if action == "submit":
            services.submit(current_user, questionnaire, now)
            return commit_and_redirect(
                _("Merci : vos réponses sont envoyées. Elles ne sont plus liées à votre compte."), here
            )
    except services.AnswersInvalid as invalid:
        db.session.rollback()
        first = next(
            i for i, s in enumerate(questionnaire.sections, 1) if any(q.id in invalid.errors for q in s.questions)
        )
        flash(invalid.message, "error")
        return _render_show(questionnaire, first, errors=invalid.errors, status=422)
    except ActionRefused as refusal:
        db.session.rollback()
        flash(refusal.message, "error")
        return redirect(here)
    if action == "save":
        flash(_("Vos réponses sont enregistrées : vous pourrez reprendre plus tard."), "success")
        return redirect(url_for("questionnaires.show", questionnaire_id=questionnaire.id, section=number))
    step = -1 if action == "previous" else 1
    return redirect(url_for("questionnaires.show", questionnaire_id=questionnaire.id, section=number + step))


# Results ------------------------------------------------------------------------------------


@bp.route("/questionnaires/<int:questionnaire_id>/resultats")
def show_results(questionnaire_id: int):
    questionnaire = db.get_or_404(Questionnaire, questionnaire_id)
    require("questionnaire.results", questionnaire)
    count = services.respondent_count(questionnaire)
    organiser = permissions.can(current_user, "questionnaire.manage", questionnaire.consultation)
    shown = count >= results.FLOOR
    crossable = [q for q in questionnaire.questions if q.kind in results.CROSSABLE_KINDS]
    table = None
    if shown and organiser:
        by_id = {q.id: q for q in crossable}
        rows = by_id.get(QuestionForm.as_int(request.args.get("lignes")) or 0)
        columns = by_id.get(QuestionForm.as_int(request.args.get("colonnes")) or 0)
        if rows is not None and columns is not None and rows.id != columns.id:
            table = results.crosstab(questionnaire, rows, columns)
    return render_template(
        "questionnaires/results.html",
        questionnaire=questionnaire,
        consultation=questionnaire.consultation,
        count=count,
        floor=results.FLOOR,
        results=results.question_results(questionnaire, with_texts=organiser) if shown else [],
        organiser=organiser,
        crossable=crossable,
        table=table,
        min_answers=free_texts.MIN_ANSWERS,
        open_data=permissions.can(current_user, "questionnaire.open_data", questionnaire),
    )


@bp.route("/questionnaires/<int:questionnaire_id>/resultats.<any(csv, ods):fmt>")
def export(questionnaire_id: int, fmt: str):
    """The results as CSV or ODS (open formats), from 10 respondents, like the page."""
    questionnaire = db.get_or_404(Questionnaire, questionnaire_id)
    require("questionnaire.results", questionnaire)
    if services.respondent_count(questionnaire) < results.FLOOR:
        abort(404)
    rows = results.csv_rows(questionnaire)
    body: bytes | Iterator[bytes]
    if fmt == "ods":
        body, mimetype = ods.spreadsheet(results.CSV_COLUMNS, rows, "Résultats"), ods.MIMETYPE
    else:
        body, mimetype = stream_with_context(csv_json.stream_csv(results.CSV_COLUMNS, rows)), "text/csv"
    return Response(
        body,
        mimetype=mimetype,
        headers={
            "Content-Disposition": f"attachment; filename=questionnaire-{questionnaire.id}-resultats.{fmt}",
            "Cache-Control": "private, no-store",
        },
    )


@bp.route("/consultations/<int:consultation_id>/questionnaires/modele-agents", methods=["POST"])
@login_required
def create_agents_template(consultation_id: int):
    """The ready-made questionnaire « Usages de l’IA et besoins de formation des agents », as a draft to adjust."""
    consultation = db.get_or_404(Consultation, consultation_id)
    require("questionnaire.manage", consultation)
    questionnaire = ready_made.agents_ai_training(current_user, consultation, utcnow())
    return commit_and_redirect(
        _("Le questionnaire des agents est prêt, en brouillon : relisez-le, ajustez-le, puis publiez-le."),
        url_for("questionnaires.edit", questionnaire_id=questionnaire.id),
    )
