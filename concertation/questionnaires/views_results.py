"""A questionnaire's results read otherwise: free texts grouped by the synthesis aid (organisers),
and the open data once the consultation closes (everyone)."""

from collections.abc import Iterator

from flask import abort, render_template

from concertation.db import utcnow
from concertation.extensions import db
from concertation.permissions import require
from concertation.questionnaires import free_texts, open_data, results, services
from concertation.questionnaires.models import Question, Questionnaire
from concertation.routing import Routes
from concertation.synthesis.exports import csv_json, ods

routes = Routes()


@routes.route("/questionnaires/<int:questionnaire_id>/reponses-libres/<int:question_id>")
def free_text_groups(questionnaire_id: int, question_id: int):
    """A question's free-text answers grouped by the synthesis aid, for the organisers, without any author."""
    questionnaire = db.get_or_404(Questionnaire, questionnaire_id)
    require("questionnaire.manage", questionnaire.consultation)
    question = db.get_or_404(Question, question_id)
    if question.section.questionnaire_id != questionnaire.id:
        abort(404)
    grouped = free_texts.group_answers(question)
    return render_template(
        "questionnaires/free_texts.html",
        questionnaire=questionnaire,
        consultation=questionnaire.consultation,
        grouped=grouped,
    )


@routes.route("/questionnaires/<int:questionnaire_id>/donnees.<any(csv, json, ods):fmt>")
def data(questionnaire_id: int, fmt: str):
    """Open data of the results (Licence Ouverte 2.0) as CSV, JSON or ODS, once the consultation closes and from
    10 respondents."""
    questionnaire = db.get_or_404(Questionnaire, questionnaire_id)
    require("questionnaire.open_data", questionnaire)
    count = services.respondent_count(questionnaire)
    if count < results.FLOOR:
        abort(404)
    rows = results.csv_rows(questionnaire)
    body: bytes | Iterator[bytes]
    if fmt == "csv":
        body, mimetype = csv_json.stream_csv(results.CSV_COLUMNS, rows), "text/csv"
    elif fmt == "ods":
        body, mimetype = ods.spreadsheet(results.CSV_COLUMNS, rows, "Résultats"), ods.MIMETYPE
    else:
        meta = open_data.metadata(questionnaire, count, utcnow())
        body, mimetype = csv_json.stream_json(meta, results.CSV_COLUMNS, rows), "application/json"
    return csv_json.download(body, mimetype, f"questionnaire-{questionnaire.id}-resultats.{fmt}")
