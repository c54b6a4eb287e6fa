"""Personal data (RGPD): what a person may download, account deletion, and retention.

Deleting an account erases the email, name and password hash and keeps the
contributions under a neutral pseudonym, so that the debate stays readable and
every count stays right: votes stay counted and are unlinked from the person.
"""

from datetime import datetime, timedelta

from sqlalchemy import Select, delete, select, update

from concertation.accounts.models import DELETED_PSEUDONYM, User
from concertation.comments.models import Comment
from concertation.consultations.models import Consultation
from concertation.extensions import db
from concertation.identity.models import LinkedIdentity
from concertation.notifications.models import Follow, Notification
from concertation.proposals.models import Proposal
from concertation.territories.models import Invitation, Membership
from concertation.voting.models import MENTIONS, Grade, Support, SupportQuota


def iso(value: datetime | None) -> str | None:
    """A date of the download as ISO 8601 text (None stays None): every part of the download writes dates so."""
    return value.isoformat() if value else None


def entries(query: Select) -> list[dict]:
    """The rows of `query` as the download writes them: one dict per row, keyed by the columns' names or labels,
    dates as ISO 8601 text."""
    return [
        {key: iso(value) if isinstance(value, datetime) else value for key, value in row.items()}
        for row in db.session.execute(query).mappings()
    ]


def export_data(user: User) -> dict:
    """Everything the platform keeps about `user`, as JSON-ready data."""
    proposals = (
        select(
            Proposal.id,
            Proposal.title,
            Proposal.body,
            Proposal.created_at,
            Proposal.answer,
            Consultation.title.label("consultation"),
        )
        .join(Consultation, Proposal.consultation_id == Consultation.id)
        .where(Proposal.author_id == user.id)
        .order_by(Proposal.id)
    )
    comments = (
        select(
            Comment.id,
            Comment.proposal_id,
            Comment.consultation_id,
            Comment.body,
            Comment.stance,
            Comment.created_at,
            Comment.deleted_at,
        )
        .where(Comment.author_id == user.id)
        .order_by(Comment.id)
    )
    supports = (
        select(Support.proposal_id, Proposal.title.label("proposal"), Support.created_at)
        .join(Proposal, Support.proposal_id == Proposal.id)
        .where(Support.user_id == user.id)
        .order_by(Support.id)
    )
    grades = (
        select(Grade.proposal_id, Proposal.title.label("proposal"), Grade.mention, Grade.updated_at)
        .join(Proposal, Grade.proposal_id == Proposal.id)
        .where(Grade.user_id == user.id)
        .order_by(Grade.id)
    )
    follows = (
        select(Follow.proposal_id, Follow.consultation_id, Follow.created_at)
        .where(Follow.user_id == user.id)
        .order_by(Follow.id)
    )
    notifications = (
        select(Notification.kind, Notification.message, Notification.url, Notification.created_at, Notification.read_at)
        .where(Notification.user_id == user.id)
        .order_by(Notification.id)
    )
    from concertation.manifesto.personal_data import manifesto_acts_of
    from concertation.participation.personal_data import profile_export
    from concertation.texts.personal_data import (
        amendment_grades_of,
        amendment_supports_of,
        amendments_of,
        text_follows_of,
    )
    from concertation.workshops.services import registrations_of_person

    return {
        "profile": {
            "email": user.email,
            "pseudonym": user.pseudonym,
            "name": user.name,
            "locale": user.locale,
            "created_at": iso(user.created_at),
            "confirmed_at": iso(user.confirmed_at),
            "terms_accepted_at": iso(user.terms_accepted_at),
            "last_login_at": iso(user.last_login_at),
            "roles": [{"territory": m.territory.name, "role": m.role, "source": m.source} for m in user.memberships],
            "residence_territory_id": user.residence_territory_id,
        },
        "participation_profile": profile_export(user),
        "linked_identities": [
            {
                "provider": i.provider,
                "subject": i.subject,
                "acr": i.acr,
                "siret": i.siret,
                "created_at": iso(i.created_at),
                "last_login_at": iso(i.last_login_at),
            }
            for i in db.session.scalars(select(LinkedIdentity).where(LinkedIdentity.user_id == user.id))
        ],
        "proposals": entries(proposals),
        "comments": entries(comments),
        "supports": entries(supports),
        "grades": [{**grade, "mention": MENTIONS[grade["mention"]]} for grade in entries(grades)],
        "follows": entries(follows),
        "notifications": entries(notifications),
        "amendments": amendments_of(user),
        "amendment_supports": amendment_supports_of(user),
        "amendment_grades": amendment_grades_of(user),
        "workshop_registrations": registrations_of_person(user),
        "text_follows": text_follows_of(user),
        "manifesto": manifesto_acts_of(user),
    }


def delete_account(user: User, now: datetime) -> None:
    """Erase the person; keep their contributions under a neutral pseudonym and their votes unlinked."""
    db.session.execute(update(Support).where(Support.user_id == user.id).values(user_id=None))
    db.session.execute(update(Grade).where(Grade.user_id == user.id).values(user_id=None))
    from concertation.texts.models import AmendmentGrade, AmendmentSupport, TextFollow

    db.session.execute(update(AmendmentSupport).where(AmendmentSupport.user_id == user.id).values(user_id=None))
    db.session.execute(update(AmendmentGrade).where(AmendmentGrade.user_id == user.id).values(user_id=None))
    from concertation.participation.models import ParticipationProfile

    for model in (SupportQuota, Follow, TextFollow, Notification, Membership, LinkedIdentity, ParticipationProfile):
        db.session.execute(delete(model).where(model.user_id == user.id))
    from concertation.workshops.services import forget_person

    forget_person(user, now)  # registrations cancelled: their seats go to the people waiting
    _forget_in_copies(user)
    user.email = None
    user.name = None
    user.password_hash = None
    user.pseudonym = DELETED_PSEUDONYM
    user.locale = None
    user.residence_territory_id = None
    user.is_admin = user.is_editor = False
    user.deleted_at = now
    db.session.expire(user, ["memberships"])
    db.session.flush()


def _forget_in_copies(user: User) -> None:
    """The pseudonym leaves the frozen syntheses and the notifications others received about this person's words."""
    from concertation.comments.services import comment_path
    from concertation.notifications.services import rewrite_messages
    from concertation.synthesis.snapshots import forget_author

    forget_author(user.id)
    pages = [comment_path(c) for c in db.session.scalars(select(Comment).where(Comment.author_id == user.id))]
    rewrite_messages(user.pseudonym, DELETED_PSEUDONYM, pages)


def purge(now: datetime, unconfirmed_days: int, notification_days: int, invitation_days: int) -> dict[str, int]:
    """Apply the retention periods; returns how many rows each rule removed."""
    unconfirmed = delete(User).where(
        User.confirmed_at.is_(None), User.deleted_at.is_(None), User.created_at < now - timedelta(days=unconfirmed_days)
    )
    notifications = delete(Notification).where(Notification.created_at < now - timedelta(days=notification_days))
    invitations = delete(Invitation).where(Invitation.expires_at < now - timedelta(days=invitation_days))
    counts = {
        "unconfirmed_accounts": db.session.execute(unconfirmed).rowcount,
        "notifications": db.session.execute(notifications).rowcount,
        "invitations": db.session.execute(invitations).rowcount,
    }
    db.session.flush()
    return counts
