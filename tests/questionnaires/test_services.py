"""Questionnaires without HTTP: building them, drafts, sending, and answers kept apart from the person."""

import re
from datetime import date

import pytest
from sqlalchemy import inspect, select

from concertation.db import utcnow
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.questionnaires import services as q
from concertation.questionnaires.models import Answer, Respondent, Response
from tests.factories import make_consultation, make_questionnaire, make_user


def fields(questionnaire, single=None, multiple=(), scale=None, ranking=None, matrix=None, text=None):
    """The form's fields for the factory's questionnaire, options named by their labels."""
    one, several, level, rank, grid, free = questionnaire.questions[:6]

    def option(question, label):
        return next(o for o in question.options if o.label == label)

    sent: dict[str, list[str]] = {}
    if single:
        sent[q.field_name(one)] = [str(option(one, single).id)]
    if multiple:
        sent[q.field_name(several)] = [str(option(several, label).id) for label in multiple]
    if scale is not None:
        sent[q.field_name(level)] = [str(scale)]
    for label, value in (ranking or {}).items():
        sent[q.field_name(rank, option(rank, label))] = [str(value)]
    for label, value in (matrix or {}).items():
        sent[q.field_name(grid, option(grid, label))] = [str(value)]
    if text is not None:
        sent[q.field_name(free)] = [text]
    return sent


def test_the_factory_builds_two_sections_of_every_kind(app):
    questionnaire = make_questionnaire()
    assert [s.title for s in questionnaire.sections] == ["Vos usages", "Vos besoins"]
    kinds = [question.kind for question in questionnaire.questions]
    assert kinds == ["single", "multiple", "scale", "ranking", "matrix", "long_text"]
    assert questionnaire.questions[1].condition_option.label == "Oui"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (q.QuestionData("single", "Un seul choix ?", options=["Oui"]), "options"),
        (q.QuestionData("multiple", "Lesquels ?", options=["A", "A"]), "options"),
        (q.QuestionData("multiple", "Lesquels ?", options=["A", "B"], max_choices=3), "max_choices"),
        (q.QuestionData("scale", "Combien ?", scale_max=7), "scale_max"),
        (q.QuestionData("matrix", "Combien ?", options=["Ligne"]), "scale_max"),
        (q.QuestionData("dessin", "Dessinez"), "kind"),
    ],
)
def test_a_question_that_cannot_be_answered_is_refused(app, data, field):
    questionnaire = make_questionnaire(published=False)
    with pytest.raises(ActionRefused) as refused:
        q.add_question(questionnaire.sections[0], data)
    assert refused.value.field == field


def test_a_condition_is_one_level_deep_on_a_choice_question(app):
    questionnaire = make_questionnaire(published=False)
    section = questionnaire.sections[1]
    conditional = questionnaire.questions[1]  # itself shown only for "Oui"
    with pytest.raises(ActionRefused, match="pas elle-même conditionnelle"):
        q.add_question(section, q.QuestionData("short_text", "Lequel ?", condition_option_id=conditional.options[0].id))
    other = make_questionnaire(published=False)
    with pytest.raises(ActionRefused, match="question précédente"):
        q.add_question(
            section, q.QuestionData("short_text", "Lequel ?", condition_option_id=other.questions[0].options[0].id)
        )
    question = q.add_question(
        section, q.QuestionData("short_text", "Lequel ?", condition_option_id=questionnaire.questions[0].options[1].id)
    )
    assert question.condition_option.label == "Non"


def test_a_published_questionnaire_keeps_its_questions(app):
    questionnaire = make_questionnaire()
    with pytest.raises(ActionRefused, match="publié"):
        q.add_section(questionnaire, "Encore")
    with pytest.raises(ActionRefused, match="publié"):
        q.delete_question(questionnaire.questions[0])


