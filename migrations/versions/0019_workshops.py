"""workshops: registrations with a waiting list, minutes, contributions collected offline

Revision ID: 0019_workshops
Revises: 0018_tasks
Create Date: 2026-12-02 13:01:22

"""

from alembic import op
import sqlalchemy as sa
import concertation.db


# revision identifiers, used by Alembic.
revision = "0019_workshops"
down_revision = "0018_tasks"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "workshop",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=150), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("description_html", sa.Text(), nullable=False),
        sa.Column("starts_at", concertation.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ends_at", concertation.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("mode", sa.String(length=10), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("accessibility", sa.Text(), nullable=False),
        sa.Column("online_url", sa.String(length=500), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("seats_taken", sa.Integer(), nullable=False),
        sa.Column("minutes", sa.Text(), nullable=False),
        sa.Column("minutes_html", sa.Text(), nullable=False),
        sa.Column("attendees", sa.Integer(), nullable=True),
        sa.Column("registrations_purged_at", concertation.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", concertation.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", concertation.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("attendees IS NULL OR attendees >= 0", name=op.f("ck_workshop_attendees_positive")),
        sa.CheckConstraint("capacity >= 1", name=op.f("ck_workshop_capacity_positive")),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_workshop_ends_after_start")),
        sa.CheckConstraint(
            "seats_taken >= 0 AND seats_taken <= capacity", name=op.f("ck_workshop_seats_within_capacity")
        ),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultation.id"],
            name=op.f("fk_workshop_consultation_id_consultation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user.id"], name=op.f("fk_workshop_created_by_id_user"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workshop")),
    )
    with op.batch_alter_table("workshop", schema=None) as batch_op:
        batch_op.create_index("ix_workshop_consultation_starts", ["consultation_id", "starts_at"], unique=False)

    op.create_table(
        "workshop_registration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", concertation.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("promoted_at", concertation.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("reminded_at", concertation.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_workshop_registration_user_id_user"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["workshop_id"],
            ["workshop.id"],
            name=op.f("fk_workshop_registration_workshop_id_workshop"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workshop_registration")),
        sa.UniqueConstraint("workshop_id", "user_id", name=op.f("uq_workshop_registration_workshop_id_user_id")),
    )
    with op.batch_alter_table("workshop_registration", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_workshop_registration_user_id"), ["user_id"], unique=False)
        batch_op.create_index("ix_workshop_registration_waiting", ["workshop_id", "status", "created_at"], unique=False)

    with op.batch_alter_table("comment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("workshop_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_comment_workshop_id"), ["workshop_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_comment_workshop_id_workshop"), "workshop", ["workshop_id"], ["id"])

    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.add_column(sa.Column("workshop_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_proposal_workshop_id"), ["workshop_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_proposal_workshop_id_workshop"), "workshop", ["workshop_id"], ["id"])

    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("is_system", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("is_system")

    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_proposal_workshop_id_workshop"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_proposal_workshop_id"))
        batch_op.drop_column("workshop_id")

    with op.batch_alter_table("comment", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_comment_workshop_id_workshop"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_comment_workshop_id"))
        batch_op.drop_column("workshop_id")

    with op.batch_alter_table("workshop_registration", schema=None) as batch_op:
        batch_op.drop_index("ix_workshop_registration_waiting")
        batch_op.drop_index(batch_op.f("ix_workshop_registration_user_id"))

    op.drop_table("workshop_registration")
    with op.batch_alter_table("workshop", schema=None) as batch_op:
        batch_op.drop_index("ix_workshop_consultation_starts")

    op.drop_table("workshop")
