"""Syntheses: drafting, citing, choosing the retained proposals, publishing versions, merging duplicates.

Services change the session and flush; the caller commits once.
"""

import re
from datetime import datetime

from sqlalchemy import case, exists, func, insert, literal, select, update
from sqlalchemy.orm import aliased

from concertation.accounts.models import DELETED_PSEUDONYM, User
from concertation.comments.models import Comment
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.proposals.models import Proposal
from concertation.synthesis import figures, opinions
from concertation.synthesis.models import (
    ProposalMerge, RetainedProposalSnapshot, Synthesis, SynthesisCitation, SynthesisRetained, SynthesisSection,
    SynthesisVersion,
)
from concertation.text import excerpt, to_html
from concertation.voting.models import Grade, Support, SupportQuota

MAX_TEXT = 30_000


# Drafting ---------------------------------------------------------------------

def draft_of(consultation) -> Synthesis | None:
    return db.session.scalar(select(Synthesis).where(Synthesis.consultation_id == consultation.id))


def start_synthesis(organiser: User, consultation) -> Synthesis:
    """The consultation's draft, created with one section per theme the first time."""
    synthesis = draft_of(consultation)
    if synthesis is not None:
        return synthesis
    synthesis = Synthesis(consultation_id=consultation.id, title=f"Synthèse — {consultation.title}"[:200],
                          created_by_id=organiser.id)
    themes = consultation.themes or []
    synthesis.sections = [SynthesisSection(theme_id=t.id, title=t.name, position=i) for i, t in enumerate(themes)] \
        or [SynthesisSection(title="Ce que les participant·es ont dit", position=0)]
    db.session.add(synthesis)
    db.session.flush()
    return synthesis


def update_synthesis(synthesis: Synthesis, title: str, introduction: str, bodies: dict[int, str]) -> Synthesis:
    """Save the draft's title, introduction and section texts (Markdown, rendered once by text.py)."""
    title = (title or "").strip()
    if len(title) < 5:
        raise ActionRefused("Le titre de la synthèse doit faire au moins 5 caractères.", field="title")
    for text in (introduction, *bodies.values()):
        if len(text or "") > MAX_TEXT:
            raise ActionRefused(f"Un texte dépasse {MAX_TEXT:,} caractères.".replace(",", " "))
    synthesis.title = title[:200]
    synthesis.introduction = introduction or ""
    synthesis.introduction_html = to_html(synthesis.introduction)
    for section in synthesis.sections:
        if section.id in bodies:
            section.body = bodies[section.id] or ""
            section.body_html = to_html(section.body)
    db.session.flush()
    return synthesis


def paragraphs(text: str) -> list[str]:
    """The paragraphs of a Markdown text, as a reader counts them (blocks separated by a blank line)."""
    return [p for p in re.split(r"\n\s*\n", text or "") if p.strip()]


def retainable(consultation) -> list[Proposal]:
    """The visible proposals the organisers answered "retained", most supported first."""
    return list(db.session.scalars(
        select(Proposal).where(figures.visible_proposal(consultation.id), Proposal.answer == "retained")
        .order_by(Proposal.support_count.desc(), Proposal.id)))


def set_retained(synthesis: Synthesis, proposal_ids: list[int]) -> None:
    """Choose, in order, the retained proposals the synthesis puts forward."""
    allowed = {p.id for p in retainable(synthesis.consultation)}
    unknown = [pid for pid in proposal_ids if pid not in allowed]
    if unknown:
        raise ActionRefused("Seules les propositions visibles auxquelles vous avez répondu « Retenue » peuvent "
                            "figurer dans la synthèse.", field="proposals")
    ordered = list(dict.fromkeys(proposal_ids))
    synthesis.retained = [SynthesisRetained(proposal_id=pid, position=i) for i, pid in enumerate(ordered)]
    db.session.flush()


def add_citation(section: SynthesisSection, kind: str, source_id: int, paragraph: int | None) -> SynthesisCitation:
    """Attach a visible proposal or comment of the consultation to a section or one of its paragraphs."""
    consultation_id = section.synthesis.consultation_id
    if kind == "proposal":
        found = db.session.scalar(select(Proposal.id).where(Proposal.id == source_id,
                                                            figures.visible_proposal(consultation_id)))
    elif kind == "comment":
        found = db.session.scalar(select(Comment.id).where(Comment.id == source_id,
                                                           figures.visible_comment(consultation_id)))
    else:
        raise ActionRefused("Choisissez une proposition ou un commentaire.", field="kind")
    if found is None:
        raise ActionRefused("Aucune contribution visible de cette consultation ne porte ce numéro.",
                            field="source_id")
    if paragraph is not None and not 1 <= paragraph <= len(paragraphs(section.body)):
        raise ActionRefused(f"La section compte {len(paragraphs(section.body))} paragraphe(s) enregistré(s).",
                            field="paragraph")
    column = "proposal_id" if kind == "proposal" else "comment_id"
    if any(getattr(c, column) == source_id and c.paragraph == paragraph for c in section.citations):
        raise ActionRefused("Cette contribution est déjà citée à cet endroit.", field="source_id")
    citation = SynthesisCitation(paragraph=paragraph, **{column: source_id})
    section.citations.append(citation)
    db.session.flush()
    return citation


