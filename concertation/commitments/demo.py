"""The commitments part of `flask seed-demo`: the agglomeration turns retained proposals of its published
synthesis into commitments, then moves them along, so that each has a history to read."""

from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy import select

from concertation.commitments import services
from concertation.synthesis.models import SynthesisVersion
from concertation.extensions import db

# Retained title → (service, [(days ago, status, progress, note)], [(milestone, due in days, done days ago)])
Step = tuple[int, str, int, str]
PlannedMilestone = tuple[str, int, int | None]
PLANS: dict[str, tuple[str, list[Step], list[PlannedMilestone]]] = {
    "Aucune donnée d’usager hors de l’Union européenne": (
        "Direction du numérique",
        [
            (30, "in_progress", 30, "La clause d’hébergement en Europe est ajoutée au modèle de marché public."),
            (6, "in_progress", 60, "Deux contrats sur trois sont renégociés ; le dernier l’est en mars."),
        ],
        [("Clause d’hébergement dans le modèle de marché", -40, 30), ("Audit des contrats existants", 60, None)],
    ),
    "Un agent relit toute décision préparée par une IA": (
        "Direction générale des services",
        [(10, "done", 100, "La règle figure dans le règlement intérieur voté en conseil communautaire.")],
        [("Vote du règlement intérieur en conseil", -12, 10)],
    ),
    "Publier la liste des outils d’IA utilisés": (
        "Service communication",
        [],
        [("Première publication du registre", 45, None)],
    ),
}


def load(now: datetime, organisers: dict) -> None:
    """Commitments from the retained proposals of the demo's published synthesis, with a history."""
    versions = db.session.scalars(select(SynthesisVersion).order_by(SynthesisVersion.id))
    version = next((v for v in versions if any(r.title in PLANS for r in v.retained)), None)
    if version is None:
        return
    organiser = organisers[version.consultation.territory.slug]
    start = now - timedelta(days=45)
    chosen = [r.id for r in version.retained if r.title in PLANS]
    made = services.create_from_synthesis(organiser, version, chosen, "committed", start)
    for commitment in made:
        service, steps, milestones = PLANS[commitment.title]
        services.update_commitment(
            organiser,
            commitment,
            replace(services.data_of(commitment), responsible_service=service),
            "Le service qui porte l’engagement est désigné.",
            start + timedelta(days=1),
        )
        for title, due_in, done_ago in milestones:
            milestone = services.add_milestone(
                organiser, commitment, title, (now + timedelta(days=due_in)).date(), start + timedelta(days=2)
            )
            if done_ago is not None:
                when = now - timedelta(days=done_ago)
                services.complete_milestone(organiser, milestone, when.date(), when)
        for days_ago, status, progress, note in steps:
            services.update_commitment(
                organiser,
                commitment,
                replace(services.data_of(commitment), status=status, progress=progress),
                note,
                now - timedelta(days=days_ago),
            )
