"""Synthesis aid: groups of similar proposals and likely duplicates, computed on the platform.

How it works, in the words shown to organisers (see templates/synthesis/aid.html):

1. Each proposal (title and text) is cut into words; the most common French
   words (« le », « pour », « nous »…) are set aside; each remaining word is
   reduced to its root with the French Snowball stemmer (« formations »,
   « former », « formation » → « form ») and its accents are folded.
2. Each proposal becomes a list of weighted roots (TF-IDF): a root weighs more
   when the proposal repeats it and when few other proposals use it; the
   title counts twice; a root used by more than a fifth of the proposals
   (« IA » in a consultation on AI) is set aside, since it tells nothing apart.
3. Two proposals are *similar* when the cosine of their lists is at least
   ``GROUP_THRESHOLD``, and *likely duplicates* above ``DUPLICATE_THRESHOLD``.
4. Groups are formed greedily: the proposal with the most similar neighbours
   becomes the centre of a group, and its neighbours not yet grouped join it;
   then the next one, and so on. A proposal belongs to one group at most.
5. The telling words of a group are the roots that weigh most in its members
   taken together, shown in the form participants wrote most often.

No outside service is called and nothing is learnt from other data: the same
proposals always give the same groups. The similarity products run on sparse
matrices (SciPy), by blocks of rows, so 10,000 proposals take seconds and a
bounded amount of memory.
"""

import math
import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import snowballstemmer
from scipy import sparse
from sqlalchemy import select

from concertation.extensions import db
from concertation.french import STOP_WORDS, fold
from concertation.proposals.models import Proposal
from concertation.synthesis.figures import visible_proposal

GROUP_THRESHOLD = 0.35
DUPLICATE_THRESHOLD = 0.75
MAX_DUPLICATES = 200
BLOCK_ROWS = 512
MAX_SHARE = 0.2

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_stemmer = snowballstemmer.stemmer("french")


class Analyser:
    """Text → roots, remembering the written form of each root (stemming is cached: vocabularies repeat)."""

    def __init__(self):
        self._roots: dict[str, str | None] = {}
        self.forms: dict[str, Counter] = {}

    def roots(self, text: str) -> list[str]:
        result = []
        for word in _WORD.findall((text or "").lower().replace("’", " ").replace("'", " ")):
            root = self._roots.get(word, "")
            if root == "":
                folded = fold(word)
                root = None if len(folded) < 2 or folded in STOP_WORDS else fold(_stemmer.stemWord(word))
                self._roots[word] = root
            if root:
                self.forms.setdefault(root, Counter())[word] += 1
                result.append(root)
        return result

    def shown_form(self, root: str) -> str:
        return self.forms[root].most_common(1)[0][0] if root in self.forms else root


@dataclass
class Group:
    words: list[str]
    members: list[tuple[int, str]]  # (proposal id, title), the centre first


@dataclass
class Aid:
    groups: list[Group] = field(default_factory=list)
    duplicates: list[tuple[tuple[int, str], tuple[int, str], float]] = field(default_factory=list)
    proposal_count: int = 0

    @property
    def grouped_count(self) -> int:
        return sum(len(g.members) for g in self.groups)


def tfidf(documents: list[str], analyser: Analyser) -> tuple[sparse.csr_matrix, list[str]]:
    """Rows of L2-normalised TF-IDF weights (1 + log tf) × (1 + log((1 + n) / (1 + df)))."""
    vocabulary: dict[str, int] = {}
    indptr, indices, values = [0], [], []
    for text in documents:
        counts = Counter(analyser.roots(text))
        for root, n in counts.items():
            indices.append(vocabulary.setdefault(root, len(vocabulary)))
            values.append(1.0 + math.log(n))
        indptr.append(len(indices))
    matrix = sparse.csr_matrix(
        (np.array(values, dtype=np.float32), np.array(indices, dtype=np.int64), np.array(indptr, dtype=np.int64)),
        shape=(len(documents), len(vocabulary)),
    )
    df = np.bincount(matrix.indices, minlength=len(vocabulary))
    idf = (1.0 + np.log((1.0 + len(documents)) / (1.0 + df))).astype(np.float32)
    matrix = matrix @ sparse.diags(idf)
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    matrix = sparse.diags(1.0 / norms) @ matrix
    return sparse.csr_matrix(matrix), sorted(vocabulary, key=vocabulary.get)