def remove_citation(citation: SynthesisCitation) -> None:
    section = db.session.get(SynthesisSection, citation.section_id)
    db.session.delete(citation)
    db.session.flush()
    db.session.expire(section, ["citations"])


# Publishing -------------------------------------------------------------------

def _frozen_citations(synthesis: Synthesis) -> dict[int, list[dict]]:
    """Each section's citations, numbered across the document, with what a reader needs of their source."""
    citations = [(s, c) for s in synthesis.sections for c in s.citations]
    proposal_ids = {c.proposal_id for _s, c in citations if c.proposal_id}
    comment_ids = {c.comment_id for _s, c in citations if c.comment_id}
    consultation_id = synthesis.consultation_id
    proposals = {p.id: p for p in db.session.scalars(select(Proposal).where(
        Proposal.id.in_(proposal_ids), figures.visible_proposal(consultation_id)))} if proposal_ids else {}
    comments = {c.id: c for c in db.session.scalars(select(Comment).where(
        Comment.id.in_(comment_ids), figures.visible_comment(consultation_id)))} if comment_ids else {}
    gone = sorted(proposal_ids - set(proposals)) + sorted(comment_ids - set(comments))
    if gone:
        raise ActionRefused("Des contributions citées ne sont plus visibles (masquées, retirées ou fusionnées) : "
                            f"n° {', '.join(map(str, gone))}. Retirez ces citations avant de publier.")
    frozen: dict[int, list[dict]] = {s.id: [] for s in synthesis.sections}
    for number, (section, c) in enumerate(citations, start=1):
        if c.proposal_id:
            p = proposals[c.proposal_id]
            entry = dict(kind="proposal", id=p.id, proposal_id=p.id, title=p.title, excerpt=excerpt(p.body, 240),
                         author=p.author.public_name)
        else:
            m = comments[c.comment_id]
            entry = dict(kind="comment", id=m.id, proposal_id=m.proposal_id, title=None,
                         excerpt=excerpt(m.body, 240), author=m.author.public_name)
        frozen[section.id].append({"number": number, "paragraph": c.paragraph, **entry})
    return frozen


def _frozen_section(section: SynthesisSection, theme: str | None, citations: list[dict]) -> dict:
    """A section as published: its text, and each paragraph's HTML with the numbers of the citations it carries."""
    return {
        "title": section.title, "theme": theme, "body": section.body, "body_html": section.body_html,
        "paragraphs": [{"html": to_html(text), "citations": [c["number"] for c in citations if c["paragraph"] == i]}
                       for i, text in enumerate(paragraphs(section.body), start=1)],
        "cited": [c["number"] for c in citations if c["paragraph"] is None],
        "citations": citations,
    }


def publish(organiser: User, synthesis: Synthesis, now: datetime, change_note: str = "") -> SynthesisVersion:
    """Freeze the draft as a new published version: texts, citations, figures and retained proposals."""
    if not synthesis.introduction.strip() and not any(s.body.strip() for s in synthesis.sections):
        raise ActionRefused("La synthèse est vide : écrivez au moins l’introduction ou une section avant de la "
                            "publier.")
    consultation = synthesis.consultation
    previous = db.session.scalar(select(func.max(SynthesisVersion.number))
                                 .where(SynthesisVersion.synthesis_id == synthesis.id)) or 0
    if previous and not change_note.strip():
        raise ActionRefused("Expliquez en une phrase ce que corrige cette nouvelle version.", field="change_note")
    citations = _frozen_citations(synthesis)
    theme_names = {t.id: t.name for t in consultation.themes}
    version = SynthesisVersion(
        synthesis_id=synthesis.id, consultation_id=consultation.id, number=previous + 1, title=synthesis.title,
        introduction=synthesis.introduction, introduction_html=synthesis.introduction_html,
        sections=[_frozen_section(s, theme_names.get(s.theme_id), citations[s.id]) for s in synthesis.sections],
        figures={**figures.consultation_figures(consultation), "opinion_groups": opinions.frozen(consultation)},
        change_note=change_note.strip()[:500],
        published_at=now, published_by_id=organiser.id,
    )
    proposal_ids = [r.proposal_id for r in synthesis.retained]
    proposals = {p.id: p for p in retainable(consultation) if p.id in proposal_ids}
    if len(proposals) != len(proposal_ids):
        raise ActionRefused("Une proposition mise en avant n’est plus visible ou n’est plus « Retenue » : "
                            "enregistrez à nouveau la sélection avant de publier.", field="proposals")
    votes = figures.vote_summaries(consultation, proposal_ids)
    for position, pid in enumerate(proposal_ids):
        p = proposals[pid]
        version.retained.append(RetainedProposalSnapshot(
            proposal_id=pid, position=position, title=p.title, excerpt=excerpt(p.body, 400),
            author_pseudonym=p.author.public_name[:40], theme_name=p.theme.name if p.theme else None,
            answer_text=p.answer_text or "", **votes[pid]))
    db.session.add(version)
    db.session.flush()
    return version


