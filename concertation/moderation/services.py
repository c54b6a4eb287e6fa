"""Moderation: reports, decisions on contributions, blocks, the queue and the audit log.

Moderation hides, it never deletes; every decision is written to the append-only log,
with the text before and after when the text changes.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, union_all, update
from sqlalchemy.exc import IntegrityError
from flask_babel import lazy_gettext as _l

from concertation.accounts.models import User
from concertation.comments.models import Comment
from concertation.comments.publication import comment_path, publish
from concertation.consultations.models import Consultation
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.library.models import LibraryAdoption, LibraryEntry, LibraryReport
from concertation.moderation.models import REPORT_REASONS, Block, ModerationAction, Report
from concertation.notifications.services import notify, path_for
from concertation.proposals.models import Proposal
from concertation.territories.models import Membership, Territory
from concertation.text import to_html
from concertation.texts.models import Amendment, DraftText

AUTO_HIDE_REASON = "Masqué automatiquement après plusieurs signalements, en attente d’une décision de la modération."


def target_type(target) -> str:
    if isinstance(target, Amendment):
        return "amendment"
    return "proposal" if isinstance(target, Proposal) else "comment"


def territory_of(target) -> Territory:
    if isinstance(target, Amendment):
        return target.paragraph.text.consultation.territory
    consultation = (
        target.consultation if isinstance(target, Proposal) else db.session.get(Consultation, target.consultation_id)
    )
    return consultation.territory


def consultation_of(target) -> Consultation:
    """The consultation a contribution belongs to (an amendment's, through its text)."""
    if isinstance(target, Amendment):
        return target.paragraph.text.consultation
    return target.consultation if isinstance(target, Proposal) else db.session.get(Consultation, target.consultation_id)


def target_url(target) -> str:
    if isinstance(target, Proposal):
        return path_for("proposals.show", proposal_id=target.id)
    if isinstance(target, Amendment):
        return path_for("texts.paragraph", paragraph_id=target.paragraph_id) + f"#amendement-{target.id}"
    return comment_path(target)


def _report_column(target):
    return {"proposal": Report.proposal_id, "comment": Report.comment_id, "amendment": Report.amendment_id}[
        target_type(target)
    ]


def initial_state(consultation: Consultation) -> str:
    """The moderation state a new contribution starts in: pending under pre-moderation."""
    return "pending" if consultation.premoderation else "visible"


def is_blocked(user_id: int, territory_id: int) -> bool:
    return (
        db.session.scalar(
            select(Block.id)
            .where(Block.user_id == user_id, Block.territory_id == territory_id, Block.lifted_at.is_(None))
            .limit(1)
        )
        is not None
    )


def _log(
    territory: Territory,
    moderator: User | None,
    action: str,
    target_kind: str,
    target_id: int,
    reason: str = "",
    before: str | None = None,
    after: str | None = None,
    now: datetime | None = None,
) -> None:
    db.session.add(
        ModerationAction(
            territory_id=territory.id,
            moderator_id=moderator.id if moderator else None,
            action=action,
            target_type=target_kind,
            target_id=target_id,
            reason=reason,
            before=before,
            after=after,
            created_at=now,
        )
    )


def notify_organisers(territory: Territory, message: str, url: str, now: datetime) -> None:
    organisers = db.session.scalars(
        select(Membership.user_id).where(Membership.territory_id == territory.id, Membership.role == "organiser")
    ).all()
    notify(organisers, "moderation", message, url, now)


def _resolve_reports(target, now: datetime) -> None:
    column = _report_column(target)
    db.session.execute(update(Report).where(column == target.id, Report.resolved_at.is_(None)).values(resolved_at=now))


def open_report_count(target) -> int:
    column = _report_column(target)
    return db.session.scalar(select(func.count(Report.id)).where(column == target.id, Report.resolved_at.is_(None)))


def report(reporter: User, target, reason: str, detail: str, now: datetime) -> Report:
    """Report a contribution once; after the territory's threshold of reports it is hidden until a decision."""
    if reason not in REPORT_REASONS:
        raise ActionRefused(_l("Choisissez un motif de signalement."), field="reason")
    if target.author_id == reporter.id:
        raise ActionRefused(_l("Vous ne pouvez pas signaler votre propre contribution."), status=403)
    territory = territory_of(target)
    entry = Report(
        territory_id=territory.id,
        reporter_id=reporter.id,
        reason=reason,
        detail=detail.strip(),
        created_at=now,
        **{f"{target_type(target)}_id": target.id},
    )
    # The unique constraint holds a duplicate even under concurrent requests. The failed flush leaves
    # the session unusable: the caller rolls back, as after any refusal (the report is the request's
    # first write, so nothing else is lost). No savepoint: SQLite commits one taken before the first
    # write when it is released.
    db.session.add(entry)
    try:
        db.session.flush()
    except IntegrityError:
        raise ActionRefused(_l("Vous avez déjà signalé cette contribution."), status=409) from None
    notify_organisers(territory, "Nouveau signalement : " + REPORT_REASONS[reason].lower(), target_url(target), now)
    if target.moderation == "visible" and open_report_count(target) >= territory.report_threshold:
        target.moderation, target.moderation_reason, target.moderated_at = "hidden", AUTO_HIDE_REASON, now
        _log(territory, None, "auto_hide", target_type(target), target.id, AUTO_HIDE_REASON, now=now)
    db.session.flush()
    return entry


def _author_told(target, message: str, now: datetime) -> None:
    notify([target.author_id], "moderation", message, target_url(target), now)


def hide(moderator: User, target, reason: str, now: datetime) -> None:
    if not reason.strip():
        raise ActionRefused(_l("Indiquez le motif du masquage : il est affiché au public."), field="reason")
    territory = territory_of(target)
    target.moderation, target.moderation_reason, target.moderated_at = "hidden", reason.strip(), now
    _resolve_reports(target, now)
    _log(territory, moderator, "hide", target_type(target), target.id, reason.strip(), now=now)
    _author_told(target, f"Votre contribution a été masquée par la modération. Motif : {reason.strip()}", now)
    db.session.flush()


def restore(moderator: User, target, now: datetime, reason: str = "") -> None:
    territory = territory_of(target)
    if isinstance(target, Comment):
        from concertation.comments.services import is_counted, publish

        if not target.is_deleted and not is_counted(target):
            publish(target, now)  # a pending or rejected comment becomes public: counted now, as on approval
    target.moderation, target.moderation_reason, target.moderated_at = "visible", None, now
    _resolve_reports(target, now)
    _log(territory, moderator, "restore", target_type(target), target.id, reason, now=now)
    _author_told(target, "Votre contribution est de nouveau visible.", now)
    db.session.flush()


def dismiss(moderator: User, target, now: datetime) -> None:
    """Close the reports; content hidden automatically by them comes back."""
    territory = territory_of(target)
    if target.moderation == "hidden" and target.moderation_reason == AUTO_HIDE_REASON:
        target.moderation, target.moderation_reason, target.moderated_at = "visible", None, now
    _resolve_reports(target, now)
    _log(territory, moderator, "dismiss", target_type(target), target.id, now=now)
    db.session.flush()


def redact(moderator: User, target, new_body: str, reason: str, now: datetime, new_title: str | None = None) -> None:
    """Edit personal data out of a contribution; the original is kept in the audit log only."""
    if not new_body.strip():
        raise ActionRefused(_l("Le texte corrigé ne peut pas être vide."), field="body")
    territory = territory_of(target)
    # An amendment's free text, where personal data may slip in, is its justification.
    before, after = (target.justification if isinstance(target, Amendment) else target.body), new_body
    # Every copy follows: stored HTML, search index, frozen snapshots, notifications quoting the text.
    if isinstance(target, Proposal):
        from concertation.proposals.services import rewrite_text

        if new_title and new_title.strip() != target.title:
            before, after = f"{target.title}\n\n{before}", f"{new_title.strip()}\n\n{after}"
        rewrite_text(target, (new_title or target.title).strip(), new_body)
    elif isinstance(target, Amendment):
        from concertation.texts.services import rewrite_justification

        rewrite_justification(target, new_body)
    else:
        from concertation.comments.services import rewrite_text

        rewrite_text(target, new_body)
    _resolve_reports(target, now)
    _log(
        territory,
        moderator,
        "redact",
        target_type(target),
        target.id,
        reason or "Données personnelles retirées",
        before=before,
        after=after,
        now=now,
    )
    _author_told(target, "La modération a retiré des données personnelles de votre contribution.", now)
    db.session.flush()


def approve(moderator: User, target, now: datetime) -> None:
    if target.moderation != "pending":
        raise ActionRefused(_l("Cette contribution n’attend pas de modération."), status=409)
    target.moderation, target.moderated_at = "visible", now
    if isinstance(target, Comment):
        publish(target, now)
    _log(territory_of(target), moderator, "approve", target_type(target), target.id, now=now)
    _author_told(target, "Votre contribution a été publiée après modération.", now)
    db.session.flush()


def reject(moderator: User, target, reason: str, now: datetime) -> None:
    if target.moderation != "pending":
        raise ActionRefused(_l("Cette contribution n’attend pas de modération."), status=409)
    if not reason.strip():
        raise ActionRefused(_l("Indiquez le motif du refus."), field="reason")
    target.moderation, target.moderation_reason, target.moderated_at = "hidden", reason.strip(), now
    _log(territory_of(target), moderator, "reject", target_type(target), target.id, reason.strip(), now=now)
    _author_told(target, f"Votre contribution n’a pas été publiée. Motif : {reason.strip()}", now)
    db.session.flush()


def block(moderator: User, territory: Territory, user: User, reason: str, now: datetime) -> Block:
    if not reason.strip():
        raise ActionRefused(_l("Indiquez le motif du blocage."), field="reason")
    if user.id == moderator.id:
        raise ActionRefused(_l("Vous ne pouvez pas vous bloquer vous-même."))
    if is_blocked(user.id, territory.id):
        raise ActionRefused(_l("Cette personne est déjà bloquée dans ce territoire."), status=409)
    entry = Block(
        territory_id=territory.id, user_id=user.id, reason=reason.strip(), created_by_id=moderator.id, created_at=now
    )
    db.session.add(entry)
    _log(territory, moderator, "block", "user", user.id, reason.strip(), now=now)
    notify(
        [user.id],
        "moderation",
        f"Vous ne pouvez plus contribuer dans « {territory.name} ». Motif : {reason.strip()}",
        f"/territoires/{territory.slug}/charte",
        now,
    )
    db.session.flush()
    return entry


def unblock(moderator: User, territory: Territory, user: User, now: datetime) -> None:
    count = db.session.execute(
        update(Block)
        .where(Block.user_id == user.id, Block.territory_id == territory.id, Block.lifted_at.is_(None))
        .values(lifted_at=now)
    ).rowcount
    if not count:
        raise ActionRefused(_l("Cette personne n’est pas bloquée."), status=409)
    _log(territory, moderator, "unblock", "user", user.id, now=now)
    notify(
        [user.id],
        "moderation",
        f"Vous pouvez de nouveau contribuer dans « {territory.name} ».",
        f"/territoires/{territory.slug}",
        now,
    )
    db.session.flush()


@dataclass
class QueueItem:
    target: object
    kind: str
    open_reports: int
    first_report_at: datetime | None
    reasons: list[str]


def _in_territory(query, model, territory_ids):
    """Join what a contribution needs to know its territory (an amendment through its text)."""
    if model is Amendment:
        query = query.join(DraftText, DraftText.id == Amendment.text_id).join(
            Consultation, Consultation.id == DraftText.consultation_id
        )
    else:
        query = query.join(Consultation, Consultation.id == model.consultation_id)
    return query.where(Consultation.territory_id.in_(territory_ids))


def _queue_query(model, column, territory: Territory):
    reports = (
        select(column.label("target_id"), func.count(Report.id).label("n"), func.min(Report.created_at).label("first"))
        .where(Report.resolved_at.is_(None), Report.territory_id == territory.id, column.is_not(None))
        .group_by(column)
        .subquery()
    )
    query = select(model, func.coalesce(reports.c.n, 0), reports.c.first)
    return (
        _in_territory(query, model, [territory.id])
        .outerjoin(reports, reports.c.target_id == model.id)
        .where((reports.c.n > 0) | (model.moderation == "pending"))
    )


def _reasons(ids: list[int], column) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    if not ids:
        return found
    rows = db.session.execute(
        select(column, Report.reason, Report.detail)
        .where(column.in_(ids), Report.resolved_at.is_(None))
        .order_by(Report.created_at)
    ).all()
    for target_id, reason, detail in rows:
        found.setdefault(target_id, []).append(
            REPORT_REASONS.get(reason, reason) + (f" — « {detail} »" if detail else "")
        )
    return found


TARGETS = (
    (Proposal, "proposal", Report.proposal_id),
    (Comment, "comment", Report.comment_id),
    (Amendment, "amendment", Report.amendment_id),
)


def queue(territory: Territory) -> list[QueueItem]:
    """Reported and pending contributions of the territory: most reported first, then oldest."""
    items: list[QueueItem] = []
    for model, kind, column in TARGETS:
        rows = db.session.execute(_queue_query(model, column, territory)).unique().all()
        reasons = _reasons([target.id for target, _, _ in rows], column)
        items += [QueueItem(target, kind, n, first, reasons.get(target.id, [])) for target, n, first in rows]
    return sorted(items, key=lambda i: (-i.open_reports, i.first_report_at or i.target.created_at))


def _reported_retours(territory_ids):
    """(territory_id, target_id) of the retours d’expérience with open reports, counted in the territory of
    their entry, whose organisers moderate them (library/moderation.py)."""
    reported = select(LibraryReport.adoption_id).where(LibraryReport.resolved_at.is_(None))
    return (
        select(LibraryEntry.territory_id.label("territory_id"), LibraryAdoption.id.label("target_id"))
        .join(LibraryEntry, LibraryEntry.id == LibraryAdoption.entry_id)
        .where(LibraryEntry.territory_id.in_(territory_ids), LibraryAdoption.id.in_(reported))
    )


def _waiting_by_territory(territory_ids):
    """A subquery of (territory_id, waiting): reported or pending contributions (and reported retours), per territory."""
    parts = []
    for model, _kind, column in TARGETS:
        reported = select(column).where(Report.territory_id.in_(territory_ids), Report.resolved_at.is_(None))
        query = select(Consultation.territory_id.label("territory_id"), model.id.label("target_id"))
        parts.append(
            _in_territory(query, model, territory_ids).where(model.id.in_(reported) | (model.moderation == "pending"))
        )
    parts.append(_reported_retours(territory_ids))
    waiting = union_all(*parts).subquery()
    return select(waiting.c.territory_id, func.count().label("waiting")).group_by(waiting.c.territory_id).subquery()


def queue_size(territory_id: int) -> int:
    """How many contributions wait for a decision in the territory."""
    sizes = _waiting_by_territory([territory_id])
    return db.session.scalar(select(func.coalesce(func.sum(sizes.c.waiting), 0)))


def log_entries(territory: Territory, limit: int | None = None):
    query = (
        select(ModerationAction)
        .where(ModerationAction.territory_id == territory.id)
        .order_by(ModerationAction.created_at.desc(), ModerationAction.id.desc())
    )
    if limit:
        query = query.limit(limit)
    return db.session.scalars(query)


def blocks(territory: Territory) -> list[Block]:
    return db.session.scalars(
        select(Block)
        .where(Block.territory_id == territory.id, Block.lifted_at.is_(None))
        .order_by(Block.created_at.desc())
    ).all()


def set_charter(territory: Territory, text: str, report_threshold: int, dpo_contact: str | None) -> None:
    if not 1 <= report_threshold <= 100:
        raise ActionRefused(_l("Le seuil doit être compris entre 1 et 100 signalements."), field="report_threshold")
    territory.charter, territory.charter_html = text, to_html(text)
    territory.report_threshold = report_threshold
    territory.dpo_contact = (dpo_contact or "").strip() or None
    db.session.flush()


def queues_for(user) -> list[tuple[Territory, int]]:
    """The moderation queues a signed-in organiser looks after, with their sizes: one query."""
    if not getattr(user, "is_authenticated", False):
        return []
    # Most people organise nothing: their roles are already loaded with them, so ask the database nothing.
    if not any(membership.role == "organiser" for membership in user.memberships):
        return []
    organised = select(Membership.territory_id).where(Membership.user_id == user.id, Membership.role == "organiser")
    sizes = _waiting_by_territory(organised)
    return [
        (territory, waiting)
        for territory, waiting in db.session.execute(
            select(Territory, func.coalesce(sizes.c.waiting, 0))
            .outerjoin(sizes, sizes.c.territory_id == Territory.id)
            .where(Territory.id.in_(organised))
            .order_by(Territory.name, Territory.id)
        )
    ]


def digests() -> list[tuple[User, Territory, int]]:
    """For the daily email: each organiser who asked for emails, with each of their territories' waiting items."""
    rows = db.session.execute(
        select(User, Territory)
        .join(Membership, Membership.user_id == User.id)
        .join(Territory, Territory.id == Membership.territory_id)
        .where(
            Membership.role == "organiser",
            User.notify_by_email.is_(True),
            User.deleted_at.is_(None),
            User.email.is_not(None),
        )
        .order_by(Territory.name)
    ).all()
    found = []
    for user, territory in rows:
        waiting = queue_size(territory.id)
        if waiting:
            found.append((user, territory, waiting))
    return found
