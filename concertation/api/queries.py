"""The API's reads: one query per page of items, one per related collection, never one per row.

Only public data: consultations open to the public, visible proposals and comments,
published syntheses and manifesto versions. Vote counts leave here only once
``phases.results_visible`` says the results are public.
"""

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import noload

from concertation import phases
from concertation.comments.models import Comment
from concertation.consultations.models import Consultation
from concertation.db import utcnow
from concertation.extensions import db
from concertation.manifesto.models import Endorsement, Manifesto, ManifestoVersion
from concertation.proposals import services as proposals
from concertation.proposals.models import Proposal
from concertation.questionnaires.models import Questionnaire
from concertation.synthesis.models import SynthesisVersion
from concertation.territories.models import Territory
from concertation.voting import majority_judgment, results as vote_outcome
from concertation.voting.models import MENTIONS, Grade


def public_consultation(consultation_id: int) -> Consultation | None:
    found = db.session.get(Consultation, consultation_id)
    return found if found is not None and found.is_public else None


# Proposals ------------------------------------------------------------------


def proposals_query(consultation: Consultation, theme_id: int | None, answer: str | None) -> Select:
    """The consultation's visible proposals (the same rule as the web list), in the order of their ids."""
    filters = proposals.ProposalFilters(theme_id=theme_id, answer=answer)
    return proposals.list_query(consultation, None, filters).order_by(None).order_by(Proposal.id)


def public_proposal(proposal_id: int) -> Proposal | None:
    found = db.session.get(Proposal, proposal_id)
    if found is None or found.moderation != "visible" or not found.consultation.is_public:
        return None
    return found


def results_public(consultation: Consultation) -> bool:
    return phases.results_visible(consultation, utcnow())


def vote_results(consultation: Consultation, page: list[Proposal]) -> dict[int, dict | None] | None:
    """Each proposal's result, or None while the vote is secret: supports, or majority judgment (one GROUP BY)."""
    if not results_public(consultation):
        return None
    if consultation.voting_method != "majority":
        return {p.id: {"method": "support", "support_count": p.support_count} for p in page}
    tallies = {p.id: [0] * len(MENTIONS) for p in page}
    if tallies:
        rows = db.session.execute(
            select(Grade.proposal_id, Grade.mention, func.count(Grade.id))
            .where(Grade.proposal_id.in_(tallies))
            .group_by(Grade.proposal_id, Grade.mention)
        )
        for proposal_id, mention, count in rows:
            tallies[proposal_id][mention] = int(count)
    results: dict[int, dict | None] = {}
    now = utcnow()
    for proposal_id, tally in tallies.items():
        if not vote_outcome.distribution_shown(consultation, sum(tally), now):
            results[proposal_id] = None  # live, under the floor of judges: the mentions would tell who chose what
            continue
        mention = majority_judgment.majority_mention(tally)
        results[proposal_id] = {
            "method": "majority",
            "judges": sum(tally),
            "majority_mention": mention,
            "majority_label": MENTIONS[mention] if mention is not None else None,
            "distribution": [{"mention": m, "label": MENTIONS[m], "count": tally[m]} for m in range(len(MENTIONS))],
        }
    return results


# Comments -------------------------------------------------------------------


def _public_comments():
    """Comments a visitor may know of: visible ones, and hidden or deleted ones as placeholders (not pending)."""
    return select(Comment).where(Comment.moderation != "pending")


def comment_roots_query(proposal: Proposal) -> Select:
    return _public_comments().where(Comment.proposal_id == proposal.id, Comment.root_id.is_(None)).order_by(Comment.id)


def replies_of(roots: list[Comment]) -> dict[int, list[Comment]]:
    """Every reply of the given threads, oldest first, grouped by their thread's root: one query."""
    grouped: dict[int, list[Comment]] = {c.id: [] for c in roots}
    if grouped:
        for reply in db.session.scalars(_public_comments().where(Comment.root_id.in_(grouped)).order_by(Comment.id)):
            grouped[reply.root_id].append(reply)
    return grouped


# Syntheses ------------------------------------------------------------------


def _public_versions() -> Select:
    return (
        select(SynthesisVersion)
        .join(Consultation, Consultation.id == SynthesisVersion.consultation_id)
        .where(Consultation.is_public)
    )


