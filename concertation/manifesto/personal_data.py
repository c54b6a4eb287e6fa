"""What a person's data download holds of what they did on the manifesto in a territory's name.

An amendment, a co-signature, an endorsement or a suggestion is the territory's act, but the platform
keeps who made it: the person who asks for their data sees each one, with what they wrote.
"""

from datetime import datetime

from sqlalchemy import select

from concertation.extensions import db
from concertation.manifesto.models import AmendmentCosignature, Endorsement, ManifestoAmendment, ManifestoSuggestion
from concertation.territories.models import Territory


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def manifesto_acts_of(user) -> dict:
    amendments = db.session.execute(
        select(
            ManifestoAmendment.id,
            ManifestoAmendment.number,
            Territory.name,
            ManifestoAmendment.kind,
            ManifestoAmendment.title,
            ManifestoAmendment.wording,
            ManifestoAmendment.justification,
            ManifestoAmendment.created_at,
            ManifestoAmendment.status,
        )
        .join(Territory, ManifestoAmendment.territory_id == Territory.id)
        .where(ManifestoAmendment.proposed_by_id == user.id)
        .order_by(ManifestoAmendment.id)
    ).all()
    answered = db.session.execute(
        select(
            ManifestoAmendment.id,
            ManifestoAmendment.number,
            ManifestoAmendment.status,
            ManifestoAmendment.answer_text,
            ManifestoAmendment.answered_at,
        )
        .where(ManifestoAmendment.answered_by_id == user.id)
        .order_by(ManifestoAmendment.id)
    ).all()
    cosignatures = db.session.execute(
        select(AmendmentCosignature.amendment_id, Territory.name, AmendmentCosignature.signed_at)
        .join(Territory, AmendmentCosignature.territory_id == Territory.id)
        .where(AmendmentCosignature.signed_by_id == user.id)
        .order_by(AmendmentCosignature.id)
    ).all()
    endorsements = db.session.execute(
        select(Endorsement.version_id, Territory.name, Endorsement.statement, Endorsement.signed_at)
        .join(Territory, Endorsement.territory_id == Territory.id)
        .where(Endorsement.signed_by_id == user.id)
        .order_by(Endorsement.id)
    ).all()
    suggestions = db.session.execute(
        select(
            ManifestoSuggestion.id,
            Territory.name,
            ManifestoSuggestion.theme,
            ManifestoSuggestion.justification,
            ManifestoSuggestion.created_at,
            ManifestoSuggestion.state,
        )
        .join(Territory, ManifestoSuggestion.territory_id == Territory.id)
        .where(ManifestoSuggestion.suggested_by_id == user.id)
        .order_by(ManifestoSuggestion.id)
    ).all()
    return {
        "amendments": [
            {
                "id": r[0],
                "number": r[1],
                "territory": r[2],
                "kind": r[3],
                "title": r[4],
                "wording": r[5],
                "justification": r[6],
                "created_at": _iso(r[7]),
                "status": r[8],
            }
            for r in amendments
        ],
        "amendments_answered": [
            {"id": r[0], "number": r[1], "status": r[2], "answer": r[3], "answered_at": _iso(r[4])} for r in answered
        ],
        "cosignatures": [{"amendment_id": r[0], "territory": r[1], "signed_at": _iso(r[2])} for r in cosignatures],
        "endorsements": [
            {"version_id": r[0], "territory": r[1], "statement": r[2], "signed_at": _iso(r[3])} for r in endorsements
        ],
        "suggestions": [
            {
                "id": r[0],
                "territory": r[1],
                "theme": r[2],
                "justification": r[3],
                "created_at": _iso(r[4]),
                "state": r[5],
            }
            for r in suggestions
        ],
    }
