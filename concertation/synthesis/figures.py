"""The key figures of a consultation: one definition each, computed by SQL aggregates.

Every page, export and (later) the API takes its figures from here, and a
published synthesis freezes the dict this module returns. The definitions:

- **Visible proposal**: a proposal of the consultation that moderation left
  visible, that its author did not withdraw and that was not merged into
  another one (its supporters were carried over to the proposal it joined).
- **Visible comment**: a comment of the consultation left visible by
  moderation and not deleted by its author.
- **Contribution**: a visible proposal or a visible comment.
- **Vote**: a support (support method) or a grade (majority judgment) given
  to a visible proposal. Votes of deleted accounts stay counted.
- **Participant**: a distinct person who made a contribution or voted in the
  consultation. A vote whose account was deleted no longer names anyone, so
  it counts as a vote but not as a participant.
- **Collected contribution**: a proposal or comment collected on paper or
  orally at one of the consultation's workshops and entered by an organiser
  (« recueillie en atelier »). It counts as a proposal or comment like any
  other, but names nobody, so it adds no participant; it is also counted
  apart (``collected``), and the workshops' attendees are summed apart
  (``workshop_attendees``), both None for a consultation without workshops.
- **Agent**: a participant holding the *agent* role in the consultation's
  territory; every other participant is counted as a **citizen**.
- **Share of the population**: participants divided by the territory's
  population (when it is known), in percent.
- **Week**: weeks start on Monday, in UTC; a week is named by its Monday.
"""

from sqlalchemy import Date, and_, case, cast, func, literal, select, union_all

from concertation import phases
from concertation.comments.models import Comment
from concertation.db import utcnow
from concertation.extensions import db
from concertation.i18n import N_
from concertation.proposals.models import Proposal
from concertation.territories.models import Membership
from concertation.voting import results as vote_results
from concertation.voting.models import Grade, Support
from concertation.workshops.models import Workshop

NO_THEME = "Sans thème"

# The key figures, in the order pages and documents show them (French msgids: templates translate them with _()).
FIGURE_LABELS = {
    "participants": N_("Participant·es"),
    "citizens": N_("dont habitant·es"),
    "agents": N_("dont agents de la collectivité"),
    "population_share": N_("Part de la population"),
    "proposals": N_("Propositions"),
    "comments": N_("Commentaires"),
    "collected": N_("dont contributions recueillies en atelier"),
    "workshop_attendees": N_("Présent·es aux ateliers"),
    "votes": N_("Votes (soutiens ou mentions)"),
    "voters": N_("Votant·es"),
}


def proposal_is_visible():
    """The SQL condition of a visible proposal (see the module's definitions), in any consultation."""
    return and_(Proposal.moderation == "visible", Proposal.withdrawn_at.is_(None), Proposal.merged_into_id.is_(None))


def visible_proposal(consultation_id):
    """The SQL condition of a visible proposal of the consultation."""
    return and_(Proposal.consultation_id == consultation_id, proposal_is_visible())


def visible_comment(consultation_id):
    return and_(
        Comment.consultation_id == consultation_id, Comment.moderation == "visible", Comment.deleted_at.is_(None)
    )


def vote_table(consultation):
    return Grade if consultation.voting_method == "majority" else Support


def _week(column):
    """The Monday (UTC) of the week of a timestamp, on SQLite and PostgreSQL."""
    if db.engine.dialect.name == "postgresql":
        return cast(func.date_trunc("week", func.timezone("UTC", column)), Date)
    return func.date(column, "weekday 0", "-6 days")


def _activity(consultation):
    """Every contribution and vote of the consultation as (user_id, at, kind) rows."""
    vote = vote_table(consultation)
    # A collected contribution names nobody (its author is the platform's account): no user_id.
    return union_all(
        select(
            case((Proposal.workshop_id.is_(None), Proposal.author_id)).label("user_id"),
            Proposal.created_at.label("at"),
            literal("proposal").label("kind"),
            Proposal.workshop_id.is_not(None).label("collected"),
        ).where(visible_proposal(consultation.id)),
        select(
            case((Comment.workshop_id.is_(None), Comment.author_id)),
            Comment.created_at,
            literal("comment"),
            Comment.workshop_id.is_not(None),
        ).where(visible_comment(consultation.id)),
        select(vote.user_id, vote.created_at, literal("vote"), literal(False))
        .join(Proposal, Proposal.id == vote.proposal_id)
        .where(visible_proposal(consultation.id)),
    ).subquery("activity")


