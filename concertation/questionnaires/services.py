"""Questionnaires: the organisers build them, participants save a draft and send their answers.

Plain functions: no request, the current time passed as `now`; they change the session and the
caller commits. Who may do what is the caller's question (``permissions``); these functions hold
what the questionnaire itself requires (published, open, one answer per person, valid answers).

Sending is anonymous by construction: the person's ``Respondent`` row is marked sent and loses
its draft, and the answers are written as a ``Response`` with random ids, the day only and no
link to the person. One answer per person holds under concurrent requests: the respondent row is
unique in the database and is claimed by a single ``UPDATE … WHERE submitted = false``.
"""

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import cast

from flask_babel import lazy_gettext as _l
from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.exc import IntegrityError

from concertation import phases
from concertation.consultations.models import Consultation
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.questionnaires.models import (
    AUDIENCES,
    CONDITIONING_KINDS,
    KINDS,
    SCALES,
    TEXT_KINDS,
    WITH_OPTIONS,
    WITH_SCALE,
    Answer,
    Option,
    Question,
    Questionnaire,
    Respondent,
    Response,
    Section,
)
from concertation.text import to_html

TEXT_LIMITS = {"short_text": 300, "long_text": 5000}
MAX_OPTIONS = 30
# A draft keeps a text a little over its limit, so that sending it says it is too long instead of cutting it.
DRAFT_TEXT_LIMIT = 6000


# Building a questionnaire ------------------------------------------------------------------


def _checked_audience(audience: str) -> str:
    if audience not in AUDIENCES:
        raise ActionRefused(_l("Choisissez à qui s’adresse le questionnaire."), field="audience")
    return audience


def create_questionnaire(
    organiser, consultation: Consultation, title: str, intro: str, audience: str, now: datetime
) -> Questionnaire:
    questionnaire = Questionnaire(
        consultation=consultation,
        title=title,
        intro=intro,
        intro_html=to_html(intro),
        audience=_checked_audience(audience),
        created_by_id=organiser.id,
        created_at=now,
        updated_at=now,
    )
    db.session.add(questionnaire)
    db.session.flush()
    return questionnaire


def update_questionnaire(questionnaire: Questionnaire, title: str, intro: str, audience: str) -> Questionnaire:
    questionnaire.title = title
    questionnaire.intro = intro
    questionnaire.intro_html = to_html(intro)
    questionnaire.audience = _checked_audience(audience)
    db.session.flush()
    return questionnaire


def _refuse_if_published(questionnaire: Questionnaire) -> None:
    if questionnaire.published_at is not None:
        raise ActionRefused(
            _l(
                "Ce questionnaire est publié : ses questions ne changent plus, pour que les réponses restent comparables."
            ),
            status=409,
        )


def add_section(questionnaire: Questionnaire, title: str) -> Section:
    _refuse_if_published(questionnaire)
    section = Section(title=title, position=len(questionnaire.sections) + 1)
    questionnaire.sections.append(section)
    db.session.flush()
    return section


@dataclass
class QuestionData:
    """What an organiser types to add a question."""

    kind: str
    label: str
    hint: str = ""
    required: bool = False
    options: list[str] = field(default_factory=list)
    max_choices: int | None = None
    scale_max: int | None = None
    scale_min_label: str = ""
    scale_max_label: str = ""
    condition_option_id: int | None = None


def _checked_condition(section: Section, option_id: int | None) -> Option | None:
    """The option an earlier single or multiple choice question must be answered with (one level)."""
    if option_id is None:
        return None
    option = db.session.get(Option, option_id)
    earlier = {q.id for q in section.questionnaire.questions}
    if option is None or option.question_id not in earlier:
        raise ActionRefused(_l("La condition doit porter sur une question précédente."), field="condition_option_id")
    if option.question.kind not in CONDITIONING_KINDS or option.question.condition_option_id is not None:
        raise ActionRefused(
            _l(
                "La condition doit porter sur une question à choix unique ou multiple qui n’est pas "
                "elle-même conditionnelle."
            ),
            field="condition_option_id",
        )
    return option


