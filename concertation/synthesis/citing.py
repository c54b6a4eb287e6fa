"""Finding what a synthesis cites: the consultation's visible proposals and comments, searched by words.

The organiser types a few words of a title or a text instead of a number read in an address.
"""

import re
from dataclasses import dataclass

from sqlalchemy import and_, or_, select

from concertation.comments.models import Comment
from concertation.extensions import db
from concertation.proposals import search
from concertation.proposals.models import Proposal
from concertation.synthesis import figures
from concertation.text import excerpt

MAX_RESULTS = 10


@dataclass(frozen=True)
class Citable:
    kind: str  # "proposal" or "comment"
    id: int
    title: str  # the proposal's title, or the title of the proposal a comment answers
    excerpt: str
    proposal_id: int | None

    @property
    def value(self) -> str:
        """The value of its choice in the citation form."""
        return f"{self.kind}:{self.id}"


def parse_choice(value: str | None) -> tuple[str, int] | None:
    """("proposal", 12) from the form's "proposal:12", or None."""
    found = re.fullmatch(r"(proposal|comment):(\d{1,10})", (value or "").strip())
    return (found.group(1), int(found.group(2))) if found else None


def citable(consultation, query: str, limit: int = MAX_RESULTS) -> list[Citable]:
    """Visible proposals then comments of the consultation whose title or text holds every typed word.

    A number alone (« 12 », « n° 12 ») also finds the proposal or comment of that number.
    """
    query = (query or "").strip()[:200]
    number = re.fullmatch(r"(?:n°\s*)?(\d{1,9})", query)
    terms = search.words(query, keep_stop_words=True)
    if not terms and not number:
        return []
    proposal_match = search.matching(query)
    proposal_conditions = [
        c for c in (proposal_match, Proposal.id == int(number.group(1)) if number else None) if c is not None
    ]
    proposals = (
        db.session.scalars(
            select(Proposal)
            .where(figures.visible_proposal(consultation.id), or_(*proposal_conditions))
            .order_by(Proposal.support_count.desc(), Proposal.id)
            .limit(limit)
        )
        .unique()
        .all()
    )
    words = [w for w in re.findall(r"\w+", query.lower()) if len(w) >= 2][:12]
    comment_conditions = [and_(*(Comment.body.ilike(f"%{w}%") for w in words))] if words else []
    if number:
        comment_conditions.append(Comment.id == int(number.group(1)))
    comments = (
        db.session.scalars(
            select(Comment)
            .where(figures.visible_comment(consultation.id), or_(*comment_conditions))
            .order_by(Comment.id)
            .limit(limit)
        )
        .unique()
        .all()
    )
    found = [Citable("proposal", p.id, p.title, excerpt(p.body, 160), p.id) for p in proposals]
    found += [
        Citable("comment", c.id, c.proposal.title if c.proposal else "", excerpt(c.body, 160), c.proposal_id)
        for c in comments
    ]
    return found[:limit]


def cited_titles(synthesis) -> dict[int, str]:
    """For each citation of the draft, what the organiser reads in the list: a title or a comment's start."""
    citations = [c for s in synthesis.sections for c in s.citations]
    proposal_ids = {c.proposal_id for c in citations if c.proposal_id}
    comment_ids = {c.comment_id for c in citations if c.comment_id}
    titles = (
        dict(
            db.session.execute(select(Proposal.id, Proposal.title).where(Proposal.id.in_(proposal_ids))).tuples().all()
        )
        if proposal_ids
        else {}
    )
    bodies = (
        dict(db.session.execute(select(Comment.id, Comment.body).where(Comment.id.in_(comment_ids))).tuples().all())
        if comment_ids
        else {}
    )
    return {
        c.id: titles.get(c.proposal_id, "") if c.proposal_id else excerpt(bodies.get(c.comment_id, ""), 80)
        for c in citations
    }
