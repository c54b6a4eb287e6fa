"""The synthesis aid's stored state: theme groups, where each proposal stands, the organisers' edits.

``refresh_aid`` is the one entry point a background job calls: it embeds what
is missing, then either forms the groups (the first time, or when asked to
start over) or places the new proposals into the existing groups by their
nearest centre, so that what the organisers renamed, merged, split or moved is
kept. Drafts and duplicates are stored as proposal numbers (with the hash of
the text a draft quotes), never as copies of the text: the page reads the
proposals as they are now.
"""

import time
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from sqlalchemy import delete, select

from flask_babel import lazy_gettext as _l

from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.proposals.models import Proposal
from concertation.synthesis import embeddings, opinions, semantic
from concertation.synthesis.figures import visible_proposal
from concertation.synthesis.models import AidGroup, AidPlacement, AidRun

MAX_NAME = 150


def run_of(consultation) -> AidRun | None:
    return db.session.scalar(select(AidRun).where(AidRun.consultation_id == consultation.id))


def groups_of(consultation) -> list[AidGroup]:
    return list(
        db.session.scalars(
            select(AidGroup).where(AidGroup.consultation_id == consultation.id).order_by(AidGroup.position, AidGroup.id)
        )
    )


def _items(consultation) -> list[tuple[int, str, str]]:
    return [
        tuple(r)
        for r in db.session.execute(
            select(Proposal.id, Proposal.title, Proposal.body)
            .where(visible_proposal(consultation.id))
            .order_by(Proposal.id)
        )
    ]


def _representation(consultation):
    """The visible proposals that have an up-to-date vector, and their representation."""
    vectors = embeddings.stored_vectors(consultation.id)
    items = [item for item in _items(consultation) if item[0] in vectors]
    if not items:
        return items, None
    return items, semantic.represent(items, np.vstack([vectors[pid] for pid, _t, _b in items]))


_subjects: dict[tuple, np.ndarray] = {}


def subject_of(consultation) -> np.ndarray:
    """The consultation's title, description and themes embedded (kept for the process, keyed by model and text)."""
    texts = semantic.subject_texts(
        consultation.title, consultation.description or "", [t.name for t in consultation.themes]
    )
    key = (embeddings.model_name(), tuple(texts))
    if key not in _subjects:
        if len(_subjects) > 256:
            _subjects.clear()
        _subjects[key] = embeddings.embed_texts(list(texts))
    return _subjects[key]


def refresh_aid(consultation, now: datetime, start_over: bool = False, budget: float | None = None) -> AidRun:
    """Compute (or bring up to date) the consultation's aid; the caller commits.

    ``budget`` bounds the seconds spent reading new proposals with the model (a web request);
    while some remain unread, groups are not formed for the first time (they would be formed
    on a part only): the run says how many remain, and the next call goes on.

    Without a model (AID_EMBEDDING_MODEL=none, or the package missing), the run
    is marked « words »: the page then shows today's method (grouping.py) and says why.
    """
    started = time.perf_counter()
    run = run_of(consultation)
    if run is None:
        run = AidRun(consultation_id=consultation.id, method="embeddings")
        db.session.add(run)
    run.computed_at = now
    run.opinions = opinions.opinion_groups(consultation)
    try:
        embeddings.compute_embeddings(consultation.id, budget=budget)
    except embeddings.ModelUnavailable as error:
        run.method, run.model, run.notice, run.duplicates = "words", "", str(error), []
        run.seconds = round(time.perf_counter() - started, 2)
        db.session.flush()
        return run
    run.method, run.model, run.notice = "embeddings", embeddings.model_name(), ""
    items, rep = _representation(consultation)
    ids = [pid for pid, _t, _b in items]
    db.session.execute(
        delete(AidPlacement).where(
            AidPlacement.consultation_id == consultation.id, AidPlacement.proposal_id.not_in(ids)
        )
    )
    groups = groups_of(consultation)
    run.remaining = embeddings.missing_count(consultation.id)
    if run.remaining and (start_over or not groups):
        run.seconds = round(time.perf_counter() - started, 2)
        db.session.flush()
        return run
    if start_over or not groups:
        db.session.execute(delete(AidPlacement).where(AidPlacement.consultation_id == consultation.id))
        db.session.execute(delete(AidGroup).where(AidGroup.consultation_id == consultation.id))
        groups = []
        if rep is not None:
            rep.subject = semantic.subject_rows(subject_of(consultation))
            labels, _scores = (
                semantic.cluster(rep) if len(items) >= semantic.MIN_GROUP else (np.full(len(items), -1), None)
            )
            k = int(labels.max()) + 1 if len(labels) else 0
            groups = [AidGroup(consultation_id=consultation.id, position=g) for g in range(k)]
            db.session.add_all(groups)
            db.session.flush()
            db.session.add_all(
                AidPlacement(
                    proposal_id=pid, consultation_id=consultation.id, group_id=groups[label].id if label >= 0 else None
                )
                for pid, label in zip(ids, labels.tolist())
            )
    elif rep is not None:
        _place_new(consultation, items, rep, groups)
    db.session.flush()
    _describe(consultation, items, rep)
    run.duplicates = (
        [] if rep is None else [[ids[i], ids[j], round(s, 3)] for i, j, s in semantic.likely_duplicates(rep)]
    )
    run.seconds = round(time.perf_counter() - started, 2)
    db.session.flush()
    return run


