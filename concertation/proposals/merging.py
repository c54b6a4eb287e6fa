"""Merging a duplicate proposal into another: its votes carried over without counting anyone twice, logged."""

from datetime import datetime

from sqlalchemy import exists, func, insert, literal, select, update
from sqlalchemy.orm import aliased

from flask_babel import lazy_gettext as _l

from concertation.accounts.models import User
from concertation.consultations.models import Consultation
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.proposals.models import Proposal, ProposalMerge
from concertation.synthesis.services import carry_merge_over
from concertation.voting.models import Grade, Support, SupportQuota


def merge_proposals(organiser: User, duplicate: Proposal, target: Proposal, now: datetime) -> ProposalMerge:
    """Merge `duplicate` into `target`: its votes are carried over without counting anyone twice.

    A supporter of both keeps a single support on the target (and gets back the
    support the duplicate used from their quota); a person who graded both keeps
    the grade they gave the target. Votes whose account was deleted name nobody,
    so nothing proves they are not already on the target: they are not carried
    over. The duplicate is marked merged, never deleted, and the merge is logged.
    """
    if duplicate.consultation_id != target.consultation_id:
        raise ActionRefused(_l("Les deux propositions doivent appartenir à la même consultation."), field="target_id")
    if duplicate.id == target.id:
        raise ActionRefused(_l("Une proposition ne peut pas être fusionnée avec elle-même."), field="target_id")
    # Lock both rows so that two organisers cannot merge crosswise at the same time.
    locked = db.session.scalars(
        select(Proposal.id).where(Proposal.id.in_([duplicate.id, target.id])).with_for_update()
    ).all()
    if len(locked) != 2:
        raise ActionRefused(_l("Proposition introuvable."), field="target_id", status=404)
    db.session.refresh(duplicate)
    db.session.refresh(target)
    if duplicate.merged_into_id is not None:
        raise ActionRefused(_l("Cette proposition a déjà été fusionnée."), field="target_id", status=409)
    if target.merged_into_id is not None or not target.is_visible or target.is_withdrawn:
        raise ActionRefused(_l("La proposition cible n’est plus visible : choisissez-en une autre."), field="target_id")

    already = aliased(Support)
    both = select(Support.user_id).where(
        Support.proposal_id == duplicate.id,
        exists().where(already.proposal_id == target.id, already.user_id == Support.user_id),
    )
    db.session.execute(
        update(SupportQuota)
        .where(
            SupportQuota.consultation_id == target.consultation_id,
            SupportQuota.user_id.in_(both),
            SupportQuota.used > 0,
        )
        .values(used=SupportQuota.used - 1)
    )
    # RETURNING counts what was inserted on every driver (psycopg reports no rowcount for INSERT … SELECT here).
    supports_moved = len(
        db.session.execute(
            insert(Support.__table__)
            .from_select(
                ["proposal_id", "consultation_id", "user_id", "created_at"],
                select(literal(target.id), Support.consultation_id, Support.user_id, Support.created_at).where(
                    Support.proposal_id == duplicate.id,
                    Support.user_id.is_not(None),
                    ~exists().where(already.proposal_id == target.id, already.user_id == Support.user_id),
                ),
            )
            .returning(Support.__table__.c.id)
        ).all()
    )

    graded = aliased(Grade)
    grades_moved = len(
        db.session.execute(
            insert(Grade.__table__)
            .from_select(
                ["proposal_id", "consultation_id", "user_id", "mention", "created_at", "updated_at"],
                select(
                    literal(target.id),
                    Grade.consultation_id,
                    Grade.user_id,
                    Grade.mention,
                    Grade.created_at,
                    literal(now),
                ).where(
                    Grade.proposal_id == duplicate.id,
                    Grade.user_id.is_not(None),
                    ~exists().where(graded.proposal_id == target.id, graded.user_id == Grade.user_id),
                ),
            )
            .returning(Grade.__table__.c.id)
        ).all()
    )

    # The stored count is recomputed from the rows, not incremented, so that it cannot drift.
    db.session.execute(
        update(Proposal)
        .where(Proposal.id == target.id)
        .values(support_count=select(func.count(Support.id)).where(Support.proposal_id == target.id).scalar_subquery())
    )
    duplicate.merged_into_id = target.id
    # The draft synthesis follows: citations and the retained place go to the kept proposal.
    carry_merge_over(duplicate, target, now)
    log = ProposalMerge(
        consultation_id=target.consultation_id,
        duplicate_id=duplicate.id,
        target_id=target.id,
        merged_by_id=organiser.id,
        merged_at=now,
        supports_moved=supports_moved,
        grades_moved=grades_moved,
        duplicate_title=duplicate.title,
        target_title=target.title,
    )
    db.session.add(log)
    db.session.flush()
    db.session.refresh(target)
    return log


def merge_log(consultation: Consultation) -> list[ProposalMerge]:
    return list(
        db.session.scalars(
            select(ProposalMerge)
            .where(ProposalMerge.consultation_id == consultation.id)
            .order_by(ProposalMerge.merged_at.desc(), ProposalMerge.id.desc())
        )
    )
