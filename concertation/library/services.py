"""The library's actions: write an entry, declare « nous l’utilisons aussi », find tools by need."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, case, func, select

from concertation import query_args
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.french import STOP_WORDS, fold
from concertation.library.models import (
    AUDIENCES,
    COST_BANDS,
    ENTRY_TEXTS,
    HOSTINGS,
    METIERS,
    RETOUR_TEXTS,
    STATUSES,
    EntryCommitment,
    EntryProposal,
    LibraryAdoption,
    LibraryEntry,
)
from concertation.territories.models import Territory
from concertation.text import to_html

TITLE_MIN, TITLE_MAX = 5, 150
TEXT_MAX = 5000
SHORT_MAX = 150
CONTACT_MAX = 254
AGENTS_MAX = 1_000_000
PER_PAGE = 20


@dataclass
class EntryData:
    """What an entry's form holds; the long texts as typed (Markdown)."""

    title: str
    metier: str
    audience: str
    status: str
    need: str
    description: str = ""
    service: str = ""
    started_on: date | None = None
    deployed_on: date | None = None
    ended_on: date | None = None
    abandon_reason: str = ""
    data_used: str = ""
    personal_data: bool = False
    dpia_done: bool = False
    hosting: str = "unknown"
    host_name: str = ""
    open_source: bool = False
    vendor: str = ""
    cost_band: str = "unknown"
    human_oversight: str = ""
    human_reachable: bool = False
    frugality: str = ""
    training: str = ""
    agents_concerned: int | None = None
    agents_trained: int | None = None
    results: str = ""
    contact: str = ""


@dataclass
class RetourData:
    """A retour d’expérience: the context of the adopting territory, what it gained, what was hard."""

    context: str = ""
    gains: str = ""
    difficulties: str = ""
    would_recommend: bool = True


def _check_choice(value: str, allowed: dict, field_name: str) -> None:
    if value not in allowed:
        raise ActionRefused(_l("Choisissez une valeur dans la liste."), field=field_name)


def check_entry(data: EntryData) -> None:
    """Refuse, next to its field, what breaks a rule of the library."""
    title = (data.title or "").strip()
    if not TITLE_MIN <= len(title) <= TITLE_MAX:
        raise ActionRefused(_l("Le titre doit faire entre 5 et 150 caractères."), field="title")
    if not (data.need or "").strip():
        raise ActionRefused(_l("Décrivez le besoin auquel l’outil répond."), field="need")
    _check_choice(data.metier, METIERS, "metier")
    _check_choice(data.audience, AUDIENCES, "audience")
    _check_choice(data.status, STATUSES, "status")
    _check_choice(data.hosting, HOSTINGS, "hosting")
    _check_choice(data.cost_band, COST_BANDS, "cost_band")
    for name in ENTRY_TEXTS:
        if len(getattr(data, name) or "") > TEXT_MAX:
            raise ActionRefused(_l("Ce texte doit faire au plus 5 000 caractères."), field=name)
    if len(data.abandon_reason or "") > TEXT_MAX:
        raise ActionRefused(_l("Ce texte doit faire au plus 5 000 caractères."), field="abandon_reason")
    for name in ("service", "host_name", "vendor"):
        if len(getattr(data, name) or "") > SHORT_MAX:
            raise ActionRefused(_l("Ce champ doit faire au plus 150 caractères."), field=name)
    if len(data.contact or "") > CONTACT_MAX:
        raise ActionRefused(_l("Le contact doit faire au plus 254 caractères."), field="contact")
    if data.status == "abandonne" and not (data.abandon_reason or "").strip():
        raise ActionRefused(
            _l("Dites pourquoi l’outil a été abandonné : c’est utile aux autres."), field="abandon_reason"
        )
    if not data.open_source and not (data.vendor or "").strip():
        raise ActionRefused(_l("Nommez l’éditeur de l’outil, ou cochez « logiciel libre »."), field="vendor")
    if data.dpia_done and not data.personal_data:
        raise ActionRefused(
            _l("Une analyse d’impact (AIPD) ne se déclare que pour un outil qui traite des données personnelles."),
            field="dpia_done",
        )
    if data.started_on and data.deployed_on and data.deployed_on < data.started_on:
        raise ActionRefused(_l("La mise en service ne peut pas précéder le début du projet."), field="deployed_on")
    if data.started_on and data.ended_on and data.ended_on < data.started_on:
        raise ActionRefused(_l("L’arrêt ne peut pas précéder le début du projet."), field="ended_on")
    for name in ("agents_concerned", "agents_trained"):
        value = getattr(data, name)
        if value is not None and not 0 <= value <= AGENTS_MAX:
            raise ActionRefused(_l("Donnez un nombre d’agents entre 0 et 1 000 000."), field=name)
    if data.agents_trained is not None and data.agents_concerned is None:
        raise ActionRefused(_l("Dites aussi combien d’agents utilisent l’outil."), field="agents_concerned")
    if (
        data.agents_trained is not None
        and data.agents_concerned is not None
        and data.agents_trained > data.agents_concerned
    ):
        raise ActionRefused(
            _l("Il ne peut pas y avoir plus d’agents formés que d’agents qui utilisent l’outil."),
            field="agents_trained",
        )
    for name in ("started_on", "deployed_on", "ended_on"):
        value = getattr(data, name)
        if value is not None and query_args.bounded_day(value) != value:
            raise ActionRefused(_l("Donnez une date entre 2000 et 2100."), field=name)