def add_question(section: Section, data: QuestionData) -> Question:
    """Add a question at the end of `section`, its options (or matrix rows) in the order given."""
    questionnaire = section.questionnaire
    _refuse_if_published(questionnaire)
    if data.kind not in KINDS:
        raise ActionRefused(_l("Choisissez un type de question."), field="kind")
    labels = [label.strip() for label in data.options if label.strip()]
    if data.kind in WITH_OPTIONS:
        needed = 1 if data.kind == "matrix" else 2
        if len(labels) < needed or len(labels) > MAX_OPTIONS:
            raise ActionRefused(
                _l(
                    "Ce type de question demande entre %(min)d et %(max)d options (une par ligne).",
                    min=needed,
                    max=MAX_OPTIONS,
                ),
                field="options",
            )
        if len(set(labels)) != len(labels):
            raise ActionRefused(_l("Deux options portent le même libellé."), field="options")
    else:
        labels = []
    max_choices = data.max_choices if data.kind == "multiple" else None
    if max_choices is not None and not 1 <= max_choices <= len(labels):
        raise ActionRefused(
            _l("Le nombre maximal de choix doit être compris entre 1 et le nombre d’options."), field="max_choices"
        )
    scale_max = None
    if data.kind in WITH_SCALE:
        if data.scale_max not in SCALES:
            raise ActionRefused(_l("Choisissez une échelle de 1 à 5 ou de 1 à 10."), field="scale_max")
        scale_max = data.scale_max
    condition = _checked_condition(section, data.condition_option_id)
    question = Question(
        kind=data.kind,
        label=data.label,
        hint=data.hint,
        required=data.required,
        max_choices=max_choices,
        scale_max=scale_max,
        scale_min_label=data.scale_min_label if scale_max else "",
        scale_max_label=data.scale_max_label if scale_max else "",
        condition_option=condition,
        position=1 + max((q.position for q in section.questions), default=0),
    )
    question.options = [Option(label=label, position=i) for i, label in enumerate(labels, 1)]
    section.questions.append(question)
    db.session.flush()
    return question


def delete_question(question: Question) -> None:
    """Remove a question of a draft questionnaire; the questions it conditioned are shown to all."""
    questionnaire = question.section.questionnaire
    _refuse_if_published(questionnaire)
    option_ids = [o.id for o in question.options]
    for other in questionnaire.questions:
        if other.condition_option_id in option_ids:
            other.condition_option = None
    question.section.questions.remove(question)
    db.session.flush()


def publish(questionnaire: Questionnaire, now: datetime) -> Questionnaire:
    """Open the questionnaire to its audience (it takes answers while the consultation is open)."""
    _refuse_if_published(questionnaire)
    if not questionnaire.questions:
        raise ActionRefused(_l("Ajoutez au moins une question avant de publier le questionnaire."))
    questionnaire.published_at = now
    db.session.flush()
    return questionnaire


def questionnaires_of(consultation: Consultation, include_drafts: bool = False) -> list[Questionnaire]:
    query = select(Questionnaire).where(Questionnaire.consultation_id == consultation.id)
    if not include_drafts:
        query = query.where(Questionnaire.published_at.is_not(None))
    return list(db.session.scalars(query.order_by(Questionnaire.id)))


# Answering ---------------------------------------------------------------------------------

# The answers as the form sends them: field name → the values sent under it. A question's fields
# are named "q<id>" (one or several values), or "q<id>_<option id>" for a ranking's and a matrix's rows.
Fields = Mapping[str, list[str]]


def field_name(question: Question, option: Option | None = None) -> str:
    return f"q{question.id}" if option is None else f"q{question.id}_{option.id}"


def _question_fields(question: Question) -> list[str]:
    if question.kind in ("ranking", "matrix"):
        return [field_name(question, o) for o in question.options]
    return [field_name(question)]


def _values(fields: Fields, name: str) -> list[str]:
    return [v.strip() for v in fields.get(name, []) if isinstance(v, str) and v.strip()]


@dataclass
class CheckedAnswers:
    """Answers that passed the questionnaire's rules: rows to store, and the messages of those that did not."""

    rows: list[tuple[int, int | None, int | None, str | None]] = field(default_factory=list)
    errors: dict[int, str] = field(default_factory=dict)
    chosen: set[int] = field(default_factory=set)

    def add(self, question: Question, option_id=None, value=None, text=None) -> None:
        self.rows.append((question.id, option_id, value, text))


class AnswersInvalid(ActionRefused):
    """Some answers break the questionnaire's rules; `errors` gives each question's message."""

    def __init__(self, errors: dict[int, str]):
        super().__init__(_l("Certaines réponses sont à compléter ou à corriger : voir les messages ci-dessous."))
        self.errors = errors


def is_shown(question: Question, chosen_option_ids: Iterable[int]) -> bool:
    """A conditional question is shown only when its condition's option was chosen."""
    return question.condition_option_id is None or question.condition_option_id in set(chosen_option_ids)


