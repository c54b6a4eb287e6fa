"""A published manifesto version as JSON open data: points, sources, accepted amendments, signatories; no personal
data (territories are named, people never)."""

import json

from flask import url_for

from concertation.db import utcnow
from concertation.manifesto import amendments, endorsements, provenance, services
from concertation.synthesis.exports.csv_json import LICENCE
from concertation.synthesis.links import proposal_path
from concertation.voting.models import MENTIONS


def _source(source, base_url: str) -> dict:
    version = source.synthesis_version
    consultation = version.consultation
    figures = version.figures or {}
    entry = {
        "territory": consultation.territory.name,
        "consultation": {
            "id": consultation.id,
            "title": consultation.title,
            "url": base_url + url_for("consultations.show", consultation_id=consultation.id),
        },
        "synthesis": {
            "id": version.id,
            "title": version.title,
            "version": version.number,
            "published_at": version.published_at.isoformat(),
            "url": base_url + provenance.synthesis_url(version),
            "participants": figures.get("participants"),
            "citizens": figures.get("citizens"),
            "agents": figures.get("agents"),
        },
        "section": source.section,
        "proposal": None,
    }
    r = source.retained
    if r is not None:
        entry["proposal"] = {
            "id": r.proposal_id,
            "title": r.title,
            "author": r.author_pseudonym,
            "theme": r.theme_name,
            "supports": r.support_count,
            "grades": r.grade_count,
            "majority_mention": MENTIONS[r.majority_mention] if r.majority_mention is not None else None,
            "url": base_url + proposal_path(consultation.id, r.proposal_id) if r.proposal_id else None,
        }
    return entry


def _amendment(a, base_url: str) -> dict:
    """An accepted amendment, in the names of territories only: never who proposed, co-signed or answered it."""
    return {
        "number": a.number,
        "kind": a.kind,
        "point_uid": a.point_uid,
        "result_uid": a.result_uid,
        "territory": a.territory.name,
        "cosigned_by": [c.territory.name for c in a.cosignatures],
        "status": a.status,
        "proposed_text": a.wording,
        "adopted_text": a.adopted_wording,
        "justification": a.justification,
        "answer": a.answer_text,
        "url": base_url
        + url_for("manifesto.amendments", slug=a.version.manifesto.slug, number=a.version.number)
        + f"#amendement-{a.number}",
    }


def document(version, base_url: str = "") -> dict:
    c = provenance.contribution(version)
    return {
        "manifesto": {
            "title": version.title,
            "slug": version.manifesto.slug,
            "url": base_url + url_for("manifesto.version", slug=version.manifesto.slug, number=version.number),
        },
        "version": {
            "number": version.number,
            "published_at": version.published_at.isoformat(),
            "change_note": version.change_note,
        },
        "licence": LICENCE,
        "generated_at": utcnow().isoformat(),
        "introduction": version.introduction,
        "chapters": [
            {
                "title": chapter,
                "points": [
                    {
                        "uid": p.uid,
                        "title": p.title,
                        "text": p.body,
                        "sources": [_source(s, base_url) for s in p.sources],
                    }
                    for p in points
                ],
            }
            for chapter, points in services.chapters(version)
        ],
        # The territories' amendments accepted into this version (made on its draft).
        "amendments": [
            _amendment(a, base_url)
            for a in amendments.accepted_in(amendments.versions_upto(version, version.number - 1))
        ],
        "contribution": {
            "territories": [name for name, _slug, _n in c.territories],
            "consultations": c.consultations,
            "participants": c.participants,
            "citizens": c.citizens,
            "agents": c.agents,
            "method": "Somme des chiffres figés dans les synthèses citées ; chaque consultation est comptée une "
            "fois, avec la plus récente de ses versions citées.",
        },
        # Territories and their statements only: never who signed, nor any address.
        "signatories": [
            {"territory": e.territory.name, "signed_at": e.signed_at.isoformat(), "statement": e.statement}
            for e in endorsements.signatories(version)
        ],
        "earlier_signatories": [
            {"territory": t.name, "signed_version": n} for t, n in endorsements.earlier_signatories(version)
        ],
    }


def as_json(version, base_url: str = "") -> bytes:
    return json.dumps(document(version, base_url), ensure_ascii=False, indent=2).encode("utf-8")
