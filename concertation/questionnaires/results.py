"""What a questionnaire's answers add up to: per question, and one question by another.

Counted in SQL (one aggregate per figure), never by loading answers. No figure about fewer than
``FLOOR`` respondents is shown: a questionnaire's results wait for ``FLOOR`` responses, and a
cross-tabulation goes through the platform's one small-group rule (``concertation.small_groups``:
each cell under ``FLOOR`` hidden, with complementary suppression).
"""

from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from concertation.extensions import db
from concertation.small_groups import FLOOR, suppress
from concertation.synthesis.exports.csv_json import Column
from concertation.questionnaires.models import (
    CONDITIONING_KINDS,
    KINDS,
    TEXT_KINDS,
    Answer,
    Question,
    Questionnaire,
    Response,
)

CROSSABLE_KINDS = (*CONDITIONING_KINDS, "scale")


@dataclass
class Row:
    label: str
    count: int
    share: float
    mean: float | None = None


@dataclass
class MatrixRow:
    label: str
    counts: list[int]
    answered: int
    mean: float | None


@dataclass
class QuestionResult:
    question: Question
    answered: int
    rows: list[Row] = field(default_factory=list)
    matrix: list[MatrixRow] = field(default_factory=list)
    mean: float | None = None
    texts: list[str] = field(default_factory=list)


def _share(count: int, total: int) -> float:
    return count / total if total else 0.0


def _mean(pairs: list[tuple[int, int]]) -> float | None:
    """The mean of values given as (value, count) pairs."""
    total = sum(n for _, n in pairs)
    return sum(v * n for v, n in pairs) / total if total else None


def scale_label(question: Question, value: int) -> str:
    if value == 1 and question.scale_min_label:
        return f"1 – {question.scale_min_label}"
    if value == question.scale_max and question.scale_max_label:
        return f"{value} – {question.scale_max_label}"
    return str(value)


def question_results(questionnaire: Questionnaire, with_texts: bool = False) -> list[QuestionResult]:
    """Each question's counts and shares among those who answered it (texts only when asked)."""
    of_questionnaire = Answer.response_id.in_(select(Response.id).where(Response.questionnaire_id == questionnaire.id))
    answered: dict[int, int] = dict(
        db.session.execute(  # type: ignore[arg-type]
            select(Answer.question_id, func.count(func.distinct(Answer.response_id)))
            .where(of_questionnaire)
            .group_by(Answer.question_id)
        ).all()
    )
    counts: dict[tuple[int, int | None, int | None], int] = {
        (q, o, v): n
        for q, o, v, n in db.session.execute(
            select(Answer.question_id, Answer.option_id, Answer.value, func.count())
            .where(of_questionnaire, Answer.text.is_(None))
            .group_by(Answer.question_id, Answer.option_id, Answer.value)
        ).all()
    }
    texts: dict[int, list[str]] = {}
    if with_texts:
        # Sorted by their text: the order answers came in is not shown.
        for question_id, text in db.session.execute(
            select(Answer.question_id, Answer.text)
            .where(of_questionnaire, Answer.text.is_not(None))
            .order_by(Answer.text)
        ):
            texts.setdefault(question_id, []).append(text)
    results = []
    for question in questionnaire.questions:
        total = answered.get(question.id, 0)
        result = QuestionResult(question, total, texts=texts.get(question.id, []))
        if question.kind in CONDITIONING_KINDS:
            result.rows = [
                Row(o.label, n, _share(n, total))
                for o in question.options
                for n in [counts.get((question.id, o.id, None), 0)]
            ]
        elif question.kind == "scale":
            pairs = [(v, counts.get((question.id, None, v), 0)) for v in question.scale_values]
            result.rows = [Row(scale_label(question, v), n, _share(n, total)) for v, n in pairs]
            result.mean = _mean(pairs)
        elif question.kind == "ranking":
            for option in question.options:
                pairs = [(r, counts.get((question.id, option.id, r), 0)) for r in range(1, len(question.options) + 1)]
                first = pairs[0][1]
                result.rows.append(Row(option.label, first, _share(first, total), _mean(pairs)))
        elif question.kind == "matrix":
            for option in question.options:
                pairs = [(v, counts.get((question.id, option.id, v), 0)) for v in question.scale_values]
                result.matrix.append(
                    MatrixRow(option.label, [n for _, n in pairs], sum(n for _, n in pairs), _mean(pairs))
                )
        elif question.kind in TEXT_KINDS:
            pass
        results.append(result)
    return results


