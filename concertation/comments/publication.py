"""What happens when a comment becomes public (counted, announced) and where it is found.

Apart from the comments' services so that moderation, which publishes a pre-moderated comment,
can call it without the two areas importing each other (comments ask moderation for a
contribution's initial state; moderation asks nothing else of comments).
"""

from datetime import datetime

from sqlalchemy import update

from concertation.comments.models import Comment
from concertation.extensions import db
from concertation.notifications import services as notifications
from concertation.proposals.models import Proposal
from concertation.text import excerpt


def count(proposal_id: int | None, delta: int) -> None:
    """Keep the proposal's comment count exact under concurrency: one UPDATE … SET n = n ± 1."""
    if proposal_id is not None:
        db.session.execute(
            update(Proposal).where(Proposal.id == proposal_id).values(comment_count=Proposal.comment_count + delta)
        )


def comment_path(comment: Comment) -> str:
    if comment.proposal_id is not None:
        page = notifications.path_for("proposals.show", proposal_id=comment.proposal_id)
    elif comment.paragraph_id is not None:
        page = notifications.path_for("texts.paragraph", paragraph_id=comment.paragraph_id)
    else:
        page = notifications.path_for("comments.consultation", consultation_id=comment.consultation_id)
    return f"{page}#commentaire-{comment.id}"


def publish(comment: Comment, now: datetime, parent: Comment | None = None) -> None:
    """Count a comment that becomes public and tell the people it concerns."""
    count(comment.proposal_id, +1)
    if parent is None and comment.parent_id is not None:
        parent = db.session.get(Comment, comment.parent_id)
    _notify(comment, parent, now)


def _notify(comment: Comment, parent: Comment | None, now: datetime) -> None:
    url = comment_path(comment)
    what = excerpt(comment.body, 120)
    told: set[int] = set()
    if parent is not None:
        notifications.notify(
            [parent.author_id],
            "reply",
            f"{comment.author.public_name} a répondu à votre commentaire : « {what} »",
            url,
            now,
            actor=comment.author,
        )
        told.add(parent.author_id)
    if comment.proposal is not None:
        followers = [
            user_id for _p, user_id in notifications.proposal_followers([comment.proposal.id]) if user_id not in told
        ]
        notifications.notify(
            followers,
            "comment_on_followed",
            f"Nouveau commentaire de {comment.author.public_name} sur la proposition "
            f"« {comment.proposal.title} » : « {what} »",
            url,
            now,
            actor=comment.author,
        )
