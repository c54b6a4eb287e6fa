"""manifesto amendments: a draft opened to the territories' amendments, amendments in a territory's name, co-signatures

Revision ID: 0027_manifesto_amendments
Revises: 0026_workshop_notices
Create Date: 2026-12-02 17:00:00

"""

from alembic import op
import sqlalchemy as sa
import concertation.db


# revision identifiers, used by Alembic.
revision = "0027_manifesto_amendments"
down_revision = "0026_workshop_notices"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("manifesto_version", schema=None) as batch_op:
        batch_op.add_column(sa.Column("amendments_open", sa.Boolean(), server_default=sa.false(), nullable=False))

    op.create_table(
        "manifesto_amendment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("point_uid", sa.Integer(), nullable=False),
        sa.Column("result_uid", sa.Integer(), nullable=True),
        sa.Column("territory_id", sa.Integer(), nullable=False),
        sa.Column("proposed_by_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("original", sa.Text(), nullable=False),
        sa.Column("wording", sa.Text(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("justification", sa.Text(), nullable=False),
        sa.Column("justification_html", sa.Text(), nullable=False),
        sa.Column("created_at", concertation.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("final_wording", sa.Text(), nullable=False),
        sa.Column("answer_text", sa.Text(), nullable=False),
        sa.Column("answer_html", sa.Text(), nullable=False),
        sa.Column("answered_at", concertation.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('replace', 'delete', 'add_after')", name=op.f("ck_manifesto_amendment_kind_known")
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'accepted', 'accepted_changed', 'rejected')",
            name=op.f("ck_manifesto_amendment_status_known"),
        ),
        sa.CheckConstraint(
            "status <> 'rejected' OR answer_text <> ''", name=op.f("ck_manifesto_amendment_rejection_has_reason")
        ),
        sa.CheckConstraint(
            "status <> 'accepted_changed' OR final_wording <> ''", name=op.f("ck_manifesto_amendment_changes_written")
        ),
        sa.ForeignKeyConstraint(
            ["answered_by_id"],
            ["user.id"],
            name=op.f("fk_manifesto_amendment_answered_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["proposed_by_id"],
            ["user.id"],
            name=op.f("fk_manifesto_amendment_proposed_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["territory_id"],
            ["territory.id"],
            name=op.f("fk_manifesto_amendment_territory_id_territory"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["manifesto_version.id"],
            name=op.f("fk_manifesto_amendment_version_id_manifesto_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_manifesto_amendment")),
        sa.UniqueConstraint("version_id", "number", name=op.f("uq_manifesto_amendment_version_id_number")),
    )
    with op.batch_alter_table("manifesto_amendment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_manifesto_amendment_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_manifesto_amendment_territory_id"), ["territory_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_manifesto_amendment_version_id"), ["version_id"], unique=False)

    op.create_table(
        "manifesto_cosignature",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("amendment_id", sa.Integer(), nullable=False),
        sa.Column("territory_id", sa.Integer(), nullable=False),
        sa.Column("signed_by_id", sa.Integer(), nullable=True),
        sa.Column("signed_at", concertation.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["amendment_id"],
            ["manifesto_amendment.id"],
            name=op.f("fk_manifesto_cosignature_amendment_id_manifesto_amendment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["signed_by_id"],
            ["user.id"],
            name=op.f("fk_manifesto_cosignature_signed_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["territory_id"],
            ["territory.id"],
            name=op.f("fk_manifesto_cosignature_territory_id_territory"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_manifesto_cosignature")),
        sa.UniqueConstraint(
            "amendment_id", "territory_id", name=op.f("uq_manifesto_cosignature_amendment_id_territory_id")
        ),
    )
    with op.batch_alter_table("manifesto_cosignature", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_manifesto_cosignature_amendment_id"), ["amendment_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_manifesto_cosignature_territory_id"), ["territory_id"], unique=False)


def downgrade():
    with op.batch_alter_table("manifesto_cosignature", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_manifesto_cosignature_territory_id"))
        batch_op.drop_index(batch_op.f("ix_manifesto_cosignature_amendment_id"))
    op.drop_table("manifesto_cosignature")
    with op.batch_alter_table("manifesto_amendment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_manifesto_amendment_version_id"))
        batch_op.drop_index(batch_op.f("ix_manifesto_amendment_territory_id"))
        batch_op.drop_index(batch_op.f("ix_manifesto_amendment_status"))
    op.drop_table("manifesto_amendment")
    with op.batch_alter_table("manifesto_version", schema=None) as batch_op:
        batch_op.drop_column("amendments_open")