def search_text_of(entry: LibraryEntry) -> str:
    """The entry's searchable words, folded and padded with spaces (see LibraryEntry.search_text)."""
    typed = " ".join([entry.title, entry.need, entry.service, entry.description, entry.vendor, entry.host_name])
    return " " + " ".join(re.findall(r"[a-z0-9]+", fold(typed))) + " "


def _apply(entry: LibraryEntry, data: EntryData, now: datetime) -> None:
    check_entry(data)
    entry.title = data.title.strip()
    for name in ("metier", "audience", "status", "hosting", "cost_band"):
        setattr(entry, name, getattr(data, name))
    for name in ("service", "host_name", "vendor", "contact"):
        setattr(entry, name, (getattr(data, name) or "").strip())
    for name in ("personal_data", "dpia_done", "open_source", "human_reachable"):
        setattr(entry, name, bool(getattr(data, name)))
    entry.started_on, entry.deployed_on = data.started_on, data.deployed_on
    entry.agents_concerned, entry.agents_trained = data.agents_concerned, data.agents_trained
    # A date of abandon, and its reason, only for an abandoned tool.
    abandoned = data.status == "abandonne"
    entry.ended_on = data.ended_on if abandoned else None
    entry.abandon_reason = (data.abandon_reason or "").strip() if abandoned else ""
    for name in ENTRY_TEXTS:
        typed = getattr(data, name) or ""
        setattr(entry, name, typed)
        setattr(entry, f"{name}_html", to_html(typed))
    entry.search_text = search_text_of(entry)
    entry.updated_at = now


def create_entry(author, territory: Territory, data: EntryData, now: datetime) -> LibraryEntry:
    """A new entry of `territory`'s library, written by one of its agents or organisers."""
    entry = LibraryEntry(territory_id=territory.id, created_by_id=author.id, created_at=now)
    _apply(entry, data, now)
    db.session.add(entry)
    db.session.flush()
    return entry


def update_entry(entry: LibraryEntry, data: EntryData, now: datetime) -> LibraryEntry:
    _apply(entry, data, now)
    db.session.flush()
    return entry


def entry_data(entry: LibraryEntry) -> EntryData:
    """What the edit form starts from."""
    return EntryData(**{name: getattr(entry, name) for name in EntryData.__dataclass_fields__})


# Links: the commitments and proposals that led to the tool ------------------


