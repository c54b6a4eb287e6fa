"""assessments: library entries judged against the manifesto's points; the agents an entry counts (indicators); retours d'expérience reported and moderated

Revision ID: 0024_assessments
Revises: 0023_library_links
Create Date: 2026-12-02 13:40:00

"""

from alembic import op
import sqlalchemy as sa
import concertation.db


# revision identifiers, used by Alembic.
revision = "0024_assessments"
down_revision = "0023_library_links"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("library_entry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("agents_concerned", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("agents_trained", sa.Integer(), nullable=True))

    with op.batch_alter_table("library_adoption", schema=None) as batch_op:
        batch_op.add_column(sa.Column("moderation", sa.String(length=10), nullable=False, server_default="visible"))
        batch_op.add_column(sa.Column("moderation_reason", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("moderated_at", concertation.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_library_adoption_moderation"), ["moderation"], unique=False)
    with op.batch_alter_table("library_adoption", schema=None) as batch_op:
        batch_op.alter_column("moderation", server_default=None)

    op.create_table(
        "library_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("adoption_id", sa.Integer(), nullable=False),
        sa.Column("reporter_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("detail", sa.String(length=1000), nullable=False),
        sa.Column("created_at", concertation.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", concertation.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["adoption_id"],
            ["library_adoption.id"],
            name=op.f("fk_library_report_adoption_id_library_adoption"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reporter_id"], ["user.id"], name=op.f("fk_library_report_reporter_id_user"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_library_report")),
        sa.UniqueConstraint("reporter_id", "adoption_id", name=op.f("uq_library_report_reporter_id_adoption_id")),
    )
    with op.batch_alter_table("library_report", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_library_report_adoption_id"), ["adoption_id"], unique=False)

    op.create_table(
        "library_assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("manifesto_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("point_uid", sa.Integer(), nullable=False),
        sa.Column("verdict", sa.String(length=10), nullable=False),
        sa.Column("justification", sa.Text(), nullable=False),
        sa.Column("justification_html", sa.Text(), nullable=False),
        sa.Column("assessed_by_id", sa.Integer(), nullable=True),
        sa.Column("assessed_at", concertation.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "verdict IN ('respects', 'partly', 'breaks', 'na')", name=op.f("ck_library_assessment_known_verdict")
        ),
        sa.ForeignKeyConstraint(
            ["assessed_by_id"], ["user.id"], name=op.f("fk_library_assessment_assessed_by_id_user"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["library_entry.id"],
            name=op.f("fk_library_assessment_entry_id_library_entry"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["manifesto_id"],
            ["manifesto.id"],
            name=op.f("fk_library_assessment_manifesto_id_manifesto"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["manifesto_version.id"],
            name=op.f("fk_library_assessment_version_id_manifesto_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_library_assessment")),
        sa.UniqueConstraint(
            "entry_id",
            "manifesto_id",
            "point_uid",
            name=op.f("uq_library_assessment_entry_id_manifesto_id_point_uid"),
        ),
    )
    with op.batch_alter_table("library_assessment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_library_assessment_entry_id"), ["entry_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_library_assessment_manifesto_id"), ["manifesto_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_library_assessment_version_id"), ["version_id"], unique=False)


def downgrade():
    with op.batch_alter_table("library_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_library_report_adoption_id"))
    op.drop_table("library_report")
    with op.batch_alter_table("library_adoption", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_library_adoption_moderation"))
        batch_op.drop_column("moderated_at")
        batch_op.drop_column("moderation_reason")
        batch_op.drop_column("moderation")
    with op.batch_alter_table("library_assessment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_library_assessment_version_id"))
        batch_op.drop_index(batch_op.f("ix_library_assessment_manifesto_id"))
        batch_op.drop_index(batch_op.f("ix_library_assessment_entry_id"))
    op.drop_table("library_assessment")
    with op.batch_alter_table("library_entry", schema=None) as batch_op:
        batch_op.drop_column("agents_trained")
        batch_op.drop_column("agents_concerned")
