"""texts: participatory texts (draft, chapters, paragraphs, amendments, supports, adopted versions)

Revision ID: 0017_texts
Revises: 0013_oidc
Create Date: 2026-12-02 00:06:07.139566

"""

from alembic import op
import sqlalchemy as sa
import concertation.db


# revision identifiers, used by Alembic.
revision = "0017_texts"
down_revision = "0016_questionnaires"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "draft_text",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("created_at", concertation.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("opened_at", concertation.db.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('draft', 'open', 'adopted')", name=op.f("ck_draft_text_status_known")),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultation.id"],
            name=op.f("fk_draft_text_consultation_id_consultation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user.id"], name=op.f("fk_draft_text_created_by_id_user"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_draft_text")),
    )
    with op.batch_alter_table("draft_text", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_draft_text_consultation_id"), ["consultation_id"], unique=False)

    op.create_table(
        "text_chapter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["text_id"], ["draft_text.id"], name=op.f("fk_text_chapter_text_id_draft_text"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_text_chapter")),
        sa.UniqueConstraint("text_id", "position", name=op.f("uq_text_chapter_text_id_position")),
    )
    op.create_table(
        "text_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("published_at", concertation.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["published_by_id"], ["user.id"], name=op.f("fk_text_version_published_by_id_user"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["text_id"], ["draft_text.id"], name=op.f("fk_text_version_text_id_draft_text"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_text_version")),
        sa.UniqueConstraint("text_id", "number", name=op.f("uq_text_version_text_id_number")),
    )
    with op.batch_alter_table("text_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_text_version_text_id"), ["text_id"], unique=False)

    op.create_table(
        "text_paragraph",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text_id", sa.Integer(), nullable=False),
        sa.Column("chapter_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.CheckConstraint("number > 0", name=op.f("ck_text_paragraph_number_positive")),
        sa.ForeignKeyConstraint(
            ["chapter_id"],
            ["text_chapter.id"],
            name=op.f("fk_text_paragraph_chapter_id_text_chapter"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["text_id"], ["draft_text.id"], name=op.f("fk_text_paragraph_text_id_draft_text"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_text_paragraph")),
        sa.UniqueConstraint("text_id", "number", name=op.f("uq_text_paragraph_text_id_number")),
    )
    with op.batch_alter_table("text_paragraph", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_text_paragraph_chapter_id"), ["chapter_id"], unique=False)

    op.create_table(
        "text_version_paragraph",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("draft_number", sa.Integer(), nullable=True),
        sa.Column("chapter_title", sa.String(length=200), nullable=False),
        sa.Column("change", sa.String(length=10), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("draft_body", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "change IN ('kept', 'changed', 'added', 'deleted')", name=op.f("ck_text_version_paragraph_change_known")
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["text_version.id"],
            name=op.f("fk_text_version_paragraph_version_id_text_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_text_version_paragraph")),
        sa.UniqueConstraint("version_id", "position", name=op.f("uq_text_version_paragraph_version_id_position")),
    )
    op.create_table(
        "amendment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text_id", sa.Integer(), nullable=False),
        sa.Column("paragraph_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("wording", sa.Text(), nullable=False),
        sa.Column("wording_key", sa.String(length=64), nullable=False),
        sa.Column("justification", sa.Text(), nullable=False),
        sa.Column("justification_html", sa.Text(), nullable=False),
        sa.Column("created_at", concertation.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("support_count", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("final_wording", sa.Text(), nullable=False),
        sa.Column("answer_text", sa.Text(), nullable=False),
        sa.Column("answer_html", sa.Text(), nullable=False),
        sa.Column("answered_at", concertation.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("kind IN ('replace', 'delete', 'add_after')", name=op.f("ck_amendment_kind_known")),
        sa.CheckConstraint(
            "status <> 'accepted_changed' OR final_wording <> ''", name=op.f("ck_amendment_changes_written")
        ),
        sa.CheckConstraint("status <> 'rejected' OR answer_text <> ''", name=op.f("ck_amendment_rejection_has_reason")),
        sa.CheckConstraint(
            "status IN ('pending', 'accepted', 'accepted_changed', 'rejected')", name=op.f("ck_amendment_status_known")
        ),
        sa.CheckConstraint("support_count >= 0", name=op.f("ck_amendment_support_count_positive")),
        sa.ForeignKeyConstraint(
            ["answered_by_id"], ["user.id"], name=op.f("fk_amendment_answered_by_id_user"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(["author_id"], ["user.id"], name=op.f("fk_amendment_author_id_user")),
        sa.ForeignKeyConstraint(
            ["paragraph_id"],
            ["text_paragraph.id"],
            name=op.f("fk_amendment_paragraph_id_text_paragraph"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["text_id"], ["draft_text.id"], name=op.f("fk_amendment_text_id_draft_text"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_amendment")),
        sa.UniqueConstraint(
            "paragraph_id",
            "author_id",
            "kind",
            "wording_key",
            name=op.f("uq_amendment_paragraph_id_author_id_kind_wording_key"),
        ),
    )
    with op.batch_alter_table("amendment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_amendment_author_id"), ["author_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_amendment_paragraph_id"), ["paragraph_id"], unique=False)
        batch_op.create_index("ix_amendment_text_status", ["text_id", "status"], unique=False)

    op.create_table(
        "amendment_support",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("amendment_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", concertation.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["amendment_id"],
            ["amendment.id"],
            name=op.f("fk_amendment_support_amendment_id_amendment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_amendment_support_user_id_user"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_amendment_support")),
        sa.UniqueConstraint("amendment_id", "user_id", name=op.f("uq_amendment_support_amendment_id_user_id")),
    )
    with op.batch_alter_table("amendment_support", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_amendment_support_user_id"), ["user_id"], unique=False)

    op.create_table(
        "text_version_source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("paragraph_id", sa.Integer(), nullable=False),
        sa.Column("amendment_id", sa.Integer(), nullable=False),
        sa.Column("support_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["amendment_id"],
            ["amendment.id"],
            name=op.f("fk_text_version_source_amendment_id_amendment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["paragraph_id"],
            ["text_version_paragraph.id"],
            name=op.f("fk_text_version_source_paragraph_id_text_version_paragraph"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_text_version_source")),
        sa.UniqueConstraint(
            "paragraph_id", "amendment_id", name=op.f("uq_text_version_source_paragraph_id_amendment_id")
        ),
    )
    with op.batch_alter_table("text_version_source", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_text_version_source_amendment_id"), ["amendment_id"], unique=False)


def downgrade():
    with op.batch_alter_table("text_version_source", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_text_version_source_amendment_id"))

    op.drop_table("text_version_source")
    with op.batch_alter_table("amendment_support", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_amendment_support_user_id"))

    op.drop_table("amendment_support")
    with op.batch_alter_table("amendment", schema=None) as batch_op:
        batch_op.drop_index("ix_amendment_text_status")
        batch_op.drop_index(batch_op.f("ix_amendment_paragraph_id"))
        batch_op.drop_index(batch_op.f("ix_amendment_author_id"))

    op.drop_table("amendment")
    op.drop_table("text_version_paragraph")
    with op.batch_alter_table("text_paragraph", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_text_paragraph_chapter_id"))

    op.drop_table("text_paragraph")
    with op.batch_alter_table("text_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_text_version_text_id"))

    op.drop_table("text_version")
    op.drop_table("text_chapter")
    with op.batch_alter_table("draft_text", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_draft_text_consultation_id"))

    op.drop_table("draft_text")