@dataclass
class CrossTab:
    row_question: Question
    column_question: Question
    row_labels: list[str]
    column_labels: list[str]
    # None where the figure is hidden (fewer than FLOOR respondents, or a complementary hiding).
    cells: list[list[int | None]]
    respondents: int | None

    @property
    def has_hidden(self) -> bool:
        return any(cell is None for row in self.cells for cell in row)


def _categories(question: Question) -> list[tuple[int, str]]:
    if question.kind == "scale":
        return [(v, scale_label(question, v)) for v in question.scale_values]
    return [(o.id, o.label) for o in question.options]


def crosstab(questionnaire: Questionnaire, row_question: Question, column_question: Question) -> CrossTab:
    """Respondents by their answer to `row_question` and to `column_question` (both choice or scale questions)."""
    first, second = aliased(Answer), aliased(Answer)
    key_first = func.coalesce(first.option_id, first.value)
    key_second = func.coalesce(second.option_id, second.value)
    both = (
        select(first.response_id)
        .join(second, second.response_id == first.response_id)
        .join(Response, Response.id == first.response_id)
        .where(
            Response.questionnaire_id == questionnaire.id,
            first.question_id == row_question.id,
            second.question_id == column_question.id,
        )
    )
    found = {
        (a, b): n
        for a, b, n in db.session.execute(
            both.with_only_columns(key_first, key_second, func.count(func.distinct(first.response_id))).group_by(
                key_first, key_second
            )
        ).all()
    }
    respondents = (
        db.session.scalar(both.with_only_columns(func.count(func.distinct(first.response_id))).order_by(None)) or 0
    )
    rows, columns = _categories(row_question), _categories(column_question)
    counts = [[found.get((r, c), 0) for c, _ in columns] for r, _ in rows]
    return CrossTab(
        row_question,
        column_question,
        [label for _, label in rows],
        [label for _, label in columns],
        suppress(counts),
        respondents if respondents >= FLOOR else None,
    )


CSV_COLUMNS = [
    Column("section", "texte", "Titre de la section."),
    Column("question", "texte", "Libellé de la question."),
    Column("type", "texte", "Type de question."),
    Column("ligne", "texte", "Ligne d’un tableau (vide pour les autres questions)."),
    Column("reponse", "texte", "Option choisie, ou valeur de l’échelle."),
    Column("nombre", "entier", "Nombre de réponses (pour un classement : nombre de fois classée première)."),
    Column("part", "décimal", "Part des répondant·es à cette question (de 0 à 1)."),
    Column("rang_moyen", "décimal", "Rang moyen (classement seulement)."),
    Column("repondants_question", "entier", "Nombre de personnes qui ont répondu à cette question."),
]


def csv_rows(questionnaire: Questionnaire) -> Iterator[list]:
    """One line per option, scale value or matrix cell; free texts are not exported (they may name people)."""
    for result in question_results(questionnaire):
        question = result.question
        common = [question.section.title, question.label, str(KINDS.get(question.kind, question.kind))]
        for row in result.rows:
            mean = round(row.mean, 2) if row.mean is not None else ""
            yield [*common, "", row.label, row.count, round(row.share, 4), mean, result.answered]
        for line in result.matrix:
            for value, count in zip(question.scale_values, line.counts):
                share = round(_share(count, line.answered), 4)
                yield [*common, line.label, scale_label(question, value), count, share, "", line.answered]
        if question.kind in TEXT_KINDS:
            yield [*common, "", "", result.answered, "", "", result.answered]
