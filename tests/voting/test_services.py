"""Vote services, without HTTP: supports and their limit, grades, what the panel shows."""

from contextlib import contextmanager

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import event, func, select, update

from concertation.db import utcnow
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.proposals.models import Proposal
from concertation.voting import services
from concertation.voting.models import Grade, Support, SupportQuota
from tests.factories import make_consultation, make_proposal, make_user


@contextmanager
def counted_queries():
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def refused(call, *args) -> ActionRefused:
    with pytest.raises(ActionRefused) as caught:
        call(*args)
    db.session.rollback()
    return caught.value


def stored_supports(proposal) -> tuple[int, int]:
    """(support_count on the proposal, Support rows stored): they must always agree."""
    db.session.expire_all()
    rows = db.session.scalar(select(func.count(Support.id)).where(Support.proposal_id == proposal.id))
    return db.session.get(Proposal, proposal.id).support_count, rows


# Supports ----------------------------------------------------------------------


def test_a_participant_supports_once_and_may_take_it_back(app):
    consultation = make_consultation("vote")
    proposal, voter = make_proposal(consultation), make_user()
    assert services.support(voter, proposal, utcnow()) == 1
    db.session.commit()
    assert stored_supports(proposal) == (1, 1)

    error = refused(services.support, voter, proposal, utcnow())
    assert error.status == 409 and error.message == "Vous soutenez déjà cette proposition."
    assert stored_supports(proposal) == (1, 1)

    assert services.withdraw_support(voter, proposal, utcnow()) == 0
    db.session.commit()
    assert stored_supports(proposal) == (0, 0)
    assert refused(services.withdraw_support, voter, proposal, utcnow()).status == 409


def test_supports_of_several_people_are_counted(app):
    consultation = make_consultation("vote")
    proposal = make_proposal(consultation)
    for _ in range(3):
        services.support(make_user(), proposal, utcnow())
    db.session.commit()
    assert stored_supports(proposal) == (3, 3)


@pytest.mark.parametrize(
    "phase, early, allowed",
    [
        ("information", True, False),
        ("proposals", False, False),
        ("proposals", True, True),
        ("vote", False, True),
        ("synthesis", True, False),
        ("closed", True, False),
    ],
)
def test_supports_are_open_in_the_vote_phase_and_early_if_allowed(app, phase, early, allowed):
    consultation = make_consultation(phase, supports_during_proposals=early)
    proposal = make_proposal(consultation)
    if allowed:
        services.support(make_user(), proposal, utcnow())
    else:
        error = refused(services.support, make_user(), proposal, utcnow())
        assert error.status == 403 and "pas ouvert" in error.message


def test_no_support_in_a_majority_judgment_consultation(app):
    proposal = make_proposal(make_consultation("vote", voting_method="majority"))
    error = refused(services.support, make_user(), proposal, utcnow())
    assert error.status == 409 and "soutiens" in error.message


def test_taking_back_ones_support_leaves_the_others_supports(app):
    """Two people support one proposal; each one's withdrawal takes back that person's support only."""
    consultation = make_consultation("vote")
    proposal = make_proposal(consultation)
    first, second = make_user(), make_user()
    assert first.id < second.id
    services.support(first, proposal, utcnow())
    services.support(second, proposal, utcnow())
    db.session.commit()

    assert services.withdraw_support(second, proposal, utcnow()) == 1
    db.session.commit()
    assert stored_supports(proposal) == (1, 1)
    assert services.supported_ids(first, [proposal.id]) == {proposal.id}
    assert services.supported_ids(second, [proposal.id]) == set()

    services.support(second, proposal, utcnow())
    assert services.withdraw_support(first, proposal, utcnow()) == 1
    db.session.commit()
    assert stored_supports(proposal) == (1, 1)
    assert services.supported_ids(second, [proposal.id]) == {proposal.id}


