"""workshop notices: followers told of an announcement once, cancelled workshops, one workshop per announcement

Revision ID: 0026_workshop_notices
Revises: 0025_text_mentions
Create Date: 2026-12-02 17:10:00

"""

from alembic import op
import sqlalchemy as sa
import concertation.db


# revision identifiers, used by Alembic.
revision = "0026_workshop_notices"
down_revision = "0025_text_mentions"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("workshop", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("followers_notified_at", concertation.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("cancelled_at", concertation.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("cancellation_reason", sa.Text(), nullable=False, server_default=""))
        batch_op.create_unique_constraint(
            batch_op.f("uq_workshop_consultation_id_starts_at_title"), ["consultation_id", "starts_at", "title"]
        )
    with op.batch_alter_table("workshop", schema=None) as batch_op:
        batch_op.alter_column("cancellation_reason", server_default=None)


def downgrade():
    with op.batch_alter_table("workshop", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_workshop_consultation_id_starts_at_title"), type_="unique")
        batch_op.drop_column("cancellation_reason")
        batch_op.drop_column("cancelled_at")
        batch_op.drop_column("followers_notified_at")
