"""text comments: comments on the paragraphs of participatory texts

Revision ID: 0021_text_comments
Revises: 0020_profiles
Create Date: 2026-12-02 13:10:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0021_text_comments"
down_revision = "0020_profiles"
branch_labels = None
depends_on = None


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


def downgrade():
    with op.batch_alter_table("comment", schema=None) as batch_op:
        batch_op.drop_index("ix_comment_paragraph_root_created")
        batch_op.drop_constraint(batch_op.f("fk_comment_paragraph_id_text_paragraph"), type_="foreignkey")
        batch_op.drop_column("paragraph_id")