def test_an_empty_questionnaire_is_not_published(app):
    consultation = make_consultation()
    questionnaire = q.create_questionnaire(make_user(), consultation, "Vide", "", "public", utcnow())
    with pytest.raises(ActionRefused, match="au moins une question"):
        q.publish(questionnaire, utcnow())


def test_deleting_a_condition_s_question_shows_the_conditional_one_to_all(app):
    questionnaire = make_questionnaire(published=False)
    first, conditional = questionnaire.questions[:2]
    q.delete_question(first)
    db.session.commit()
    assert conditional.condition_option_id is None
    assert len(questionnaire.questions) == 5


def test_a_draft_is_saved_section_by_section_and_sent_later(app):
    questionnaire = make_questionnaire()
    agent = make_user()
    first, second = questionnaire.sections
    q.save_draft(agent, questionnaire, fields(questionnaire, single="Oui", scale=4), utcnow(), first.questions)
    q.save_draft(agent, questionnaire, fields(questionnaire, text="Plus de formation"), utcnow(), second.questions)
    db.session.commit()
    draft = q.draft_of(agent, questionnaire)
    assert draft == fields(questionnaire, single="Oui", scale=4, text="Plus de formation")
    q.submit(agent, questionnaire, utcnow())
    db.session.commit()
    assert q.has_answered(agent, questionnaire)
    assert q.draft_of(agent, questionnaire) == {}
    assert q.respondent_count(questionnaire) == 1
    stored = {(a.question_id, a.value, a.text) for a in db.session.scalars(select(Answer))}
    assert (questionnaire.questions[2].id, 4, None) in stored
    assert (questionnaire.questions[5].id, None, "Plus de formation") in stored


def test_once_sent_nothing_joins_the_answers_to_the_person(app):
    questionnaire = make_questionnaire()
    agent = make_user()
    q.save_draft(agent, questionnaire, fields(questionnaire, single="Oui"), utcnow())
    q.submit(agent, questionnaire, utcnow(), fields(questionnaire, single="Oui", multiple=["Écrire"]))
    db.session.commit()
    # Who answered keeps no draft and no time.
    respondent = db.session.scalar(select(Respondent))
    assert respondent.submitted and respondent.draft is None and respondent.draft_saved_at is None
    # What was answered names no one: no column points to a person or a respondent, the day only.
    for model in (Response, Answer):
        table = inspect(model).local_table
        targets = {fk.column.table.name for fk in table.foreign_keys}
        assert not targets & {"user", "questionnaire_respondent"}
        assert not {c.name for c in table.columns} & {"user_id", "respondent_id", "created_at", "updated_at"}
    response = db.session.scalar(select(Response))
    assert type(response.submitted_on) is date
    # Random identifiers: a sequence would line up the n-th respondent with the n-th response.
    assert re.fullmatch(r"[0-9a-f]{32}", response.id)
    assert all(re.fullmatch(r"[0-9a-f]{32}", a.id) for a in db.session.scalars(select(Answer)))


def test_one_answer_per_person(app):
    questionnaire = make_questionnaire()
    agent = make_user()
    q.submit(agent, questionnaire, utcnow(), fields(questionnaire, single="Non"))
    db.session.commit()
    with pytest.raises(ActionRefused, match="déjà répondu"):
        q.submit(agent, questionnaire, utcnow(), fields(questionnaire, single="Oui"))
    db.session.rollback()
    with pytest.raises(ActionRefused, match="déjà répondu"):
        q.save_draft(agent, questionnaire, fields(questionnaire, single="Oui"), utcnow())
    db.session.rollback()
    assert q.respondent_count(questionnaire) == 1


