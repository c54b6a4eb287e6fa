"""Results: supports counted or majority judgment ranked from one aggregate query, shown only when allowed."""

from dataclasses import fields

import pytest

from concertation.db import utcnow
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.voting import results as vote_results, services
from concertation.voting.models import Grade
from tests.factories import make_consultation, make_proposal, make_user
from tests.voting.test_services import counted_queries


def give_grades(consultation, proposal, mentions):
    for mention in mentions:
        db.session.add(
            Grade(proposal_id=proposal.id, consultation_id=consultation.id, user_id=make_user().id, mention=mention)
        )
    db.session.commit()


def test_results_wait_for_the_end_of_the_vote_unless_live(app):
    consultation = make_consultation("vote")
    with pytest.raises(ActionRefused) as caught:
        vote_results.results(consultation, utcnow())
    assert caught.value.status == 403
    live = make_consultation("vote", results_live=True)
    assert vote_results.results(live, utcnow()).final is False
    ended = make_consultation("synthesis")
    assert vote_results.results(ended, utcnow()).final is True


def test_support_results_rank_by_count_with_ties_and_leave_hidden_proposals_out(app):
    consultation = make_consultation("vote", results_live=True)
    most, tied_a, tied_b, none = (make_proposal(consultation, title=f"Proposition {n}") for n in "ABCD")
    withdrawn = make_proposal(consultation, title="Proposition retirée")
    hidden = make_proposal(consultation, title="Proposition masquée")
    for proposal, count in ((most, 3), (tied_a, 2), (tied_b, 2), (withdrawn, 1), (hidden, 5)):
        for _ in range(count):
            services.support(make_user(), proposal, utcnow())
    db.session.commit()
    withdrawn.withdrawn_at = utcnow()
    hidden.moderation = "hidden"
    db.session.commit()
    outcome = vote_results.results(consultation, utcnow())
    assert [(r.title, r.rank, r.support_count, r.withdrawn) for r in outcome.rows] == [
        ("Proposition A", 1, 3, False),
        ("Proposition B", 2, 2, False),
        ("Proposition C", 2, 2, False),
        ("Proposition retirée", 4, 1, True),
        ("Proposition D", 5, 0, False),
    ]
    assert outcome.method == "support" and outcome.total_votes == 8


def test_majority_results_come_from_one_aggregate_query(app):
    consultation = make_consultation("synthesis", voting_method="majority")
    good = make_proposal(consultation, title="Bonne")
    fair = make_proposal(consultation, title="Passable")
    make_proposal(consultation, title="Sans mention")
    # Good: 2, 3, 3, 4 → majority Bien (3). Fair: 1, 1, 3 → Passable (1), three judges.
    give_grades(consultation, good, [2, 3, 3, 4])
    give_grades(consultation, fair, [1, 1, 3])
    db.session.refresh(consultation)
    with counted_queries() as statements:
        outcome = vote_results.compute(consultation)
    assert len(statements) == 1 and "GROUP BY" in statements[0]
    assert [(r.title, r.rank, r.majority_label, r.judges) for r in outcome.rows] == [
        ("Bonne", 1, "Bien", 4),
        ("Passable", 2, "Passable", 3),
    ]
    # Not graded yet: listed apart, not ranked third.
    assert [(r.title, r.judges) for r in outcome.unranked] == [("Sans mention", 0)]
    bar = outcome.rows[0].shares
    assert [s.label for s in bar] == ["Excellent", "Très bien", "Bien", "Assez bien", "Passable", "À rejeter"]
    assert [(s.count, s.percent, s.offset) for s in bar[:3]] == [(0, 0.0, 0.0), (1, 25.0, 0.0), (2, 50.0, 25.0)]
    assert outcome.total_votes == 7


def test_normalised_ranking_with_different_numbers_of_judges(app):
    consultation = make_consultation("synthesis", voting_method="majority")
    few = make_proposal(consultation, title="Deux avis")
    many = make_proposal(consultation, title="Dix avis")
    give_grades(consultation, few, [4, 2])
    give_grades(consultation, many, [4] * 5 + [2] * 5)
    ranks = {r.title: (r.rank, r.judges) for r in vote_results.compute(consultation).rows}
    assert ranks == {"Deux avis": (1, 2), "Dix avis": (1, 10)}


def test_results_carry_totals_only_never_who_voted(app):
    names = {
        f.name
        for cls in (vote_results.Results, vote_results.ProposalResult, vote_results.MentionShare)
        for f in fields(cls)
    }
    assert not names & {"user_id", "user", "users", "voters", "author", "pseudonym", "email"}
