"""The provenance chain of a point, link by link, and who contributed to a version of the manifesto.

point → published synthesis versions (territory, consultation, date, participation as frozen)
      → the sections and retained proposals cited (title, author's pseudonym, votes as frozen)
      → the consultation, synthesis and proposal pages;
and beside it, the territories' accepted amendments that rewrote, added or removed the point.
"""

from dataclasses import dataclass, field
from datetime import datetime

from flask import url_for
from sqlalchemy import distinct, func, select

from concertation.consultations.models import Consultation
from concertation.extensions import db
from concertation.manifesto import amendments
from concertation.manifesto.models import ManifestoPoint, ManifestoSource, ManifestoVersion
from concertation.synthesis.exports.document import votes_label
from concertation.synthesis.links import proposal_path
from concertation.synthesis.models import RetainedProposalSnapshot, SynthesisVersion
from concertation.territories.models import Territory


@dataclass
class ProposalLink:
    snapshot: RetainedProposalSnapshot
    votes: str
    url: str | None  # the live proposal's page (None if it no longer exists)
    in_synthesis_url: str  # the proposal as the synthesis retained it


@dataclass
class SectionLink:
    title: str
    url: str


@dataclass
class SynthesisLink:
    version: SynthesisVersion
    territory: str
    consultation_title: str
    consultation_url: str
    synthesis_url: str
    published_at: datetime
    participants: int
    citizens: int
    agents: int
    whole: bool = False
    sections: list[SectionLink] = field(default_factory=list)
    proposals: list[ProposalLink] = field(default_factory=list)


def synthesis_url(version: SynthesisVersion) -> str:
    return url_for("synthesis.version", consultation_id=version.consultation_id, number=version.number)


def chain(point: ManifestoPoint) -> list[SynthesisLink]:
    """The point's sources grouped by the synthesis version they come from, in the order they were cited."""
    links: dict[int, SynthesisLink] = {}
    for source in point.sources:
        version = source.synthesis_version
        link = links.get(version.id)
        if link is None:
            figures = version.figures or {}
            link = links[version.id] = SynthesisLink(
                version=version,
                territory=version.consultation.territory.name,
                consultation_title=version.consultation.title,
                consultation_url=url_for("consultations.show", consultation_id=version.consultation_id),
                synthesis_url=synthesis_url(version),
                published_at=version.published_at,
                participants=figures.get("participants") or 0,
                citizens=figures.get("citizens") or 0,
                agents=figures.get("agents") or 0,
            )
        if source.retained is not None:
            r = source.retained
            link.proposals.append(
                ProposalLink(
                    snapshot=r,
                    votes=votes_label(r),
                    url=proposal_path(version.consultation_id, r.proposal_id) if r.proposal_id else None,
                    in_synthesis_url=f"{link.synthesis_url}#retenue-{r.id}",
                )
            )
        elif source.section is not None:
            titles = [s["title"] for s in version.sections]
            anchor = f"#section-{titles.index(source.section) + 1}" if source.section in titles else ""
            link.sections.append(SectionLink(source.section, link.synthesis_url + anchor))
        else:
            link.whole = True
    return list(links.values())


@dataclass
class AmendmentLink:
    label: str  # « amendé par Saint-Aubin (amendement n° 3, version 2), cosigné par Trois Rivières »
    url: str


def amendment_links(version: ManifestoVersion, after: int = 0) -> dict[int, list[AmendmentLink]]:
    """By point uid, the territories' accepted amendments that shaped the version since version `after`.

    The chain from citizens' proposals (``chain``) stays as it is: amendments add a link beside it,
    from the territories that rewrote, added or removed the point, named by territory only."""
    links: dict[int, list[AmendmentLink]] = {}
    accepted = amendments.accepted_in(amendments.versions_upto(version, after))
    for uid, items in amendments.by_uid(accepted).items():
        links[uid] = [
            AmendmentLink(
                amendments.credit(a),
                url_for("manifesto.amendments", slug=a.version.manifesto.slug, number=a.version.number)
                + f"#amendement-{a.number}",
            )
            for a in items
        ]
    return links


def source_label(source: ManifestoSource) -> str:
    """One line naming a source, for differences and documents."""
    version = source.synthesis_version
    where = f"{version.consultation.territory.name} — {version.title} (version {version.number})"
    if source.retained is not None:
        return f"{where} — proposition « {source.retained.title} »"
    if source.section is not None:
        return f"{where} — section « {source.section} »"
    return where


@dataclass
class Contribution:
    territories: list[tuple[str, str, int]]  # (name, slug, number of consultations cited)
    consultations: int
    participants: int
    citizens: int
    agents: int


def _cited_versions(version: ManifestoVersion):
    """Per consultation, the most recent of its synthesis versions the manifesto version cites."""
    cited = (
        select(ManifestoSource.synthesis_version_id).join(ManifestoPoint).where(ManifestoPoint.version_id == version.id)
    )
    return (
        select(func.max(SynthesisVersion.id).label("id"))
        .where(SynthesisVersion.id.in_(cited))
        .group_by(SynthesisVersion.consultation_id)
        .subquery("cited")
    )


def contribution(version: ManifestoVersion) -> Contribution:
    """Territories and participation across the syntheses a version cites: one SQL aggregate each.

    Each consultation is counted once, with the figures frozen in the latest of its synthesis versions the
    manifesto cites; a person who took part in two consultations is counted in both.
    """
    cited = _cited_versions(version)
    figures = SynthesisVersion.figures
    totals = db.session.execute(
        select(
            func.count(SynthesisVersion.id),
            func.sum(figures["participants"].as_integer()),
            func.sum(figures["citizens"].as_integer()),
            func.sum(figures["agents"].as_integer()),
        ).join(cited, cited.c.id == SynthesisVersion.id)
    ).one()
    territories = db.session.execute(
        select(Territory.name, Territory.slug, func.count(distinct(SynthesisVersion.consultation_id)))
        .select_from(SynthesisVersion)
        .join(cited, cited.c.id == SynthesisVersion.id)
        .join(Consultation, Consultation.id == SynthesisVersion.consultation_id)
        .join(Territory, Territory.id == Consultation.territory_id)
        .group_by(Territory.id, Territory.name, Territory.slug)
        .order_by(Territory.name)
    ).all()
    consultations, participants, citizens, agents = (int(v or 0) for v in totals)
    return Contribution([(n, s, int(c)) for n, s, c in territories], consultations, participants, citizens, agents)
