"""Public representations of what is published: synthesis versions (frozen) and manifesto versions.

Frozen data is shown as it was frozen; authors appear only under the pseudonym
copied at publication, and signatories only as territories.
"""

from flask import request, url_for

from concertation.api.serializers import iso
from concertation.manifesto.exports import open_data
from concertation.participation import comparison
from concertation.small_groups import FLOOR
from concertation.synthesis.links import citation_path
from concertation.voting.models import MENTIONS

FIGURE_COUNTS = ("participants", "citizens", "agents", "proposals", "comments", "contributions", "votes", "voters")


def _host() -> str:
    return request.host_url.rstrip("/")


def _mention(value: int | None) -> str | None:
    return MENTIONS[value] if value is not None else None


def synthesis_summary(v) -> dict:
    c = v.consultation
    return {
        "id": v.id,
        "number": v.number,
        "title": v.title,
        "published_at": iso(v.published_at),
        "change_note": v.change_note,
        "consultation": {"id": c.id, "title": c.title, "territory": c.territory.slug},
        "url": url_for("synthesis.version", consultation_id=c.id, number=v.number, _external=True),
        "api_url": url_for("api.synthesis_version", consultation_id=c.id, number=v.number, _external=True),
    }


def _dimension(d: dict) -> dict:
    """One breakdown as frozen: every figure under 10 (and any that would reveal one) is already null."""
    return {
        "key": d.get("key"),
        "title": d.get("title"),
        "shares_among": d.get("shares_among"),
        "population_known": bool(d.get("population_known")),
        "rows": [
            {
                "key": row.get("key"),
                "label": row.get("label"),
                "count": row.get("count"),
                "share": row.get("share"),
                "population": row.get("population"),
                "population_share": row.get("population_share"),
                "gap": row.get("gap"),
            }
            for row in d.get("rows", [])
        ],
        "unanswered": d.get("unanswered"),
        "unanswered_share": d.get("unanswered_share"),
        "with_outside": bool(d.get("with_outside")),
        "outside": d.get("outside") if d.get("with_outside") else None,
        "outside_share": d.get("outside_share") if d.get("with_outside") else None,
    }


def representativeness(frozen: dict | None) -> dict | None:
    """Who took part against the population, as frozen at publication (null for a version frozen before it)."""
    if not frozen:
        return None
    return {
        "computed_at": frozen.get("computed_at"),
        "floor": frozen.get("floor", FLOOR),
        "participants": frozen.get("participants"),
        "caution": list(comparison.CAUTIONS),
        "dimensions": [_dimension(d) for d in frozen.get("dimensions", [])],
    }


def figures(frozen: dict) -> dict:
    """The figures as frozen at publication (the keys every version has, whatever its age)."""
    return {
        "computed_at": frozen.get("computed_at"),
        "voting_method": frozen.get("voting_method"),
        **{name: int(frozen.get(name) or 0) for name in FIGURE_COUNTS},
        # A synthesis frozen before workshops existed has neither: null, like a consultation without workshops.
        "collected": frozen.get("collected"),
        "workshop_attendees": frozen.get("workshop_attendees"),
        "population": frozen.get("population"),
        "population_share": frozen.get("population_share"),
        "representativeness": representativeness(frozen.get("representativeness")),
        "by_theme": [
            {
                "theme": row.get("theme"),
                "proposals": row.get("proposals", 0),
                "comments": row.get("comments", 0),
                "votes": row.get("votes", 0),
            }
            for row in frozen.get("by_theme", [])
        ],
        "by_week": [
            {
                "week": row.get("week"),
                "proposals": row.get("proposals", 0),
                "comments": row.get("comments", 0),
                "votes": row.get("votes", 0),
                "participants": row.get("participants", 0),
            }
            for row in frozen.get("by_week", [])
        ],
    }


def _citation(consultation_id: int, c: dict) -> dict:
    return {
        "number": c["number"],
        "kind": c["kind"],
        "id": c["id"],
        "proposal_id": c.get("proposal_id"),
        "paragraph": c.get("paragraph"),
        "title": c.get("title"),
        "excerpt": c.get("excerpt", ""),
        "author": c.get("author"),
        "url": _host() + citation_path(consultation_id, c),
    }


def retained(r) -> dict:
    return {
        "id": r.id,
        "proposal_id": r.proposal_id,
        "position": r.position,
        "title": r.title,
        "excerpt": r.excerpt,
        "author": r.author_pseudonym,
        "theme": r.theme_name,
        "answer_text": r.answer_text,
        "support_count": r.support_count,
        "grade_count": r.grade_count,
        "majority_mention": r.majority_mention,
        "majority_label": _mention(r.majority_mention),
    }


def synthesis_version(v, numbers: list[int]) -> dict:
    return {
        **synthesis_summary(v),
        "versions": numbers,
        "introduction_html": v.introduction_html,
        "figures": figures(v.figures or {}),
        "sections": [
            {
                "title": s["title"],
                "theme": s.get("theme"),
                "body_html": s.get("body_html", ""),
                "citations": [_citation(v.consultation_id, c) for c in s.get("citations", [])],
            }
            for s in v.sections or []
        ],
        "retained": [retained(r) for r in v.retained],
    }


def manifestos(page: list, latest: dict[int, tuple[int, int]]) -> list[dict]:
    return [
        {
            "slug": m.slug,
            "title": m.title,
            "latest_version": latest[m.id][0],
            "published_versions": latest[m.id][1],
            "url": url_for("manifesto.show", slug=m.slug, _external=True),
            "api_url": url_for("api.manifesto", slug=m.slug, _external=True),
        }
        for m in page
        if m.id in latest
    ]


def manifesto(m, versions: list[tuple]) -> dict:
    return {
        "slug": m.slug,
        "title": m.title,
        "url": url_for("manifesto.show", slug=m.slug, _external=True),
        "versions": [
            {
                "number": v.number,
                "title": v.title,
                "published_at": iso(v.published_at),
                "change_note": v.change_note,
                "signatories": signatures,
                "api_url": url_for("api.manifesto_version", slug=m.slug, number=v.number, _external=True),
            }
            for v, signatures in versions
        ],
    }


def manifesto_version(version) -> dict:
    """The open-data document of the version (the same as its JSON download), without its generation time."""
    document = open_data.document(version, _host())
    # The time of generation would change the ETag at every request; the licence is in `meta`.
    document.pop("generated_at")
    document.pop("licence")
    return document
