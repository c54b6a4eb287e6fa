"""The copies of proposals and comments frozen in published syntheses follow redactions and deletions.

A published version freezes figures and what was retained and cited; it must not freeze personal
data. When moderation redacts a text, when an author deletes a comment, or when a person deletes
their account, the titles, excerpts and pseudonyms copied into every version follow; the counts
(supports, grades, participation figures) stay as they were published.
"""

from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified

from concertation.accounts.models import DELETED_PSEUDONYM
from concertation.comments.models import Comment
from concertation.extensions import db
from concertation.proposals.models import Proposal
from concertation.synthesis.models import RetainedProposalSnapshot, SynthesisVersion
from concertation.text import excerpt

# The lengths publish() cut its excerpts at (synthesis.services).
CITATION_EXCERPT, RETAINED_EXCERPT = 240, 400


def _versions_of(consultation_ids) -> list[SynthesisVersion]:
    return list(
        db.session.scalars(select(SynthesisVersion).where(SynthesisVersion.consultation_id.in_(set(consultation_ids))))
    )


def _rewrite_citations(versions, change) -> None:
    """Apply `change(citation)` to every citation of `versions`, saving those whose sections changed."""
    for version in versions:
        sections = [dict(section) for section in version.sections]
        changed = False
        for section in sections:
            citations = [dict(c) for c in section.get("citations", [])]
            for citation in citations:
                changed |= change(citation)
            section["citations"] = citations
        if changed:
            version.sections = sections
            flag_modified(version, "sections")


def follow_text(target) -> None:
    """Copy the current title and text of a proposal or comment into the versions that cite or retain it."""
    kind = "proposal" if isinstance(target, Proposal) else "comment"
    body = "" if getattr(target, "is_deleted", False) else target.body

    def change(citation: dict) -> bool:
        if citation.get("kind") != kind or citation.get("id") != target.id:
            return False
        new = dict(excerpt=excerpt(body, CITATION_EXCERPT))
        if kind == "proposal":
            new["title"] = target.title
        if all(citation.get(k) == v for k, v in new.items()):
            return False
        citation.update(new)
        return True

    _rewrite_citations(_versions_of([target.consultation_id]), change)
    if kind == "proposal":
        for snapshot in db.session.scalars(
            select(RetainedProposalSnapshot).where(RetainedProposalSnapshot.proposal_id == target.id)
        ):
            snapshot.title, snapshot.excerpt = target.title[:150], excerpt(body, RETAINED_EXCERPT)
    db.session.flush()


def forget_author(user_id: int) -> None:
    """A deleted account: its pseudonym leaves every frozen copy of its proposals and comments."""
    proposals = db.session.execute(
        select(Proposal.id, Proposal.consultation_id).where(Proposal.author_id == user_id)
    ).all()
    comments = db.session.execute(select(Comment.id, Comment.consultation_id).where(Comment.author_id == user_id)).all()
    if not proposals and not comments:
        return
    theirs = {("proposal", pid) for pid, _c in proposals} | {("comment", cid) for cid, _c in comments}

    def change(citation: dict) -> bool:
        if (citation.get("kind"), citation.get("id")) not in theirs or citation.get("author") == DELETED_PSEUDONYM:
            return False
        citation["author"] = DELETED_PSEUDONYM
        return True

    _rewrite_citations(_versions_of([c for _i, c in proposals] + [c for _i, c in comments]), change)
    for snapshot in db.session.scalars(
        select(RetainedProposalSnapshot).where(RetainedProposalSnapshot.proposal_id.in_([pid for pid, _c in proposals]))
    ):
        snapshot.author_pseudonym = DELETED_PSEUDONYM
    db.session.flush()
