"""participation loop: full-text search of proposals, phase notifications, email preference

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 10:00:00

"""

from alembic import op
import sqlalchemy as sa
import concertation.db


# revision identifiers, used by Alembic.
revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# The search objects live outside the models (see concertation/proposals/search.py).
SQLITE_SEARCH = [
    "CREATE VIRTUAL TABLE proposal_fts USING fts5("
    "search_text, content='proposal', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER proposal_fts_insert AFTER INSERT ON proposal BEGIN "
    "INSERT INTO proposal_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER proposal_fts_delete AFTER DELETE ON proposal BEGIN "
    "INSERT INTO proposal_fts(proposal_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER proposal_fts_update AFTER UPDATE OF search_text ON proposal BEGIN "
    "INSERT INTO proposal_fts(proposal_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO proposal_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO proposal_fts(proposal_fts) VALUES ('rebuild')",
]


def upgrade():
    with op.batch_alter_table("phase", schema=None) as batch_op:
        batch_op.add_column(sa.Column("notified_at", concertation.db.UTCDateTime(timezone=True), nullable=True))

    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("notify_by_email", sa.Boolean(), server_default=sa.false(), nullable=False))

    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for statement in SQLITE_SEARCH:
            op.execute(statement)
    elif dialect == "postgresql":
        op.execute("CREATE INDEX ix_proposal_search_french ON proposal USING gin (to_tsvector('french', search_text))")


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS proposal_fts_{trigger}")
        op.execute("DROP TABLE IF EXISTS proposal_fts")
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_proposal_search_french")

    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("notify_by_email")

    with op.batch_alter_table("phase", schema=None) as batch_op:
        batch_op.drop_column("notified_at")