def latest_syntheses_query(territory_slug: str | None) -> Select:
    """The latest published version of each public consultation's synthesis, by consultation."""
    latest = (
        select(SynthesisVersion.consultation_id, func.max(SynthesisVersion.number).label("number"))
        .group_by(SynthesisVersion.consultation_id)
        .subquery("latest")
    )
    query = (
        _public_versions()
        .options(noload(SynthesisVersion.retained))
        .join(
            latest,
            and_(
                latest.c.consultation_id == SynthesisVersion.consultation_id, latest.c.number == SynthesisVersion.number
            ),
        )
        .order_by(SynthesisVersion.consultation_id)
    )
    if territory_slug:
        query = query.join(Territory, Territory.id == Consultation.territory_id).where(Territory.slug == territory_slug)
    return query


def synthesis_version(consultation_id: int, number: int | None = None) -> SynthesisVersion | None:
    """A published version (the latest when no number is given) of a public consultation's synthesis."""
    query = _public_versions().where(SynthesisVersion.consultation_id == consultation_id)
    if number is not None:
        return db.session.scalar(query.where(SynthesisVersion.number == number))
    return db.session.scalar(query.order_by(SynthesisVersion.number.desc()).limit(1))


def version_numbers(consultation_id: int) -> list[int]:
    return list(
        db.session.scalars(
            select(SynthesisVersion.number)
            .where(SynthesisVersion.consultation_id == consultation_id)
            .order_by(SynthesisVersion.number)
        )
    )


# The manifesto --------------------------------------------------------------


def _published():
    return ManifestoVersion.published_at.is_not(None)


def manifestos_query() -> Select:
    """Manifestos with at least one published version (a draft alone is not public)."""
    has_published = select(ManifestoVersion.manifesto_id).where(_published())
    return select(Manifesto).where(Manifesto.id.in_(has_published)).order_by(Manifesto.id)


def latest_numbers(manifestos: list[Manifesto]) -> dict[int, tuple[int, int]]:
    """For each manifesto: (number of its latest published version, how many are published), in one GROUP BY."""
    ids = [m.id for m in manifestos]
    if not ids:
        return {}
    rows = db.session.execute(
        select(ManifestoVersion.manifesto_id, func.max(ManifestoVersion.number), func.count(ManifestoVersion.id))
        .where(ManifestoVersion.manifesto_id.in_(ids), _published())
        .group_by(ManifestoVersion.manifesto_id)
    )
    return {manifesto_id: (int(latest), int(count)) for manifesto_id, latest, count in rows}


def public_manifesto(slug: str) -> Manifesto | None:
    return db.session.scalar(manifestos_query().where(Manifesto.slug == slug))


def published_versions(manifesto: Manifesto) -> list[tuple[ManifestoVersion, int]]:
    """The published versions, oldest first, each with its number of standing signatures (one query)."""
    signatures = (
        select(func.count(Endorsement.id))
        .where(Endorsement.version_id == ManifestoVersion.id, Endorsement.withdrawn_at.is_(None))
        .correlate(ManifestoVersion)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(ManifestoVersion, signatures)
        .options(noload(ManifestoVersion.points))
        .where(ManifestoVersion.manifesto_id == manifesto.id, _published())
        .order_by(ManifestoVersion.number)
    )
    return [(version, int(count)) for version, count in rows]


def published_version(manifesto: Manifesto, number: int) -> ManifestoVersion | None:
    return db.session.scalar(
        select(ManifestoVersion).where(
            ManifestoVersion.manifesto_id == manifesto.id, ManifestoVersion.number == number, _published()
        )
    )


# Questionnaires -------------------------------------------------------------


def questionnaires_query(consultation: Consultation) -> Select:
    """The consultation's published questionnaires, in the order of their ids."""
    return (
        select(Questionnaire)
        .where(Questionnaire.consultation_id == consultation.id, Questionnaire.published_at.is_not(None))
        .order_by(Questionnaire.id)
    )


def public_questionnaire(questionnaire_id: int) -> Questionnaire | None:
    """A published questionnaire of a public consultation (its results may still wait for the closing)."""
    found = db.session.get(Questionnaire, questionnaire_id)
    if found is None or found.published_at is None or not found.consultation.is_public:
        return None
    return found
