"""Questionnaires, their sections, questions and options; who answered, kept apart from what was answered.

Anonymity is held by the schema: ``Respondent`` says that a person answered (one row per
person and questionnaire, unique in the database) and may hold their draft until they send it;
``Response`` and ``Answer`` hold what was answered and carry no user id, no link to the
respondent, no time finer than the day, and random identifiers (a sequence would line up the
n-th respondent with the n-th response).
"""

import secrets
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from concertation.db import TimestampMixin
from concertation.extensions import db
from concertation.i18n import N_

if TYPE_CHECKING:
    from concertation.consultations.models import Consultation

AUDIENCES = {
    "public": N_("Le public"),
    "agents": N_("Les agents de la collectivité"),
    "both": N_("Le public et les agents"),
}
KINDS = {
    "single": N_("Choix unique"),
    "multiple": N_("Choix multiple"),
    "scale": N_("Échelle"),
    "ranking": N_("Classement"),
    "short_text": N_("Texte court"),
    "long_text": N_("Texte long"),
    "matrix": N_("Tableau (lignes × échelle)"),
}
# Kinds whose options are the choices offered (for a matrix, its options are its rows).
WITH_OPTIONS = ("single", "multiple", "ranking", "matrix")
WITH_SCALE = ("scale", "matrix")
TEXT_KINDS = ("short_text", "long_text")
# Kinds an answer can condition a later question on.
CONDITIONING_KINDS = ("single", "multiple")
SCALES = (5, 10)


def random_id() -> str:
    return secrets.token_hex(16)


class Questionnaire(TimestampMixin, db.Model):
    __tablename__ = "questionnaire"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(150))
    intro: Mapped[str] = mapped_column(Text, default="")
    intro_html: Mapped[str] = mapped_column(Text, default="")
    audience: Mapped[str] = mapped_column(String(10), default="both")
    # Answers are taken once the organisers publish it; its questions are then fixed.
    published_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    consultation: Mapped["Consultation"] = relationship(lazy="joined")
    sections: Mapped[list["Section"]] = relationship(
        back_populates="questionnaire", cascade="all, delete-orphan", order_by="Section.position", lazy="selectin"
    )

    @property
    def audience_label(self) -> str:
        return AUDIENCES.get(self.audience, self.audience)

    @property
    def questions(self) -> list["Question"]:
        return [q for s in self.sections for q in s.questions]

    def __repr__(self) -> str:
        return f"<Questionnaire {self.id}>"


class Section(db.Model):
    __tablename__ = "questionnaire_section"

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaire.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(150))
    position: Mapped[int] = mapped_column(default=0)

    questionnaire: Mapped[Questionnaire] = relationship(back_populates="sections")
    questions: Mapped[list["Question"]] = relationship(
        back_populates="section", cascade="all, delete-orphan", order_by="Question.position", lazy="selectin"
    )


class Question(db.Model):
    __tablename__ = "questionnaire_question"
    __table_args__ = (
        CheckConstraint("max_choices IS NULL OR max_choices > 0", name="max_choices_positive"),
        CheckConstraint("scale_max IS NULL OR scale_max IN (5, 10)", name="scale_max_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_section.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(300))
    hint: Mapped[str] = mapped_column(String(300), default="")
    required: Mapped[bool] = mapped_column(default=False)
    max_choices: Mapped[int | None]
    scale_max: Mapped[int | None]
    scale_min_label: Mapped[str] = mapped_column(String(60), default="")
    scale_max_label: Mapped[str] = mapped_column(String(60), default="")
    # Shown only when an earlier question was answered with this option (one level).
    condition_option_id: Mapped[int | None] = mapped_column(
        ForeignKey("questionnaire_option.id", ondelete="SET NULL", use_alter=True)
    )

    section: Mapped[Section] = relationship(back_populates="questions")
    options: Mapped[list["Option"]] = relationship(
        back_populates="question",
        cascade="all, delete-orphan",
        order_by="Option.position",
        lazy="selectin",
        foreign_keys="Option.question_id",
    )
    condition_option: Mapped["Option | None"] = relationship(foreign_keys=[condition_option_id])

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)

    @property
    def scale_values(self) -> list[int]:
        return list(range(1, (self.scale_max or 5) + 1))


class Option(db.Model):
    """A choice of a single, multiple or ranking question, or a row of a matrix."""

    __tablename__ = "questionnaire_option"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_question.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=0)

    question: Mapped[Question] = relationship(back_populates="options", foreign_keys=[question_id])


class Respondent(db.Model):
    """That a person answered (one row per person, by the database), and their draft until they send it.

    No time of sending is kept here; once sent, the draft is dropped."""

    __tablename__ = "questionnaire_respondent"
    __table_args__ = (UniqueConstraint("questionnaire_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaire.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    submitted: Mapped[bool] = mapped_column(default=False)
    # The answers typed so far (JSON of the form's fields), while not sent.
    draft: Mapped[str | None] = mapped_column(Text)
    draft_saved_at: Mapped[datetime | None]


class Response(db.Model):
    """One sent questionnaire: no person, no respondent, the day only."""

    __tablename__ = "questionnaire_response"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_id)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaire.id", ondelete="CASCADE"), index=True)
    submitted_on: Mapped[date]


class Answer(db.Model):
    """One answer of a response: an option chosen (with its rank, or a matrix row with its value),
    a value on a scale, or a text."""

    __tablename__ = "questionnaire_answer"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_id)
    response_id: Mapped[str] = mapped_column(ForeignKey("questionnaire_response.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_question.id", ondelete="CASCADE"), index=True)
    option_id: Mapped[int | None] = mapped_column(ForeignKey("questionnaire_option.id", ondelete="CASCADE"))
    value: Mapped[int | None]
    text: Mapped[str | None] = mapped_column(Text)