def questions_to_ask(section: Section, chosen_option_ids: set[int]) -> list[Question]:
    """The section's questions to show: a conditional one is left out once its condition is known unmet,
    and shown (with its condition said) while its condition is answered on the same page, without script."""
    return [
        q
        for q in section.questions
        if is_shown(q, chosen_option_ids)
        or (q.condition_option is not None and q.condition_option.question.section_id == section.id)
    ]


def chosen_options(questionnaire: Questionnaire, fields: Fields) -> set[int]:
    """The option ids chosen in single and multiple choice questions (what conditions look at)."""
    chosen: set[int] = set()
    for question in questionnaire.questions:
        if question.kind in CONDITIONING_KINDS:
            ids = {o.id for o in question.options}
            chosen |= {int(v) for v in _values(fields, field_name(question)) if v.isdigit() and int(v) in ids}
    return chosen


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 10 else None


def _check_question(question: Question, fields: Fields, out: CheckedAnswers) -> None:
    missing = _l("Cette question demande une réponse.")
    options = {o.id: o for o in question.options}
    if question.kind in ("single", "multiple"):
        values = _values(fields, field_name(question))
        ids = [_int(v) for v in values]
        if any(i not in options for i in ids) or len(set(ids)) != len(ids):
            out.errors[question.id] = str(_l("Choisissez parmi les options proposées."))
            return
        if question.kind == "single" and len(ids) > 1:
            out.errors[question.id] = str(_l("Choisissez une seule option."))
            return
        if question.max_choices and len(ids) > question.max_choices:
            out.errors[question.id] = str(_l("Choisissez au plus %(max)d options.", max=question.max_choices))
            return
        if not ids and question.required:
            out.errors[question.id] = str(missing)
            return
        for option_id in ids:
            if option_id is not None:
                out.add(question, option_id=option_id)
                out.chosen.add(option_id)
    elif question.kind == "scale":
        values = _values(fields, field_name(question))
        if not values:
            if question.required:
                out.errors[question.id] = str(missing)
            return
        value = _int(values[0])
        if len(values) > 1 or value not in question.scale_values:
            out.errors[question.id] = str(_l("Choisissez une valeur de 1 à %(max)d.", max=question.scale_max or 5))
            return
        out.add(question, value=value)
    elif question.kind in ("ranking", "matrix"):
        given: dict[int, int] = {}
        allowed = range(1, len(options) + 1) if question.kind == "ranking" else question.scale_values
        for option in question.options:
            values = _values(fields, field_name(question, option))
            if not values:
                continue
            value = _int(values[0])
            if len(values) > 1 or value is None or value not in allowed:
                out.errors[question.id] = str(_l("Une des valeurs choisies n’est pas proposée."))
                return
            given[option.id] = value
        if question.kind == "ranking" and len(set(given.values())) != len(given):
            out.errors[question.id] = str(_l("Donnez un rang différent à chaque option."))
            return
        if question.required and len(given) < len(options):
            out.errors[question.id] = str(
                _l("Classez toutes les options.") if question.kind == "ranking" else _l("Répondez pour chaque ligne.")
            )
            return
        for option_id, value in given.items():
            out.add(question, option_id=option_id, value=value)
    elif question.kind in TEXT_KINDS:
        values = _values(fields, field_name(question))
        text = values[0] if values else ""
        if len(text) > TEXT_LIMITS[question.kind]:
            out.errors[question.id] = str(
                _l("Votre réponse dépasse %(max)d caractères.", max=TEXT_LIMITS[question.kind])
            )
            return
        if not text:
            if question.required:
                out.errors[question.id] = str(missing)
            return
        out.add(question, text=text)


def check_answers(questionnaire: Questionnaire, fields: Fields) -> CheckedAnswers:
    """Check every shown question's answer; a hidden conditional question's answer is dropped."""
    out = CheckedAnswers()
    for question in questionnaire.questions:
        # Conditions point to earlier questions, already checked: what they chose is known.
        if is_shown(question, out.chosen):
            _check_question(question, fields, out)
    return out


def _refuse_unless_open(questionnaire: Questionnaire, now: datetime) -> None:
    if questionnaire.published_at is None:
        raise ActionRefused(_l("Ce questionnaire n’est pas publié."), status=404)
    if not phases.questionnaire_open(questionnaire.consultation, now):
        raise ActionRefused(
            _l("Ce questionnaire ne prend des réponses que pendant les phases de propositions et de vote."),
            status=409,
        )


