"""The results of a consultation's vote: counts of supports, or majority-judgment ranks.

One aggregate query per consultation, never a loop over ORM objects. Only
totals leave this module: who voted for what is never read here.
"""

import secrets
from dataclasses import dataclass, field, replace
from datetime import datetime

from flask import current_app, has_app_context
from sqlalchemy import func, select
from flask_babel import lazy_gettext as _l

from concertation import caching, phases
from concertation.consultations.models import Consultation
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.proposals.models import Proposal
from concertation.voting import majority_judgment
from concertation.voting.models import MENTIONS, Grade


@dataclass(frozen=True)
class MentionShare:
    """One segment of a distribution bar: a mention, its count and share (in %) and where it starts."""

    mention: int
    label: str
    count: int
    percent: float
    offset: float


@dataclass(frozen=True)
class ProposalResult:
    proposal_id: int
    title: str
    withdrawn: bool
    rank: int
    support_count: int = 0
    judges: int = 0
    majority_mention: int | None = None
    shares: tuple[MentionShare, ...] = field(default=())

    @property
    def majority_label(self) -> str | None:
        return MENTIONS[self.majority_mention] if self.majority_mention is not None else None


@dataclass(frozen=True)
class Results:
    method: str  # "support" or "majority"
    rows: list[ProposalResult]  # best first
    total_votes: int  # supports given, or grades given
    final: bool = False  # the vote phase has ended: these figures will not change
    # Majority judgment: proposals listed apart, not ranked — not graded yet, or (while the vote is
    # open) graded by fewer judges than the floor, whose distribution would tell who voted what.
    unranked: list[ProposalResult] = field(default_factory=list)
    floor: int = 0


def _ranked_by_supports(rows) -> list[ProposalResult]:
    results: list[ProposalResult] = []
    for position, (proposal_id, title, withdrawn_at, count) in enumerate(rows):
        tied = results and results[-1].support_count == count
        results.append(
            ProposalResult(
                proposal_id,
                title,
                withdrawn_at is not None,
                results[-1].rank if tied else position + 1,
                support_count=count,
            )
        )
    return results


def _shares(tally: tuple[int, ...]) -> tuple[MentionShare, ...]:
    """The distribution from the best mention to the worst, as drawn left to right."""
    total = sum(tally)
    shares, offset = [], 0.0
    for mention in reversed(range(len(MENTIONS))):
        percent = round(100 * tally[mention] / total, 1) if total else 0.0
        shares.append(MentionShare(mention, MENTIONS[mention], tally[mention], percent, round(offset, 1)))
        offset += percent
    return tuple(shares)


DEFAULT_LIVE_FLOOR = 10


def live_floor() -> int:
    """How many judges a proposal needs before its live distribution is shown (setting LIVE_RESULTS_MIN_JUDGES)."""
    if has_app_context():
        return int(current_app.config.get("LIVE_RESULTS_MIN_JUDGES", DEFAULT_LIVE_FLOOR))
    return DEFAULT_LIVE_FLOOR


def counts_shown(consultation: Consultation, now: datetime | None = None) -> bool:
    """May vote counts of this consultation be shown? Every output asks this (templates call it too).

    The rule itself is ``phases.results_visible``: results public after the vote, or live if chosen.
    """
    from concertation.db import utcnow

    return phases.results_visible(consultation, now or utcnow())


def is_final(consultation: Consultation, now: datetime) -> bool:
    vote = consultation.phase("vote")
    return vote is not None and vote.ends_at is not None and now >= vote.ends_at


def distribution_shown(consultation: Consultation, judges: int, now: datetime) -> bool:
    """Whether one proposal's count of mentions may be shown, in any output.

    Counts are shown once ``phases.results_visible`` says so (the one rule); while the vote is
    still open (live results) a distribution needs at least ``live_floor()`` judges, so that no
    figure tells what one person chose.
    """
    if not phases.results_visible(consultation, now):
        return False
    return judges == 0 or is_final(consultation, now) or judges >= live_floor()


def _ranked_by_judgment(rows, floor: int) -> tuple[list[ProposalResult], list[ProposalResult]]:
    tallies: dict[int, list[int]] = {}
    about: dict[int, tuple[str, bool]] = {}
    for proposal_id, title, withdrawn_at, mention, count in rows:
        tally = tallies.setdefault(proposal_id, [0] * len(MENTIONS))
        about[proposal_id] = (title, withdrawn_at is not None)
        if mention is not None:
            tally[mention] += count
    shown = {key: tally for key, tally in tallies.items() if sum(tally) >= max(floor, 1)}
    ranked = [
        ProposalResult(
            r.key,
            *about[r.key],
            rank=r.rank,
            judges=r.judges,
            majority_mention=r.majority_mention,
            shares=_shares(r.tally),
        )
        for r in majority_judgment.rank(shown)
    ]
    apart = [
        ProposalResult(key, *about[key], rank=0, judges=sum(tally))
        for key, tally in sorted(tallies.items(), key=lambda item: (-sum(item[1]), item[0]))
        if key not in shown
    ]
    return ranked, apart


