"""The demonstration shows a living debate."""

from sqlalchemy import func, select

from concertation.comments.models import Comment
from concertation.extensions import db
from concertation.proposals.models import Proposal


def test_the_demo_has_proposals_answers_and_threaded_comments(runner, client):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert db.session.scalar(select(func.count(Proposal.id))) >= 12
    assert db.session.scalar(select(func.count(Proposal.id)).where(Proposal.answer.is_not(None))) >= 3
    assert db.session.scalar(select(func.max(Comment.depth))) == 3
    proposal = db.session.scalar(select(Proposal).order_by(Proposal.comment_count.desc()).limit(1))
    counted = db.session.scalar(select(func.count(Comment.id)).where(Comment.proposal_id == proposal.id))
    assert proposal.comment_count == counted
    assert client.get(f"/propositions/{proposal.id}").status_code == 200
    assert client.get(f"/consultations/{proposal.consultation_id}/propositions").status_code == 200
