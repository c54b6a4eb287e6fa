"""accounts security: session version, pseudonym keys, moderation log closed to TRUNCATE and REPLACE

Revision ID: 0007_sec_accounts
Revises: 0006_manifesto
Create Date: 2026-12-01 06:40:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0007_sec_accounts"
down_revision = "0006_manifesto"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_version", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("pseudonym_key", sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f("ix_user_pseudonym_key"), ["pseudonym_key"], unique=False)

    from concertation.accounts.pseudonyms import key

    connection = op.get_bind()
    users = sa.table(
        "user",
        sa.column("id", sa.Integer),
        sa.column("pseudonym", sa.String),
        sa.column("pseudonym_key", sa.String),
        sa.column("deleted_at", sa.DateTime),
    )
    for user_id, pseudonym in connection.execute(
        sa.select(users.c.id, users.c.pseudonym).where(users.c.deleted_at.is_(None))
    ).all():
        connection.execute(users.update().where(users.c.id == user_id).values(pseudonym_key=key(pseudonym)))

    # The moderation log was closed to UPDATE and DELETE (0004); close it to TRUNCATE on PostgreSQL
    # and to INSERT OR REPLACE (which deletes the old row without firing DELETE triggers) on SQLite.
    if connection.dialect.name == "postgresql":
        op.execute("""
            CREATE TRIGGER moderation_action_no_truncate BEFORE TRUNCATE ON moderation_action
            FOR EACH STATEMENT EXECUTE FUNCTION moderation_action_append_only()
        """)
    else:
        op.execute("""
            CREATE TRIGGER moderation_action_no_replace BEFORE INSERT ON moderation_action
            WHEN EXISTS (SELECT 1 FROM moderation_action WHERE id = NEW.id)
            BEGIN SELECT RAISE(ABORT, 'the moderation log is append-only'); END
        """)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS moderation_action_no_truncate ON moderation_action")
    else:
        op.execute("DROP TRIGGER IF EXISTS moderation_action_no_replace")
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_pseudonym_key"))
        batch_op.drop_column("pseudonym_key")
        batch_op.drop_column("session_version")