def compute(consultation: Consultation, floor: int = 0) -> Results:
    """The results as they stand, whether or not they may be shown yet (for the caller to decide).

    Majority judgment ranks the proposals with at least `floor` judges (and one), and lists the others apart.
    """
    shown = (Proposal.consultation_id == consultation.id, Proposal.moderation == "visible")
    if consultation.voting_method == "majority":
        rows = db.session.execute(
            select(Proposal.id, Proposal.title, Proposal.withdrawn_at, Grade.mention, func.count(Grade.id))
            .outerjoin(Grade, Grade.proposal_id == Proposal.id)
            .where(*shown)
            .group_by(Proposal.id, Proposal.title, Proposal.withdrawn_at, Grade.mention)
            .order_by(Proposal.id)
        ).tuples()
        ranked, apart = _ranked_by_judgment(rows, floor)
        return Results("majority", ranked, sum(r.judges for r in ranked + apart), unranked=apart, floor=floor)
    rows = db.session.execute(
        select(Proposal.id, Proposal.title, Proposal.withdrawn_at, Proposal.support_count)
        .where(*shown)
        .order_by(Proposal.support_count.desc(), Proposal.id)
    ).tuples()
    ranked = _ranked_by_supports(rows)
    return Results("support", ranked, sum(r.support_count for r in ranked))


def results(consultation: Consultation, now: datetime) -> Results:
    """The results, once they may be published: after the vote phase, or live if the organiser chose so."""
    if not phases.results_visible(consultation, now):
        raise ActionRefused(_l("Les résultats seront publiés à la fin de la phase de vote."), status=403)
    final = is_final(consultation, now)
    return replace(cached_compute(consultation, floor=0 if final else live_floor()), final=final)


# The outcome last ranked or read by this process, per consultation, with the stamp it was stored
# under: a view whose shared stamp still matches uses it without reading (unpickling) 10,000 rows.
_LOCAL: dict[int, tuple[str, Results]] = {}
_LOCAL_SIZE = 64


def cached_compute(consultation: Consultation, floor: int = 0) -> Results:
    """``compute``, once per change: kept in the shared cache under a stamp, dropped by every vote or
    proposal change in the consultation after its commit (concertation.caching), and after at most
    RESULTS_CACHE_SECONDS."""
    key = caching.results_key(consultation.id)
    wanted = (floor, consultation.voting_method)
    stamp = caching.get(key)
    if stamp is not None and stamp[0] == wanted:
        local = _LOCAL.get(consultation.id)
        if local is not None and local[0] == stamp[1]:
            return local[1]
        stored = caching.get(f"{key}:{stamp[1]}")
        if stored is not None:
            _remember(consultation.id, stamp[1], stored)
            return stored
    outcome = compute(consultation, floor)
    if caching.enabled():
        token = secrets.token_hex(8)
        timeout = current_app.config.get("RESULTS_CACHE_SECONDS", 60)
        caching.put(f"{key}:{token}", outcome, timeout=timeout)
        caching.put(key, (wanted, token), timeout=timeout)
        _remember(consultation.id, token, outcome)
    return outcome


def _remember(consultation_id: int, token: str, outcome: Results) -> None:
    if len(_LOCAL) >= _LOCAL_SIZE:
        _LOCAL.clear()
    _LOCAL[consultation_id] = (token, outcome)


@dataclass(frozen=True)
class VerifiedVotes:
    """How many of a consultation's votes (supports, or mentions) came from FranceConnect-verified accounts."""

    verified: int
    total: int


def verified_votes(consultation: Consultation, now: datetime) -> VerifiedVotes | None:
    """Shown only where counts are (``counts_shown``); while the vote is open, not under the live floor.

    One aggregate query; a deleted account's votes (no person any more) count as not verified.
    """
    from sqlalchemy import case, exists

    from concertation.identity.models import LinkedIdentity
    from concertation.voting.models import Support

    if not counts_shown(consultation, now):
        return None
    model = Grade if consultation.voting_method == "majority" else Support
    verified = exists().where(LinkedIdentity.user_id == model.user_id, LinkedIdentity.provider == "franceconnect")
    total, from_verified = db.session.execute(
        select(func.count(), func.count(case((verified, 1)))).where(model.consultation_id == consultation.id)
    ).one()
    if not is_final(consultation, now) and 0 < total < live_floor():
        return None
    return VerifiedVotes(int(from_verified or 0), int(total or 0))