def _count(kind_column, kind):
    return func.coalesce(func.sum(case((kind_column == kind, 1), else_=0)), 0)


def consultation_figures(consultation) -> dict:
    """The figures of the consultation now, as a JSON-ready dict (frozen as such at publication)."""
    activity = _activity(consultation)
    agent = select(Membership.user_id).where(
        Membership.territory_id == consultation.territory_id, Membership.role == "agent"
    )
    totals = db.session.execute(
        select(
            func.count(func.distinct(activity.c.user_id)),
            func.count(func.distinct(case((activity.c.user_id.in_(agent), activity.c.user_id)))),
            _count(activity.c.kind, "proposal"),
            _count(activity.c.kind, "comment"),
            _count(activity.c.kind, "vote"),
            func.count(func.distinct(case((activity.c.kind == "vote", activity.c.user_id)))),
            func.coalesce(func.sum(case((activity.c.collected, 1), else_=0)), 0),
        )
    ).one()
    participants, agents, proposals, comments, votes, voters, collected = (int(v or 0) for v in totals)
    workshops, attendees = db.session.execute(
        select(func.count(Workshop.id), func.sum(Workshop.attendees)).where(Workshop.consultation_id == consultation.id)
    ).one()
    population = consultation.territory.population
    return {
        "computed_at": utcnow().isoformat(),
        "voting_method": consultation.voting_method,
        "participants": participants,
        "citizens": participants - agents,
        "agents": agents,
        "proposals": proposals,
        "comments": comments,
        "contributions": proposals + comments,
        "collected": collected if workshops else None,
        "workshop_attendees": int(attendees or 0) if workshops else None,
        "votes": votes,
        "voters": voters,
        "population": population,
        "population_share": round(100 * participants / population, 2) if population else None,
        "by_theme": figures_by_theme(consultation),
        "by_week": figures_by_week(consultation, activity),
    }


def figures_by_theme(consultation) -> list[dict]:
    """Proposals, comments and votes per theme, in the order of the themes ("Sans thème" last)."""
    vote = vote_table(consultation)
    visible = visible_proposal(consultation.id)
    proposals = dict(
        db.session.execute(select(Proposal.theme_id, func.count()).where(visible).group_by(Proposal.theme_id)).all()
    )
    comments = dict(
        db.session.execute(
            select(Proposal.theme_id, func.count())
            .select_from(Comment)
            .join(Proposal, Proposal.id == Comment.proposal_id)
            .where(visible, visible_comment(consultation.id))
            .group_by(Proposal.theme_id)
        ).all()
    )
    votes = dict(
        db.session.execute(
            select(Proposal.theme_id, func.count())
            .select_from(vote)
            .join(Proposal, Proposal.id == vote.proposal_id)
            .where(visible)
            .group_by(Proposal.theme_id)
        ).all()
    )
    rows = [(t.id, t.name) for t in consultation.themes]
    if None in proposals or None in comments or None in votes:
        rows.append((None, NO_THEME))
    return [
        {
            "theme_id": tid,
            "theme": name,
            "proposals": int(proposals.get(tid, 0)),
            "comments": int(comments.get(tid, 0)),
            "votes": int(votes.get(tid, 0)),
        }
        for tid, name in rows
    ]


def figures_by_week(consultation, activity=None) -> list[dict]:
    """Per week: proposals, comments, votes and distinct active participants."""
    activity = activity if activity is not None else _activity(consultation)
    week = _week(activity.c.at).label("week")
    rows = db.session.execute(
        select(
            week,
            _count(activity.c.kind, "proposal"),
            _count(activity.c.kind, "comment"),
            _count(activity.c.kind, "vote"),
            func.count(func.distinct(activity.c.user_id)),
        )
        .group_by(week)
        .order_by(week)
    ).all()
    return [
        {"week": str(w)[:10], "proposals": int(p), "comments": int(c), "votes": int(v), "participants": int(n)}
        for w, p, c, v, n in rows
    ]


