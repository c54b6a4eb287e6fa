"""speed: index support(user_id, consultation_id)

Revision ID: 0007_speed
Revises: 0007_french
Create Date: 2026-12-01 07:35:00

"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "0007_speed"
down_revision = "0007_jobs"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("support", schema=None) as batch_op:
        batch_op.create_index("ix_support_user_consultation", ["user_id", "consultation_id"], unique=False)


def downgrade():
    with op.batch_alter_table("support", schema=None) as batch_op:
        batch_op.drop_index("ix_support_user_consultation")