def test_one_persons_supports_use_up_their_own_limit_only(app):
    """Under a limit of two, what one person gives or takes back never moves another's count."""
    consultation = make_consultation("vote", support_limit=2)
    proposals = [make_proposal(consultation) for _ in range(4)]
    first, second = make_user(), make_user()
    services.support(first, proposals[0], utcnow())
    db.session.commit()
    services.support(second, proposals[1], utcnow())
    services.support(second, proposals[2], utcnow())
    db.session.commit()
    assert services.remaining_supports(first, consultation) == 1
    assert services.remaining_supports(second, consultation) == 0

    # The first person still has one support to give; the second has none left.
    services.support(first, proposals[3], utcnow())
    db.session.commit()
    assert services.remaining_supports(first, consultation) == 0
    error = refused(services.support, second, proposals[0], utcnow())
    assert error.status == 409 and error.message.startswith("Vous avez utilisé vos 2 soutiens")

    # Taking one back frees a support for that person alone.
    services.withdraw_support(second, proposals[1], utcnow())
    db.session.commit()
    assert services.remaining_supports(second, consultation) == 1
    assert services.remaining_supports(first, consultation) == 0
    services.withdraw_support(first, proposals[0], utcnow())
    db.session.commit()
    assert services.remaining_supports(first, consultation) == 1
    assert services.remaining_supports(second, consultation) == 1
    used = dict(db.session.execute(select(SupportQuota.user_id, SupportQuota.used)).all())
    assert used == {first.id: 1, second.id: 1}


def test_withdrawn_and_hidden_proposals_take_no_support(app):
    consultation = make_consultation("vote")
    withdrawn = make_proposal(consultation, withdrawn_at=utcnow())
    hidden = make_proposal(consultation, moderation="hidden")
    assert refused(services.support, make_user(), withdrawn, utcnow()).status == 409
    assert refused(services.support, make_user(), hidden, utcnow()).status == 404
    assert stored_supports(withdrawn) == (0, 0)


def test_a_support_can_be_taken_back_from_a_proposal_withdrawn_since(app):
    consultation = make_consultation("vote", support_limit=1)
    proposal, voter = make_proposal(consultation), make_user()
    services.support(voter, proposal, utcnow())
    db.session.commit()
    proposal.withdrawn_at = utcnow()
    db.session.commit()
    services.withdraw_support(voter, proposal, utcnow())
    db.session.commit()
    assert services.remaining_supports(voter, consultation) == 1


def test_supports_cannot_be_taken_back_once_the_vote_is_over(app):
    now = utcnow()
    consultation = make_consultation("vote")
    proposal, voter = make_proposal(consultation), make_user()
    services.support(voter, proposal, now)
    db.session.commit()
    later = consultation.phase("vote").ends_at
    assert refused(services.withdraw_support, voter, proposal, later).status == 403
    assert stored_supports(proposal) == (1, 1)


def test_the_limit_of_supports_holds_and_frees_a_support_when_one_is_taken_back(app):
    consultation = make_consultation("vote", support_limit=2)
    first, second, third = (make_proposal(consultation) for _ in range(3))
    voter = make_user()
    assert services.remaining_supports(voter, consultation) == 2
    services.support(voter, first, utcnow())
    services.support(voter, second, utcnow())
    db.session.commit()
    assert services.remaining_supports(voter, consultation) == 0

    error = refused(services.support, voter, third, utcnow())
    assert error.status == 409
    assert error.message.startswith("Vous avez utilisé vos 2 soutiens")
    assert stored_supports(third) == (0, 0)

    services.withdraw_support(voter, first, utcnow())
    services.support(voter, third, utcnow())
    db.session.commit()
    assert services.remaining_supports(voter, consultation) == 0
    assert [stored_supports(p) for p in (first, second, third)] == [(0, 0), (1, 1), (1, 1)]
    assert db.session.scalar(select(SupportQuota.used)) == 2


def test_a_refused_duplicate_does_not_use_up_the_limit(app):
    consultation = make_consultation("vote", support_limit=2)
    proposal, voter = make_proposal(consultation), make_user()
    services.support(voter, proposal, utcnow())
    db.session.commit()
    refused(services.support, voter, proposal, utcnow())
    assert services.remaining_supports(voter, consultation) == 1


def test_a_limit_set_after_supports_were_given_counts_them(app):
    consultation = make_consultation("vote")
    proposals = [make_proposal(consultation) for _ in range(3)]
    voter = make_user()
    services.support(voter, proposals[0], utcnow())
    services.support(voter, proposals[1], utcnow())
    db.session.commit()
    consultation.support_limit = 2
    db.session.commit()
    assert services.remaining_supports(voter, consultation) == 0
    assert "2 soutiens" in refused(services.support, voter, proposals[2], utcnow()).message