def _without_common_roots(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    """The rows renormalised without the roots used by more than MAX_SHARE of the proposals.

    A root almost every proposal uses (« IA » in a consultation on AI) tells
    nothing apart, and leaving it would make every proposal a neighbour of
    every other: the products would grow as the square of the number of proposals.
    """
    if matrix.shape[0] < 20:
        return matrix
    df = np.bincount(matrix.indices, minlength=matrix.shape[1])
    keep = (df <= MAX_SHARE * matrix.shape[0]).astype(np.float32)
    pruned = sparse.csr_matrix(matrix @ sparse.diags(keep))
    pruned.eliminate_zeros()
    norms = np.sqrt(np.asarray(pruned.multiply(pruned).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ pruned)


def similar_pairs(matrix: sparse.csr_matrix, threshold: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(i, j, cosine) for every pair i < j at or above the threshold, by blocks of rows."""
    transposed = matrix.T.tocsc()
    rows, cols, sims = [], [], []
    for start in range(0, matrix.shape[0], BLOCK_ROWS):
        block = (matrix[start : start + BLOCK_ROWS] @ transposed).tocoo()
        keep = (block.data >= threshold) & (block.row + start < block.col)
        rows.append(block.row[keep] + start)
        cols.append(block.col[keep])
        sims.append(block.data[keep])
    if not rows:
        return np.array([], dtype=np.int64), np.array([], dtype=np.int64), np.array([], dtype=np.float32)
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(sims)


def group_texts(
    items: list[tuple[int, str, str]],
    group_threshold: float = GROUP_THRESHOLD,
    duplicate_threshold: float = DUPLICATE_THRESHOLD,
    top_words: int = 5,
) -> Aid:
    """Groups and likely duplicates among (id, title, body) items."""
    aid = Aid(proposal_count=len(items))
    if len(items) < 2:
        return aid
    analyser = Analyser()
    # The title counts twice: it says in a few words what the proposal is about.
    matrix, vocabulary = tfidf([f"{title} {title} {body}" for _id, title, body in items], analyser)
    matrix = _without_common_roots(matrix)
    rows, cols, sims = similar_pairs(matrix, min(group_threshold, duplicate_threshold))
    close = sims >= group_threshold
    adjacency = sparse.coo_matrix(
        (
            np.ones(int(close.sum()) * 2, dtype=np.int8),
            (np.concatenate([rows[close], cols[close]]), np.concatenate([cols[close], rows[close]])),
        ),
        shape=(len(items), len(items)),
    ).tocsr()
    degrees = np.diff(adjacency.indptr)
    assigned = np.zeros(len(items), dtype=bool)
    ids = np.array([item[0] for item in items])
    for centre in np.lexsort((ids, -degrees)).tolist():
        if assigned[centre] or degrees[centre] == 0:
            continue
        neighbours = adjacency.indices[adjacency.indptr[centre] : adjacency.indptr[centre + 1]]
        members = [centre, *np.sort(neighbours[~assigned[neighbours]]).tolist()]
        if len(members) < 2:
            continue
        assigned[members] = True
        weights = np.asarray(matrix[members].sum(axis=0)).ravel()
        best = np.argsort(-weights, kind="stable")[:top_words]
        aid.groups.append(
            Group(
                words=[analyser.shown_form(vocabulary[k]) for k in best if weights[k] > 0],
                members=[(items[m][0], items[m][1]) for m in members],
            )
        )
    aid.groups.sort(key=lambda g: -len(g.members))
    duplicate = sims >= duplicate_threshold
    order = np.argsort(-sims[duplicate], kind="stable")[:MAX_DUPLICATES]
    for i, j, s in zip(
        rows[duplicate][order].tolist(), cols[duplicate][order].tolist(), sims[duplicate][order].tolist()
    ):
        aid.duplicates.append(((items[i][0], items[i][1]), (items[j][0], items[j][1]), round(float(s), 2)))
    return aid


def proposal_aid(consultation) -> Aid:
    """The synthesis aid for the consultation's visible proposals (read in one query, as plain rows)."""
    items = db.session.execute(
        select(Proposal.id, Proposal.title, Proposal.body)
        .where(visible_proposal(consultation.id))
        .order_by(Proposal.id)
    ).all()
    return group_texts([tuple(row) for row in items])