def _labels(consultation, items, groups) -> tuple[np.ndarray, dict[int, AidPlacement]]:
    """Each item's group index in ``groups`` (-1 apart, -2 not placed yet), and the placements by proposal."""
    index = {g.id: i for i, g in enumerate(groups)}
    placements = {
        p.proposal_id: p
        for p in db.session.scalars(select(AidPlacement).where(AidPlacement.consultation_id == consultation.id))
    }
    labels = np.array(
        [-2 if pid not in placements else index.get(placements[pid].group_id, -1) for pid, _t, _b in items],
        dtype=np.int64,
    )
    return labels, placements


def _place_new(consultation, items, rep, groups) -> None:
    """New proposals join the existing group of the nearest centre (or stand apart); nothing else moves."""
    labels, _placements = _labels(consultation, items, groups)
    new = np.flatnonzero(labels == -2)
    if not len(new):
        return
    centres = semantic.centres_of(rep.points, np.where(labels >= 0, labels, -1), len(groups))
    placed, _scores = semantic.place(rep.points[new], centres)
    db.session.add_all(
        AidPlacement(
            proposal_id=items[i][0], consultation_id=consultation.id, group_id=groups[g].id if g >= 0 else None
        )
        for i, g in zip(new.tolist(), placed.tolist())
    )
    db.session.flush()


def _describe(consultation, items, rep) -> None:
    """Recompute each group's telling words, cited draft and its members' scores from the current placements."""
    groups = groups_of(consultation)
    if rep is None or not groups:
        return
    labels, placements = _labels(consultation, items, groups)
    labels = np.where(labels >= 0, labels, -1)
    k = len(groups)
    words = semantic.telling_words(rep, labels, k)
    centres = semantic.centres_of(rep.points, labels, k)
    similarity = rep.points @ centres.T if k else np.zeros((len(items), 0))
    hashes = {pid: embeddings.text_hash(title, body) for pid, title, body in items}
    for i, (pid, _t, _b) in enumerate(items):
        if pid in placements and k:
            placements[pid].score = float(similarity[i, labels[i]] if labels[i] >= 0 else similarity[i].max())
    for g, group in enumerate(groups):
        members = np.flatnonzero(labels == g)
        group.words = words[g]
        group.draft = [
            [pid, number, hashes[pid]]
            for pid, number, _s in semantic.draft(rep, items, members, centres[g], semantic.group_weights(rep, members))
        ]
    db.session.flush()


# The organisers' edits ------------------------------------------------------------------------------------------


