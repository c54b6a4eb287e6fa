"""Votes: supporting a proposal (within a per-person limit), grading it, and what a page shows of it.

Plain functions: no request, the current time passed as `now`. They change the
session and flush; the caller commits once. When a rule says no they raise
``ActionRefused``, possibly after writing part of the change: the caller then
rolls back (as every view of the platform does), so nothing half-written stays.

Who may vote (a confirmed participant, an agent for agents-only consultations)
is the caller's question (``permissions``); these functions hold what the vote
itself requires: the phase open, the proposal still taking votes, one vote per
person, the limit of supports.

Counts stay exact under concurrent requests: ``support_count`` moves by single
``UPDATE … SET n = n ± 1`` statements, one support per person per proposal is a
unique constraint, and the limit is taken with ``UPDATE … WHERE used < limit``.
Every write takes the row locks in the same order (the proposal, then the
support, then the person's quota), so concurrent requests wait instead of
deadlocking. The proposal's update comes first also for SQLite: the Python
driver opens its transaction on the first write, and a SAVEPOINT issued before
it would commit on release.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, delete, func, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext as _lp

from concertation import caching, permissions, phases
from concertation.consultations.models import Consultation
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.proposals.models import Proposal
from concertation.voting.models import MENTIONS, Grade, Support, SupportQuota

POWERS = {"support": "support", "majority": "grade"}

# A support's three writes, built once: on this hot path, building a statement and its cache key cost more
# Python than sending it. Core statements on the tables (the ORM has nothing to synchronise here); a vote is not
# an edit of the proposal, so its `updated_at` is set to itself (no onupdate).
_proposal, _support, _quota = Proposal.__table__, Support.__table__, SupportQuota.__table__
_COUNT_A_SUPPORT = (
    update(_proposal)
    .where(
        _proposal.c.id == bindparam("proposal"),
        _proposal.c.withdrawn_at.is_(None),
        _proposal.c.merged_into_id.is_(None),
        _proposal.c.moderation == "visible",
    )
    .values(support_count=_proposal.c.support_count + 1, updated_at=_proposal.c.updated_at)
    .returning(_proposal.c.support_count)
)
# One statement, no savepoint: the unique key (proposal, person) refuses a second support.
_GIVE_A_SUPPORT = {
    dialect.__name__.rsplit(".", 1)[-1]: dialect.insert(_support)
    .on_conflict_do_nothing(index_elements=[_support.c.proposal_id, _support.c.user_id])
    .returning(_support.c.id)
    for dialect in (postgresql, sqlite)
}
_TAKE_FROM_QUOTA = (
    update(_quota)
    .where(
        _quota.c.consultation_id == bindparam("consultation"),
        _quota.c.user_id == bindparam("person"),
        _quota.c.used < bindparam("limit"),
    )
    .values(used=_quota.c.used + 1)
    .returning(_quota.c.used)
)

# On PostgreSQL the three in one statement, one round trip: data-modifying CTEs, each fed by the one before
# it, so that the locks are still taken in the order above (the proposal, the support, the quota). It
# answers the new count (NULL: the proposal no longer takes votes), the support's id (NULL: already given)
# and the supports used (NULL: no limit, no quota row yet, or the limit reached: then the ordinary path).
# Written as SQL: built with SQLAlchemy's constructs, the statement cost 1 ms of Python at each execution,
# five times its round trip.
_SUPPORT_IN_ONE_STATEMENT = text(
    """
    WITH counted AS (
        UPDATE proposal SET support_count = support_count + 1
        WHERE id = :proposal AND withdrawn_at IS NULL AND merged_into_id IS NULL AND moderation = 'visible'
        RETURNING support_count
    ), given AS (
        INSERT INTO support (proposal_id, consultation_id, user_id, created_at)
        SELECT :proposal, :consultation, :person, :now FROM counted
        ON CONFLICT (proposal_id, user_id) DO NOTHING
        RETURNING id
    ), taken AS (
        UPDATE support_quota SET used = used + 1
        WHERE consultation_id = :consultation AND user_id = :person AND used < :limit
          AND EXISTS (SELECT FROM given)
        RETURNING used
    )
    SELECT (SELECT support_count FROM counted), (SELECT id FROM given), (SELECT used FROM taken)
    """
).bindparams(bindparam("now", type_=_support.c.created_at.type), bindparam("limit", type_=_quota.c.used.type))


def _refuse_unless_open(proposal: Proposal, power: str, now: datetime) -> None:
    """Raise unless `proposal` takes votes of kind `power` ("support" or "grade") at `now`."""
    if proposal.moderation != "visible":
        raise ActionRefused(_l("Cette proposition n’est pas disponible."), status=404)
    if proposal.is_withdrawn:
        raise ActionRefused(
            _l("Cette proposition a été retirée par son auteur : elle ne reçoit plus de votes."), status=409
        )
    _refuse_merged(proposal)
    _refuse_unless_phase(proposal.consultation, power, now)


def _refuse_merged(proposal: Proposal) -> None:
    """A merged duplicate's supports live on the proposal it was merged into: none is given or taken back here."""
    if proposal.merged_into_id is not None:
        raise ActionRefused(
            _l(
                "Cette proposition a été fusionnée avec une autre : votre soutien a été reporté sur "
                "celle-ci, c’est là qu’il se donne ou se retire."
            ),
            status=409,
        )


