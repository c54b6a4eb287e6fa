"""identity: a territory's logo and accent colour, a consultation's cover image and its alt text

Revision ID: 0007_journeys_look
Revises: 0006_manifesto
Create Date: 2026-12-01 06:40:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0007_journeys_look"
down_revision = "0007_sec_accounts"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("territory", schema=None) as batch_op:
        batch_op.add_column(sa.Column("logo_key", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("accent_color", sa.String(length=7), nullable=True))
    with op.batch_alter_table("consultation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cover_key", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("cover_alt", sa.String(length=250), nullable=False, server_default=""))


def downgrade():
    with op.batch_alter_table("consultation", schema=None) as batch_op:
        batch_op.drop_column("cover_alt")
        batch_op.drop_column("cover_key")
    with op.batch_alter_table("territory", schema=None) as batch_op:
        batch_op.drop_column("accent_color")
        batch_op.drop_column("logo_key")
