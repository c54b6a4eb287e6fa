"""The organisers' answers: one by one, in bulk, from templates; and who is told."""

import pytest
from sqlalchemy import func, select

from concertation.db import utcnow
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.notifications.models import Notification
from concertation.proposals import answers
from concertation.voting.models import Support
from tests.factories import make_consultation, make_proposal, make_user


def _notified(user) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id)))


def test_an_answer_is_published_and_told_to_author_and_supporters_not_to_the_organiser(app):
    consultation = make_consultation("vote")
    organiser = make_user("organiser", consultation.territory)
    author, supporter, bystander = make_user(), make_user(), make_user()
    proposal = make_proposal(consultation, author)
    db.session.add(Support(proposal_id=proposal.id, consultation_id=consultation.id, user_id=supporter.id))
    db.session.commit()
    answers.answer_proposal(organiser, proposal, "retained", "Nous le ferons en **2027**.", utcnow())
    db.session.commit()
    assert proposal.answer == "retained" and "<strong>2027</strong>" in proposal.answer_html
    assert proposal.answered_by_id == organiser.id
    assert [n.kind for n in _notified(author)] == ["answer"]
    assert [n.kind for n in _notified(supporter)] == ["answer"]
    assert _notified(bystander) == [] and _notified(organiser) == []
    assert "Retenue" in _notified(author)[0].message


def test_not_retained_needs_a_justification(app):
    proposal = make_proposal()
    organiser = make_user("organiser", proposal.consultation.territory)
    with pytest.raises(ActionRefused) as refused:
        answers.answer_proposal(organiser, proposal, "not_retained", "  ", utcnow())
    assert refused.value.field == "text"
    with pytest.raises(ActionRefused):
        answers.answer_proposal(organiser, proposal, "maybe", "", utcnow())


def test_bulk_answer_updates_many_proposals_at_once(app):
    consultation = make_consultation("vote")
    organiser = make_user("organiser", consultation.territory)
    chosen = [make_proposal(consultation) for _ in range(3)]
    untouched = make_proposal(consultation)
    count = answers.bulk_answer(organiser, consultation, [p.id for p in chosen], "under_study", "À l’étude.", utcnow())
    db.session.commit()
    assert count == 3
    assert {p.answer for p in chosen} == {"under_study"} and untouched.answer is None
    assert db.session.scalar(select(func.count(Notification.id)).where(Notification.kind == "answer")) == 3


def test_bulk_answer_refuses_proposals_of_another_consultation_and_an_empty_selection(app):
    consultation = make_consultation("vote")
    organiser = make_user("organiser", consultation.territory)
    mine = make_proposal(consultation)
    foreign = make_proposal(make_consultation("vote"))
    with pytest.raises(ActionRefused):
        answers.bulk_answer(organiser, consultation, [mine.id, foreign.id], "retained", "", utcnow())
    with pytest.raises(ActionRefused) as refused:
        answers.bulk_answer(organiser, consultation, [], "retained", "", utcnow())
    assert refused.value.field == "proposal_ids"
    db.session.rollback()
    assert foreign.answer is None and mine.answer is None


def test_templates_are_applied_and_belong_to_their_consultation(app):
    consultation = make_consultation("vote")
    organiser = make_user("organiser", consultation.territory)
    template = answers.create_template(consultation, "Hors compétence", "not_retained", "Cela relève de la région.")
    proposal = make_proposal(consultation)
    answers.bulk_answer(organiser, consultation, [proposal.id], None, "", utcnow(), template=template)
    db.session.commit()
    assert proposal.answer == "not_retained" and "région" in proposal.answer_text
    other = make_consultation("vote")
    with pytest.raises(ActionRefused):
        answers.answer_proposal(organiser, make_proposal(other), None, "", utcnow(), template=template)


def test_template_crud(app):
    consultation = make_consultation("vote")
    template = answers.create_template(consultation, "Déjà en cours", "retained", "")
    with pytest.raises(ActionRefused):
        answers.create_template(consultation, " ", "retained", "")
    with pytest.raises(ActionRefused):
        answers.update_template(template, "Refus", "not_retained", "")
    answers.update_template(template, "Déjà prévu", "under_study", "Étude en cours.")
    assert [t.name for t in answers.templates_of(consultation)] == ["Déjà prévu"]
    answers.delete_template(template)
    assert answers.templates_of(consultation) == []
