"""What a printed manifesto version shows, prepared once for the PDF and the ODT alike.

Stored HTML (made by text.py) is read back into plain blocks, as for the syntheses; every source
becomes a numbered note with its absolute address.
"""

from dataclasses import dataclass, field

from flask import url_for

from concertation.manifesto import endorsements, provenance, services
from concertation.synthesis.exports.document import _date, counted, html_blocks, logo_file, votes_label

LICENCE = "Licence Ouverte / Open Licence 2.0"


@dataclass
class PrintedPoint:
    title: str
    blocks: list[tuple[str, str]]
    notes: list[int] = field(default_factory=list)


@dataclass
class PrintedManifesto:
    title: str
    version_line: str
    change_note: str
    introduction: list[tuple[str, str]]
    chapters: list[tuple[str, list[PrintedPoint]]]
    notes: list[tuple[int, str]]  # (number, text with the address)
    contribution: str
    signatories: list[tuple[str, str, str]]  # (territory, date, statement)
    earlier: list[str]
    licence: str = LICENCE
    signatory_logos: dict[str, str] = field(default_factory=dict)  # territory name -> its logo's file


def source_note(source, base_url: str) -> str:
    """A source as a note: territory, synthesis and version, the item, its frozen votes, and its address."""
    version = source.synthesis_version
    label = provenance.source_label(source)
    if source.retained is not None:
        label += f" ({source.retained.author_pseudonym}, {votes_label(source.retained)})"
    address = base_url + url_for("synthesis.version", consultation_id=version.consultation_id, number=version.number)
    return f"{label}, synthèse publiée le {_date(version.published_at)}. {address}"


def contribution_line(version) -> str:
    c = provenance.contribution(version)
    names = ", ".join(name for name, _slug, _n in c.territories)
    return (
        f"Territoires contributeurs : {names or 'aucun'}. "
        f"{counted(c.participants, 'participant·e', 'participant·es')} "
        f"({counted(c.citizens, 'habitant·e', 'habitant·es')} et {counted(c.agents, 'agent', 'agents')}) "
        f"à {counted(c.consultations, 'consultation', 'consultations')} — somme des chiffres figés "
        "dans les synthèses citées, chaque consultation comptée une fois."
    )


def prepare(version, base_url: str = "", upload_dir: str | None = None) -> PrintedManifesto:
    signed = endorsements.signatories(version)
    amended = provenance.amendment_links(version)
    notes: list[tuple[int, str]] = []
    chapters = []
    for chapter, points in services.chapters(version):
        printed = []
        for point in points:
            numbers = []
            for source in point.sources:
                notes.append((len(notes) + 1, source_note(source, base_url)))
                numbers.append(len(notes))
            # The territories' accepted amendments that shaped the point, as on its page: territories only.
            for link in amended.get(point.uid, []):
                label = str(link.label)
                notes.append((len(notes) + 1, f"{label[:1].upper()}{label[1:]}. {base_url}{link.url}"))
                numbers.append(len(notes))
            printed.append(PrintedPoint(point.title, html_blocks(point.body_html), numbers))
        chapters.append((chapter, printed))
    return PrintedManifesto(
        title=version.title,
        version_line=f"Version {version.number}, publiée le {_date(version.published_at)}",
        change_note=version.change_note,
        introduction=html_blocks(version.introduction_html),
        chapters=chapters,
        notes=notes,
        contribution=contribution_line(version),
        signatories=[(e.territory.name, _date(e.signed_at), e.statement) for e in signed],
        earlier=[f"{t.name} a signé la version {n}" for t, n in endorsements.earlier_signatories(version)],
        signatory_logos={
            e.territory.name: path for e in signed if (path := logo_file(e.territory, upload_dir)) is not None
        },
    )