def _refuse_unless_phase(consultation: Consultation, power: str, now: datetime) -> None:
    if phases.allows(consultation, power, now):
        return
    if POWERS.get(consultation.voting_method) != power:
        raise ActionRefused(
            _l("Cette consultation ne vote pas par soutiens.")
            if power == "support"
            else _l("Cette consultation ne vote pas au jugement majoritaire."),
            status=409,
        )
    raise ActionRefused(_l("Le vote n’est pas ouvert en ce moment dans cette consultation."), status=403)


def _move_support_count(proposal_id: int, step: int) -> int:
    """Add `step` to the proposal's count in one statement; the new count.

    A vote is not an edit of the proposal: its `updated_at` is kept as it is.
    """
    return db.session.execute(
        update(Proposal)
        .where(Proposal.id == proposal_id)
        .values(support_count=Proposal.support_count + step, updated_at=Proposal.updated_at)
        .returning(Proposal.support_count)
        .execution_options(synchronize_session=False)
    ).scalar_one()


def _count_supports_given(user_id: int, consultation_id: int, besides: int | None = None):
    """SQL: how many supports `user_id` gives in the consultation, leaving out the one to proposal `besides`."""
    query = select(func.count(Support.id)).where(Support.consultation_id == consultation_id, Support.user_id == user_id)
    if besides is not None:
        query = query.where(Support.proposal_id != besides)
    return query


def _supports_given(user_id: int, consultation_id: int, besides: int | None = None) -> int:
    """Supports `user_id` gives in the consultation, leaving out the one to proposal `besides`."""
    return db.session.scalar(_count_supports_given(user_id, consultation_id, besides)) or 0


def _take_quota(user_id: int, consultation: Consultation, proposal_id: int) -> int:
    """Count the support just given to `proposal_id` against the person's limit, or refuse; the supports used."""
    limit = consultation.support_limit

    def take() -> int | None:
        return db.session.execute(
            _TAKE_FROM_QUOTA, {"consultation": consultation.id, "person": user_id, "limit": limit}
        ).scalar_one_or_none()

    used = take()
    if used is not None:
        return used
    # No row yet (first support, or a limit set after supports were given): start it from the
    # supports really given. A concurrent request may insert it first; then use that one.
    try:
        with db.session.begin_nested():
            db.session.add(
                SupportQuota(
                    consultation_id=consultation.id,
                    user_id=user_id,
                    used=_supports_given(user_id, consultation.id, besides=proposal_id),
                )
            )
    except IntegrityError:
        pass
    used = take()
    if used is None:
        raise ActionRefused(
            _lp(
                "Vous avez utilisé votre soutien dans cette consultation. Retirez-le pour en donner un autre.",
                "Vous avez utilisé vos %(num)d soutiens dans cette consultation. "
                "Retirez un soutien pour en donner un autre.",
                limit,
            ),
            status=409,
        )
    return used


