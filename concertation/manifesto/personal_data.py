"""What a person's data download holds of what they did on the manifesto in a territory's name.

An amendment, a co-signature, an endorsement or a suggestion is the territory's act, but the platform
keeps who made it: the person who asks for their data sees each one, with what they wrote.
"""

from sqlalchemy import select

from concertation.accounts.personal_data import entries
from concertation.manifesto.models import AmendmentCosignature, Endorsement, ManifestoAmendment, ManifestoSuggestion
from concertation.territories.models import Territory


def manifesto_acts_of(user) -> dict:
    territory = Territory.name.label("territory")
    amendments = (
        select(
            ManifestoAmendment.id,
            ManifestoAmendment.number,
            territory,
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
    )
    answered = (
        select(
            ManifestoAmendment.id,
            ManifestoAmendment.number,
            ManifestoAmendment.status,
            ManifestoAmendment.answer_text.label("answer"),
            ManifestoAmendment.answered_at,
        )
        .where(ManifestoAmendment.answered_by_id == user.id)
        .order_by(ManifestoAmendment.id)
    )
    cosignatures = (
        select(AmendmentCosignature.amendment_id, territory, AmendmentCosignature.signed_at)
        .join(Territory, AmendmentCosignature.territory_id == Territory.id)
        .where(AmendmentCosignature.signed_by_id == user.id)
        .order_by(AmendmentCosignature.id)
    )
    endorsements = (
        select(Endorsement.version_id, territory, Endorsement.statement, Endorsement.signed_at)
        .join(Territory, Endorsement.territory_id == Territory.id)
        .where(Endorsement.signed_by_id == user.id)
        .order_by(Endorsement.id)
    )
    suggestions = (
        select(
            ManifestoSuggestion.id,
            territory,
            ManifestoSuggestion.theme,
            ManifestoSuggestion.justification,
            ManifestoSuggestion.created_at,
            ManifestoSuggestion.state,
        )
        .join(Territory, ManifestoSuggestion.territory_id == Territory.id)
        .where(ManifestoSuggestion.suggested_by_id == user.id)
        .order_by(ManifestoSuggestion.id)
    )
    return {
        "amendments": entries(amendments),
        "amendments_answered": entries(answered),
        "cosignatures": entries(cosignatures),
        "endorsements": entries(endorsements),
        "suggestions": entries(suggestions),
    }