def _refresh_descriptions(consultation) -> None:
    items, rep = _representation(consultation)
    _describe(consultation, items, rep)


def group_in(consultation, group_id: int) -> AidGroup:
    group = db.session.get(AidGroup, group_id)
    if group is None or group.consultation_id != consultation.id:
        raise ActionRefused(
            _l("Ce groupe n’existe pas (ou plus) dans cette consultation."), field="group_id", status=404
        )
    return group


def rename_group(group: AidGroup, name: str) -> AidGroup:
    """Give a group the organisers' name (an empty name goes back to its telling words)."""
    name = " ".join((name or "").split())
    if len(name) > MAX_NAME:
        raise ActionRefused(_l("Le nom d’un groupe fait au plus %(num)d caractères.", num=MAX_NAME), field="name")
    group.name = name or None
    db.session.flush()
    return group


def merge_groups(consultation, group: AidGroup, other: AidGroup) -> AidGroup:
    """Move every proposal of ``other`` into ``group`` and delete ``other``."""
    if group.id == other.id:
        raise ActionRefused(_l("Choisissez deux groupes différents."), field="other_id")
    db.session.execute(
        AidPlacement.__table__.update().where(AidPlacement.__table__.c.group_id == other.id).values(group_id=group.id)
    )
    if not group.name and other.name:
        group.name = other.name
    db.session.delete(other)
    db.session.flush()
    _refresh_descriptions(consultation)
    return group


def _proposal_ids(consultation, raw: str) -> list[int]:
    """Numbers typed by an organiser (« 12, 15 18 ») that are placed in this consultation's aid."""
    try:
        wanted = sorted({int(part) for part in raw.replace(",", " ").replace(";", " ").split()})
    except ValueError:
        raise ActionRefused(
            _l("Indiquez des numéros de propositions séparés par des virgules ou des espaces."), field="proposals"
        ) from None
    if not wanted:
        raise ActionRefused(_l("Indiquez au moins un numéro de proposition."), field="proposals")
    found = set(
        db.session.scalars(
            select(AidPlacement.proposal_id).where(
                AidPlacement.consultation_id == consultation.id, AidPlacement.proposal_id.in_(wanted[:5000])
            )
        )
    )
    unknown = [n for n in wanted if n not in found]
    if unknown:
        raise ActionRefused(
            _l(
                "Ces numéros ne sont pas des propositions visibles de l’aide : %(numbers)s.",
                numbers=", ".join(map(str, unknown[:10])),
            ),
            field="proposals",
        )
    return wanted


def split_group(consultation, group: AidGroup, raw_ids: str, name: str = "") -> AidGroup:
    """Make a new group of some of ``group``'s proposals (they are pinned there)."""
    ids = _proposal_ids(consultation, raw_ids)
    placements = list(db.session.scalars(select(AidPlacement).where(AidPlacement.proposal_id.in_(ids))))
    outside = [p.proposal_id for p in placements if p.group_id != group.id]
    if outside:
        raise ActionRefused(
            _l("Ces propositions ne sont pas dans ce groupe : %(numbers)s.", numbers=", ".join(map(str, outside[:10]))),
            field="proposals",
        )
    position = max((g.position for g in groups_of(consultation)), default=0) + 1
    new = AidGroup(consultation_id=consultation.id, position=position)
    rename_group(new, name)
    db.session.add(new)
    db.session.flush()
    for placement in placements:
        placement.group_id, placement.pinned = new.id, True
    db.session.flush()
    _refresh_descriptions(consultation)
    return new


def move_proposals(consultation, raw_ids: str, group: AidGroup | None) -> list[int]:
    """Put proposals into a group (or « à part » with None); they are pinned: no computation moves them."""
    ids = _proposal_ids(consultation, raw_ids)
    for placement in db.session.scalars(select(AidPlacement).where(AidPlacement.proposal_id.in_(ids))):
        placement.group_id, placement.pinned = (group.id if group else None), True
    db.session.flush()
    _refresh_descriptions(consultation)
    return ids