def set_links(
    actor,
    entry: LibraryEntry,
    commitment_ids: Iterable[int],
    realised_ids: Iterable[int],
    proposal_ids: Iterable[int],
    now: datetime,
) -> None:
    """Link the entry to commitments and proposals of its own territory, replacing the former links.

    A commitment the tool carries out (`realised_ids`) is linked too; the commitment's history
    says when a tool starts or stops carrying it out (see commitments.record_realisation).
    """
    from concertation.commitments import services as commitments
    from concertation.commitments.models import Commitment

    realised = set(realised_ids)
    wanted = set(commitment_ids) | realised
    found = {}
    if wanted:
        found = {
            c.id: c
            for c in db.session.scalars(
                select(Commitment).where(
                    Commitment.id.in_(sorted(wanted)), Commitment.territory_id == entry.territory_id
                )
            )
        }
    if len(found) != len(wanted):
        raise ActionRefused(_l("Un outil ne se lie qu’aux engagements de sa propre collectivité."), field="commitments")
    proposals = commitments.territory_proposals(entry.territory_id, proposal_ids)

    current = {link.commitment_id: link for link in commitment_links(entry)}
    for commitment_id, stale in current.items():
        if commitment_id not in wanted:
            if stale.realises:
                commitments.record_realisation(actor, stale.commitment, entry.title, False, now)
            db.session.delete(stale)
    for commitment_id in sorted(wanted):
        link = current.get(commitment_id)
        if link is None:
            link = EntryCommitment(entry_id=entry.id, commitment_id=commitment_id, realises=False)
            db.session.add(link)
        if link.realises != (commitment_id in realised):
            link.realises = commitment_id in realised
            commitments.record_realisation(actor, found[commitment_id], entry.title, link.realises, now)

    linked = {link.proposal_id: link for link in proposal_links(entry)}
    kept = {p.id for p in proposals}
    for proposal_id, link in linked.items():
        if proposal_id not in kept:
            db.session.delete(link)
    for proposal_id in sorted(kept - set(linked)):
        db.session.add(EntryProposal(entry_id=entry.id, proposal_id=proposal_id))
    entry.updated_at = now
    db.session.flush()


def commitment_links(entry: LibraryEntry) -> list[EntryCommitment]:
    return list(
        db.session.scalars(
            select(EntryCommitment).where(EntryCommitment.entry_id == entry.id).order_by(EntryCommitment.id)
        )
    )


def proposal_links(entry: LibraryEntry) -> list[EntryProposal]:
    return list(
        db.session.scalars(select(EntryProposal).where(EntryProposal.entry_id == entry.id).order_by(EntryProposal.id))
    )


def entries_of_commitment(commitment) -> list[EntryCommitment]:
    """The tools of the library linked to a commitment, those that carry it out first."""
    return list(
        db.session.scalars(
            select(EntryCommitment)
            .where(EntryCommitment.commitment_id == commitment.id)
            .order_by(EntryCommitment.realises.desc(), EntryCommitment.id)
        )
    )


def tools_of_proposal(proposal) -> list[LibraryEntry]:
    """The tools a proposal led to: linked to it, or to a commitment born of it."""
    from concertation.commitments.models import CommitmentProposal

    through_commitments = (
        select(EntryCommitment.entry_id)
        .join(CommitmentProposal, CommitmentProposal.commitment_id == EntryCommitment.commitment_id)
        .where(CommitmentProposal.proposal_id == proposal.id)
    )
    directly = select(EntryProposal.entry_id).where(EntryProposal.proposal_id == proposal.id)
    return list(
        db.session.scalars(
            select(LibraryEntry)
            .where(LibraryEntry.id.in_(through_commitments.union(directly)))
            .order_by(LibraryEntry.title, LibraryEntry.id)
        )
    )


# Adoptions ------------------------------------------------------------------


def adoption_of(entry: LibraryEntry, territory: Territory) -> LibraryAdoption | None:
    return db.session.scalar(
        select(LibraryAdoption).where(
            LibraryAdoption.entry_id == entry.id, LibraryAdoption.territory_id == territory.id
        )
    )


def declare_adoption(user, entry: LibraryEntry, territory: Territory, retour: RetourData, now: datetime):
    """« Nous l’utilisons aussi »: `territory` uses the entry's tool; declared again, its retour is updated."""
    if territory.id == entry.territory_id:
        raise ActionRefused(_l("Cette fiche est celle de votre collectivité : elle l’utilise déjà."), field="territory")
    if not any((getattr(retour, name) or "").strip() for name in RETOUR_TEXTS):
        raise ActionRefused(
            _l("Racontez au moins le contexte, les gains ou les difficultés : c’est ce que les autres cherchent."),
            field="context",
        )
    for name in RETOUR_TEXTS:
        if len(getattr(retour, name) or "") > TEXT_MAX:
            raise ActionRefused(_l("Ce texte doit faire au plus 5 000 caractères."), field=name)
    adoption = adoption_of(entry, territory)
    if adoption is None:
        adoption = LibraryAdoption(entry_id=entry.id, territory_id=territory.id, created_at=now)
        db.session.add(adoption)
    adoption.declared_by_id = user.id
    for name in RETOUR_TEXTS:
        typed = getattr(retour, name) or ""
        setattr(adoption, name, typed)
        setattr(adoption, f"{name}_html", to_html(typed))
    adoption.would_recommend = bool(retour.would_recommend)
    adoption.updated_at = now
    db.session.flush()
    return adoption


