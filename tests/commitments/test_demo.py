"""The demonstration shows commitments drawn from retained proposals, each with a history."""

from sqlalchemy import select

from concertation.commitments.models import Commitment
from concertation.extensions import db


def test_the_demo_has_commitments_with_milestones_and_history(runner, client):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    commitments = db.session.scalars(select(Commitment).order_by(Commitment.id)).all()
    assert len(commitments) == 3
    assert {c.status for c in commitments} == {"in_progress", "done", "committed"}
    assert all(c.proposal_links and c.synthesis_links for c in commitments)
    assert all(len(c.changes) >= 3 for c in commitments)
    assert any(m.done_on for c in commitments for m in c.milestones)
    page = client.get(f"/engagements/{commitments[0].id}").get_data(as_text=True)
    assert "Historique" in page and "Avancement" in page
    proposal = commitments[0].proposal_links[0].proposal
    assert "Ce qu’elle est devenue" in client.get(f"/propositions/{proposal.id}").get_data(as_text=True)
    assert client.get("/engagements").status_code == 200
