"""library: the library of territorial AI (entries, and the adoptions by other territories)

Revision ID: 0015_library
Revises: 0013_oidc
Create Date: 2026-12-02 00:05:30.990480

"""

from alembic import op
import sqlalchemy as sa
import concertation.db


# revision identifiers, used by Alembic.
revision = "0015_library"
down_revision = "0014_commitments"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "library_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("territory_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=150), nullable=False),
        sa.Column("metier", sa.String(length=20), nullable=False),
        sa.Column("service", sa.String(length=150), nullable=False),
        sa.Column("audience", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("deployed_on", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("abandon_reason", sa.Text(), nullable=False),
        sa.Column("need", sa.Text(), nullable=False),
        sa.Column("need_html", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("description_html", sa.Text(), nullable=False),
        sa.Column("data_used", sa.Text(), nullable=False),
        sa.Column("data_used_html", sa.Text(), nullable=False),
        sa.Column("personal_data", sa.Boolean(), nullable=False),
        sa.Column("dpia_done", sa.Boolean(), nullable=False),
        sa.Column("hosting", sa.String(length=20), nullable=False),
        sa.Column("host_name", sa.String(length=150), nullable=False),
        sa.Column("open_source", sa.Boolean(), nullable=False),
        sa.Column("vendor", sa.String(length=150), nullable=False),
        sa.Column("cost_band", sa.String(length=20), nullable=False),
        sa.Column("human_oversight", sa.Text(), nullable=False),
        sa.Column("human_oversight_html", sa.Text(), nullable=False),
        sa.Column("human_reachable", sa.Boolean(), nullable=False),
        sa.Column("frugality", sa.Text(), nullable=False),
        sa.Column("frugality_html", sa.Text(), nullable=False),
        sa.Column("training", sa.Text(), nullable=False),
        sa.Column("training_html", sa.Text(), nullable=False),
        sa.Column("results", sa.Text(), nullable=False),
        sa.Column("results_html", sa.Text(), nullable=False),
        sa.Column("contact", sa.String(length=254), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("created_at", concertation.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", concertation.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user.id"], name=op.f("fk_library_entry_created_by_id_user"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["territory_id"], ["territory.id"], name=op.f("fk_library_entry_territory_id_territory"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_library_entry")),
    )
    with op.batch_alter_table("library_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_library_entry_audience"), ["audience"], unique=False)
        batch_op.create_index(batch_op.f("ix_library_entry_hosting"), ["hosting"], unique=False)
        batch_op.create_index(batch_op.f("ix_library_entry_metier"), ["metier"], unique=False)
        batch_op.create_index(batch_op.f("ix_library_entry_open_source"), ["open_source"], unique=False)
        batch_op.create_index(batch_op.f("ix_library_entry_personal_data"), ["personal_data"], unique=False)
        batch_op.create_index(batch_op.f("ix_library_entry_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_library_entry_territory_id"), ["territory_id"], unique=False)

    op.create_table(
        "library_adoption",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("territory_id", sa.Integer(), nullable=False),
        sa.Column("declared_by_id", sa.Integer(), nullable=True),
        sa.Column("context", sa.Text(), nullable=False),
        sa.Column("context_html", sa.Text(), nullable=False),
        sa.Column("gains", sa.Text(), nullable=False),
        sa.Column("gains_html", sa.Text(), nullable=False),
        sa.Column("difficulties", sa.Text(), nullable=False),
        sa.Column("difficulties_html", sa.Text(), nullable=False),
        sa.Column("would_recommend", sa.Boolean(), nullable=False),
        sa.Column("created_at", concertation.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", concertation.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["declared_by_id"], ["user.id"], name=op.f("fk_library_adoption_declared_by_id_user"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["library_entry.id"],
            name=op.f("fk_library_adoption_entry_id_library_entry"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["territory_id"],
            ["territory.id"],
            name=op.f("fk_library_adoption_territory_id_territory"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_library_adoption")),
        sa.UniqueConstraint("entry_id", "territory_id", name=op.f("uq_library_adoption_entry_id_territory_id")),
    )
    with op.batch_alter_table("library_adoption", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_library_adoption_entry_id"), ["entry_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_library_adoption_territory_id"), ["territory_id"], unique=False)


def downgrade():
    with op.batch_alter_table("library_adoption", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_library_adoption_territory_id"))
        batch_op.drop_index(batch_op.f("ix_library_adoption_entry_id"))

    op.drop_table("library_adoption")
    with op.batch_alter_table("library_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_library_entry_territory_id"))
        batch_op.drop_index(batch_op.f("ix_library_entry_status"))
        batch_op.drop_index(batch_op.f("ix_library_entry_personal_data"))
        batch_op.drop_index(batch_op.f("ix_library_entry_open_source"))
        batch_op.drop_index(batch_op.f("ix_library_entry_metier"))
        batch_op.drop_index(batch_op.f("ix_library_entry_hosting"))
        batch_op.drop_index(batch_op.f("ix_library_entry_audience"))

    op.drop_table("library_entry")
