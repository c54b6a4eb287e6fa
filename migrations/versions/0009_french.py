"""french: the article of a territory's name, and a territory's published accessibility audit

Revision ID: 0007_french
Revises: 0006_manifesto
Create Date: 2026-12-01 06:40:00

"""

from alembic import op
import sqlalchemy as sa
import concertation.db


# revision identifiers, used by Alembic.
revision = "0007_french"
down_revision = "0007_journeys_look"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("territory", schema=None) as batch_op:
        batch_op.add_column(sa.Column("name_article", sa.String(length=4), server_default="", nullable=False))
    # Existing territories get the usual article of their kind; an admin corrects the exceptions.
    op.execute("UPDATE territory SET name_article = 'la' WHERE kind IN ('intercommunalite', 'region')")
    op.execute("UPDATE territory SET name_article = 'le' WHERE kind = 'departement'")
    op.create_table(
        "accessibility_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("territory_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("audited_on", sa.Date(), nullable=False),
        sa.Column("auditor", sa.String(length=200), nullable=False),
        sa.Column("rate", sa.Float(), nullable=True),
        sa.Column("report_url", sa.String(length=500), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", concertation.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", concertation.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["territory_id"],
            ["territory.id"],
            name=op.f("fk_accessibility_audit_territory_id_territory"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["user.id"], name=op.f("fk_accessibility_audit_updated_by_id_user"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accessibility_audit")),
        sa.UniqueConstraint("territory_id", name=op.f("uq_accessibility_audit_territory_id")),
    )


def downgrade():
    op.drop_table("accessibility_audit")
    with op.batch_alter_table("territory", schema=None) as batch_op:
        batch_op.drop_column("name_article")
