"""Follows and notifications: who is told what, in the app and (if they asked) by email."""

from collections.abc import Iterable
from datetime import datetime

from flask import current_app
from sqlalchemy import func, insert, or_, select, union, update
from sqlalchemy.exc import IntegrityError
from flask_babel import lazy_gettext as _l

from concertation import phases, query_args
from concertation.accounts.models import User
from concertation.consultations.models import Consultation, Phase
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.jobs import enqueue_email
from concertation.notifications.models import Follow, Notification
from concertation.phases import PHASE_LABELS

KINDS = {
    "reply": "Réponse à votre commentaire",
    "comment_on_followed": "Nouveau commentaire",
    "answer": "Réponse de la collectivité",
    "phase_opened": "Nouvelle phase",
    "commitment": "Suivi d’un engagement",
    "text_version": "Nouvelle version d’un texte",
    "workshop": "Atelier",
    "manifesto_amendment": "Réponse à un amendement du manifeste",
}


def path_for(endpoint: str, **values) -> str:
    """The path of a page, built without a request (the CLI notifies too)."""
    adapter = current_app.url_map.bind("localhost", script_name=current_app.config.get("APPLICATION_ROOT") or "/")
    return adapter.build(endpoint, values)


def _absolute(path: str) -> str:
    """A link for an email, from the configuration only: never from a request's Host header."""
    config = current_app.config
    return f"{config.get('PREFERRED_URL_SCHEME', 'https')}://{config.get('SERVER_NAME') or 'localhost'}{path}"


# Follows --------------------------------------------------------------------


def _follow_query(user: User, proposal=None, consultation=None):
    if (proposal is None) == (consultation is None):
        raise ValueError("follow exactly one proposal or one consultation")
    query = select(Follow).where(Follow.user_id == user.id)
    if proposal is not None:
        return query.where(Follow.proposal_id == proposal.id)
    return query.where(Follow.consultation_id == consultation.id)


def is_following(user, proposal=None, consultation=None) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return db.session.scalar(_follow_query(user, proposal, consultation)) is not None


def follow(user: User, proposal=None, consultation=None, now: datetime | None = None) -> Follow:
    """Follow a proposal or a consultation; following twice changes nothing."""
    existing = db.session.scalar(_follow_query(user, proposal, consultation))
    if existing is not None:
        return existing
    item = Follow(
        user_id=user.id,
        proposal_id=proposal.id if proposal is not None else None,
        consultation_id=consultation.id if consultation is not None else None,
    )
    if now is not None:
        item.created_at = now
    try:
        # Two clicks at once: the unique constraint keeps one follow, and the second click finds it.
        with db.session.begin_nested():
            db.session.add(item)
    except IntegrityError:
        return db.session.scalar(_follow_query(user, proposal, consultation))
    return item


def unfollow(user: User, proposal=None, consultation=None) -> None:
    existing = db.session.scalar(_follow_query(user, proposal, consultation))
    if existing is not None:
        db.session.delete(existing)
        db.session.flush()


# Notifying ------------------------------------------------------------------


def notify(
    user_ids: Iterable[int | None],
    kind: str,
    message: str,
    url: str,
    now: datetime,
    actor: User | None = None,
    always_email: bool = False,
) -> int:
    """One notification for each person (never the actor), emailed to those who asked; how many were made."""
    return notify_each([(user_id, message, url) for user_id in user_ids], kind, now, actor, always_email)


def notify_each(
    items: Iterable[tuple[int | None, str, str]],
    kind: str,
    now: datetime,
    actor: User | None = None,
    always_email: bool = False,
) -> int:
    """Notifications (user id, message, url) in one INSERT; one per person and url, never to the actor.

    `always_email`: emailed to everyone, whatever their preference (news of their own registration, say)."""
    seen: set[tuple[int, str]] = set()
    rows = []
    for user_id, message, url in items:
        if user_id is None or (actor is not None and user_id == actor.id) or (user_id, url) in seen:
            continue
        seen.add((user_id, url))
        rows.append({"user_id": user_id, "kind": kind, "message": message[:500], "url": url[:500], "created_at": now})
    if not rows:
        return 0
    # Deleted accounts are told nothing; those who asked for emails get one each.
    people = db.session.execute(
        select(User.id, User.email, User.notify_by_email).where(
            User.id.in_({r["user_id"] for r in rows}), User.deleted_at.is_(None)
        )
    ).all()
    alive = {p.id for p in people}
    by_email = {p.id: p.email for p in people if (p.notify_by_email or always_email) and p.email}
    rows = [r for r in rows if r["user_id"] in alive]
    for row in rows:
        if row["user_id"] in by_email:
            enqueue_email(
                by_email[row["user_id"]],
                f"{current_app.config['PLATFORM_NAME']} : {KINDS.get(kind, kind)}",
                f"{row['message']}\n\n{_absolute(row['url'])}\n\n"
                + (
                    "Vous recevez ce courriel car il concerne votre inscription."
                    if always_email
                    else "Vous recevez ce courriel car vous l’avez demandé dans vos préférences de notification."
                ),
            )
            row["emailed_at"] = now
    if rows:
        for row in rows:
            row.setdefault("emailed_at", None)
        db.session.execute(insert(Notification), rows)
    return len(rows)


