"""Commitments: created (one by one or from a synthesis's retained proposals), updated with their
history kept, milestones added and reached. Services change the session and flush; the caller commits.
"""

from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, union
from sqlalchemy.sql.selectable import CompoundSelect

from concertation.accounts.models import User
from concertation.commitments.models import (
    STATUSES,
    Commitment,
    CommitmentChange,
    CommitmentPoint,
    CommitmentProposal,
    CommitmentSynthesis,
    Milestone,
)
from concertation.consultations.models import Consultation
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.manifesto.models import ManifestoPoint
from concertation.notifications.models import Follow
from concertation.notifications.services import notify_each, path_for
from concertation.proposals.models import Proposal
from concertation.synthesis.models import SynthesisVersion
from concertation.text import to_html

TEXT_MAX = 10_000
NOTE_MAX = 2000

# What the history names, in the order a reader expects it.
TRACKED = ("title", "status", "progress", "status_reason", "responsible_service", "description")


@dataclass
class CommitmentData:
    title: str
    description: str = ""
    responsible_service: str = ""
    status: str = "under_study"
    status_reason: str = ""
    progress: int | None = 0


def _checked(data: CommitmentData) -> CommitmentData:
    """The data cleaned, or a refusal naming the field to correct."""
    title = (data.title or "").strip()
    if not 5 <= len(title) <= 200:
        raise ActionRefused(_l("Le titre de l’engagement doit faire entre 5 et 200 caractères."), field="title")
    if len(data.description or "") > TEXT_MAX:
        raise ActionRefused(_l("La description doit faire au plus 10 000 caractères."), field="description")
    service = (data.responsible_service or "").strip()
    if len(service) > 150:
        raise ActionRefused(_l("Le nom du service doit faire au plus 150 caractères."), field="responsible_service")
    if data.status not in STATUSES:
        raise ActionRefused(
            _l("Choisissez un statut : à l’étude, engagé, en cours, réalisé ou abandonné."), field="status"
        )
    reason = (data.status_reason or "").strip()
    if data.status == "abandoned" and not reason:
        raise ActionRefused(
            _l("Expliquez pourquoi l’engagement est abandonné : le motif est obligatoire."), field="status_reason"
        )
    if len(reason) > NOTE_MAX:
        raise ActionRefused(_l("Le motif doit faire au plus 2 000 caractères."), field="status_reason")
    progress = data.progress
    if progress is None or not 0 <= progress <= 100:
        raise ActionRefused(_l("L’avancement est un pourcentage entre 0 et 100."), field="progress")
    if data.status == "done":
        # A realised commitment is complete, whatever figure was left in the form.
        progress = 100
    return CommitmentData(title, (data.description or "").strip(), service, data.status, reason, progress)


def _check_note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ActionRefused(_l("La note doit faire au plus 2 000 caractères."), field="note")
    return note


def _record(commitment: Commitment, actor: User | None, changes: dict, note: str, now: datetime) -> CommitmentChange:
    change = CommitmentChange(
        changed_by_id=actor.id if actor is not None else None,
        changed_at=now,
        changes=changes,
        note=note,
        note_html=to_html(note) if note else "",
    )
    commitment.changes.append(change)
    commitment.updated_at = now
    return change


# Links ----------------------------------------------------------------------------------------------------------


def _of_territory(model, territory_id: int, ids: Iterable[int], refusal, field: str) -> list:
    """The rows of `model` (proposals, synthesis versions) with these ids, all of the territory's consultations."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    found = list(
        db.session.scalars(
            select(model)
            .join(Consultation, Consultation.id == model.consultation_id)
            .where(model.id.in_(wanted), Consultation.territory_id == territory_id)
        )
    )
    if len(found) != len(wanted):
        raise ActionRefused(refusal, field=field)
    return found


def territory_proposals(territory_id: int, proposal_ids: Iterable[int]) -> list[Proposal]:
    """The proposals with these ids, all of the territory's consultations (else refused)."""
    refusal = _l("Certaines propositions n’appartiennent pas à ce territoire.")
    return _of_territory(Proposal, territory_id, proposal_ids, refusal, "proposal_ids")


def _territory_versions(territory_id: int, version_ids: Iterable[int]) -> list[SynthesisVersion]:
    refusal = _l("Cette synthèse n’est pas une synthèse publiée de ce territoire.")
    return _of_territory(SynthesisVersion, territory_id, version_ids, refusal, "synthesis")


