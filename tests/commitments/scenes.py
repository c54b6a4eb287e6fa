"""Scenes for the commitments tests: a territory with a published synthesis and its retained proposals."""

from dataclasses import dataclass

from concertation.accounts.models import User
from concertation.commitments import services
from concertation.db import utcnow
from concertation.extensions import db
from concertation.synthesis import services as synthesis
from tests.factories import make_consultation, make_proposal_row, make_support


@dataclass
class Scene:
    territory: object
    consultation: object
    organiser: User
    version: object
    retained: object
    other: object
    refused: object


def published_synthesis() -> Scene:
    consultation = make_consultation("synthesis")
    territory = consultation.territory
    organiser = db.session.get(User, consultation.created_by_id)
    retained = make_proposal_row(
        consultation, title="Former tous les agents avant tout outil", answer="retained", answer_text="Plan voté."
    )
    other = make_proposal_row(consultation, title="Un assistant pour l’accueil en mairie", answer="retained")
    refused = make_proposal_row(consultation, title="Un robot à l’accueil", answer="not_retained")
    make_support(retained)
    draft = synthesis.start_synthesis(organiser, consultation)
    synthesis.update_synthesis(draft, "Synthèse : former avant d’équiper", "Les habitant·es ont parlé.", {})
    synthesis.set_retained(draft, [retained.id, other.id])
    version = synthesis.publish(organiser, draft, utcnow())
    db.session.commit()
    return Scene(territory, consultation, organiser, version, retained, other, refused)


def make_commitment(scene: Scene | None = None, **kw):
    scene = scene or published_synthesis()
    data = services.CommitmentData(
        title=kw.pop("title", "Former les agents à l’IA"),
        description=kw.pop("description", "Un plan de formation **pour tous**."),
        responsible_service=kw.pop("responsible_service", "Direction des ressources humaines"),
        status=kw.pop("status", "committed"),
        progress=kw.pop("progress", 10),
    )
    commitment = services.create_commitment(
        scene.organiser,
        scene.territory,
        data,
        utcnow(),
        proposal_ids=kw.pop("proposal_ids", [scene.retained.id]),
        synthesis_version_ids=kw.pop("synthesis_version_ids", [scene.version.id]),
    )
    db.session.commit()
    return commitment
