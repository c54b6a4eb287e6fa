"""questionnaires: sections, questions and options; who answered kept apart from what was answered

Revision ID: 0016_questionnaires
Revises: 0013_oidc
Create Date: 2026-12-02 00:07:12

"""

import sqlalchemy as sa
from alembic import op

import concertation.db


# revision identifiers, used by Alembic.
revision = "0016_questionnaires"
down_revision = "0015_library"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "questionnaire",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=150), nullable=False),
        sa.Column("intro", sa.Text(), nullable=False),
        sa.Column("intro_html", sa.Text(), nullable=False),
        sa.Column("audience", sa.String(length=10), nullable=False),
        sa.Column("published_at", concertation.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", concertation.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", concertation.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultation.id"],
            name=op.f("fk_questionnaire_consultation_id_consultation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user.id"], name=op.f("fk_questionnaire_created_by_id_user"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questionnaire")),
    )
    with op.batch_alter_table("questionnaire", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_questionnaire_consultation_id"), ["consultation_id"], unique=False)

    op.create_table(
        "questionnaire_respondent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("submitted", sa.Boolean(), nullable=False),
        sa.Column("draft", sa.Text(), nullable=True),
        sa.Column("draft_saved_at", concertation.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["questionnaire_id"],
            ["questionnaire.id"],
            name=op.f("fk_questionnaire_respondent_questionnaire_id_questionnaire"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_questionnaire_respondent_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questionnaire_respondent")),
        sa.UniqueConstraint(
            "questionnaire_id", "user_id", name=op.f("uq_questionnaire_respondent_questionnaire_id_user_id")
        ),
    )
    with op.batch_alter_table("questionnaire_respondent", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_questionnaire_respondent_questionnaire_id"), ["questionnaire_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_questionnaire_respondent_user_id"), ["user_id"], unique=False)

    op.create_table(
        "questionnaire_response",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("questionnaire_id", sa.Integer(), nullable=False),
        sa.Column("submitted_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["questionnaire_id"],
            ["questionnaire.id"],
            name=op.f("fk_questionnaire_response_questionnaire_id_questionnaire"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questionnaire_response")),
    )
    with op.batch_alter_table("questionnaire_response", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_questionnaire_response_questionnaire_id"), ["questionnaire_id"], unique=False
        )

    op.create_table(
        "questionnaire_section",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=150), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["questionnaire_id"],
            ["questionnaire.id"],
            name=op.f("fk_questionnaire_section_questionnaire_id_questionnaire"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questionnaire_section")),
    )
    with op.batch_alter_table("questionnaire_section", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_questionnaire_section_questionnaire_id"), ["questionnaire_id"], unique=False
        )

    op.create_table(
        "questionnaire_question",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("hint", sa.String(length=300), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("max_choices", sa.Integer(), nullable=True),
        sa.Column("scale_max", sa.Integer(), nullable=True),
        sa.Column("scale_min_label", sa.String(length=60), nullable=False),
        sa.Column("scale_max_label", sa.String(length=60), nullable=False),
        sa.Column("condition_option_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "max_choices IS NULL OR max_choices > 0", name=op.f("ck_questionnaire_question_max_choices_positive")
        ),
        sa.CheckConstraint(
            "scale_max IS NULL OR scale_max IN (5, 10)", name=op.f("ck_questionnaire_question_scale_max_known")
        ),
        sa.ForeignKeyConstraint(
            ["section_id"],
            ["questionnaire_section.id"],
            name=op.f("fk_questionnaire_question_section_id_questionnaire_section"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questionnaire_question")),
    )
    with op.batch_alter_table("questionnaire_question", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_questionnaire_question_section_id"), ["section_id"], unique=False)

    op.create_table(
        "questionnaire_option",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["questionnaire_question.id"],
            name=op.f("fk_questionnaire_option_question_id_questionnaire_question"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questionnaire_option")),
    )
    with op.batch_alter_table("questionnaire_option", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_questionnaire_option_question_id"), ["question_id"], unique=False)
    # Questions and options point to each other: the condition's key is added once both tables exist.
    with op.batch_alter_table("questionnaire_question", schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f("fk_questionnaire_question_condition_option_id_questionnaire_option"),
            "questionnaire_option",
            ["condition_option_id"],
            ["id"],
            ondelete="SET NULL",
        )

    op.create_table(
        "questionnaire_answer",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("response_id", sa.String(length=32), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("option_id", sa.Integer(), nullable=True),
        sa.Column("value", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["option_id"],
            ["questionnaire_option.id"],
            name=op.f("fk_questionnaire_answer_option_id_questionnaire_option"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["questionnaire_question.id"],
            name=op.f("fk_questionnaire_answer_question_id_questionnaire_question"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["questionnaire_response.id"],
            name=op.f("fk_questionnaire_answer_response_id_questionnaire_response"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questionnaire_answer")),
    )
    with op.batch_alter_table("questionnaire_answer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_questionnaire_answer_question_id"), ["question_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_questionnaire_answer_response_id"), ["response_id"], unique=False)


def downgrade():
    with op.batch_alter_table("questionnaire_answer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_questionnaire_answer_response_id"))
        batch_op.drop_index(batch_op.f("ix_questionnaire_answer_question_id"))

    op.drop_table("questionnaire_answer")
    with op.batch_alter_table("questionnaire_question", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_questionnaire_question_condition_option_id_questionnaire_option"), type_="foreignkey"
        )
    with op.batch_alter_table("questionnaire_option", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_questionnaire_option_question_id"))

    op.drop_table("questionnaire_option")
    with op.batch_alter_table("questionnaire_question", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_questionnaire_question_section_id"))

    op.drop_table("questionnaire_question")
    with op.batch_alter_table("questionnaire_section", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_questionnaire_section_questionnaire_id"))

    op.drop_table("questionnaire_section")
    with op.batch_alter_table("questionnaire_response", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_questionnaire_response_questionnaire_id"))

    op.drop_table("questionnaire_response")
    with op.batch_alter_table("questionnaire_respondent", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_questionnaire_respondent_user_id"))
        batch_op.drop_index(batch_op.f("ix_questionnaire_respondent_questionnaire_id"))

    op.drop_table("questionnaire_respondent")
    with op.batch_alter_table("questionnaire", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_questionnaire_consultation_id"))

    op.drop_table("questionnaire")
