"""Open data of a questionnaire's results, once its consultation closes: files and the API's answer.

Only counts leave, and only from ``results.FLOOR`` respondents: no free text (it may name someone),
no answer set, no date, nothing about who answered. The files' rows are the organisers' CSV export
(``results.csv_rows``), the API's figures are the results page's (``results.question_results``).
"""

from dataclasses import dataclass
from datetime import datetime

from flask import url_for

from concertation.permissions import can
from concertation.questionnaires import results, services
from concertation.questionnaires.models import TEXT_KINDS, Questionnaire
from concertation.synthesis.exports.csv_json import LICENCE

DESCRIPTION = (
    "Résultats agrégés du questionnaire : pour chaque question, le nombre et la part des réponses par option, "
    "valeur d’échelle ou case de tableau. Publiés à la clôture de la consultation, à partir de "
    f"{results.FLOOR} répondant·es ; ni les réponses libres, ni aucune donnée sur les personnes."
)


def is_published(questionnaire: Questionnaire, now: datetime) -> bool:
    """Its results are open data (the one rule, asked for no one in particular)."""
    return can(None, "questionnaire.open_data", questionnaire, now)


@dataclass(frozen=True)
class Dataset:
    """A questionnaire's results as the consultation's open-data page lists them."""

    questionnaire: Questionnaire
    respondents: int
    # The files' columns: the organisers' CSV export's (results.CSV_COLUMNS), free texts never among them.
    columns = results.CSV_COLUMNS


def datasets_of(consultation, now: datetime) -> list[Dataset]:
    """The consultation's questionnaires whose results are open data now: closed, public, from FLOOR respondents."""
    found = []
    for questionnaire in services.questionnaires_of(consultation):
        if not is_published(questionnaire, now):
            continue
        respondents = services.respondent_count(questionnaire)
        if respondents >= results.FLOOR:
            found.append(Dataset(questionnaire, respondents))
    return found


def metadata(questionnaire: Questionnaire, respondents: int, now: datetime) -> dict:
    consultation = questionnaire.consultation
    return {
        "title": f"Résultats du questionnaire « {questionnaire.title} »",
        "description": DESCRIPTION,
        "questionnaire": {"id": questionnaire.id, "title": questionnaire.title, "respondents": respondents},
        "consultation": {
            "id": consultation.id,
            "title": consultation.title,
            "territory": consultation.territory.name,
        },
        "publisher": consultation.territory.name,
        "licence": LICENCE,
        "generated_at": now.isoformat(),
        "pseudonymised": True,
        "columns": [{"name": c.name, "type": c.type, "description": c.description} for c in results.CSV_COLUMNS],
    }


def _round(value: float | None, digits: int = 4) -> float | None:
    return round(value, digits) if value is not None else None


def _question(result: results.QuestionResult) -> dict:
    question = result.question
    with_scale = question.kind in ("scale", "matrix")
    return {
        "id": question.id,
        "section": question.section.title,
        "label": question.label,
        "kind": question.kind,
        "respondents": result.answered,
        "scale": {
            "max": question.scale_max or 5,
            "min_label": question.scale_min_label,
            "max_label": question.scale_max_label,
        }
        if with_scale
        else None,
        "mean": _round(result.mean, 2),
        "rows": [
            {
                "label": row.label,
                "count": row.count,
                "share": _round(row.share),
                "mean_rank": _round(row.mean, 2) if question.kind == "ranking" else None,
            }
            for row in result.rows
        ],
        "matrix": [
            {"label": line.label, "counts": line.counts, "respondents": line.answered, "mean": _round(line.mean, 2)}
            for line in result.matrix
        ],
        "free_text": question.kind in TEXT_KINDS,
    }


def api_summary(questionnaire: Questionnaire, now: datetime) -> dict:
    """A questionnaire as the API lists it: what it asks of whom, and where its results are."""
    return {
        "id": questionnaire.id,
        "consultation_id": questionnaire.consultation_id,
        "title": questionnaire.title,
        "audience": questionnaire.audience,
        "question_count": len(questionnaire.questions),
        "results_published": is_published(questionnaire, now),
        "url": url_for("questionnaires.show", questionnaire_id=questionnaire.id, _external=True),
        "results_url": url_for("api.questionnaire_results", questionnaire_id=questionnaire.id, _external=True),
    }


def api_results(questionnaire: Questionnaire, respondents: int, now: datetime) -> dict:
    """The results for the API: null until the consultation closes, and under FLOOR respondents."""
    published = is_published(questionnaire, now)
    shown = published and respondents >= results.FLOOR
    data = api_summary(questionnaire, now)
    data.update(
        {
            "respondents": respondents if published else None,
            "floor": results.FLOOR,
            "results": [_question(r) for r in results.question_results(questionnaire)] if shown else None,
            "csv_url": url_for("questionnaires.data", questionnaire_id=questionnaire.id, fmt="csv", _external=True)
            if shown
            else None,
        }
    )
    return data
