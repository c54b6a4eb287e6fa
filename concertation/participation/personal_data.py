"""A person's participation profile in their data download (RGPD), as they answered it."""

from concertation.participation.models import AGE_BANDS, PCS_GROUPS, RELATIONS
from concertation.participation.services import profile_of


def profile_export(user) -> dict | None:
    """The profile's answers with their labels, the consent text and its date; None without a profile."""
    profile = profile_of(user)
    if profile is None:
        return None
    area = profile.area
    return {
        "age_band": profile.age_band,
        "age_band_label": AGE_BANDS.get(profile.age_band or ""),
        "area": None if area is None else {"name": area.name, "code": area.code, "territory": area.territory_id},
        "lives_elsewhere": profile.lives_elsewhere,
        "relation": profile.relation,
        "relation_label": RELATIONS.get(profile.relation or ""),
        "professional_category": profile.pcs,
        "professional_category_label": PCS_GROUPS.get(profile.pcs or ""),
        "consent_text": profile.consent_text,
        "consented_at": profile.consented_at.isoformat(),
        "updated_at": profile.updated_at.isoformat(),
    }
