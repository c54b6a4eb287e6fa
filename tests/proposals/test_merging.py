"""Merging a duplicate proposal into another, without HTTP."""

import pytest
from sqlalchemy import func, select

from concertation.db import utcnow
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.proposals.merging import merge_proposals
from concertation.proposals.models import ProposalMerge
from concertation.synthesis.figures import consultation_figures
from concertation.voting.models import Grade, Support, SupportQuota
from tests.factories import make_consultation, make_grade, make_proposal_row, make_support, make_user

pytestmark = pytest.mark.usefixtures("app")


def test_merging_carries_supporters_over_without_counting_anyone_twice():
    consultation = make_consultation("synthesis")
    organiser = make_user()
    target, duplicate = make_proposal_row(consultation), make_proposal_row(consultation)
    both, only_dup, only_target = make_user(), make_user(), make_user()
    for user in (both, only_dup):
        make_support(duplicate, user)
        db.session.add(SupportQuota(consultation_id=consultation.id, user_id=user.id, used=1))
    for user in (both, only_target):
        make_support(target, user)
    db.session.query(SupportQuota).filter_by(user_id=both.id).update({"used": 2})
    db.session.commit()

    log = merge_proposals(organiser, duplicate, target, utcnow())
    db.session.commit()
    assert (log.supports_moved, target.support_count, duplicate.merged_into_id) == (1, 3, target.id)
    users = set(db.session.scalars(select(Support.user_id).where(Support.proposal_id == target.id)))
    assert users == {both.id, only_dup.id, only_target.id}
    assert db.session.scalar(select(SupportQuota.used).where(SupportQuota.user_id == both.id)) == 1
    assert db.session.get(type(duplicate), duplicate.id) is not None  # marked, not deleted
    assert db.session.scalar(select(func.count(ProposalMerge.id))) == 1
    with pytest.raises(ActionRefused, match="déjà"):
        merge_proposals(organiser, duplicate, target, utcnow())
    # The figures count each person's support once.
    assert consultation_figures(consultation)["votes"] == 3


def test_merging_grades_keeps_the_targets_grade_when_both_exist():
    consultation = make_consultation("synthesis", voting_method="majority")
    target, duplicate = make_proposal_row(consultation), make_proposal_row(consultation)
    both, only_dup = make_user(), make_user()
    make_grade(target, 5, both)
    make_grade(duplicate, 0, both)
    make_grade(duplicate, 3, only_dup)
    log = merge_proposals(make_user(), duplicate, target, utcnow())
    assert log.grades_moved == 1
    grades = dict(db.session.execute(select(Grade.user_id, Grade.mention).where(Grade.proposal_id == target.id)).all())
    assert grades == {both.id: 5, only_dup.id: 3}


def test_merging_across_consultations_or_into_itself_is_refused():
    consultation = make_consultation("synthesis")
    p = make_proposal_row(consultation)
    with pytest.raises(ActionRefused):
        merge_proposals(make_user(), p, p, utcnow())
    with pytest.raises(ActionRefused):
        merge_proposals(make_user(), p, make_proposal_row(make_consultation("synthesis")), utcnow())
