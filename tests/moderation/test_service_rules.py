"""Rules the services hold themselves, whoever calls them (a view, the CLI, a script): phases, blocks,
pre-moderation of edits, and a comment count that stays equal to the published comments."""

import pytest
from sqlalchemy import func, select

from concertation.comments import services as comments
from concertation.comments.models import Comment
from concertation.db import utcnow
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.moderation import services as moderation
from concertation.proposals import services as proposals
from tests.factories import make_comment, make_consultation, make_proposal, make_territory, make_user


@pytest.mark.parametrize("phase", ["information", "vote", "synthesis", "closed"])
def test_no_proposal_outside_the_proposals_phase_even_without_the_view(app, phase):
    consultation = make_consultation(phase)
    with pytest.raises(ActionRefused) as refused:
        proposals.submit_proposal(
            make_user(), consultation, "Une proposition hors phase", "Texte.", consultation.themes[0].id, utcnow()
        )
    assert refused.value.status == 403


@pytest.mark.parametrize("phase", ["information", "synthesis", "closed"])
def test_no_comment_outside_the_debate_even_without_the_view(app, phase):
    proposal = make_proposal(make_consultation(phase))
    with pytest.raises(ActionRefused):
        comments.add_comment(
            make_user(), proposal.consultation, "Un commentaire hors phase.", utcnow(), proposal=proposal
        )


def test_no_comment_or_reply_under_a_hidden_proposal(app, client, auth):
    proposal = make_proposal()
    first = make_comment(proposal)
    organiser = make_user("organiser", proposal.consultation.territory)
    moderation.hide(organiser, proposal, "Propos injurieux", utcnow())
    db.session.commit()
    with pytest.raises(ActionRefused):
        comments.add_comment(
            make_user(), proposal.consultation, "Je réponds quand même.", utcnow(), proposal=proposal, parent=first
        )
    auth.login(make_user())
    assert client.post(f"/commentaires/{first.id}/repondre", data={"body": "Je réponds quand même."}).status_code == 403


def test_a_blocked_person_can_no_longer_edit_their_proposal(app, client, auth):
    territory = make_territory()
    organiser = make_user("organiser", territory)
    proposal = make_proposal(make_consultation("proposals", territory=territory, author=organiser))
    moderation.block(organiser, territory, proposal.author, "Insultes répétées", utcnow())
    db.session.commit()
    auth.login(proposal.author)
    response = client.post(
        f"/propositions/{proposal.id}/modifier",
        data={"title": "Un nouveau titre provocateur", "body": "Nouveau texte.", "theme": str(proposal.theme_id)},
    )
    assert response.status_code == 403
    with pytest.raises(ActionRefused):
        proposals.update_proposal(
            proposal, "Un nouveau titre provocateur", "Nouveau texte.", proposal.theme_id, utcnow()
        )


def test_under_premoderation_an_edit_goes_back_to_the_queue(app, client):
    territory = make_territory()
    organiser = make_user("organiser", territory)
    consultation = make_consultation("proposals", territory=territory, author=organiser)
    consultation.premoderation = True
    db.session.commit()
    proposal = make_proposal(consultation, title="Un texte sage et approuvé")
    moderation.approve(organiser, proposal, utcnow())
    db.session.commit()
    comment = make_comment(proposal, body="Un commentaire sage.")
    moderation.approve(organiser, comment, utcnow())
    db.session.commit()
    db.session.refresh(proposal)
    assert proposal.comment_count == 1
    proposals.update_proposal(proposal, "Un texte devenu injurieux", "Injures.", proposal.theme_id, utcnow())
    comments.edit_comment(comment, "Un commentaire devenu injurieux.", utcnow())
    db.session.commit()
    assert proposal.moderation == "pending" and comment.moderation == "pending"
    assert "injurieux" not in client.get(f"/consultations/{consultation.id}/propositions").get_data(as_text=True)
    assert {item.target.id for item in moderation.queue(territory)} >= {proposal.id, comment.id}
    db.session.refresh(proposal)
    assert proposal.comment_count == 0


def _published_comments(proposal) -> int:
    return db.session.scalar(
        select(func.count(Comment.id)).where(
            Comment.proposal_id == proposal.id, Comment.deleted_at.is_(None), Comment.moderation != "pending"
        )
    )


def test_comment_count_stays_exact_when_pending_comments_are_deleted_or_restored(app):
    territory = make_territory()
    organiser = make_user("organiser", territory)
    consultation = make_consultation("proposals", territory=territory, author=organiser)
    proposal = make_proposal(consultation)
    consultation.premoderation = True
    db.session.commit()
    deleted, restored, rejected = (make_comment(proposal, body=f"Commentaire en attente {n}.") for n in range(3))
    comments.delete_comment(deleted, utcnow())
    moderation.restore(organiser, restored, utcnow())
    moderation.reject(organiser, rejected, "Hors sujet", utcnow())
    moderation.restore(organiser, rejected, utcnow())
    db.session.commit()
    db.session.refresh(proposal)
    assert proposal.comment_count == _published_comments(proposal) == 2


def test_the_cli_switches_premoderation(app, runner):
    consultation = make_consultation("proposals")
    result = runner.invoke(args=["premoderation", str(consultation.id), "on"])
    assert result.exit_code == 0 and "activée" in result.output
    db.session.refresh(consultation)
    assert consultation.premoderation
    proposal = proposals.submit_proposal(
        make_user(), consultation, "Une proposition à modérer", "Texte.", consultation.themes[0].id, utcnow()
    )
    assert proposal.moderation == "pending"
    assert runner.invoke(args=["premoderation", "999999", "off"]).exit_code != 0
    assert runner.invoke(args=["premoderation", str(consultation.id), "off"]).exit_code == 0
    db.session.refresh(consultation)
    assert not consultation.premoderation


def test_the_demonstration_has_a_premoderated_consultation(app, runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    from concertation.consultations.models import Consultation

    assert db.session.scalar(select(func.count(Consultation.id)).where(Consultation.premoderation.is_(True))) == 1