def adoptions_of(entry: LibraryEntry) -> list[LibraryAdoption]:
    return list(
        db.session.scalars(
            select(LibraryAdoption)
            .where(LibraryAdoption.entry_id == entry.id)
            .order_by(LibraryAdoption.created_at, LibraryAdoption.id)
        )
    )


def adoption_counts(entry_ids: list[int]) -> dict[int, int]:
    """How many other territories use each entry's tool, in one query."""
    if not entry_ids:
        return {}
    rows = db.session.execute(
        select(LibraryAdoption.entry_id, func.count())
        .where(LibraryAdoption.entry_id.in_(entry_ids))
        .group_by(LibraryAdoption.entry_id)
    )
    return {entry_id: n for entry_id, n in rows}


# Finding tools by need ------------------------------------------------------


@dataclass
class LibraryFilters:
    """What a visitor looks for; None (or "") means any."""

    q: str = ""
    metier: str | None = None
    audience: str | None = None
    status: str | None = None
    open_source: bool | None = None
    personal_data: bool | None = None
    hosting: str | None = None
    territory_id: int | None = None


def query_words(query: str, keep_stop_words: bool = True) -> list[str]:
    """The searchable words of what someone typed: folded, alphanumeric, at most 12."""
    found = re.findall(r"[a-z0-9]+", fold(query or ""))
    kept = [w for w in found if keep_stop_words or (len(w) >= 3 and w not in STOP_WORDS)]
    return list(dict.fromkeys(kept))[:12]


def _word_start(word: str):
    # Words are [a-z0-9]+ only: nothing to escape in the pattern.
    return LibraryEntry.search_text.like(f"% {word}%")


def search_query(filters: LibraryFilters) -> Select:
    """Entries matching the filters, every typed word appearing as a word start; most adopted first."""
    query = select(LibraryEntry)
    conditions = []
    if filters.metier in METIERS:
        conditions.append(LibraryEntry.metier == filters.metier)
    if filters.audience in AUDIENCES:
        # Looking for tools for agents also finds the tools for both.
        conditions.append(LibraryEntry.audience.in_((filters.audience, "both")))
    if filters.status in STATUSES:
        conditions.append(LibraryEntry.status == filters.status)
    if filters.hosting in HOSTINGS:
        conditions.append(LibraryEntry.hosting == filters.hosting)
    if filters.open_source is not None:
        conditions.append(LibraryEntry.open_source == filters.open_source)
    if filters.personal_data is not None:
        conditions.append(LibraryEntry.personal_data == filters.personal_data)
    if filters.territory_id is not None:
        conditions.append(LibraryEntry.territory_id == filters.territory_id)
    conditions.extend(_word_start(word) for word in query_words(filters.q))
    adopted = (
        select(func.count())
        .where(LibraryAdoption.entry_id == LibraryEntry.id)
        .correlate(LibraryEntry)
        .scalar_subquery()
    )
    return query.where(*conditions).order_by(adopted.desc(), LibraryEntry.title, LibraryEntry.id)


def search_entries(filters: LibraryFilters, page: int = 1, per_page: int = PER_PAGE):
    """One page of the entries found, with its exact total."""
    return query_args.paginate(search_query(filters), per_page, page=page)


def similar_entries(entry: LibraryEntry, limit: int = 4) -> list[LibraryEntry]:
    """Entries of the same métier or sharing words of the title and need, best match first."""
    # Words cut to their first six letters, a crude stem: « courriers » finds « courrier », « rendus » « rendu ».
    words = query_words(f"{entry.title} {entry.need[:500]}", keep_stop_words=False)
    terms = list(dict.fromkeys(word[:6] for word in words))[:10]
    score: ColumnElement[int] = case((LibraryEntry.metier == entry.metier, 3), else_=0)
    for term in terms:
        score = score + case((_word_start(term), 1), else_=0)
    query = (
        select(LibraryEntry)
        .where(LibraryEntry.id != entry.id, score >= 2)
        .order_by(score.desc(), LibraryEntry.id)
        .limit(limit)
    )
    return list(db.session.scalars(query))
