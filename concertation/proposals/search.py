"""Full-text search of proposals, in the database: SQLite FTS5 or PostgreSQL's French text search.

``search_text`` holds the title and body lower-cased with accents folded (filled in
Python, so that both databases see the same text); migration 0003 indexes it with an
FTS5 table kept in step by triggers (SQLite) or a GIN index on
``to_tsvector('french', search_text)`` (PostgreSQL).
"""

import re

from sqlalchemy import ColumnElement, Select, column, func, literal_column, select, table, text

from concertation.extensions import db
from concertation.french import STOP_WORDS, fold
from concertation.proposals.models import Proposal

FTS_TABLE = "proposal_fts"
GIN_INDEX = "ix_proposal_search_french"

_fts = table(FTS_TABLE, column("rowid"), column("rank"))


def search_text_of(title: str, body: str) -> str:
    return fold(f"{title}\n{body}")


def words(query: str, keep_stop_words: bool = False) -> list[str]:
    """The searchable words of what someone typed: folded, alphanumeric, at most 12."""
    found = re.findall(r"[a-z0-9]+", fold(query or ""))
    kept = [w for w in found if keep_stop_words or (len(w) >= 3 and w not in STOP_WORDS)]
    return list(dict.fromkeys(kept))[:12]


def is_search_index(name: str | None, type_: str, parent_names: dict) -> bool:
    """For Alembic: the search objects made by migration 0003 exist outside the models; ignore them."""
    if type_ == "table":
        return not (name or "").startswith(FTS_TABLE)
    if type_ == "index":
        return name != GIN_INDEX
    return True


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _pg_vector():
    # A literal configuration, so that the planner matches the expression of the GIN index.
    return func.to_tsvector(literal_column("'french'"), Proposal.search_text)


def matching(query: str) -> ColumnElement[bool] | None:
    """A condition on Proposal: every typed word appears (as a word start), or None if nothing to search."""
    terms = words(query, keep_stop_words=True)
    if not terms:
        return None
    if _dialect() == "postgresql":
        tsquery = " & ".join(f"{t}:*" for t in terms)
        return _pg_vector().op("@@")(func.to_tsquery(literal_column("'french'"), tsquery))
    fts_query = " ".join(f'"{t}"*' for t in terms)
    ids = select(_fts.c.rowid).where(text(f"{FTS_TABLE} MATCH :fts_all").bindparams(fts_all=fts_query))
    return Proposal.id.in_(ids)


def similar_query(
    consultation_id: int, title: str, body: str = "", exclude_id: int | None = None, limit: int = 5
) -> Select | None:
    """Proposals of the consultation sharing words with `title` (and `body`), best match first."""
    terms = words(f"{title} {body[:500]}")
    if not terms:
        return None
    query = select(Proposal).where(Proposal.consultation_id == consultation_id, Proposal.moderation == "visible")
    if exclude_id is not None:
        query = query.where(Proposal.id != exclude_id)
    if _dialect() == "postgresql":
        tsquery = func.to_tsquery(literal_column("'french'"), " | ".join(terms))
        query = query.where(_pg_vector().op("@@")(tsquery)).order_by(
            func.ts_rank(_pg_vector(), tsquery).desc(), Proposal.id.desc()
        )
    else:
        fts_query = " OR ".join(f'"{t}"' for t in terms)
        query = (
            query.join(_fts, _fts.c.rowid == Proposal.id)
            .where(text(f"{FTS_TABLE} MATCH :fts_any").bindparams(fts_any=fts_query))
            .order_by(_fts.c.rank, Proposal.id.desc())
        )
    return query.limit(limit)


def similar_proposals(
    consultation_id: int, title: str, body: str = "", exclude_id: int | None = None, limit: int = 5
) -> list[Proposal]:
    query = similar_query(consultation_id, title, body, exclude_id, limit)
    return [] if query is None else list(db.session.scalars(query))