def _refuse_without_assurance(participant, consultation: Consultation) -> None:
    """A vote reserved to identities verified by FranceConnect (or declared residents) refuses the others."""
    if permissions.meets_vote_assurance(participant, consultation):
        return
    if consultation.vote_assurance == "residence":
        message = _l(
            "Ce vote est réservé aux identités vérifiées par FranceConnect et aux personnes qui déclarent "
            "résider dans le territoire : liez FranceConnect ou déclarez votre résidence depuis votre compte."
        )
    else:
        message = _l("Ce vote est réservé aux identités vérifiées par FranceConnect : liez-la depuis votre compte.")
    raise ActionRefused(message, status=403)


@dataclass(frozen=True)
class SupportChange:
    """What a support given or taken back left: the proposal's count, and the person's supports left."""

    count: int
    remaining: int | None  # supports the person may still give in the consultation; None without limit


def support(participant, proposal: Proposal, now: datetime) -> int:
    """Give `participant`'s support to `proposal`; returns the proposal's new count of supports."""
    return give_support(participant, proposal, now).count


def give_support(participant, proposal: Proposal, now: datetime) -> SupportChange:
    """Give `participant`'s support to `proposal`: one conditional count UPDATE, one INSERT … ON CONFLICT and,
    under a limit, one conditional quota UPDATE that returns what is left (nothing is read again); on
    PostgreSQL the three are one statement."""
    consultation = proposal.consultation
    _refuse_without_assurance(participant, consultation)
    _refuse_unless_open(proposal, "support", now)
    dialect = db.session.get_bind().dialect.name
    used = None
    if dialect == "postgresql":
        count, given, used = db.session.execute(
            _SUPPORT_IN_ONE_STATEMENT,
            {
                "proposal": proposal.id,
                "consultation": proposal.consultation_id,
                "person": participant.id,
                "now": now,
                "limit": consultation.support_limit,
            },
        ).one()
    else:
        # The count moves only if the proposal still takes votes when its row is locked: a withdrawal
        # (or a merge) committed meanwhile wins, and this support is refused.
        count = db.session.execute(_COUNT_A_SUPPORT, {"proposal": proposal.id}).scalar_one_or_none()
        support = {
            "proposal_id": proposal.id,
            "consultation_id": proposal.consultation_id,
            "user_id": participant.id,
            "created_at": now,
        }
        given = None if count is None else db.session.execute(_GIVE_A_SUPPORT[dialect], support).scalar_one_or_none()
    if count is None:
        # Withdrawn, merged or hidden by moderation meanwhile: the message names all three.
        raise ActionRefused(
            _l("Cette proposition ne reçoit plus de votes : elle vient d’être retirée, fusionnée ou masquée."),
            status=409,
        )
    if given is None:
        raise ActionRefused(_l("Vous soutenez déjà cette proposition."), status=409)
    caching.mark_changed(db.session, proposal.consultation_id)
    remaining = None
    if consultation.support_limit is not None:
        if used is None:  # no quota row yet, or the limit reached: the ordinary path says which
            used = _take_quota(participant.id, consultation, proposal.id)
        remaining = max(consultation.support_limit - used, 0)
    db.session.expire(proposal, ["support_count"])
    return SupportChange(count, remaining)


def withdraw_support(participant, proposal: Proposal, now: datetime) -> int:
    """Take back `participant`'s support while the phase is open; returns the new count of supports."""
    return take_back_support(participant, proposal, now).count


