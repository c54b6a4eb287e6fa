"""text mentions: an adopted version's sources freeze their amendment's judges and majority mention

Revision ID: 0025_text_mentions
Revises: 0024_assessments
Create Date: 2026-12-02 17:00:00

"""

from itertools import accumulate

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0025_text_mentions"
down_revision = "0024_assessments"
branch_labels = None
depends_on = None


def _majority_mention(counts: list[int]) -> int | None:
    """The lower median mention, as voting.majority_judgment.majority_mention computes it (copied: frozen here)."""
    total = sum(counts)
    if not total:
        return None
    return next(g for g, below in enumerate(accumulate(counts)) if 2 * below >= total)


def upgrade():
    with op.batch_alter_table("text_version_source", schema=None) as batch_op:
        batch_op.add_column(sa.Column("judges", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("majority_mention", sa.SmallInteger(), nullable=True))
        batch_op.create_check_constraint(
            batch_op.f("ck_text_version_source_mention_range"), "majority_mention BETWEEN 0 AND 5"
        )
    # Versions adopted before: their amendments' grades, closed since their answer, give the mention at adoption.
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT s.id, g.mention, COUNT(g.id) FROM text_version_source s"
            " JOIN amendment a ON a.id = s.amendment_id"
            " JOIN draft_text t ON t.id = a.text_id"
            " JOIN consultation c ON c.id = t.consultation_id"
            " LEFT JOIN amendment_grade g ON g.amendment_id = a.id"
            " WHERE c.voting_method = 'majority'"
            " GROUP BY s.id, g.mention"
        )
    ).all()
    tallies: dict[int, list[int]] = {}
    for source_id, mention, count in rows:
        tally = tallies.setdefault(source_id, [0] * 6)
        if mention is not None:
            tally[mention] = count
    for source_id, tally in tallies.items():
        bind.execute(
            sa.text("UPDATE text_version_source SET judges = :judges, majority_mention = :mention WHERE id = :id"),
            {"judges": sum(tally), "mention": _majority_mention(tally), "id": source_id},
        )


def downgrade():
    with op.batch_alter_table("text_version_source", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_text_version_source_mention_range"), type_="check")
        batch_op.drop_column("majority_mention")
        batch_op.drop_column("judges")
