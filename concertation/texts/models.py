"""A draft text (chapters, numbered paragraphs), its amendments and supports, and its adopted versions."""

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from concertation.db import ModerationMixin, utcnow
from concertation.extensions import db
from concertation.i18n import N_

if TYPE_CHECKING:
    from concertation.accounts.models import User
    from concertation.consultations.models import Consultation

TEXT_STATUSES = {
    "draft": N_("En préparation"),
    "open": N_("Ouvert aux amendements"),
    "adopted": N_("Adopté"),
}

AMENDMENT_KINDS = {
    "replace": N_("Nouvelle rédaction"),
    "delete": N_("Suppression"),
    "add_after": N_("Nouveau paragraphe après celui-ci"),
}

AMENDMENT_STATUSES = {
    "pending": N_("En attente de réponse"),
    "accepted": N_("Accepté"),
    "accepted_changed": N_("Accepté avec modifications"),
    "rejected": N_("Rejeté"),
}
ACCEPTED = ("accepted", "accepted_changed")


class DraftText(db.Model):
    """A text (a charter, principles) that a consultation opens to amendments, paragraph by paragraph."""

    __tablename__ = "draft_text"
    __table_args__ = (CheckConstraint("status IN ('draft', 'open', 'adopted')", name="status_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(10), default="draft")
    # The Markdown it was imported from, kept so that the organisers can correct and import it again.
    source: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    opened_at: Mapped[datetime | None]

    consultation: Mapped["Consultation"] = relationship(lazy="joined")
    chapters: Mapped[list["Chapter"]] = relationship(
        back_populates="text", order_by="Chapter.position", cascade="all, delete-orphan"
    )

    @property
    def status_label(self) -> str:
        return TEXT_STATUSES[self.status]


class Chapter(db.Model):
    __tablename__ = "text_chapter"
    __table_args__ = (UniqueConstraint("text_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    text_id: Mapped[int] = mapped_column(ForeignKey("draft_text.id", ondelete="CASCADE"))
    position: Mapped[int]
    # Empty for the paragraphs that come before the text's first heading.
    title: Mapped[str] = mapped_column(String(200), default="")

    text: Mapped[DraftText] = relationship(back_populates="chapters")
    paragraphs: Mapped[list["Paragraph"]] = relationship(
        back_populates="chapter", order_by="Paragraph.number", cascade="all, delete-orphan"
    )


class Paragraph(db.Model):
    """One paragraph of the draft, numbered through the whole text (§ 1, § 2…); frozen once the text is open."""

    __tablename__ = "text_paragraph"
    __table_args__ = (UniqueConstraint("text_id", "number"), CheckConstraint("number > 0", name="number_positive"))

    id: Mapped[int] = mapped_column(primary_key=True)
    text_id: Mapped[int] = mapped_column(ForeignKey("draft_text.id", ondelete="CASCADE"))
    chapter_id: Mapped[int] = mapped_column(ForeignKey("text_chapter.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)

    chapter: Mapped[Chapter] = relationship(back_populates="paragraphs")
    text: Mapped[DraftText] = relationship(lazy="joined")


class Amendment(ModerationMixin, db.Model):
    """A participant's change to one paragraph: a new wording, its deletion, or a new paragraph after it.

    Reportable and pre-moderable like a proposal: a hidden or pending one is left out of the pages,
    the open data and the adopted version's table."""

    __tablename__ = "amendment"
    __table_args__ = (
        # The same person cannot propose the same change twice to one paragraph (a double click, a resend).
        UniqueConstraint("paragraph_id", "author_id", "kind", "wording_key"),
        CheckConstraint("kind IN ('replace', 'delete', 'add_after')", name="kind_known"),
        CheckConstraint("status IN ('pending', 'accepted', 'accepted_changed', 'rejected')", name="status_known"),
        CheckConstraint("support_count >= 0", name="support_count_positive"),
        CheckConstraint("status <> 'rejected' OR answer_text <> ''", name="rejection_has_reason"),
        CheckConstraint("status <> 'accepted_changed' OR final_wording <> ''", name="changes_written"),
        Index("ix_amendment_text_status", "text_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    text_id: Mapped[int] = mapped_column(ForeignKey("draft_text.id", ondelete="CASCADE"))
    paragraph_id: Mapped[int] = mapped_column(ForeignKey("text_paragraph.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    # The proposed wording ("" for a deletion), as typed: plain text, compared word by word with the paragraph.
    wording: Mapped[str] = mapped_column(Text, default="")
    # A hash of the normalised wording, for the unique constraint (a long text cannot be indexed everywhere).
    wording_key: Mapped[str] = mapped_column(String(64))
    justification: Mapped[str] = mapped_column(Text, default="")
    justification_html: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    support_count: Mapped[int] = mapped_column(default=0)

    status: Mapped[str] = mapped_column(String(20), default="pending")
    # What the organisers adopted when they accepted with changes.
    final_wording: Mapped[str] = mapped_column(Text, default="")
    answer_text: Mapped[str] = mapped_column(Text, default="")
    answer_html: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime | None]
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    paragraph: Mapped[Paragraph] = relationship(lazy="joined")
    author: Mapped["User"] = relationship(foreign_keys=[author_id], lazy="joined")

    @property
    def kind_label(self) -> str:
        return AMENDMENT_KINDS[self.kind]

    @property
    def status_label(self) -> str:
        return AMENDMENT_STATUSES[self.status]

    @property
    def is_accepted(self) -> bool:
        return self.status in ACCEPTED

    @property
    def adopted_wording(self) -> str:
        """The wording that enters the text when the amendment is accepted."""
        return self.final_wording if self.status == "accepted_changed" else self.wording


class AmendmentSupport(db.Model):
    __tablename__ = "amendment_support"
    __table_args__ = (UniqueConstraint("amendment_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    amendment_id: Mapped[int] = mapped_column(ForeignKey("amendment.id", ondelete="CASCADE"))
    # Unlinked (NULL) when the account is deleted: the support still counts, and no longer says whose it was.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AmendmentGrade(db.Model):
    """A mention given to an amendment when the consultation votes by majority judgment (one per person, changeable)."""

    __tablename__ = "amendment_grade"
    __table_args__ = (
        UniqueConstraint("amendment_id", "user_id"),
        CheckConstraint("mention BETWEEN 0 AND 5", name="mention_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    amendment_id: Mapped[int] = mapped_column(ForeignKey("amendment.id", ondelete="CASCADE"))
    # Unlinked (NULL) when the account is deleted: the mention still counts, and no longer says whose it was.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    mention: Mapped[int] = mapped_column(SmallInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class TextVersion(db.Model):
    """An adopted version of the text: its paragraphs frozen at publication, with where each change came from."""

    __tablename__ = "text_version"
    __table_args__ = (UniqueConstraint("text_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    text_id: Mapped[int] = mapped_column(ForeignKey("draft_text.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    text: Mapped[DraftText] = relationship(lazy="joined")
    paragraphs: Mapped[list["VersionParagraph"]] = relationship(
        back_populates="version", order_by="VersionParagraph.position", cascade="all, delete-orphan"
    )


VERSION_CHANGES = {
    "kept": N_("Inchangé"),
    "changed": N_("Modifié"),
    "added": N_("Ajouté"),
    "deleted": N_("Supprimé"),
}


class VersionParagraph(db.Model):
    """One paragraph of an adopted version as published (a deleted one is kept, empty, to say where it went)."""

    __tablename__ = "text_version_paragraph"
    __table_args__ = (
        UniqueConstraint("version_id", "position"),
        CheckConstraint("change IN ('kept', 'changed', 'added', 'deleted')", name="change_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("text_version.id", ondelete="CASCADE"))
    position: Mapped[int]
    # The number in the adopted text (none for a deleted paragraph) and in the draft (none for an added one).
    number: Mapped[int | None]
    draft_number: Mapped[int | None]
    chapter_title: Mapped[str] = mapped_column(String(200), default="")
    change: Mapped[str] = mapped_column(String(10))
    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    # The draft's wording, frozen beside the adopted one, for the word-level difference.
    draft_body: Mapped[str] = mapped_column(Text, default="")

    version: Mapped[TextVersion] = relationship(back_populates="paragraphs")
    sources: Mapped[list["VersionSource"]] = relationship(
        back_populates="paragraph", order_by="VersionSource.id", cascade="all, delete-orphan", lazy="selectin"
    )


class VersionSource(db.Model):
    """An accepted amendment a changed paragraph came from, with its support or its mention frozen at publication.

    The author is read through the amendment, so that a deleted account shows the neutral pseudonym here too.
    """

    __tablename__ = "text_version_source"
    __table_args__ = (
        UniqueConstraint("paragraph_id", "amendment_id"),
        CheckConstraint("majority_mention BETWEEN 0 AND 5", name="mention_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    paragraph_id: Mapped[int] = mapped_column(ForeignKey("text_version_paragraph.id", ondelete="CASCADE"))
    amendment_id: Mapped[int] = mapped_column(ForeignKey("amendment.id", ondelete="CASCADE"), index=True)
    support_count: Mapped[int] = mapped_column(default=0)
    # Under majority judgment (None under supports): how many judged the amendment, and its majority
    # mention (None without judges), as they stood at adoption; shown only when counts may be.
    judges: Mapped[int | None]
    majority_mention: Mapped[int | None] = mapped_column(SmallInteger)

    paragraph: Mapped[VersionParagraph] = relationship(back_populates="sources")
    amendment: Mapped[Amendment] = relationship(lazy="joined")


class TextFollow(db.Model):
    """Someone following a text: told when an adopted version is published."""

    __tablename__ = "text_follow"
    __table_args__ = (UniqueConstraint("text_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    text_id: Mapped[int] = mapped_column(ForeignKey("draft_text.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
