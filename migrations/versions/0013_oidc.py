"""oidc: identities linked at FranceConnect / ProConnect, a territory's SIREN, a vote's assurance, residence

Revision ID: 0013_oidc
Revises: 0007_speed
Create Date: 2026-12-01 11:10:00

"""

import sqlalchemy as sa
from alembic import op

import concertation.db


# revision identifiers, used by Alembic.
revision = "0013_oidc"
down_revision = "0007_speed"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "linked_identity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(length=20), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("acr", sa.String(length=100), nullable=True),
        sa.Column("siret", sa.String(length=14), nullable=True),
        sa.Column("created_at", concertation.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_login_at", concertation.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_linked_identity_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_linked_identity")),
        sa.UniqueConstraint("provider", "subject", name=op.f("uq_linked_identity_provider_subject")),
        sa.UniqueConstraint("user_id", "provider", name=op.f("uq_linked_identity_user_id_provider")),
    )
    with op.batch_alter_table("linked_identity", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_linked_identity_user_id"), ["user_id"], unique=False)
    with op.batch_alter_table("territory", schema=None) as batch_op:
        batch_op.add_column(sa.Column("siren", sa.String(length=9), nullable=True))
        batch_op.create_index(batch_op.f("ix_territory_siren"), ["siren"], unique=False)
    with op.batch_alter_table("consultation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("vote_assurance", sa.String(length=20), server_default="", nullable=False))
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("residence_territory_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_user_residence_territory_id_territory"),
            "territory",
            ["residence_territory_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_user_residence_territory_id_territory"), type_="foreignkey")
        batch_op.drop_column("residence_territory_id")
    with op.batch_alter_table("consultation", schema=None) as batch_op:
        batch_op.drop_column("vote_assurance")
    with op.batch_alter_table("territory", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_territory_siren"))
        batch_op.drop_column("siren")
    with op.batch_alter_table("linked_identity", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_linked_identity_user_id"))
    op.drop_table("linked_identity")
