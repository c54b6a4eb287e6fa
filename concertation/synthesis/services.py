"""Syntheses: drafting, citing, choosing the retained proposals, publishing versions.

Services change the session and flush; the caller commits once.
"""

import re
from datetime import datetime

from flask_babel import format_decimal, lazy_gettext as _l
from flask_babel import lazy_ngettext as _lp
from sqlalchemy import case, func, select

from concertation.accounts.models import DELETED_PSEUDONYM, User
from concertation.comments.models import Comment
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.proposals.models import Proposal
from concertation.participation import comparison as representativeness
from concertation.synthesis import figures, opinions
from concertation.synthesis.models import (
    RetainedProposalSnapshot,
    Synthesis,
    SynthesisCitation,
    SynthesisRetained,
    SynthesisSection,
    SynthesisVersion,
)
from concertation.text import excerpt, to_html

MAX_TEXT = 30_000


# Drafting ---------------------------------------------------------------------


def draft_of(consultation) -> Synthesis | None:
    return db.session.scalar(select(Synthesis).where(Synthesis.consultation_id == consultation.id))


def start_synthesis(organiser: User, consultation) -> Synthesis:
    """The consultation's draft, created with one section per theme the first time."""
    synthesis = draft_of(consultation)
    if synthesis is not None:
        return synthesis
    synthesis = Synthesis(
        consultation_id=consultation.id, title=f"Synthèse — {consultation.title}"[:200], created_by_id=organiser.id
    )
    themes = consultation.themes or []
    synthesis.sections = [SynthesisSection(theme_id=t.id, title=t.name, position=i) for i, t in enumerate(themes)] or [
        SynthesisSection(title="Ce que les participant·es ont dit", position=0)
    ]
    db.session.add(synthesis)
    db.session.flush()
    return synthesis


def update_synthesis(synthesis: Synthesis, title: str, introduction: str, bodies: dict[int, str]) -> Synthesis:
    """Save the draft's title, introduction and section texts (Markdown, rendered once by text.py)."""
    title = (title or "").strip()
    if len(title) < 5:
        raise ActionRefused(_l("Le titre de la synthèse doit faire au moins 5 caractères."), field="title")
    for text in (introduction, *bodies.values()):
        if len(text or "") > MAX_TEXT:
            raise ActionRefused(_l("Un texte dépasse %(max)s caractères.", max=format_decimal(MAX_TEXT)))
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
    return list(
        db.session.scalars(
            select(Proposal)
            .where(figures.visible_proposal(consultation.id), Proposal.answer == "retained")
            .order_by(Proposal.support_count.desc(), Proposal.id)
        )
    )


def set_retained(synthesis: Synthesis, proposal_ids: list[int]) -> None:
    """Choose, in order, the retained proposals the synthesis puts forward."""
    allowed = {p.id for p in retainable(synthesis.consultation)}
    unknown = [pid for pid in proposal_ids if pid not in allowed]
    if unknown:
        raise ActionRefused(
            _l(
                "Seules les propositions visibles auxquelles vous avez répondu « Retenue » peuvent "
                "figurer dans la synthèse."
            ),
            field="proposals",
        )
    ordered = list(dict.fromkeys(proposal_ids))
    # The old rows go first: a flush inserts before it deletes, and a proposal kept in the list would
    # then meet its own old row in the unique constraint.
    synthesis.retained.clear()
    db.session.flush()
    synthesis.retained.extend(SynthesisRetained(proposal_id=pid, position=i) for i, pid in enumerate(ordered))
    db.session.flush()


def add_citation(section: SynthesisSection, kind: str, source_id: int, paragraph: int | None) -> SynthesisCitation:
    """Attach a visible proposal or comment of the consultation to a section or one of its paragraphs."""
    consultation_id = section.synthesis.consultation_id
    if kind == "proposal":
        found = db.session.scalar(
            select(Proposal.id).where(Proposal.id == source_id, figures.visible_proposal(consultation_id))
        )
    elif kind == "comment":
        found = db.session.scalar(
            select(Comment.id).where(Comment.id == source_id, figures.visible_comment(consultation_id))
        )
    else:
        raise ActionRefused(_l("Choisissez une proposition ou un commentaire."), field="source")
    if found is None:
        raise ActionRefused(_l("Aucune contribution visible de cette consultation ne porte ce numéro."), field="source")
    if paragraph is not None and not 1 <= paragraph <= len(paragraphs(section.body)):
        raise ActionRefused(
            _lp(
                "La section compte %(num)d paragraphe enregistré.",
                "La section compte %(num)d paragraphes enregistrés.",
                len(paragraphs(section.body)),
            ),
            field="paragraph",
        )
    column = "proposal_id" if kind == "proposal" else "comment_id"
    if any(getattr(c, column) == source_id and c.paragraph == paragraph for c in section.citations):
        raise ActionRefused(_l("Cette contribution est déjà citée à cet endroit."), field="source")
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