def take_back_support(participant, proposal: Proposal, now: datetime) -> SupportChange:
    """Take back `participant`'s support while the phase is open.

    Allowed on a withdrawn proposal too, so that the support can be given to another one.
    """
    consultation = proposal.consultation
    _refuse_unless_phase(consultation, "support", now)
    _refuse_merged(proposal)
    # Lock the proposal first, as `support` does, so that the two never wait on each other.
    db.session.execute(select(Proposal.id).where(Proposal.id == proposal.id).with_for_update())
    removed = db.session.execute(
        delete(Support)
        .where(Support.proposal_id == proposal.id, Support.user_id == participant.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not removed:
        raise ActionRefused(_l("Vous ne soutenez pas cette proposition."), status=409)
    count = _move_support_count(proposal.id, -1)
    used = db.session.execute(
        update(SupportQuota)
        .where(
            SupportQuota.consultation_id == proposal.consultation_id,
            SupportQuota.user_id == participant.id,
            SupportQuota.used > 0,
        )
        .values(used=SupportQuota.used - 1)
        .returning(SupportQuota.used)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    db.session.expire(proposal, ["support_count"])
    caching.mark_changed(db.session, proposal.consultation_id)
    remaining = None
    if consultation.support_limit is not None:
        # Without a quota row (no support counted yet under this limit), the supports really given.
        if used is None:
            used = _supports_given(participant.id, consultation.id)
        remaining = max(consultation.support_limit - used, 0)
    return SupportChange(count, remaining)


def remaining_supports(user, consultation: Consultation) -> int | None:
    """How many more supports `user` may give in `consultation`; None when there is no limit."""
    limit = consultation.support_limit
    if limit is None:
        return None
    # The quota row, or without one (no support counted yet under this limit) the supports really given:
    # one statement.
    quota = select(SupportQuota.used).where(
        SupportQuota.consultation_id == consultation.id, SupportQuota.user_id == user.id
    )
    given = _count_supports_given(user.id, consultation.id)
    used = db.session.scalar(select(func.coalesce(quota.scalar_subquery(), given.scalar_subquery())))
    return max(limit - (used or 0), 0)


def supported_ids(user, proposal_ids: Iterable[int]) -> set[int]:
    """Which of `proposal_ids` (a page of a list) `user` supports, in one query."""
    ids = list(proposal_ids)
    if not ids or not permissions.signed_in(user):
        return set()
    return set(
        db.session.scalars(select(Support.proposal_id).where(Support.user_id == user.id, Support.proposal_id.in_(ids)))
    )


def mentions_given(user, proposal_ids: Iterable[int]) -> dict[int, int]:
    """The mention `user` gave to each of `proposal_ids` they graded, in one query."""
    ids = list(proposal_ids)
    if not ids or not permissions.signed_in(user):
        return {}
    return dict(
        db.session.execute(
            select(Grade.proposal_id, Grade.mention).where(Grade.user_id == user.id, Grade.proposal_id.in_(ids))
        )
        .tuples()
        .all()
    )


def _checked_mention(mention) -> int:
    if isinstance(mention, bool) or not isinstance(mention, int) or not 0 <= mention < len(MENTIONS):
        raise ActionRefused(_l("Choisissez une des six mentions."), field="mention", status=422)
    return mention


def _upsert_grades(user_id: int, consultation_id: int, mentions: Mapping[int, int], now: datetime) -> None:
    """Insert or change grades on the unique key (proposal, person), in one statement."""
    statement = _insert_statement()(Grade).values(
        [
            {
                "proposal_id": proposal_id,
                "consultation_id": consultation_id,
                "user_id": user_id,
                "mention": mention,
                "created_at": now,
                "updated_at": now,
            }
            for proposal_id, mention in mentions.items()
        ]
    )
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=[Grade.proposal_id, Grade.user_id],
            set_={"mention": statement.excluded.mention, "updated_at": statement.excluded.updated_at},
        )
    )
    caching.mark_changed(db.session, consultation_id)


def _insert_statement():
    """INSERT … ON CONFLICT of the database in use (PostgreSQL, or SQLite for tests and trials)."""
    return postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert


def grade(participant, proposal: Proposal, mention: int, now: datetime) -> None:
    """Give (or change) `participant`'s mention for `proposal` while the vote is open."""
    mention = _checked_mention(mention)
    _refuse_without_assurance(participant, proposal.consultation)
    _refuse_unless_open(proposal, "grade", now)
    _upsert_grades(participant.id, proposal.consultation_id, {proposal.id: mention}, now)


def grade_many(participant, consultation: Consultation, mentions: Mapping[int, int], now: datetime) -> int:
    """Grade many proposals of `consultation` at once; returns how many grades were recorded."""
    _refuse_without_assurance(participant, consultation)
    _refuse_unless_phase(consultation, "grade", now)
    checked = {int(pid): _checked_mention(m) for pid, m in mentions.items()}
    if not checked:
        return 0
    open_ids = set(
        db.session.scalars(
            select(Proposal.id).where(
                Proposal.id.in_(checked),
                Proposal.consultation_id == consultation.id,
                Proposal.moderation == "visible",
                Proposal.withdrawn_at.is_(None),
            )
        )
    )
    if open_ids != set(checked):
        raise ActionRefused(
            _l("Une des propositions n’existe pas, n’est plus disponible ou a été retirée. Rechargez la page."),
            status=409,
        )
    _upsert_grades(participant.id, consultation.id, checked, now)
    return len(checked)


@dataclass(frozen=True)
class VotePanel:
    """What a proposal's page shows of its vote to this person (their own vote only: votes are secret)."""

    method: str  # "support" or "majority"
    signed_in: bool
    may_participate: bool  # the person may take part in this consultation at all
    phase_open: bool  # the consultation's vote of this kind is open now
    proposal_open: bool  # the proposal takes votes (visible, not withdrawn)
    support_count: int | None  # None while the results are not published
    has_supported: bool = False
    can_support: bool = False
    can_withdraw_support: bool = False
    support_limit: int | None = None
    remaining: int | None = None  # supports left in the consultation; None without limit
    can_grade: bool = False
    current_mention: int | None = None
    results_visible: bool = False
    assurance_missing: str = ""  # the identity the vote asks for and the person lacks (VOTE_ASSURANCES)


def panel(user, proposal: Proposal, now: datetime) -> VotePanel:
    """The vote panel of `proposal` for `user` (signed in or not), in at most two queries."""
    consultation = proposal.consultation
    power = POWERS.get(consultation.voting_method, "support")
    may_participate = permissions.can(user, "consultation.participate", consultation, now)
    phase_open = phases.allows(consultation, power, now)
    proposal_open = proposal.moderation == "visible" and not proposal.is_withdrawn
    results_visible = phases.results_visible(consultation, now)
    common = dict(
        method=consultation.voting_method,
        signed_in=permissions.signed_in(user),
        may_participate=may_participate,
        phase_open=phase_open,
        proposal_open=proposal_open,
        support_limit=consultation.support_limit,
        results_visible=results_visible,
        support_count=proposal.support_count if results_visible else None,
    )
    if not may_participate:
        return VotePanel(**common)
    if not permissions.meets_vote_assurance(user, consultation):
        return VotePanel(**common, assurance_missing=consultation.vote_assurance)
    if power == "grade":
        mention = mentions_given(user, [proposal.id]).get(proposal.id)
        return VotePanel(**common, can_grade=phase_open and proposal_open, current_mention=mention)
    has_supported = proposal.id in supported_ids(user, [proposal.id])
    remaining = remaining_supports(user, consultation)
    return VotePanel(
        **common,
        has_supported=has_supported,
        remaining=remaining,
        can_support=phase_open and proposal_open and not has_supported and remaining != 0,
        can_withdraw_support=phase_open and has_supported,
    )