def _published_points(point_ids: Iterable[int]) -> list[ManifestoPoint]:
    from concertation.manifesto.models import ManifestoVersion

    ids = sorted(set(point_ids))
    if not ids:
        return []
    points = list(
        db.session.scalars(
            select(ManifestoPoint)
            .join(ManifestoVersion, ManifestoVersion.id == ManifestoPoint.version_id)
            .where(ManifestoPoint.id.in_(ids), ManifestoVersion.published_at.is_not(None))
        )
    )
    if len(points) != len(ids):
        raise ActionRefused(_l("Ce point n’est pas un point d’un manifeste publié."), field="point")
    return points


# Creating and updating ------------------------------------------------------------------------------------------


def create_commitment(
    organiser: User,
    territory,
    data: CommitmentData,
    now: datetime,
    proposal_ids: Iterable[int] = (),
    synthesis_version_ids: Iterable[int] = (),
    point_ids: Iterable[int] = (),
    retained: dict[int, int] | None = None,
    note: str = "",
) -> Commitment:
    """A new commitment of the territory, linked to what motivated it; its history starts here."""
    data = _checked(data)
    note = _check_note(note)
    proposals = territory_proposals(territory.id, proposal_ids)
    versions = _territory_versions(territory.id, synthesis_version_ids)
    points = _published_points(point_ids)
    commitment = Commitment(
        territory_id=territory.id,
        title=data.title,
        description=data.description,
        description_html=to_html(data.description),
        responsible_service=data.responsible_service,
        status=data.status,
        status_reason=data.status_reason,
        progress=data.progress,
        created_by_id=organiser.id,
        created_at=now,
        updated_at=now,
    )
    retained = retained or {}
    commitment.proposal_links = [
        CommitmentProposal(proposal_id=p.id, retained_id=retained.get(p.id)) for p in proposals
    ]
    commitment.synthesis_links = [CommitmentSynthesis(synthesis_version_id=v.id) for v in versions]
    commitment.point_links = [CommitmentPoint(point_id=p.id) for p in points]
    _record(commitment, organiser, {"created": [None, data.title]}, note, now)
    db.session.add(commitment)
    db.session.flush()
    notify_people(commitment, organiser, now, created=True)
    return commitment


def update_commitment(
    organiser: User, commitment: Commitment, data: CommitmentData, note: str, now: datetime
) -> CommitmentChange:
    """Change a commitment; what changed (field → old, new) and the public note join its history."""
    data = _checked(data)
    note = _check_note(note)
    changes = {}
    for name in TRACKED:
        old, new = getattr(commitment, name), getattr(data, name)
        if old != new:
            changes[name] = [old, new]
    if not changes and not note:
        raise ActionRefused(_l("Rien n’a changé : modifiez un champ ou écrivez une note."))
    for name in TRACKED:
        setattr(commitment, name, getattr(data, name))
    if "description" in changes:
        commitment.description_html = to_html(commitment.description)
    change = _record(commitment, organiser, changes, note, now)
    db.session.flush()
    if "status" in changes or "progress" in changes:
        notify_people(commitment, organiser, now)
    return change


def record_realisation(actor: User, commitment: Commitment, tool: str, realised: bool, now: datetime) -> None:
    """A tool of the library carries the commitment out (or no longer does): its history says so.

    Carried out by a tool, the commitment is « réalisé » at 100 %, and the people following its
    proposals are told; the link undone, its status stays as the organisers left it.
    """
    changes: dict = {"realised_by": [None, tool] if realised else [tool, None]}
    moved = realised and commitment.status != "done"
    if moved:
        changes["status"] = [commitment.status, "done"]
        if commitment.progress != 100:
            changes["progress"] = [commitment.progress, 100]
        commitment.status, commitment.progress = "done", 100
    _record(commitment, actor, changes, "", now)
    db.session.flush()
    if moved:
        notify_people(commitment, actor, now)