def _stale_retained(synthesis: Synthesis, consultation) -> str:
    """Why the retained selection cannot be published as it stands, or an empty string."""
    allowed = {p.id for p in retainable(consultation)}
    if all(r.proposal_id in allowed for r in synthesis.retained):
        return ""
    return _l(
        "Une proposition mise en avant n’est plus visible ou n’est plus « Retenue » : enregistrez à nouveau "
        "la sélection avant de publier."
    )


def _stale_citations(synthesis: Synthesis) -> str:
    """Why some citations cannot be published (sources hidden, withdrawn or merged), or an empty string."""
    cited = [c for s in synthesis.sections for c in s.citations]
    proposal_ids = {c.proposal_id for c in cited if c.proposal_id}
    comment_ids = {c.comment_id for c in cited if c.comment_id}
    consultation_id = synthesis.consultation_id
    visible = (
        set(
            db.session.scalars(
                select(Proposal.id).where(Proposal.id.in_(proposal_ids), figures.visible_proposal(consultation_id))
            )
        )
        if proposal_ids
        else set()
    )
    visible_comments = (
        set(
            db.session.scalars(
                select(Comment.id).where(Comment.id.in_(comment_ids), figures.visible_comment(consultation_id))
            )
        )
        if comment_ids
        else set()
    )
    gone = sorted(proposal_ids - visible) + sorted(comment_ids - visible_comments)
    if not gone:
        return ""
    return _l(
        "Des contributions citées ne sont plus visibles (masquées, retirées ou fusionnées) : "
        "n° %(numbers)s. Retirez ces citations avant de publier.",
        numbers=", ".join(map(str, gone)),
    )


def _frozen_citations(synthesis: Synthesis) -> dict[int, list[dict]]:
    """Each section's citations, numbered across the document, with what a reader needs of their source."""
    citations = [(s, c) for s in synthesis.sections for c in s.citations]
    proposal_ids = {c.proposal_id for _s, c in citations if c.proposal_id}
    comment_ids = {c.comment_id for _s, c in citations if c.comment_id}
    consultation_id = synthesis.consultation_id
    proposals = (
        {
            p.id: p
            for p in db.session.scalars(
                select(Proposal).where(Proposal.id.in_(proposal_ids), figures.visible_proposal(consultation_id))
            )
        }
        if proposal_ids
        else {}
    )
    comments = (
        {
            c.id: c
            for c in db.session.scalars(
                select(Comment).where(Comment.id.in_(comment_ids), figures.visible_comment(consultation_id))
            )
        }
        if comment_ids
        else {}
    )
    frozen: dict[int, list[dict]] = {s.id: [] for s in synthesis.sections}
    for number, (section, c) in enumerate(citations, start=1):
        if c.proposal_id:
            p = proposals[c.proposal_id]
            entry = dict(
                kind="proposal",
                id=p.id,
                proposal_id=p.id,
                title=p.title,
                excerpt=excerpt(p.body, 240),
                author=p.author.public_name,
            )
        else:
            m = comments[c.comment_id]
            entry = dict(
                kind="comment",
                id=m.id,
                proposal_id=m.proposal_id,
                title=None,
                excerpt=excerpt(m.body, 240),
                author=m.author.public_name,
            )
        frozen[section.id].append({"number": number, "paragraph": c.paragraph, **entry})
    return frozen


def _frozen_section(section: SynthesisSection, theme: str | None, citations: list[dict]) -> dict:
    """A section as published: its text, and each paragraph's HTML with the numbers of the citations it carries."""
    return {
        "title": section.title,
        "theme": theme,
        "body": section.body,
        "body_html": section.body_html,
        "paragraphs": [
            {"html": to_html(text), "citations": [c["number"] for c in citations if c["paragraph"] == i]}
            for i, text in enumerate(paragraphs(section.body), start=1)
        ],
        "cited": [c["number"] for c in citations if c["paragraph"] is None],
        "citations": citations,
    }


