"""text comments: comments on the paragraphs of participatory texts; amendments reportable and pre-moderable; following a text; grading amendments

Revision ID: 0021_text_comments
Revises: 0020_profiles
Create Date: 2026-12-02 13:10:00

"""

from alembic import op
import sqlalchemy as sa
import concertation.db


# revision identifiers, used by Alembic.
revision = "0021_text_comments"
down_revision = "0020_profiles"
branch_labels = None
depends_on = None


ONE_TARGET = (
    "(CASE WHEN proposal_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN comment_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN amendment_id IS NULL THEN 0 ELSE 1 END) = 1"
)


def upgrade():
    with op.batch_alter_table("comment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("paragraph_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_comment_paragraph_id_text_paragraph"),
            "text_paragraph",
            ["paragraph_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_index(
            "ix_comment_paragraph_root_created", ["paragraph_id", "root_id", "created_at"], unique=False
        )
    with op.batch_alter_table("amendment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("moderation", sa.String(length=10), nullable=False, server_default="visible"))
        batch_op.add_column(sa.Column("moderation_reason", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("moderated_at", concertation.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_amendment_moderation"), ["moderation"], unique=False)
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.add_column(sa.Column("amendment_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_report_amendment_id_amendment"), "amendment", ["amendment_id"], ["id"], ondelete="CASCADE"
        )
        batch_op.create_index(batch_op.f("ix_report_amendment_id"), ["amendment_id"], unique=False)
        batch_op.create_unique_constraint("uq_report_reporter_amendment", ["reporter_id", "amendment_id"])
        batch_op.drop_constraint(batch_op.f("ck_report_one_target"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_report_one_target"), ONE_TARGET)
    op.create_table(
        "text_follow",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", concertation.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["text_id"], ["draft_text.id"], name=op.f("fk_text_follow_text_id_draft_text"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_text_follow_user_id_user"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_text_follow")),
        sa.UniqueConstraint("text_id", "user_id", name=op.f("uq_text_follow_text_id_user_id")),
    )
    with op.batch_alter_table("text_follow", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_text_follow_user_id"), ["user_id"], unique=False)
    op.create_table(
        "amendment_grade",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("amendment_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("mention", sa.SmallInteger(), nullable=False),
        sa.Column("created_at", concertation.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", concertation.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("mention BETWEEN 0 AND 5", name=op.f("ck_amendment_grade_mention_range")),
        sa.ForeignKeyConstraint(
            ["amendment_id"],
            ["amendment.id"],
            name=op.f("fk_amendment_grade_amendment_id_amendment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_amendment_grade_user_id_user"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_amendment_grade")),
        sa.UniqueConstraint("amendment_id", "user_id", name=op.f("uq_amendment_grade_amendment_id_user_id")),
    )
    with op.batch_alter_table("amendment_grade", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_amendment_grade_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("amendment_grade", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_amendment_grade_user_id"))
    op.drop_table("amendment_grade")
    with op.batch_alter_table("text_follow", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_text_follow_user_id"))
    op.drop_table("text_follow")
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_report_one_target"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_report_one_target"), "(proposal_id IS NULL) <> (comment_id IS NULL)"
        )
        batch_op.drop_constraint("uq_report_reporter_amendment", type_="unique")
        batch_op.drop_index(batch_op.f("ix_report_amendment_id"))
        batch_op.drop_constraint(batch_op.f("fk_report_amendment_id_amendment"), type_="foreignkey")
        batch_op.drop_column("amendment_id")
    with op.batch_alter_table("amendment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_amendment_moderation"))
        batch_op.drop_column("moderated_at")
        batch_op.drop_column("moderation_reason")
        batch_op.drop_column("moderation")
    with op.batch_alter_table("comment", schema=None) as batch_op:
        batch_op.drop_index("ix_comment_paragraph_root_created")
        batch_op.drop_constraint(batch_op.f("fk_comment_paragraph_id_text_paragraph"), type_="foreignkey")
        batch_op.drop_column("paragraph_id")
