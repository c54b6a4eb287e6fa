"""Synthesis aid on sentence embeddings: themes, "à part", duplicates, cited drafts (work in progress).

The public entry point, for the benchmark and for the aid page:

    semantic_aid(items, vectors=None) -> SemanticAid

``items`` are (proposal id, title, body); ``vectors`` their embeddings (one row
each, from ``embeddings.embed_texts``), computed when not given. The result has
the same shape as ``grouping.Aid`` (``groups`` with ``words`` and ``members``,
``duplicates`` as ((id, title), (id, title), similarity)), plus ``apart``: the
proposals left out of every group.
"""

from dataclasses import dataclass, field

from concertation.synthesis.grouping import Aid


@dataclass
class SemanticAid(Aid):
    apart: list[tuple[int, str]] = field(default_factory=list)


def semantic_aid(items: list[tuple[int, str, str]], vectors=None) -> SemanticAid:
    """Themes, proposals apart and likely duplicates among (id, title, body) items."""
    raise NotImplementedError