def proposal_followers(proposal_ids: Iterable[int]) -> list[tuple[int, int]]:
    """(proposal id, user id) of every follower of these proposals, in one query."""
    return [
        tuple(row)
        for row in db.session.execute(
            select(Follow.proposal_id, Follow.user_id).where(Follow.proposal_id.in_(list(proposal_ids)))
        )
    ]


def notify_answer(proposals: list, actor: User, now: datetime) -> int:
    """Tell the authors, supporters and followers of answered proposals (one query for all of them)."""
    from concertation.proposals.models import Proposal
    from concertation.voting.models import Support

    if not proposals:
        return 0
    ids = [p.id for p in proposals]
    recipients = union(
        select(Proposal.id.label("proposal_id"), Proposal.author_id.label("user_id")).where(Proposal.id.in_(ids)),
        select(Support.proposal_id, Support.user_id).where(Support.proposal_id.in_(ids), Support.user_id.is_not(None)),
        select(Follow.proposal_id, Follow.user_id).where(Follow.proposal_id.in_(ids)),
    )
    by_id = {p.id: p for p in proposals}
    items = []
    for proposal_id, user_id in db.session.execute(recipients):
        proposal = by_id[proposal_id]
        items.append(
            (
                user_id,
                f"La collectivité a répondu à la proposition « {proposal.title} » : {proposal.answer_label}.",
                path_for("proposals.show", proposal_id=proposal_id),
            )
        )
    return notify_each(items, "answer", now, actor)


def notify_phases(now: datetime) -> int:
    """Tell followers of each consultation that a phase opened; each phase is announced once.

    Phases already over when this first runs are marked without telling anyone.
    """
    due = db.session.scalars(
        select(Phase).where(Phase.notified_at.is_(None), Phase.starts_at <= now).with_for_update(skip_locked=True)
    ).all()
    made = 0
    for phase in due:
        consultation: Consultation = phase.consultation
        phase.notified_at = now
        if phases.current_phase(consultation.phases, now) != phase.kind:
            continue
        followers = db.session.scalars(select(Follow.user_id).where(Follow.consultation_id == consultation.id))
        made += notify(
            followers,
            "phase_opened",
            f"La phase « {PHASE_LABELS[phase.kind]} » de la consultation « {consultation.title} » est ouverte.",
            path_for("consultations.show", consultation_id=consultation.id),
            now,
        )
    db.session.flush()
    return made


# Reading --------------------------------------------------------------------


def unread_count(user) -> int:
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    return (
        db.session.scalar(
            select(func.count(Notification.id)).where(Notification.user_id == user.id, Notification.read_at.is_(None))
        )
        or 0
    )


def notifications_of(user: User, page: int, per_page: int = 30):
    query = (
        select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )
    return query_args.paginate(query, per_page, page=page)


def notification_of(user: User, notification_id: int) -> Notification:
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != user.id:
        raise ActionRefused(_l("Cette notification n’existe pas."), status=404)
    return notification


def mark_read(notification: Notification, now: datetime) -> None:
    if notification.read_at is None:
        notification.read_at = now
        db.session.flush()


def mark_all_read(user: User, now: datetime) -> int:
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def set_email_preference(user: User, by_email: bool) -> None:
    user.notify_by_email = by_email
    db.session.flush()


def rewrite_messages(old: str, new: str, pages: Iterable[str]) -> None:
    """Notifications about `pages` quoting `old` (a title, an excerpt, a pseudonym) now say `new`.

    A notification is about a page when its address is the page, or a place (#…) or query (?…) in it.
    """
    pages = list(pages)
    if not old or old == new or not pages:
        return
    about = [
        condition
        for page in pages
        for condition in (
            Notification.url == page,
            Notification.url.startswith(page + "#", autoescape=True),
            Notification.url.startswith(page + "?", autoescape=True),
        )
    ]
    query = update(Notification).where(Notification.message.contains(old, autoescape=True), or_(*about))
    db.session.execute(
        query.values(message=func.substr(func.replace(Notification.message, old, new), 1, 500)),
        execution_options={"synchronize_session": False},
    )