def published_versions(consultation) -> list[SynthesisVersion]:
    """The consultation's published versions, newest first."""
    return list(db.session.scalars(select(SynthesisVersion).where(SynthesisVersion.consultation_id == consultation.id)
                                   .order_by(SynthesisVersion.number.desc())))


def latest_version(consultation) -> SynthesisVersion | None:
    return db.session.scalar(select(SynthesisVersion).where(SynthesisVersion.consultation_id == consultation.id)
                             .order_by(SynthesisVersion.number.desc()).limit(1))


# Merging duplicates ------------------------------------------------------------

def merge_proposals(organiser: User, duplicate: Proposal, target: Proposal, now: datetime) -> ProposalMerge:
    """Merge `duplicate` into `target`: its votes are carried over without counting anyone twice.

    A supporter of both keeps a single support on the target (and gets back the
    support the duplicate used from their quota); a person who graded both keeps
    the grade they gave the target. Votes whose account was deleted name nobody,
    so nothing proves they are not already on the target: they are not carried
    over. The duplicate is marked merged, never deleted, and the merge is logged.
    """
    if duplicate.consultation_id != target.consultation_id:
        raise ActionRefused("Les deux propositions doivent appartenir à la même consultation.", field="target_id")
    if duplicate.id == target.id:
        raise ActionRefused("Une proposition ne peut pas être fusionnée avec elle-même.", field="target_id")
    # Lock both rows so that two organisers cannot merge crosswise at the same time.
    locked = db.session.scalars(select(Proposal.id).where(Proposal.id.in_([duplicate.id, target.id]))
                                .with_for_update()).all()
    if len(locked) != 2:
        raise ActionRefused("Proposition introuvable.", field="target_id", status=404)
    db.session.refresh(duplicate)
    db.session.refresh(target)
    if duplicate.merged_into_id is not None:
        raise ActionRefused("Cette proposition a déjà été fusionnée.", field="target_id", status=409)
    if target.merged_into_id is not None or not target.is_visible or target.is_withdrawn:
        raise ActionRefused("La proposition cible n’est plus visible : choisissez-en une autre.", field="target_id")

    already = aliased(Support)
    both = select(Support.user_id).where(
        Support.proposal_id == duplicate.id,
        exists().where(already.proposal_id == target.id, already.user_id == Support.user_id))
    db.session.execute(update(SupportQuota).where(
        SupportQuota.consultation_id == target.consultation_id, SupportQuota.user_id.in_(both),
        SupportQuota.used > 0).values(used=SupportQuota.used - 1))
    # RETURNING counts what was inserted on every driver (psycopg reports no rowcount for INSERT … SELECT here).
    supports_moved = len(db.session.execute(insert(Support.__table__).from_select(
        ["proposal_id", "consultation_id", "user_id", "created_at"],
        select(literal(target.id), Support.consultation_id, Support.user_id, Support.created_at).where(
            Support.proposal_id == duplicate.id, Support.user_id.is_not(None),
            ~exists().where(already.proposal_id == target.id, already.user_id == Support.user_id)))
        .returning(Support.__table__.c.id)).all())

    graded = aliased(Grade)
    grades_moved = len(db.session.execute(insert(Grade.__table__).from_select(
        ["proposal_id", "consultation_id", "user_id", "mention", "created_at", "updated_at"],
        select(literal(target.id), Grade.consultation_id, Grade.user_id, Grade.mention, Grade.created_at,
               literal(now)).where(
            Grade.proposal_id == duplicate.id, Grade.user_id.is_not(None),
            ~exists().where(graded.proposal_id == target.id, graded.user_id == Grade.user_id)))
        .returning(Grade.__table__.c.id)).all())

    # The stored count is recomputed from the rows, not incremented, so that it cannot drift.
    db.session.execute(update(Proposal).where(Proposal.id == target.id).values(
        support_count=select(func.count(Support.id)).where(Support.proposal_id == target.id).scalar_subquery()))
    duplicate.merged_into_id = target.id
    log = ProposalMerge(consultation_id=target.consultation_id, duplicate_id=duplicate.id, target_id=target.id,
                        merged_by_id=organiser.id, merged_at=now, supports_moved=supports_moved,
                        grades_moved=grades_moved, duplicate_title=duplicate.title, target_title=target.title)
    db.session.add(log)
    db.session.flush()
    db.session.refresh(target)
    return log


def merge_log(consultation) -> list[ProposalMerge]:
    return list(db.session.scalars(select(ProposalMerge).where(ProposalMerge.consultation_id == consultation.id)
                                   .order_by(ProposalMerge.merged_at.desc(), ProposalMerge.id.desc())))


def author_name(user_alias=User):
    """The public name of an author in SQL: the pseudonym, or the neutral one once the account is deleted."""
    return case((user_alias.deleted_at.is_not(None), DELETED_PSEUDONYM), else_=user_alias.pseudonym)