# What the page shows ------------------------------------------------------------------------------------------


@dataclass
class Quote:
    proposal_id: int
    title: str
    sentence: str


@dataclass
class GroupView:
    group: AidGroup
    members: list[tuple[int, str]]
    draft: list[Quote] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.group.name or ", ".join(self.group.words) or "—"


@dataclass
class AidView:
    run: AidRun
    groups: list[GroupView]
    apart: list[tuple[int, str]]
    duplicates: list[tuple[tuple[int, str], tuple[int, str], float]]
    proposal_count: int
    unplaced: int


def aid_view(consultation, run: AidRun) -> AidView:
    """Groups, « à part », duplicates and drafts as they stand, read from the live proposals (a few queries)."""
    rows = db.session.execute(
        select(Proposal.id, Proposal.title, Proposal.body, AidPlacement.group_id, AidPlacement.score)
        .outerjoin(AidPlacement, AidPlacement.proposal_id == Proposal.id)
        .where(visible_proposal(consultation.id))
    ).all()
    texts = {pid: (title, body) for pid, title, body, _g, _s in rows}
    groups = groups_of(consultation)
    members: dict[int | None, list] = {g.id: [] for g in groups}
    apart, unplaced = [], 0
    for pid, title, _body, group_id, score in sorted(rows, key=lambda r: (-(r[4] or 0), r[0])):
        if score is None:
            unplaced += 1
        elif group_id in members:
            members[group_id].append((pid, title))
        else:
            apart.append((pid, title))
    views = []
    for group in groups:
        quotes = []
        for pid, number, digest in group.draft or []:
            if pid in texts and embeddings.text_hash(*texts[pid]) == digest:
                found = semantic.sentences(*texts[pid])
                if number < len(found):
                    quotes.append(Quote(pid, texts[pid][0], found[number]))
        views.append(GroupView(group, members[group.id], quotes))
    duplicates = [
        ((a, texts[a][0]), (b, texts[b][0]), s) for a, b, s in run.duplicates or [] if a in texts and b in texts
    ]
    return AidView(run, views, sorted(apart), duplicates, len(rows), unplaced)


def draft_markdown(view: GroupView, link) -> str:
    """The group's draft as Markdown for a synthesis section: each quote with its proposal's link."""
    lines = [f"> « {q.sentence} » — [proposition n° {q.proposal_id}]({link(q.proposal_id)})" for q in view.draft]
    return "\n\n".join(lines)


def accept_draft(section, view: GroupView, link) -> int:
    """Append the group's draft to a synthesis section, one paragraph a quote, each citing its proposal.

    The organiser edits the section afterwards; nothing is published until they publish. Returns the quotes added.
    """
    from concertation.synthesis import services
    from concertation.text import to_html

    if not view.draft:
        raise ActionRefused(_l("Ce groupe n’a pas de brouillon : calculez l’aide à nouveau."), field="section_id")
    first = len(services.paragraphs(section.body)) + 1
    addition = draft_markdown(view, link)
    body = f"{section.body.rstrip()}\n\n{addition}" if section.body.strip() else addition
    if len(body) > services.MAX_TEXT:
        raise ActionRefused(_l("La section deviendrait trop longue : raccourcissez-la d’abord."), field="section_id")
    section.body, section.body_html = body, to_html(body)
    db.session.flush()
    for number, quote in enumerate(view.draft, start=first):
        services.add_citation(section, "proposal", quote.proposal_id, number)
    return len(view.draft)


def group_choices(consultation) -> list[tuple[int, str]]:
    return [(g.id, g.name or ", ".join(g.words) or str(g.id)) for g in groups_of(consultation)]


def titles_of(consultation, proposal_ids: list[int]) -> dict[int, str]:
    """Live titles of some visible proposals of the consultation."""
    if not proposal_ids:
        return {}
    return dict(
        db.session.execute(
            select(Proposal.id, Proposal.title).where(visible_proposal(consultation.id), Proposal.id.in_(proposal_ids))
        ).all()
    )
