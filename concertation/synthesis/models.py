"""Syntheses: the organiser's draft and its published (frozen) versions.

A consultation has at most one ``Synthesis``, the working draft. Publishing it
copies everything a reader sees into a ``SynthesisVersion`` (sections with
their citations, figures) and one ``RetainedProposalSnapshot`` row per
retained proposal: those rows never change afterwards, whatever happens to the
live data, and their ids are the stable ids other areas (the manifesto) cite.
"""

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from concertation.db import TimestampMixin, utcnow
from concertation.extensions import db

if TYPE_CHECKING:  # for the annotations of relationships (the modules import each other at run time)
    from concertation.consultations.models import Consultation


class Synthesis(TimestampMixin, db.Model):
    """The draft an organiser writes during the synthesis phase."""

    __tablename__ = "synthesis"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id", ondelete="CASCADE"), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    introduction: Mapped[str] = mapped_column(Text, default="")
    introduction_html: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    consultation: Mapped["Consultation"] = relationship(lazy="joined")
    sections: Mapped[list["SynthesisSection"]] = relationship(
        back_populates="synthesis", cascade="all, delete-orphan", lazy="selectin",
        order_by="SynthesisSection.position",
    )
    retained: Mapped[list["SynthesisRetained"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="SynthesisRetained.position",
    )


class SynthesisSection(db.Model):
    """One section of the draft, usually one per theme of the consultation."""

    __tablename__ = "synthesis_section"

    id: Mapped[int] = mapped_column(primary_key=True)
    synthesis_id: Mapped[int] = mapped_column(ForeignKey("synthesis.id", ondelete="CASCADE"), index=True)
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(150))
    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)

    synthesis: Mapped[Synthesis] = relationship(back_populates="sections")
    citations: Mapped[list["SynthesisCitation"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="SynthesisCitation.id",
    )


class SynthesisCitation(db.Model):
    """A proposal or a comment a section (or one of its paragraphs) stands on."""

    __tablename__ = "synthesis_citation"
    __table_args__ = (
        CheckConstraint("(proposal_id IS NULL) <> (comment_id IS NULL)", name="one_source"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("synthesis_section.id", ondelete="CASCADE"), index=True)
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"))
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comment.id", ondelete="CASCADE"))
    # 1-based paragraph of the section the citation supports; None for the whole section.
    paragraph: Mapped[int | None]


class SynthesisRetained(db.Model):
    """A proposal the organiser chose to put forward in the draft (it must be answered "retained")."""

    __tablename__ = "synthesis_retained"
    __table_args__ = (UniqueConstraint("synthesis_id", "proposal_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    synthesis_id: Mapped[int] = mapped_column(ForeignKey("synthesis.id", ondelete="CASCADE"), index=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)


class SynthesisVersion(db.Model):
    """A published version, frozen: nothing here is recomputed after publication.

    ``sections`` is a list of {"title", "theme", "body", "body_html", "paragraphs": [{"html",
    "citations": [numbers]}], "cited": [numbers of the whole section], "citations":
    [{"number", "kind", "id", "proposal_id", "paragraph", "title", "excerpt", "author"}]};
    ``figures`` is the dict made by ``figures.consultation_figures`` at publication.
    """

    __tablename__ = "synthesis_version"
    __table_args__ = (
        UniqueConstraint("synthesis_id", "number"),
        Index("ix_synthesis_version_published", "published_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    synthesis_id: Mapped[int] = mapped_column(ForeignKey("synthesis.id", ondelete="CASCADE"), index=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    introduction: Mapped[str] = mapped_column(Text, default="")
    introduction_html: Mapped[str] = mapped_column(Text, default="")
    sections: Mapped[list] = mapped_column(JSON)
    figures: Mapped[dict] = mapped_column(JSON)
    change_note: Mapped[str] = mapped_column(String(500), default="")
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    consultation: Mapped["Consultation"] = relationship(lazy="joined")
    retained: Mapped[list["RetainedProposalSnapshot"]] = relationship(
        back_populates="version", cascade="all, delete-orphan", lazy="selectin",
        order_by="RetainedProposalSnapshot.position",
    )


class RetainedProposalSnapshot(db.Model):
    """A retained proposal as it stood when the version was published: the manifesto cites these ids."""

    __tablename__ = "retained_proposal_snapshot"
    __table_args__ = (UniqueConstraint("version_id", "proposal_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("synthesis_version.id", ondelete="CASCADE"), index=True)
    # The live proposal, kept for links; the snapshot stays readable if it disappears.
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id", ondelete="SET NULL"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(150))
    excerpt: Mapped[str] = mapped_column(Text, default="")
    author_pseudonym: Mapped[str] = mapped_column(String(40))
    theme_name: Mapped[str | None] = mapped_column(String(80))
    answer_text: Mapped[str] = mapped_column(Text, default="")
    support_count: Mapped[int] = mapped_column(default=0)
    grade_count: Mapped[int] = mapped_column(default=0)
    # Majority mention 0..5 (see voting.models.MENTIONS), None under the support method or without grades.
    majority_mention: Mapped[int | None]

    version: Mapped[SynthesisVersion] = relationship(back_populates="retained")
