"""profiles: participants' optional profiles and territories' population by age band and by area

Revision ID: 0020_profiles
Revises: 0019_workshops
Create Date: 2026-12-02 13:20:00

"""

from alembic import op
import sqlalchemy as sa
import concertation.db


# revision identifiers, used by Alembic.
revision = "0020_profiles"
down_revision = "0019_workshops"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "territory_area",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("territory_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("code", sa.String(length=12), nullable=True),
        sa.Column("population", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["territory_id"],
            ["territory.id"],
            name=op.f("fk_territory_area_territory_id_territory"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_territory_area")),
        sa.UniqueConstraint("territory_id", "name", name=op.f("uq_territory_area_territory_id_name")),
    )
    with op.batch_alter_table("territory_area", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_territory_area_territory_id"), ["territory_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_territory_area_code"), ["code"], unique=False)
    op.create_table(
        "age_population",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("territory_id", sa.Integer(), nullable=False),
        sa.Column("band", sa.String(length=5), nullable=False),
        sa.Column("population", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["territory_id"],
            ["territory.id"],
            name=op.f("fk_age_population_territory_id_territory"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_age_population")),
        sa.UniqueConstraint("territory_id", "band", name=op.f("uq_age_population_territory_id_band")),
    )
    with op.batch_alter_table("age_population", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_age_population_territory_id"), ["territory_id"], unique=False)
    op.create_table(
        "participation_profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("age_band", sa.String(length=5), nullable=True),
        sa.Column("area_id", sa.Integer(), nullable=True),
        sa.Column("lives_elsewhere", sa.Boolean(), nullable=False),
        sa.Column("relation", sa.String(length=10), nullable=True),
        sa.Column("pcs", sa.String(length=2), nullable=True),
        sa.Column("consent_text", sa.Text(), nullable=False),
        sa.Column("consented_at", concertation.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", concertation.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_participation_profile_user_id_user"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["area_id"],
            ["territory_area.id"],
            name=op.f("fk_participation_profile_area_id_territory_area"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participation_profile")),
        sa.UniqueConstraint("user_id", name=op.f("uq_participation_profile_user_id")),
    )
    with op.batch_alter_table("participation_profile", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_participation_profile_area_id"), ["area_id"], unique=False)


def downgrade():
    with op.batch_alter_table("participation_profile", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participation_profile_area_id"))
    op.drop_table("participation_profile")
    with op.batch_alter_table("age_population", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_age_population_territory_id"))
    op.drop_table("age_population")
    with op.batch_alter_table("territory_area", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_territory_area_code"))
        batch_op.drop_index(batch_op.f("ix_territory_area_territory_id"))
    op.drop_table("territory_area")