def notify_people(commitment: Commitment, actor: User, now: datetime, created: bool = False) -> int:
    """Tell who proposed, supported or follows a linked proposal that the commitment was made or moved.

    One notification per person and commitment, in one query for all the linked proposals.
    """
    from concertation.voting.models import Support

    titles = {link.proposal_id: link.proposal.title for link in commitment.proposal_links}
    if not titles:
        return 0
    ids = list(titles)
    recipients: CompoundSelect = union(
        select(Proposal.id.label("proposal_id"), Proposal.author_id.label("user_id")).where(Proposal.id.in_(ids)),
        select(Support.proposal_id, Support.user_id).where(Support.proposal_id.in_(ids), Support.user_id.is_not(None)),
        select(Follow.proposal_id, Follow.user_id).where(Follow.proposal_id.in_(ids)),
    )
    url = path_for("commitments.show", commitment_id=commitment.id)
    status = STATUSES[commitment.status]
    items = []
    # Notifications are stored in French, like the others (notifications/services.py).
    for proposal_id, user_id in db.session.execute(recipients):
        if created:
            message = (
                f"La proposition « {titles[proposal_id]} » est devenue un engagement de la collectivité : "
                f"« {commitment.title} » ({status}, {commitment.progress} %)."
            )
        else:
            message = (
                f"L’engagement « {commitment.title} », né de la proposition « {titles[proposal_id]} », "
                f"a changé : {status}, {commitment.progress} %."
            )
        items.append((user_id, message, url))
    return notify_each(items, "commitment", now, actor)


def status_counts(territory_id: int | None = None, theme: str | None = None) -> dict[str, int]:
    """How many commitments are in each status (every status named, zero included)."""
    query = select(Commitment.status, func.count(Commitment.id)).group_by(Commitment.status)
    if territory_id is not None:
        query = query.where(Commitment.territory_id == territory_id)
    if theme:
        query = query.where(Commitment.id.in_(_of_theme(theme)))
    found = dict(db.session.execute(query).tuples().all())
    return {status: found.get(status, 0) for status in STATUSES}


def update_links(
    organiser: User,
    commitment: Commitment,
    proposal_ids: Iterable[int],
    synthesis_version_ids: Iterable[int],
    point_ids: Iterable[int],
    now: datetime,
) -> CommitmentChange | None:
    """Replace what motivated the commitment (proposals, syntheses, manifesto points); the history names
    what was added and removed. A proposal newly linked keeps its frozen snapshot when a linked synthesis
    retained it."""
    proposals = territory_proposals(commitment.territory_id, proposal_ids)
    versions = _territory_versions(commitment.territory_id, synthesis_version_ids)
    points = _published_points(point_ids)
    before = (
        {link.proposal_id: link.proposal.title for link in commitment.proposal_links},
        {link.synthesis_version_id: link.synthesis_version.title for link in commitment.synthesis_links},
        {link.point_id: link.point.title for link in commitment.point_links},
    )
    after = ({p.id: p.title for p in proposals}, {v.id: v.title for v in versions}, {p.id: p.title for p in points})
    changes = {}
    for name, old, new in zip(("proposals", "syntheses", "points"), before, after, strict=True):
        added = [new[i] for i in new if i not in old]
        removed = [old[i] for i in old if i not in new]
        if added or removed:
            changes[f"links_{name}"] = [removed, added]
    if not changes:
        return None
    retained = {r.proposal_id: r.id for v in versions for r in v.retained if r.proposal_id is not None}
    commitment.proposal_links = [link for link in commitment.proposal_links if link.proposal_id in after[0]] + [
        CommitmentProposal(proposal_id=p.id, retained_id=retained.get(p.id)) for p in proposals if p.id not in before[0]
    ]
    commitment.synthesis_links = [
        link for link in commitment.synthesis_links if link.synthesis_version_id in after[1]
    ] + [CommitmentSynthesis(synthesis_version_id=v.id) for v in versions if v.id not in before[1]]
    commitment.point_links = [link for link in commitment.point_links if link.point_id in after[2]] + [
        CommitmentPoint(point_id=p.id) for p in points if p.id not in before[2]
    ]
    change = _record(commitment, organiser, changes, "", now)
    db.session.flush()
    return change


# Milestones -----------------------------------------------------------------------------------------------------


def add_milestone(organiser: User, commitment: Commitment, title: str, due_on: date | None, now: datetime) -> Milestone:
    title = (title or "").strip()
    if not 3 <= len(title) <= 200:
        raise ActionRefused(_l("L’intitulé du jalon doit faire entre 3 et 200 caractères."), field="title")
    milestone = Milestone(title=title, due_on=due_on)
    commitment.milestones.append(milestone)
    _record(commitment, organiser, {"milestone": [None, title]}, "", now)
    db.session.flush()
    return milestone


def complete_milestone(organiser: User, milestone: Milestone, done_on: date | None, now: datetime) -> Milestone:
    """Mark a milestone reached (on `done_on`, today by default); reaching it twice is refused."""
    if milestone.done_on is not None:
        raise ActionRefused(_l("Ce jalon est déjà atteint."), status=409)
    done_on = done_on or now.date()
    if done_on > now.date():
        raise ActionRefused(_l("Un jalon ne peut pas être atteint à une date future."), field="done_on")
    milestone.done_on = done_on
    _record(milestone.commitment, organiser, {"milestone_done": [milestone.title, done_on.isoformat()]}, "", now)
    db.session.flush()
    return milestone


