"""Comments: threaded replies, stances, a short time to correct, deletion that keeps the thread."""

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, select

from concertation import phases, query_args
from concertation.accounts.models import User
from concertation.comments.models import EDIT_WINDOW, MAX_DEPTH, STANCES, Comment
from concertation.comments.publication import comment_path, count, publish
from concertation.consultations.models import Consultation
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.moderation import services as moderation
from concertation.proposals.models import Proposal
from concertation.notifications import services as notifications
from concertation.text import excerpt, to_html
from concertation.texts.models import Paragraph

BODY_MAX = 3000
PER_PAGE = 20


def _check_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ActionRefused(_l("Le commentaire est vide."), field="body")
    if len(body) > BODY_MAX:
        raise ActionRefused(_l("Le commentaire doit faire au plus 3 000 caractères."), field="body")
    return body


def add_comment(
    author: User,
    consultation: Consultation,
    body: str,
    now: datetime,
    proposal: Proposal | None = None,
    parent: Comment | None = None,
    stance: str | None = None,
    paragraph: Paragraph | None = None,
) -> Comment:
    """Comment on a proposal, on a paragraph of an open text or on the consultation, or reply (three levels at most).

    A stance (for, against, neutral) belongs to a top-level comment on a proposal or a paragraph.
    """
    # The phase and the moderation's blocks hold here too, whoever calls (a view, the CLI, a script).
    if not phases.allows(consultation, "comment", now):
        raise ActionRefused(_l("Le débat n’est pas ouvert dans cette phase de la consultation."), status=403)
    if moderation.is_blocked(author.id, consultation.territory_id):
        raise ActionRefused(_l("Vous ne pouvez plus contribuer dans ce territoire."), status=403)
    if proposal is not None and not proposal.is_visible:
        raise ActionRefused(_l("Cette proposition n’est pas visible : on ne peut pas la commenter."), status=403)
    if proposal is not None and paragraph is not None:
        raise ActionRefused(_l("Un commentaire porte sur une proposition ou sur un paragraphe, pas les deux."))
    if paragraph is not None:
        if paragraph.text.consultation_id != consultation.id:
            raise ActionRefused(_l("Ce paragraphe n’appartient pas à cette consultation."), status=404)
        if paragraph.text.status != "open":
            raise ActionRefused(_l("Ce texte n’est pas ouvert aux commentaires."), status=403)
    body = _check_body(body)
    stance = stance or None
    if stance is not None and stance not in STANCES:
        raise ActionRefused(_l("Position inconnue."), field="stance")
    if proposal is not None and proposal.consultation_id != consultation.id:
        raise ActionRefused(_l("Cette proposition n’appartient pas à cette consultation."), status=404)
    comment = Comment(
        consultation=consultation,
        proposal=proposal,
        paragraph=paragraph,
        author=author,
        body=body,
        body_html=to_html(body),
        created_at=now,
        updated_at=now,
    )
    if parent is not None:
        if (
            parent.consultation_id != consultation.id
            or parent.proposal_id != (proposal.id if proposal else None)
            or parent.paragraph_id != (paragraph.id if paragraph else None)
        ):
            raise ActionRefused(_l("Ce commentaire n’appartient pas à cette discussion."), status=404)
        if parent.is_deleted:
            raise ActionRefused(_l("On ne peut pas répondre à un commentaire supprimé."))
        if parent.depth >= MAX_DEPTH:
            raise ActionRefused(_l("Les réponses s’arrêtent au troisième niveau : répondez plus haut dans le fil."))
        comment.parent_id, comment.root_id, comment.depth = parent.id, parent.root_id or parent.id, parent.depth + 1
        stance = None
    elif proposal is None and paragraph is None:
        stance = None
    comment.stance = stance
    comment.moderation = moderation.initial_state(consultation)
    db.session.add(comment)
    db.session.flush()
    if comment.moderation == "pending":
        # Counted and announced only once an organiser publishes it (moderation.approve).
        moderation.notify_organisers(
            consultation.territory, "Commentaire en attente de modération", moderation.target_url(comment), now
        )
        return comment
    publish(comment, now, parent)
    return comment


def is_counted(comment: Comment) -> bool:
    """Whether the comment is in its proposal's comment_count: published once, not deleted since.

    Pending comments are not counted; rejected ones (hidden straight from pending) never were.
    """
    from concertation.moderation.models import ModerationAction

    if comment.is_deleted or comment.moderation == "pending":
        return False
    if comment.moderation == "hidden":
        last = db.session.scalar(
            select(ModerationAction.action)
            .where(
                ModerationAction.target_type == "comment",
                ModerationAction.target_id == comment.id,
                ModerationAction.action.in_(("approve", "reject")),
            )
            .order_by(ModerationAction.id.desc())
            .limit(1)
        )
        return last != "reject"
    return True


