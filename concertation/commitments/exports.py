"""Open data of the commitments as CSV and JSON (Licence Ouverte), without personal data.

Who changed a commitment is never exported: only what the territory committed to, where it
stands, and what motivated it (ids of proposals, synthesis versions and manifesto points).
Each batch comes from one joined query, written out before the next is read.
"""

from collections.abc import Iterator

from flask import url_for
from sqlalchemy import func, select

from concertation.commitments.models import (
    STATUSES,
    Commitment,
    CommitmentPoint,
    CommitmentProposal,
    CommitmentSynthesis,
    Milestone,
)
from concertation.db import utcnow
from concertation.extensions import db
from concertation.synthesis.exports.csv_json import BATCH, LICENCE, Column
from concertation.territories.models import Territory

COLUMNS = [
    Column("id", "entier", "Identifiant de l’engagement sur la plateforme (stable)."),
    Column("territoire", "texte", "Nom de la collectivité qui s’engage."),
    Column("territoire_code", "texte", "Code INSEE ou SIREN de la collectivité (vide si inconnu)."),
    Column("titre", "texte", "Titre de l’engagement."),
    Column("description", "texte", "Description, telle que saisie (Markdown)."),
    Column("service_responsable", "texte", "Service de la collectivité qui porte l’engagement."),
    Column("statut", "texte", "À l’étude, engagé, en cours, réalisé ou abandonné."),
    Column("motif", "texte", "Motif de l’abandon, ou précision sur le statut."),
    Column("avancement", "entier", "Avancement en pourcentage (0 à 100)."),
    Column("jalons", "entier", "Nombre de jalons fixés."),
    Column("jalons_atteints", "entier", "Nombre de jalons atteints."),
    Column(
        "propositions", "texte", "Identifiants des propositions à l’origine de l’engagement, séparés par des espaces."
    ),
    Column("syntheses", "texte", "Identifiants des versions de synthèse liées, séparés par des espaces."),
    Column("points_manifeste", "texte", "Identifiants des points du manifeste liés, séparés par des espaces."),
    Column("cree_le", "date-heure", "Date et heure de création (ISO 8601, UTC)."),
    Column("mis_a_jour_le", "date-heure", "Date et heure de la dernière modification (ISO 8601, UTC)."),
]


def metadata(territory: Territory | None) -> dict:
    return {
        "title": "Engagements des territoires" + (f" — {territory.name}" if territory else ""),
        "description": "Les engagements pris par les collectivités après leurs consultations, leur statut et "
        "leur avancement. Aucune donnée personnelle.",
        "publisher": territory.name if territory else "Concertation",
        "licence": LICENCE,
        "generated_at": utcnow().isoformat(),
        "columns": [{"name": c.name, "type": c.type, "description": c.description} for c in COLUMNS],
    }


def rows(territory: Territory | None) -> Iterator[list]:
    milestones = select(func.count(Milestone.id)).where(Milestone.commitment_id == Commitment.id).scalar_subquery()
    reached = (
        select(func.count(Milestone.id))
        .where(Milestone.commitment_id == Commitment.id, Milestone.done_on.is_not(None))
        .scalar_subquery()
    )
    query = select(
        Commitment.id,
        Territory.name,
        Territory.code,
        Commitment.title,
        Commitment.description,
        Commitment.responsible_service,
        Commitment.status,
        Commitment.status_reason,
        Commitment.progress,
        milestones.label("milestones"),
        reached.label("reached"),
        Commitment.created_at,
        Commitment.updated_at,
    ).join(Territory, Territory.id == Commitment.territory_id)
    if territory is not None:
        query = query.where(Commitment.territory_id == territory.id)
    last = 0
    while True:
        batch = db.session.execute(query.where(Commitment.id > last).order_by(Commitment.id).limit(BATCH)).all()
        if not batch:
            return
        ids = [row.id for row in batch]
        links = {
            name: _links_of(model, column, ids)
            for name, model, column in (
                ("proposals", CommitmentProposal, CommitmentProposal.proposal_id),
                ("versions", CommitmentSynthesis, CommitmentSynthesis.synthesis_version_id),
                ("points", CommitmentPoint, CommitmentPoint.point_id),
            )
        }
        for row in batch:
            yield [
                row.id,
                row.name,
                row.code or "",
                row.title,
                row.description,
                row.responsible_service,
                STATUSES[row.status].lower(),
                row.status_reason,
                row.progress,
                row.milestones,
                row.reached,
                " ".join(str(i) for i in links["proposals"].get(row.id, [])),
                " ".join(str(i) for i in links["versions"].get(row.id, [])),
                " ".join(str(i) for i in links["points"].get(row.id, [])),
                row.created_at.isoformat(),
                row.updated_at.isoformat(),
            ]
        last = batch[-1].id


def _links_of(model, column, ids: list[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for commitment_id, target in db.session.execute(
        select(model.commitment_id, column).where(model.commitment_id.in_(ids)).order_by(model.id)
    ):
        found.setdefault(commitment_id, []).append(target)
    return found


# The read-only API (/api/v1/commitments): the same public facts as the open data, and for one
# commitment its milestones and its history's public notes (never who made a change).


def api_commitment(c: Commitment) -> dict:
    return {
        "id": c.id,
        "title": c.title,
        "territory": c.territory.slug,
        "description_html": c.description_html,
        "responsible_service": c.responsible_service,
        "status": c.status,
        "status_reason": c.status_reason,
        "progress": c.progress,
        "proposals": sorted(link.proposal_id for link in c.proposal_links),
        "synthesis_versions": sorted(link.synthesis_version_id for link in c.synthesis_links),
        "manifesto_points": sorted(link.point_id for link in c.point_links),
        "created_at": c.created_at.isoformat(),
        "updated_at": c.updated_at.isoformat(),
        "url": url_for("commitments.show", commitment_id=c.id, _external=True),
        "api_url": url_for("api.commitment", commitment_id=c.id, _external=True),
    }


def api_commitment_detail(c: Commitment) -> dict:
    data = api_commitment(c)
    data["milestones"] = [
        {
            "title": m.title,
            "due_on": m.due_on.isoformat() if m.due_on else None,
            "done_on": m.done_on.isoformat() if m.done_on else None,
        }
        for m in c.milestones
    ]
    data["history"] = [
        {"changed_at": change.changed_at.isoformat(), "changes": change.changes, "note_html": change.note_html}
        for change in c.changes
    ]
    return data