# From a published synthesis -------------------------------------------------------------------------------------


def already_committed(version: SynthesisVersion) -> set[int]:
    """The retained proposals of this version that already have a commitment (by proposal id)."""
    ids = [r.proposal_id for r in version.retained if r.proposal_id is not None]
    if not ids:
        return set()
    return set(
        db.session.scalars(
            select(CommitmentProposal.proposal_id)
            .join(Commitment, Commitment.id == CommitmentProposal.commitment_id)
            .where(
                CommitmentProposal.proposal_id.in_(ids),
                Commitment.territory_id == version.consultation.territory_id,
            )
        )
    )


def create_from_synthesis(
    organiser: User, version: SynthesisVersion, retained_ids: Iterable[int], status: str, now: datetime
) -> list[Commitment]:
    """One commitment per chosen retained proposal of a published version, as the version froze it."""
    chosen = set(retained_ids)
    if not chosen:
        raise ActionRefused(_l("Cochez au moins une proposition retenue."), field="retained_ids")
    by_id = {r.id: r for r in version.retained}
    if not chosen <= set(by_id):
        raise ActionRefused(
            _l("Certaines propositions cochées ne sont pas retenues dans cette synthèse."), field="retained_ids"
        )
    done = already_committed(version)
    territory = version.consultation.territory
    made = []
    for snapshot in version.retained:
        if snapshot.id not in chosen:
            continue
        if snapshot.proposal_id is not None and snapshot.proposal_id in done:
            raise ActionRefused(
                _l("La proposition « %(title)s » a déjà un engagement.", title=snapshot.title), field="retained_ids"
            )
        made.append(
            create_commitment(
                organiser,
                territory,
                CommitmentData(
                    title=snapshot.title,
                    description=snapshot.answer_text or snapshot.excerpt,
                    status=status,
                    progress=0,
                ),
                now,
                proposal_ids=[snapshot.proposal_id] if snapshot.proposal_id is not None else [],
                synthesis_version_ids=[version.id],
                retained={snapshot.proposal_id: snapshot.id} if snapshot.proposal_id is not None else {},
            )
        )
    return made


def data_of(commitment: Commitment) -> CommitmentData:
    return CommitmentData(**{f.name: getattr(commitment, f.name) for f in fields(CommitmentData)})


# Reading --------------------------------------------------------------------------------------------------------


def _of_theme(theme: str):
    """The ids of the commitments linked to a proposal of this theme (themes are named by each consultation)."""
    from concertation.consultations.models import Theme

    return (
        select(CommitmentProposal.commitment_id)
        .join(Proposal, Proposal.id == CommitmentProposal.proposal_id)
        .join(Theme, Theme.id == Proposal.theme_id)
        .where(Theme.name == theme)
    )


def commitments_query(territory_id: int | None = None, status: str | None = None, theme: str | None = None):
    query = select(Commitment).order_by(Commitment.updated_at.desc(), Commitment.id.desc())
    if territory_id is not None:
        query = query.where(Commitment.territory_id == territory_id)
    if status in STATUSES:
        query = query.where(Commitment.status == status)
    if theme:
        query = query.where(Commitment.id.in_(_of_theme(theme)))
    return query


def themes(territory_id: int | None = None) -> list[str]:
    """The themes of the proposals linked to commitments (of a territory), by name."""
    from concertation.consultations.models import Theme

    query = (
        select(Theme.name)
        .join(Proposal, Proposal.theme_id == Theme.id)
        .join(CommitmentProposal, CommitmentProposal.proposal_id == Proposal.id)
        .join(Commitment, Commitment.id == CommitmentProposal.commitment_id)
        .distinct()
        .order_by(Theme.name)
        .limit(200)
    )
    if territory_id is not None:
        query = query.where(Commitment.territory_id == territory_id)
    return list(db.session.scalars(query))


def commitments_of_proposal(proposal: Proposal) -> list[Commitment]:
    """What a proposal became: the commitments linked to it."""
    return list(
        db.session.scalars(
            select(Commitment)
            .join(CommitmentProposal, CommitmentProposal.commitment_id == Commitment.id)
            .where(CommitmentProposal.proposal_id == proposal.id)
            .order_by(Commitment.id)
        )
    )
