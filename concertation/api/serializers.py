"""Public, pseudonymised representations of the platform's objects (never an email)."""

from flask import url_for

from concertation import phases
from concertation.db import utcnow


def iso(value):
    return value.isoformat() if value else None


def territory(t) -> dict:
    return {
        "slug": t.slug,
        "name": t.name,
        "kind": t.kind,
        "code": t.code,
        "population": t.population,
        "url": url_for("territories.show", slug=t.slug, _external=True),
    }


def consultation(c, detailed: bool = False) -> dict:
    now = utcnow()
    data = {
        "id": c.id,
        "title": c.title,
        "summary": c.summary,
        "territory": c.territory.slug,
        "audience": c.audience,
        "voting_method": c.voting_method,
        "support_limit": c.support_limit,
        "current_phase": phases.current_phase(c.phases, now),
        "results_public": phases.results_visible(c, now),
        "phases": [{"kind": p.kind, "starts_at": iso(p.starts_at), "ends_at": iso(p.ends_at)} for p in c.phases],
        "themes": [{"id": t.id, "name": t.name} for t in c.themes],
        "url": url_for("consultations.show", consultation_id=c.id, _external=True),
    }
    if detailed:
        data["description_html"] = c.description_html
        data["resources"] = [
            {
                "title": r.title,
                "kind": r.kind,
                "description": r.description,
                "url": r.url
                if r.kind == "link"
                else url_for("consultations.download", resource_id=r.id, _external=True),
            }
            for r in c.resources
        ]
    return data


def proposal(p, results: dict | None, detailed: bool = False) -> dict:
    """A visible proposal; `results` is None while the vote is secret (no count leaves before)."""
    data = {
        "id": p.id,
        "consultation_id": p.consultation_id,
        "title": p.title,
        "body_html": p.body_html,
        "theme": {"id": p.theme.id, "name": p.theme.name} if p.theme else None,
        "author": p.author.public_name,
        "created_at": iso(p.created_at),
        "edited_at": iso(p.edited_at),
        "withdrawn": p.is_withdrawn,
        "withdrawn_at": iso(p.withdrawn_at),
        "merged_into_id": p.merged_into_id,
        "answer": p.answer,
        "answer_label": p.answer_label,
        "answer_html": p.answer_html or None,
        "answered_at": iso(p.answered_at),
        "comment_count": p.comment_count,
        "workshop_id": p.workshop_id,
        "results_public": results is not None,
        "results": results.get(p.id) if results is not None else None,
        "url": url_for("proposals.show", proposal_id=p.id, _external=True),
    }
    if detailed:
        data["comments_url"] = url_for("api.proposal_comments", proposal_id=p.id, _external=True)
    return data


def proposals(page: list, results: dict | None) -> list[dict]:
    return [proposal(p, results) for p in page]


def comment(c) -> dict:
    """A visible comment, or a placeholder without text nor author when moderation hid it or it was deleted."""
    data = {
        "id": c.id,
        "parent_id": c.parent_id,
        "root_id": c.root_id,
        "depth": c.depth,
        "created_at": iso(c.created_at),
        "hidden": c.moderation == "hidden",
        "deleted": c.is_deleted,
    }
    if data["hidden"]:
        data["reason"] = c.moderation_reason or "Motif non précisé"
    elif not data["deleted"]:
        data.update(
            body_html=c.body_html,
            author=c.author.public_name,
            stance=c.stance,
            edited_at=iso(c.edited_at),
            workshop_id=c.workshop_id,
        )
    return data


def comment_threads(roots: list, replies: dict[int, list]) -> list[dict]:
    return [{**comment(root), "replies": [comment(r) for r in replies.get(root.id, [])]} for root in roots]