def test_the_database_holds_one_respondent_per_person(app):
    """Even a request that skipped the check cannot record a second respondent row."""
    from sqlalchemy.exc import IntegrityError

    questionnaire = make_questionnaire()
    agent = make_user()
    q.submit(agent, questionnaire, utcnow(), fields(questionnaire, single="Non"))
    db.session.commit()
    db.session.add(Respondent(questionnaire_id=questionnaire.id, user_id=agent.id, submitted=True))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_a_claim_already_made_refuses_the_second_sending(app):
    """Two sendings whose first checks both passed: the second's claim is refused, nothing is written."""
    questionnaire = make_questionnaire()
    agent = make_user()
    q._claim(agent, questionnaire)
    db.session.commit()
    with pytest.raises(ActionRefused, match="déjà répondu"):
        q._claim(agent, questionnaire)
    db.session.rollback()
    assert db.session.scalars(select(Respondent)).all()[0].submitted


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({}, "demande une réponse"),
        ({"single": "Oui", "multiple": ["Écrire", "Traduire", "Chercher"]}, "au plus 2"),
        ({"single": "Non", "scale": 6}, "de 1 à 5"),
        ({"single": "Non", "ranking": {"Formation": 1, "Outils": 1}}, "rang différent"),
        ({"single": "Non", "ranking": {"Formation": 4}}, "pas proposée"),
        ({"single": "Non", "matrix": {"Atelier": 9}}, "pas proposée"),
        ({"single": "Non", "text": "x" * 5001}, "5000"),
    ],
)
def test_answers_that_break_a_rule_are_refused_with_a_message_by_question(app, answers, message):
    questionnaire = make_questionnaire()
    agent = make_user()
    with pytest.raises(q.AnswersInvalid) as refused:
        q.submit(agent, questionnaire, utcnow(), fields(questionnaire, **answers))
    db.session.rollback()
    assert any(message in text for text in refused.value.errors.values()), refused.value.errors
    assert not q.has_answered(agent, questionnaire)
    assert q.respondent_count(questionnaire) == 0


def test_an_unknown_option_is_refused(app):
    questionnaire = make_questionnaire()
    first = questionnaire.questions[0]
    with pytest.raises(q.AnswersInvalid) as refused:
        q.submit(make_user(), questionnaire, utcnow(), {q.field_name(first): ["999999"]})
    assert refused.value.errors == {first.id: "Choisissez parmi les options proposées."}


def test_a_hidden_question_s_answer_is_dropped(app):
    """ "Pour quoi ?" is asked only of those who use AI: a "Non" sends no answer to it."""
    questionnaire = make_questionnaire()
    q.submit(make_user(), questionnaire, utcnow(), fields(questionnaire, single="Non", multiple=["Écrire"]))
    db.session.commit()
    asked = {a.question_id for a in db.session.scalars(select(Answer))}
    assert questionnaire.questions[1].id not in asked
    assert questionnaire.questions[0].id in asked


def test_required_rows_and_ranks(app):
    questionnaire = make_questionnaire(published=False)
    section = questionnaire.sections[1]
    ranking = q.add_question(section, q.QuestionData("ranking", "Classez", required=True, options=["A", "B"]))
    grid = q.add_question(section, q.QuestionData("matrix", "Notez", required=True, options=["A", "B"], scale_max=10))
    sent = {q.field_name(ranking, ranking.options[0]): ["1"], q.field_name(grid, grid.options[0]): ["10"]}
    checked = q.check_answers(questionnaire, sent)
    assert checked.errors[ranking.id] == "Classez toutes les options."
    assert checked.errors[grid.id] == "Répondez pour chaque ligne."


@pytest.mark.parametrize("phase", ["information", "synthesis", "closed"])
def test_answers_are_taken_only_during_proposals_and_vote(app, phase):
    questionnaire = make_questionnaire(make_consultation(phase))
    with pytest.raises(ActionRefused, match="phases de propositions et de vote"):
        q.submit(make_user(), questionnaire, utcnow(), fields(questionnaire, single="Oui"))


def test_an_unpublished_questionnaire_takes_no_answer(app):
    questionnaire = make_questionnaire(published=False)
    with pytest.raises(ActionRefused, match="pas publié"):
        q.save_draft(make_user(), questionnaire, {}, utcnow())