def rewrite_text(comment: Comment, body: str, body_html: str | None = None) -> None:
    """New text (empty when deleted), and every copy made of it: stored HTML, snapshots, notifications."""
    from concertation.synthesis import snapshots

    old = excerpt(comment.body, 120)
    comment.body = body
    comment.body_html = to_html(body) if body_html is None else body_html
    notifications.rewrite_messages(old, excerpt(body, 120) if body else "commentaire supprimé", [comment_path(comment)])
    snapshots.follow_text(comment)
    db.session.flush()


def edit_comment(comment: Comment, body: str, now: datetime) -> Comment:
    if comment.is_deleted:
        raise ActionRefused(_l("Ce commentaire est supprimé."))
    if now - comment.created_at > EDIT_WINDOW:
        raise ActionRefused(
            _l("Un commentaire se corrige dans les 15 minutes qui suivent sa publication."), field="body"
        )
    rewrite_text(comment, _check_body(body))
    comment.edited_at = now
    if comment.consultation.premoderation and comment.moderation == "visible":
        # Under pre-moderation an edited text is new text: it leaves the page until approved again.
        comment.moderation, comment.moderated_at = "pending", now
        count(comment.proposal_id, -1)
        moderation.notify_organisers(
            comment.consultation.territory, "Commentaire modifié, en attente de modération", comment_path(comment), now
        )
    db.session.flush()
    return comment


def delete_comment(comment: Comment, now: datetime) -> Comment:
    """The text goes; the place stays (« commentaire supprimé »), so that replies keep their context."""
    if comment.is_deleted:
        raise ActionRefused(_l("Ce commentaire est déjà supprimé."))
    counted = is_counted(comment)
    comment.deleted_at = now
    comment.stance = None
    rewrite_text(comment, "", "")
    if counted:
        count(comment.proposal_id, -1)
    return comment


# Reading --------------------------------------------------------------------


@dataclass
class Thread:
    """One page of top-level comments, with all their replies, grouped by parent."""

    roots: object  # a Flask-SQLAlchemy Pagination of top-level comments
    replies: dict[int, list[Comment]] = field(default_factory=dict)

    def children(self, comment: Comment) -> list[Comment]:
        return self.replies.get(comment.id, [])


def _scope(proposal: Proposal | None, consultation: Consultation | None, paragraph: Paragraph | None):
    """The condition of one discussion: a proposal's, a paragraph's, or the consultation's own debate."""
    if proposal is not None:
        return Comment.proposal_id == proposal.id
    if paragraph is not None:
        return Comment.paragraph_id == paragraph.id
    return and_(
        Comment.consultation_id == consultation.id, Comment.proposal_id.is_(None), Comment.paragraph_id.is_(None)
    )


def thread_page(
    page: int = 1,
    proposal: Proposal | None = None,
    consultation: Consultation | None = None,
    per_page: int = PER_PAGE,
    paragraph: Paragraph | None = None,
) -> Thread:
    """Top-level comments newest first, and their replies oldest first: a COUNT and two queries, whatever the size."""
    scope = _scope(proposal, consultation, paragraph)
    query = select(Comment).where(Comment.root_id.is_(None), scope)
    roots = query_args.paginate(query.order_by(Comment.created_at.desc(), Comment.id.desc()), per_page, page=page)
    thread = Thread(roots)
    root_ids = [c.id for c in roots.items]
    if root_ids:
        # Restricted to the thread's own scope so the planner uses the (proposal_id, root_id, …) index
        # instead of scanning every reply of the platform.
        replies = select(Comment).where(Comment.root_id.in_(root_ids), scope)
        for reply in db.session.scalars(replies.order_by(Comment.created_at, Comment.id)):
            thread.replies.setdefault(reply.parent_id, []).append(reply)
    return thread


def stance_summary(proposal: Proposal) -> dict[str, int]:
    """How many comments are for, against or neutral: one GROUP BY."""
    rows = db.session.execute(
        select(Comment.stance, func.count(Comment.id))
        .where(
            Comment.proposal_id == proposal.id,
            Comment.stance.is_not(None),
            Comment.deleted_at.is_(None),
            Comment.moderation == "visible",
        )
        .group_by(Comment.stance)
    )
    counts = dict.fromkeys(STANCES, 0)
    counts.update({stance: n for stance, n in rows})
    return counts


def paragraph_counts(paragraphs: list[Paragraph]) -> dict[int, int]:
    """How many published comments (replies included) each paragraph has: one GROUP BY."""
    counts = {p.id: 0 for p in paragraphs}
    if counts:
        rows = db.session.execute(
            select(Comment.paragraph_id, func.count(Comment.id))
            .where(
                Comment.paragraph_id.in_(list(counts)),
                Comment.deleted_at.is_(None),
                Comment.moderation == "visible",
            )
            .group_by(Comment.paragraph_id)
        )
        counts.update({paragraph_id: n for paragraph_id, n in rows})
    return counts