def respondent_of(user, questionnaire: Questionnaire) -> Respondent | None:
    return db.session.scalar(
        select(Respondent)
        .where(Respondent.questionnaire_id == questionnaire.id, Respondent.user_id == user.id)
        .execution_options(populate_existing=True)
    )


def has_answered(user, questionnaire: Questionnaire) -> bool:
    respondent = respondent_of(user, questionnaire)
    return respondent is not None and respondent.submitted


def draft_of(user, questionnaire: Questionnaire) -> dict[str, list[str]]:
    """The answers saved so far and not yet sent (empty when none, or once sent)."""
    respondent = respondent_of(user, questionnaire)
    if respondent is None or not respondent.draft:
        return {}
    return json.loads(respondent.draft)


def _already_sent() -> ActionRefused:
    return ActionRefused(_l("Vous avez déjà répondu à ce questionnaire : une seule réponse par personne."), status=409)


def save_draft(
    user, questionnaire: Questionnaire, fields: Fields, now: datetime, questions: Iterable[Question] | None = None
) -> dict[str, list[str]]:
    """Keep the answers to `questions` (all by default) for later, over what was saved before."""
    _refuse_unless_open(questionnaire, now)
    draft = draft_of(user, questionnaire)
    for question in questions if questions is not None else questionnaire.questions:
        for name in _question_fields(question):
            values = [v[:DRAFT_TEXT_LIMIT] for v in _values(fields, name)[:MAX_OPTIONS]]
            if values:
                draft[name] = values
            else:
                draft.pop(name, None)
    stored = json.dumps(draft, ensure_ascii=False)
    # An UPDATE first (it also opens SQLite's transaction before the savepoint below), then the
    # row made if there was none; a concurrent request making it first is caught by the unique key.
    if _write_draft(user, questionnaire, stored, now):
        return draft
    try:
        with db.session.begin_nested():
            db.session.add(
                Respondent(questionnaire_id=questionnaire.id, user_id=user.id, draft=stored, draft_saved_at=now)
            )
        return draft
    except IntegrityError:
        pass
    if not _write_draft(user, questionnaire, stored, now):
        raise _already_sent()
    return draft


def _write_draft(user, questionnaire: Questionnaire, stored: str, now: datetime) -> bool:
    return (
        _rowcount(
            update(Respondent)
            .where(
                Respondent.questionnaire_id == questionnaire.id,
                Respondent.user_id == user.id,
                Respondent.submitted.is_(False),
            )
            .values(draft=stored, draft_saved_at=now)
            .execution_options(synchronize_session=False)
        )
        == 1
    )


def _rowcount(statement) -> int:
    """The number of rows an UPDATE changed."""
    return cast(CursorResult, db.session.execute(statement)).rowcount


def _claim(user, questionnaire: Questionnaire) -> None:
    """Mark the person as having answered, in one statement, or refuse: the database holds one answer per person."""
    claimed = _rowcount(
        update(Respondent)
        .where(
            Respondent.questionnaire_id == questionnaire.id,
            Respondent.user_id == user.id,
            Respondent.submitted.is_(False),
        )
        .values(submitted=True, draft=None, draft_saved_at=None)
        .execution_options(synchronize_session=False)
    )
    if claimed == 1:
        return
    try:
        with db.session.begin_nested():
            db.session.add(Respondent(questionnaire_id=questionnaire.id, user_id=user.id, submitted=True))
    except IntegrityError:
        raise _already_sent() from None


def submit(user, questionnaire: Questionnaire, now: datetime, fields: Fields | None = None) -> Response:
    """Send the answers (the saved draft, or `fields` over it): checked, stored apart from the person."""
    _refuse_unless_open(questionnaire, now)
    if has_answered(user, questionnaire):
        raise _already_sent()
    answers = dict(draft_of(user, questionnaire))
    if fields is not None:
        answers = save_draft(user, questionnaire, fields, now)
    checked = check_answers(questionnaire, answers)
    if checked.errors:
        raise AnswersInvalid(checked.errors)
    _claim(user, questionnaire)
    response = Response(questionnaire_id=questionnaire.id, submitted_on=now.date())
    db.session.add(response)
    db.session.flush()
    db.session.add_all(
        Answer(response_id=response.id, question_id=q, option_id=o, value=v, text=t) for q, o, v, t in checked.rows
    )
    db.session.flush()
    db.session.expire_all()
    return response


def respondent_count(questionnaire: Questionnaire) -> int:
    return db.session.scalar(select(func.count()).where(Response.questionnaire_id == questionnaire.id)) or 0