def majority_mention_column(mention_column):
    """The majority mention (lower median) of grades 0..5, as one SQL aggregate.

    The majority mention is the best mention m that a strict majority of judges
    gave at least: the predicate "2 × #(grade ≥ m) > #grades" holds for
    m = 1 … median and fails above, so counting the m for which it holds gives
    the median itself, on every database (PostgreSQL's percentile_disc would
    give the same; SQLite has none).
    """
    total = func.count(mention_column)
    return sum(
        (case((2 * func.sum(case((mention_column >= m, 1), else_=0)) > total, 1), else_=0) for m in range(1, 6)),
        start=literal(0),
    )


def vote_summaries(consultation, proposal_ids) -> dict[int, dict]:
    """For each proposal id: support count, or grade count and majority mention, counted from the vote rows."""
    proposal_ids = list(proposal_ids)
    if not proposal_ids:
        return {}
    if consultation.voting_method == "majority":
        rows = db.session.execute(
            select(Grade.proposal_id, func.count(Grade.id), majority_mention_column(Grade.mention))
            .where(Grade.proposal_id.in_(proposal_ids))
            .group_by(Grade.proposal_id)
        ).all()
        found = {pid: {"support_count": 0, "grade_count": int(n), "majority_mention": int(m)} for pid, n, m in rows}
        empty = {"support_count": 0, "grade_count": 0, "majority_mention": None}
    else:
        rows = db.session.execute(
            select(Support.proposal_id, func.count(Support.id))
            .where(Support.proposal_id.in_(proposal_ids))
            .group_by(Support.proposal_id)
        ).all()
        found = {pid: {"support_count": int(n), "grade_count": 0, "majority_mention": None} for pid, n in rows}
        empty = {"support_count": 0, "grade_count": 0, "majority_mention": None}
    return {pid: found.get(pid, dict(empty)) for pid in proposal_ids}


def awaiting_answer(consultation, now, limit: int = 5) -> list[dict]:
    """The visible proposals still awaiting an answer, for the élus' dashboard, with their votes if shown.

    Votes are shown (and order the list) only where the results may be shown: supports, or the
    majority mention with its number of judges. Otherwise the newest come first and no vote is given.
    """
    query = select(Proposal).where(visible_proposal(consultation.id), Proposal.answer.is_(None))
    shown = phases.results_visible(consultation, now)
    if not shown:
        found = db.session.scalars(query.order_by(Proposal.created_at.desc(), Proposal.id.desc()).limit(limit)).all()
        return [{"proposal": p, "votes": None} for p in found]
    if consultation.voting_method != "majority":
        found = db.session.scalars(query.order_by(Proposal.support_count.desc(), Proposal.id).limit(limit)).all()
        return [{"proposal": p, "votes": {"supports": p.support_count}} for p in found]
    final = vote_results.is_final(consultation, now)
    grades = (
        select(
            Grade.proposal_id,
            func.count(Grade.id).label("judges"),
            majority_mention_column(Grade.mention).label("mention"),
        )
        .group_by(Grade.proposal_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Proposal, grades.c.judges, grades.c.mention)
        .select_from(Proposal)
        .outerjoin(grades, grades.c.proposal_id == Proposal.id)
        .where(visible_proposal(consultation.id), Proposal.answer.is_(None))
        .order_by(
            *([grades.c.mention.desc().nulls_last()] if final else []), grades.c.judges.desc().nulls_last(), Proposal.id
        )
        .limit(limit)
    ).all()
    return [
        {
            "proposal": p,
            "votes": {
                "judges": int(judges or 0),
                # A live mention given by too few judges would tell what they voted: the one rule decides.
                "mention": mention if judges and vote_results.distribution_shown(consultation, judges, now) else None,
            },
        }
        for p, judges, mention in rows
    ]
