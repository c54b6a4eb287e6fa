"""After a workshop: its minutes, how many came, and the contributions collected on paper or orally.

Collected contributions are ordinary proposals and comments of the consultation, marked with
their workshop (``workshop_id``): they count in the debate, in the synthesis aid and in the
figures like any other, and are shown apart as « recueillie en atelier ». Nobody typed them
with an account of their own, so their author is the platform's collected-contributions account
(``User.is_system``), which has no email and no password; the figures do not count it as a
participant.
"""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from concertation import phases
from concertation.accounts.models import User
from concertation.comments.models import STANCES, Comment
from concertation.comments.publication import publish
from concertation.db import utcnow
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.proposals import services as proposals
from concertation.proposals.models import Proposal
from concertation.text import to_html
from concertation.workshops.models import Workshop
from concertation.workshops.services import MINUTES_MAX

COLLECTED_PSEUDONYM = "Recueilli en atelier"
ATTENDEES_MAX = 100_000
COMMENT_MAX = 5000


def record_outcome(workshop: Workshop, minutes: str, attendees: int | None, now: datetime) -> Workshop:
    """The minutes (Markdown) and the number of attendees, once the workshop has begun."""
    if not workshop.has_started(now):
        raise ActionRefused(_l("Le compte rendu s’écrit une fois l’atelier commencé."), status=403)
    minutes = (minutes or "").strip()
    if len(minutes) > MINUTES_MAX:
        raise ActionRefused(_l("Le compte rendu doit faire au plus 50 000 caractères."), field="minutes")
    if attendees is not None and not 0 <= attendees <= ATTENDEES_MAX:
        raise ActionRefused(_l("Le nombre de participant·es doit être compris entre 0 et 100 000."), field="attendees")
    workshop.minutes, workshop.minutes_html = minutes, to_html(minutes)
    workshop.attendees = attendees
    db.session.flush()
    return workshop


def collected_author() -> User:
    """The platform's account for contributions collected offline (made the first time it is needed)."""
    author = db.session.scalar(select(User).where(User.is_system.is_(True)).order_by(User.id).limit(1))
    if author is None:
        now = utcnow()
        # Confirmed, so that the purge of unconfirmed accounts never takes it; no email, no password.
        author = User(
            email=None,
            password_hash=None,
            pseudonym=COLLECTED_PSEUDONYM,
            is_system=True,
            confirmed_at=now,
            terms_accepted_at=now,
        )
        db.session.add(author)
        db.session.flush()
    return author


def _check_open(workshop: Workshop, now: datetime) -> None:
    if not workshop.has_started(now):
        raise ActionRefused(_l("Les contributions se saisissent une fois l’atelier commencé."), status=403)
    if phases.is_closed(workshop.consultation, now):
        raise ActionRefused(_l("La consultation est close : on ne peut plus y ajouter de contributions."), status=403)


def collect_proposal(workshop: Workshop, title: str, body: str, theme_id: int | None, now: datetime) -> Proposal:
    """A proposal collected at the workshop, published at once (the organiser entering it answers for it)."""
    _check_open(workshop, now)
    consultation = workshop.consultation
    theme = proposals.check_draft(consultation, title, body, theme_id)
    proposal = Proposal(
        consultation=consultation,
        author=collected_author(),
        workshop_id=workshop.id,
        created_at=now,
        updated_at=now,
        moderation="visible",
    )
    proposals._write(proposal, title, body, theme)
    db.session.add(proposal)
    db.session.flush()
    return proposal


def collect_comment(workshop: Workshop, proposal: Proposal | None, body: str, stance: str | None, now: datetime):
    """A comment collected at the workshop, on one of the consultation's proposals or on the consultation."""
    _check_open(workshop, now)
    consultation = workshop.consultation
    if proposal is not None and (proposal.consultation_id != consultation.id or not proposal.is_visible):
        raise ActionRefused(_l("Choisissez une proposition visible de cette consultation."), field="proposal")
    body = (body or "").strip()
    if not body:
        raise ActionRefused(_l("Écrivez le commentaire recueilli."), field="body")
    if len(body) > COMMENT_MAX:
        raise ActionRefused(_l("Le commentaire doit faire au plus 5 000 caractères."), field="body")
    stance = stance or None
    if stance is not None and (stance not in STANCES or proposal is None):
        raise ActionRefused(_l("Une position se donne sur une proposition."), field="stance")
    comment = Comment(
        consultation=consultation,
        proposal=proposal,
        author=collected_author(),
        workshop_id=workshop.id,
        body=body,
        body_html=to_html(body),
        stance=stance,
        moderation="visible",
        created_at=now,
        updated_at=now,
    )
    db.session.add(comment)
    db.session.flush()
    publish(comment, now)
    return comment


def collected_counts(workshop: Workshop) -> dict[str, int]:
    """How many proposals and comments were collected at the workshop (visible ones)."""
    proposals_n = db.session.scalar(
        select(func.count()).where(Proposal.workshop_id == workshop.id, Proposal.moderation == "visible")
    )
    comments_n = db.session.scalar(
        select(func.count()).where(
            Comment.workshop_id == workshop.id, Comment.moderation == "visible", Comment.deleted_at.is_(None)
        )
    )
    return {"proposals": int(proposals_n or 0), "comments": int(comments_n or 0)}


def collected_of(workshop: Workshop) -> tuple[list[Proposal], list[Comment]]:
    """The contributions collected at the workshop, in the order they were entered."""
    found_proposals = list(
        db.session.scalars(select(Proposal).where(Proposal.workshop_id == workshop.id).order_by(Proposal.id))
    )
    found_comments = list(
        db.session.scalars(select(Comment).where(Comment.workshop_id == workshop.id).order_by(Comment.id))
    )
    return found_proposals, found_comments
