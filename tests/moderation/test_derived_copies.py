"""Every copy of a text follows its redaction, edit and deletion; a deleted account leaves every copy.

Copies: the stored HTML, the search index (search, similar-proposals hint), the snapshots frozen in
published syntheses (titles, excerpts, pseudonyms), and the notifications that quote the text.
"""

from sqlalchemy import select

from concertation.accounts.models import DELETED_PSEUDONYM
from concertation.accounts.personal_data import delete_account
from concertation.comments.services import delete_comment
from concertation.db import utcnow
from concertation.extensions import db
from concertation.moderation import services as moderation
from concertation.notifications.models import Notification
from concertation.notifications.services import follow
from concertation.synthesis import services as synthesis
from concertation.synthesis.models import RetainedProposalSnapshot, SynthesisVersion
from tests.factories import make_comment, make_consultation, make_proposal, make_user

NAME = "Bérénice Quintanilla"


def _messages(user) -> str:
    return " ".join(db.session.scalars(select(Notification.message).where(Notification.user_id == user.id)))


def test_a_redacted_name_cannot_be_found_again_by_search_hint_or_notifications(client, auth):
    consultation = make_consultation("proposals")
    organiser = make_user("organiser", consultation.territory)
    proposal = make_proposal(
        consultation, title=f"Le voisin {NAME} et la cantine", body=f"Appelez {NAME} au 06 12 34 56 78 pour la cantine."
    )
    follower = make_user()
    follow(follower, proposal=proposal, now=utcnow())
    comment = make_comment(proposal, body=f"Je connais {NAME}, elle habite rue des Lilas.")
    db.session.commit()
    assert "Quintanilla" in _messages(follower)
    base = f"/consultations/{consultation.id}"
    assert proposal.title in client.get(f"{base}/propositions?q=Quintanilla").get_data(as_text=True)

    moderation.redact(
        organiser,
        proposal,
        "Appelez la mairie pour la cantine.",
        "",
        utcnow(),
        new_title="Le voisin et la cantine scolaire",
    )
    moderation.redact(organiser, comment, "Je connais cette personne.", "", utcnow())
    db.session.commit()

    assert client.get(f"{base}/propositions?q=Quintanilla").get_data(as_text=True).count("proposal-item") == 0
    hint = client.get(f"{base}/propositions/similaires?titre=Quintanilla+cantine").json
    assert all("Quintanilla" not in p["title"] for p in hint["proposals"])
    assert "Quintanilla" not in proposal.search_text and "Quintanilla" not in proposal.body_html
    assert "Quintanilla" not in _messages(follower)
    page = client.get(f"/propositions/{proposal.id}").get_data(as_text=True)
    assert "Quintanilla" not in page


def test_a_deleted_comment_leaves_the_notifications_that_quoted_it(app):
    proposal = make_proposal()
    follower = make_user()
    follow(follower, proposal=proposal, now=utcnow())
    comment = make_comment(proposal, body=f"Mon numéro est le 06 99 {NAME}.")
    assert NAME in _messages(follower)
    delete_comment(comment, utcnow())
    db.session.commit()
    assert NAME not in _messages(follower) and "commentaire supprimé" in _messages(follower)


def _published_with(proposal, organiser, comment):
    consultation = proposal.consultation
    draft = synthesis.start_synthesis(organiser, consultation)
    synthesis.update_synthesis(draft, "Synthèse", "Introduction.", {draft.sections[0].id: "La formation d’abord."})
    synthesis.set_retained(draft, [proposal.id])
    synthesis.add_citation(draft.sections[0], "proposal", proposal.id, None)
    synthesis.add_citation(draft.sections[0], "comment", comment.id, None)
    version = synthesis.publish(organiser, draft, utcnow())
    db.session.commit()
    return version


def _frozen_text(version) -> str:
    db.session.refresh(version)
    snapshots = db.session.scalars(
        select(RetainedProposalSnapshot).where(RetainedProposalSnapshot.version_id == version.id)
    ).all()
    return repr(version.sections) + " ".join(f"{s.title} {s.excerpt} {s.author_pseudonym}" for s in snapshots)


def _scene():
    consultation = make_consultation("synthesis")
    organiser = make_user("organiser", consultation.territory)
    author = make_user(pseudonym="Quintanilla75")
    proposal = make_proposal(
        consultation,
        author=author,
        title=f"Former les agents, dit {NAME}",
        body=f"{NAME} propose de former les agents.",
        answer="retained",
    )
    comment = make_comment(proposal, author=author, body=f"Signé {NAME}.")
    return organiser, author, proposal, comment


def test_a_redaction_reaches_the_published_synthesis_but_its_figures_stay(client):
    organiser, author, proposal, comment = _scene()
    version = _published_with(proposal, organiser, comment)
    figures = dict(version.figures)
    assert NAME in _frozen_text(version)
    moderation.redact(
        organiser,
        proposal,
        "Une personne propose de former les agents.",
        "",
        utcnow(),
        new_title="Former les agents d’abord",
    )
    moderation.redact(organiser, comment, "Signé.", "", utcnow())
    db.session.commit()
    assert NAME not in _frozen_text(version)
    assert db.session.get(SynthesisVersion, version.id).figures == figures
    page = client.get(f"/consultations/{proposal.consultation_id}/synthese").get_data(as_text=True)
    assert NAME not in page and "Former les agents d’abord" in page


def test_a_deleted_account_leaves_the_published_synthesis_and_others_notifications(client):
    organiser, author, proposal, comment = _scene()
    replier = make_user()
    reply_to_them = make_comment(proposal, author=author, parent=comment, body="Une réponse de plus.")
    version = _published_with(proposal, organiser, comment)
    follower = make_user()
    follow(follower, proposal=proposal, now=utcnow())
    make_comment(proposal, author=author, body="Encore un mot.")
    assert "Quintanilla75" in _frozen_text(version) and "Quintanilla75" in _messages(follower)
    figures = dict(version.figures)
    delete_account(author, utcnow())
    db.session.commit()
    frozen = _frozen_text(version)
    assert "Quintanilla75" not in frozen and DELETED_PSEUDONYM in frozen
    assert "Quintanilla75" not in _messages(follower)
    assert db.session.get(SynthesisVersion, version.id).figures == figures
    assert "Quintanilla75" not in client.get(f"/consultations/{proposal.consultation_id}/synthese").get_data(
        as_text=True
    )
    assert replier and reply_to_them
