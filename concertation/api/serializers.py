"""Public, pseudonymised representations of the platform's objects (never an email)."""

from flask import url_for

from concertation import phases
from concertation.db import utcnow


def iso(value):
    return value.isoformat() if value else None


def territory(t) -> dict:
    return {
        "slug": t.slug, "name": t.name, "kind": t.kind, "code": t.code, "population": t.population,
        "url": url_for("territories.show", slug=t.slug, _external=True),
    }


def consultation(c, detailed: bool = False) -> dict:
    now = utcnow()
    data = {
        "id": c.id, "title": c.title, "summary": c.summary, "territory": c.territory.slug,
        "audience": c.audience, "voting_method": c.voting_method, "support_limit": c.support_limit,
        "current_phase": phases.current_phase(c.phases, now),
        "results_public": phases.results_visible(c, now),
        "phases": [{"kind": p.kind, "starts_at": iso(p.starts_at), "ends_at": iso(p.ends_at)} for p in c.phases],
        "themes": [{"id": t.id, "name": t.name} for t in c.themes],
        "url": url_for("consultations.show", consultation_id=c.id, _external=True),
    }
    if detailed:
        data["description_html"] = c.description_html
        data["resources"] = [{"title": r.title, "kind": r.kind, "description": r.description,
                              "url": r.url if r.kind == "link" else url_for(
                                  "consultations.download", resource_id=r.id, _external=True)}
                             for r in c.resources]
    return data
