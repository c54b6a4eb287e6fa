"""Syntheses: the organiser's draft and its published (frozen) versions.

A consultation has at most one ``Synthesis``, the working draft. Publishing it
copies everything a reader sees into a ``SynthesisVersion`` (sections with
their citations, figures) and one ``RetainedProposalSnapshot`` row per
retained proposal: those rows never change afterwards, whatever happens to the
live data, and their ids are the stable ids other areas (the manifesto) cite.
"""

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, Float, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
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
        back_populates="synthesis",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="SynthesisSection.position",
    )
    retained: Mapped[list["SynthesisRetained"]] = relationship(
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="SynthesisRetained.position",
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
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="SynthesisCitation.id",
    )


class SynthesisCitation(db.Model):
    """A proposal or a comment a section (or one of its paragraphs) stands on."""

    __tablename__ = "synthesis_citation"
    __table_args__ = (CheckConstraint("(proposal_id IS NULL) <> (comment_id IS NULL)", name="one_source"),)

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
        back_populates="version",
        cascade="all, delete-orphan",
        lazy="selectin",
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


# The synthesis aid on sentence embeddings (see synthesis/semantic.py) ---------------------------------------------


class ProposalEmbedding(db.Model):
    """A proposal's sentence embedding: a derived copy of its text, dropped when the text changes.

    ``text_hash`` is the SHA-256 of the text it was computed from: a vector whose
    hash no longer matches the proposal is never used (see synthesis/embeddings.py).
    """

    __tablename__ = "proposal_embedding"

    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"), primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id", ondelete="CASCADE"), index=True)
    model: Mapped[str] = mapped_column(String(200))
    text_hash: Mapped[str] = mapped_column(String(64))
    # float32, little-endian, L2-normalised.
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)


class AidGroup(db.Model):
    """A theme group of the aid: computed, then the organisers' to rename, merge and split."""

    __tablename__ = "aid_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id", ondelete="CASCADE"), index=True)
    # The organisers' name for the group; None shows its telling words.
    name: Mapped[str | None] = mapped_column(String(150))
    words: Mapped[list] = mapped_column(JSON, default=list)
    # The cited draft: [[proposal id, sentence number, text hash], …] (see semantic.draft_sentences).
    draft: Mapped[list] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AidPlacement(db.Model):
    """Where a proposal stands in the aid: in a group, or « à part » (group_id None)."""

    __tablename__ = "aid_placement"

    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"), primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("aid_group.id", ondelete="SET NULL"), index=True)
    # Placed by an organiser: a computation never moves it.
    pinned: Mapped[bool] = mapped_column(default=False)
    # Cosine similarity to the group's centre (to its nearest centre when apart): the most representative first.
    score: Mapped[float] = mapped_column(Float, default=0.0)


class AidRun(db.Model):
    """The last computation of a consultation's aid: how it was made, duplicates and opinion groups (ids, figures)."""

    __tablename__ = "aid_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id", ondelete="CASCADE"), unique=True)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
    # "embeddings", or "words" when the model was unavailable (today's method, synthesis/grouping.py).
    method: Mapped[str] = mapped_column(String(20))
    model: Mapped[str] = mapped_column(String(200), default="")
    notice: Mapped[str] = mapped_column(Text, default="")
    # [[proposal id, proposal id, similarity], …], most similar first.
    duplicates: Mapped[list] = mapped_column(JSON, default=list)
    # See opinions.opinion_groups: sizes and shares per group, never a person.
    opinions: Mapped[dict] = mapped_column(JSON, default=dict)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
    # Visible proposals the model had not read yet when the computation stopped (a web request's time budget).
    remaining: Mapped[int] = mapped_column(default=0)