def test_supported_ids_of_a_page_in_one_query(app):
    consultation = make_consultation("vote")
    proposals = [make_proposal(consultation) for _ in range(5)]
    voter, other = make_user(), make_user()
    services.support(voter, proposals[1], utcnow())
    services.support(voter, proposals[3], utcnow())
    services.support(other, proposals[2], utcnow())
    db.session.commit()
    ids = [p.id for p in proposals]
    db.session.refresh(voter)
    with counted_queries() as statements:
        assert services.supported_ids(voter, ids) == {proposals[1].id, proposals[3].id}
    assert len(statements) == 1
    assert services.supported_ids(AnonymousUserMixin(), ids) == set()
    assert services.supported_ids(voter, []) == set()


# Grades ------------------------------------------------------------------------


def test_a_participant_grades_and_changes_the_mention_while_the_vote_is_open(app):
    consultation = make_consultation("vote", voting_method="majority")
    proposal, voter = make_proposal(consultation), make_user()
    services.grade(voter, proposal, 5, utcnow())
    db.session.commit()
    services.grade(voter, proposal, 2, utcnow())
    db.session.commit()
    grades = db.session.execute(select(Grade.user_id, Grade.mention)).all()
    assert grades == [(voter.id, 2)]
    assert services.mentions_given(voter, [proposal.id]) == {proposal.id: 2}


@pytest.mark.parametrize("mention", [-1, 6, "3", None, True])
def test_only_the_six_mentions_are_accepted(app, mention):
    proposal = make_proposal(make_consultation("vote", voting_method="majority"))
    assert refused(services.grade, make_user(), proposal, mention, utcnow()).status == 422


def test_grades_refused_outside_the_vote_and_on_withdrawn_proposals(app):
    majority = make_consultation("proposals", voting_method="majority")
    assert refused(services.grade, make_user(), make_proposal(majority), 3, utcnow()).status == 403
    voting = make_consultation("vote", voting_method="majority")
    withdrawn = make_proposal(voting, withdrawn_at=utcnow())
    assert refused(services.grade, make_user(), withdrawn, 3, utcnow()).status == 409
    supports = make_consultation("vote")
    assert refused(services.grade, make_user(), make_proposal(supports), 3, utcnow()).status == 409


def test_grade_many_records_a_page_of_mentions_in_one_statement(app):
    consultation = make_consultation("vote", voting_method="majority")
    proposals = [make_proposal(consultation) for _ in range(4)]
    voter = make_user()
    services.grade(voter, proposals[0], 1, utcnow())
    db.session.commit()
    chosen = {proposals[0].id: 4, proposals[1].id: 0, proposals[2].id: 5}
    db.session.refresh(voter)
    db.session.refresh(consultation)
    with counted_queries() as statements:
        assert services.grade_many(voter, consultation, chosen, utcnow()) == 3
    assert len([s for s in statements if s.lstrip().upper().startswith("INSERT")]) == 1
    db.session.commit()
    assert services.mentions_given(voter, [p.id for p in proposals]) == chosen


def test_grade_many_refuses_proposals_of_another_consultation_or_withdrawn(app):
    consultation = make_consultation("vote", voting_method="majority")
    mine = make_proposal(consultation)
    elsewhere = make_proposal(make_consultation("vote", voting_method="majority"))
    withdrawn = make_proposal(consultation, withdrawn_at=utcnow())
    voter = make_user()
    for forged in (elsewhere.id, withdrawn.id, 999_999):
        error = refused(services.grade_many, voter, consultation, {mine.id: 3, forged: 3}, utcnow())
        assert error.status == 409
    assert db.session.scalar(select(func.count(Grade.id))) == 0
    assert services.grade_many(voter, consultation, {}, utcnow()) == 0


# The panel ---------------------------------------------------------------------


def test_panel_for_a_visitor_shows_no_vote_and_hides_the_count_until_results(app):
    proposal = make_proposal(make_consultation("vote"))
    panel = services.panel(AnonymousUserMixin(), proposal, utcnow())
    assert not panel.signed_in and not panel.may_participate and not panel.can_support
    assert panel.phase_open and panel.proposal_open
    assert panel.support_count is None and not panel.results_visible


