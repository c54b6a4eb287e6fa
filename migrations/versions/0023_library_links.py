"""library links: an entry's commitments (one of which it may carry out) and proposals

Revision ID: 0023_library_links
Revises: 0021_text_comments
Create Date: 2026-12-02 13:10:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0023_library_links"
down_revision = "0021_text_comments"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "library_entry_commitment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("realises", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitment.id"],
            name=op.f("fk_library_entry_commitment_commitment_id_commitment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["library_entry.id"],
            name=op.f("fk_library_entry_commitment_entry_id_library_entry"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_library_entry_commitment")),
        sa.UniqueConstraint(
            "entry_id", "commitment_id", name=op.f("uq_library_entry_commitment_entry_id_commitment_id")
        ),
    )
    with op.batch_alter_table("library_entry_commitment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_library_entry_commitment_commitment_id"), ["commitment_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_library_entry_commitment_entry_id"), ["entry_id"], unique=False)

    op.create_table(
        "library_entry_proposal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["library_entry.id"],
            name=op.f("fk_library_entry_proposal_entry_id_library_entry"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposal.id"],
            name=op.f("fk_library_entry_proposal_proposal_id_proposal"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_library_entry_proposal")),
        sa.UniqueConstraint("entry_id", "proposal_id", name=op.f("uq_library_entry_proposal_entry_id_proposal_id")),
    )
    with op.batch_alter_table("library_entry_proposal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_library_entry_proposal_entry_id"), ["entry_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_library_entry_proposal_proposal_id"), ["proposal_id"], unique=False)


def downgrade():
    with op.batch_alter_table("library_entry_proposal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_library_entry_proposal_proposal_id"))
        batch_op.drop_index(batch_op.f("ix_library_entry_proposal_entry_id"))
    op.drop_table("library_entry_proposal")
    with op.batch_alter_table("library_entry_commitment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_library_entry_commitment_entry_id"))
        batch_op.drop_index(batch_op.f("ix_library_entry_commitment_commitment_id"))
    op.drop_table("library_entry_commitment")