def publish(organiser: User, synthesis: Synthesis, now: datetime, change_note: str = "") -> SynthesisVersion:
    """Freeze the draft as a new published version: texts, citations, figures and retained proposals."""
    if not synthesis.introduction.strip() and not any(s.body.strip() for s in synthesis.sections):
        raise ActionRefused(
            _l("La synthèse est vide : écrivez au moins l’introduction ou une section avant de la publier.")
        )
    consultation = synthesis.consultation
    previous = (
        db.session.scalar(
            select(func.max(SynthesisVersion.number)).where(SynthesisVersion.synthesis_id == synthesis.id)
        )
        or 0
    )
    if previous and not change_note.strip():
        raise ActionRefused(_l("Expliquez en une phrase ce que corrige cette nouvelle version."), field="change_note")
    problems = [_stale_retained(synthesis, consultation), _stale_citations(synthesis)]
    if any(problems):
        # Every problem at once, so that the organiser fixes them in one go.
        message = " ".join(str(p) for p in problems if p)
        raise ActionRefused(message, field="proposals" if problems[0] else None)
    citations = _frozen_citations(synthesis)
    theme_names = {t.id: t.name for t in consultation.themes}
    version = SynthesisVersion(
        synthesis_id=synthesis.id,
        consultation_id=consultation.id,
        number=previous + 1,
        title=synthesis.title,
        introduction=synthesis.introduction,
        introduction_html=synthesis.introduction_html,
        sections=[_frozen_section(s, theme_names.get(s.theme_id), citations[s.id]) for s in synthesis.sections],
        figures={
            **figures.consultation_figures(consultation),
            "opinion_groups": opinions.frozen(consultation),
            # Who took part against the population, already thresholded (no group under 10).
            "representativeness": representativeness.compare(consultation),
        },
        change_note=change_note.strip()[:500],
        published_at=now,
        published_by_id=organiser.id,
    )
    proposal_ids = [r.proposal_id for r in synthesis.retained]
    proposals = {p.id: p for p in retainable(consultation) if p.id in proposal_ids}
    votes = figures.vote_summaries(consultation, proposal_ids)
    for position, pid in enumerate(proposal_ids):
        p = proposals[pid]
        version.retained.append(
            RetainedProposalSnapshot(
                proposal_id=pid,
                position=position,
                title=p.title,
                excerpt=excerpt(p.body, 400),
                author_pseudonym=p.author.public_name[:40],
                theme_name=p.theme.name if p.theme else None,
                answer_text=p.answer_text or "",
                **votes[pid],
            )
        )
    db.session.add(version)
    db.session.flush()
    return version


def published_versions(consultation) -> list[SynthesisVersion]:
    """The consultation's published versions, newest first."""
    return list(
        db.session.scalars(
            select(SynthesisVersion)
            .where(SynthesisVersion.consultation_id == consultation.id)
            .order_by(SynthesisVersion.number.desc())
        )
    )


def version_of(consultation, number: int) -> SynthesisVersion | None:
    return db.session.scalar(
        select(SynthesisVersion).where(
            SynthesisVersion.consultation_id == consultation.id, SynthesisVersion.number == number
        )
    )


def latest_version(consultation) -> SynthesisVersion | None:
    return db.session.scalar(
        select(SynthesisVersion)
        .where(SynthesisVersion.consultation_id == consultation.id)
        .order_by(SynthesisVersion.number.desc())
        .limit(1)
    )


# Merging duplicates ------------------------------------------------------------


def carry_merge_over(duplicate: Proposal, target: Proposal, now: datetime) -> None:
    """After a merge, what the draft synthesis said of the duplicate holds for the kept proposal.

    Its citations point at the target (one per place), its place among the retained
    proposals goes to the target, and a "retained" answer is carried over when the
    target had not been retained, so that the draft stays publishable after a merge.
    """
    if duplicate.answer == "retained" and target.answer != "retained":
        target.answer, target.answer_text, target.answer_html = "retained", duplicate.answer_text, duplicate.answer_html
        target.answered_at, target.answered_by_id = now, duplicate.answered_by_id
    synthesis = draft_of(target.consultation)
    if synthesis is None:
        return
    for section in synthesis.sections:
        places = {c.paragraph for c in section.citations if c.proposal_id == target.id}
        for citation in list(section.citations):
            if citation.proposal_id != duplicate.id:
                continue
            if citation.paragraph in places:
                section.citations.remove(citation)
            else:
                citation.proposal_id = target.id
                places.add(citation.paragraph)
    rows = {r.proposal_id: r for r in synthesis.retained}
    if duplicate.id in rows:
        if target.id in rows:
            synthesis.retained.remove(rows[duplicate.id])
        else:
            rows[duplicate.id].proposal_id = target.id
    db.session.flush()


def author_name(user_alias=User):
    """The public name of an author in SQL: the pseudonym, or the neutral one once the account is deleted."""
    return case((user_alias.deleted_at.is_not(None), DELETED_PSEUDONYM), else_=user_alias.pseudonym)