def test_panel_of_a_participant_with_a_limit(app):
    consultation = make_consultation("vote", support_limit=1, results_live=True)
    supported, other = make_proposal(consultation), make_proposal(consultation)
    voter = make_user()
    before = services.panel(voter, supported, utcnow())
    assert before.can_support and not before.has_supported and before.remaining == 1
    services.support(voter, supported, utcnow())
    db.session.commit()
    after = services.panel(voter, supported, utcnow())
    assert after.has_supported and after.can_withdraw_support and not after.can_support
    assert after.remaining == 0 and after.support_count == 1 and after.results_visible
    elsewhere = services.panel(voter, other, utcnow())
    assert not elsewhere.can_support and not elsewhere.has_supported and elsewhere.remaining == 0


def test_panel_of_majority_judgment(app):
    consultation = make_consultation("vote", voting_method="majority")
    proposal, voter = make_proposal(consultation), make_user()
    assert services.panel(voter, proposal, utcnow()).can_grade
    services.grade(voter, proposal, 4, utcnow())
    db.session.commit()
    panel = services.panel(voter, proposal, utcnow())
    assert panel.method == "majority" and panel.current_mention == 4 and not panel.can_support


def test_panel_of_an_agents_only_consultation_for_a_citizen(app):
    proposal = make_proposal(make_consultation("vote", audience="agents"))
    panel = services.panel(make_user(), proposal, utcnow())
    assert panel.signed_in and not panel.may_participate and not panel.can_support


def test_panel_of_a_withdrawn_proposal(app):
    proposal = make_proposal(make_consultation("vote"), withdrawn_at=utcnow())
    panel = services.panel(make_user(), proposal, utcnow())
    assert not panel.proposal_open and not panel.can_support


def test_a_deleted_account_keeps_its_support_counted(app):
    consultation = make_consultation("vote")
    proposal, voter = make_proposal(consultation), make_user()
    services.support(voter, proposal, utcnow())
    db.session.commit()
    db.session.execute(update(Support).values(user_id=None))
    db.session.commit()
    assert stored_supports(proposal) == (1, 1)


def test_a_support_racing_the_authors_withdrawal_is_refused(app):
    proposal = make_proposal(make_consultation("vote"))
    voter = make_user()
    assert proposal.withdrawn_at is None  # loaded now, as the request loads it before voting
    # The author's withdrawal commits between the check and the vote: the loaded object still looks open.
    db.session.execute(
        update(Proposal)
        .where(Proposal.id == proposal.id)
        .values(withdrawn_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    assert proposal.withdrawn_at is None
    with pytest.raises(ActionRefused) as refusal:
        services.support(voter, proposal, utcnow())
    assert refusal.value.status == 409
    db.session.rollback()
    assert db.session.scalar(select(func.count(Support.id)).where(Support.proposal_id == proposal.id)) == 0


@pytest.mark.parametrize("decision", ["hidden", "pending"])
def test_a_support_racing_a_moderation_decision_is_refused(app, decision):
    """The conditional UPDATE's third guard: a proposal hidden (or sent back to the queue) meanwhile takes no vote."""
    proposal = make_proposal(make_consultation("vote"))
    voter = make_user()
    assert proposal.moderation == "visible"  # loaded now, as the request loads it before voting
    db.session.execute(
        update(Proposal)
        .where(Proposal.id == proposal.id)
        .values(moderation=decision)
        .execution_options(synchronize_session=False)
    )
    assert proposal.moderation == "visible"
    with pytest.raises(ActionRefused) as refused:
        services.support(voter, proposal, utcnow())
    # The person is told the proposal no longer takes votes, not that its author withdrew it.
    assert "masquée" in str(refused.value) and "auteur" not in str(refused.value)
    assert refused.value.status == 409
    db.session.rollback()
    assert stored_supports(proposal)[0] == 0


def test_the_support_left_on_a_merged_duplicate_cannot_be_taken_back_to_exceed_the_limit(app):
    from concertation.proposals.merging import merge_proposals

    consultation = make_consultation("vote", support_limit=1)
    organiser = make_user("organiser", consultation.territory)
    duplicate, target, other = (make_proposal(consultation) for _ in range(3))
    voter = make_user()
    services.support(voter, duplicate, utcnow())
    merge_proposals(organiser, duplicate, target, utcnow())
    db.session.commit()
    assert refused(services.withdraw_support, voter, duplicate, utcnow()).status == 409
    assert refused(services.support, voter, other, utcnow()).status == 409
    given = db.session.scalar(
        select(func.count(Support.id)).where(Support.user_id == voter.id, Support.proposal_id != duplicate.id)
    )
    assert given == 1
