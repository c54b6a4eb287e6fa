"""Opinion groups: participants who vote alike, and the proposals that unite or divide them (as Pol.is does).

In the words shown to organisers (templates/synthesis/_opinions.html):

1. Each participant who voted on at least 3 visible proposals becomes a row of
   votes: 1 for a support (0 otherwise), or, under majority judgment, their
   mention from -1 (« À rejeter ») to +1 (« Excellent »).
2. These rows are reduced to their 8 main directions (an SVD with a fixed
   seed), then k-means forms 2 to 5 groups; the number kept is the one whose
   groups are the most distinct (silhouette), among those where every group
   has at least 10 people. Without such a number, no group is shown.
3. For each proposal and each group: the share of the group that supports it
   (or, under majority judgment, that gives it « Bien » or better among those
   who graded it). A proposal *unites* when its lowest share across the groups
   is high; it *divides* when the shares are far apart.

Only group sizes and shares leave this module: never a person, never a group under 10.
"""

import numpy as np
from scipy import sparse
from sqlalchemy import select

from concertation.extensions import db
from concertation.proposals.models import Proposal
from concertation.synthesis import semantic
from concertation.synthesis.figures import visible_proposal
from concertation.voting.models import Grade, Support

MIN_GROUP_SIZE = 10
MIN_VOTES = 3
DIMENSIONS = 8
GROUP_COUNTS = (2, 3, 4, 5)
SAMPLE = 2000
SHOWN = 5
GOOD_MENTION = 3  # « Bien »


def _matrix(consultation) -> tuple[sparse.csr_matrix, list[int], str]:
    """Participants × visible proposals, and the proposal ids of the columns."""
    visible = select(Proposal.id).where(visible_proposal(consultation.id))
    if consultation.voting_method == "majority":
        # Mentions 0…5 are stored as 1…6: a sparse matrix has no room for a real 0.
        rows = db.session.execute(
            select(Grade.user_id, Grade.proposal_id, Grade.mention + 1).where(
                Grade.consultation_id == consultation.id, Grade.user_id.is_not(None), Grade.proposal_id.in_(visible)
            )
        ).all()
        method = "grades"
    else:
        rows = db.session.execute(
            select(Support.user_id, Support.proposal_id, 1).where(
                Support.consultation_id == consultation.id,
                Support.user_id.is_not(None),
                Support.proposal_id.in_(visible),
            )
        ).all()
        method = "supports"
    if not rows:
        return sparse.csr_matrix((0, 0)), [], method
    users, proposals, values = (np.array(column) for column in zip(*rows))
    user_ids, user_index = np.unique(users, return_inverse=True)
    proposal_ids, proposal_index = np.unique(proposals, return_inverse=True)
    matrix = sparse.csr_matrix(
        (values.astype(np.float32), (user_index, proposal_index)), shape=(len(user_ids), len(proposal_ids))
    )
    return matrix, proposal_ids.tolist(), method


def _silhouette(points: np.ndarray, labels: np.ndarray, k: int) -> float:
    """Mean silhouette (cosine distance) on a seeded sample of at most SAMPLE points."""
    if len(points) > SAMPLE:
        chosen = np.sort(np.random.default_rng(0).choice(len(points), SAMPLE, replace=False))
        points, labels = points[chosen], labels[chosen]
    distance = 1 - points @ points.T
    onehot = np.eye(k)[labels]
    sizes = onehot.sum(axis=0)
    mean_to = (distance @ onehot) / np.maximum(sizes, 1)
    own = labels
    a = (distance @ onehot)[np.arange(len(points)), own] / np.maximum(sizes[own] - 1, 1)
    mean_to[np.arange(len(points)), own] = np.inf
    b = mean_to.min(axis=1)
    s = (b - a) / np.maximum(np.maximum(a, b), 1e-12)
    return float(np.where(sizes[own] > 1, s, 0).mean())


def opinion_groups(consultation) -> dict:
    """Groups of participants who vote alike, with the proposals that unite and divide them (figures only)."""
    matrix, proposal_ids, method = _matrix(consultation)
    result = {"method": method, "groups": [], "consensus": [], "divisive": [], "participants": 0}
    if not proposal_ids:
        return result
    found = find_groups(matrix, method)
    result["participants"] = found["participants"]
    if not found["sizes"]:
        return result

    def entries(columns):
        return [
            {"proposal_id": int(proposal_ids[i]), "shares": [round(float(r), 3) for r in found["rates"][:, i]]}
            for i in columns
        ]

    result.update(
        groups=[{"size": int(s)} for s in found["sizes"]],
        consensus=entries(found["consensus"]),
        divisive=entries(found["divisive"]),
        silhouette=found["silhouette"],
    )
    return result


def find_groups(matrix: sparse.csr_matrix, method: str = "supports", shown: int = SHOWN) -> dict:
    """The computation on a participants × proposals matrix (1 a support; mention + 1 under majority judgment).

    Returns ``participants`` (how many voted enough), ``rows`` (their row numbers), ``labels`` (their
    group, from the largest group down), ``sizes``, ``rates`` (groups × proposals shares), and the
    column numbers of the ``consensus`` and ``divisive`` proposals. ``sizes`` is empty when no
    number of groups gives groups of at least MIN_GROUP_SIZE.
    """
    active = np.flatnonzero(np.diff(matrix.indptr) >= MIN_VOTES)
    found = {
        "participants": len(active),
        "rows": active,
        "labels": np.array([], dtype=np.int64),
        "sizes": [],
        "rates": np.zeros((0, matrix.shape[1])),
        "consensus": [],
        "divisive": [],
        "silhouette": None,
    }
    matrix = matrix[active]
    if len(active) < MIN_GROUP_SIZE * 2:
        return found
    signal = matrix.astype(np.float32)
    if method == "grades":
        signal.data = (signal.data - 3.5) / 2.5
    k = min(DIMENSIONS, min(signal.shape) - 1)
    if k < 1:
        return found
    points = semantic._unit(semantic.reduced(signal, k).astype(np.float32))
    best = None
    for count in GROUP_COUNTS:
        if count * MIN_GROUP_SIZE > len(points):
            break
        labels, _centres = semantic.kmeans(points, count, seeds=4)
        sizes = np.bincount(labels, minlength=count)
        if sizes.min() < MIN_GROUP_SIZE:
            continue
        score = _silhouette(points, labels, count)
        if best is None or score > best[0] + 1e-9:
            best = (score, count, labels)
    if best is None:
        return found
    score, count, labels = best
    # Groups from the largest down, so that « groupe A » is the largest.
    order = np.argsort(-np.bincount(labels, minlength=count), kind="stable")
    labels = np.argsort(order)[labels]
    onehot = sparse.csr_matrix((np.ones(len(labels)), (labels, np.arange(len(labels)))), shape=(count, len(labels)))
    sizes = np.bincount(labels, minlength=count)
    if method == "grades":
        judged = np.asarray((onehot @ (matrix > 0).astype(np.float32)).todense())
        good = np.asarray((onehot @ (matrix >= GOOD_MENTION + 1).astype(np.float32)).todense())
        rates = np.where(judged >= MIN_GROUP_SIZE // 2, good / np.maximum(judged, 1), np.nan)
    else:
        rates = np.asarray((onehot @ matrix).todense()) / sizes[:, None]
    known = ~np.isnan(rates).any(axis=0)
    clean = np.nan_to_num(rates)
    # A proposal unites only if every group supports it more than the average proposal.
    lowest = np.where(known & (clean.min(axis=0) > clean.mean()), clean.min(axis=0), -1)
    spread = np.where(known, clean.max(axis=0) - clean.min(axis=0), -1)

    def top(values):
        return [int(i) for i in np.argsort(-values, kind="stable")[:shown] if values[i] > 0]

    found.update(
        labels=labels,
        sizes=sizes.tolist(),
        rates=clean,
        consensus=top(lowest),
        divisive=top(spread),
        silhouette=round(score, 3),
    )
    return found


def frozen(consultation) -> dict:
    """The opinion groups as a published synthesis keeps them: figures and the titles of the proposals, as of now."""
    from concertation.synthesis.themes import titles_of

    result = opinion_groups(consultation)
    titles = titles_of(consultation, [e["proposal_id"] for e in result["consensus"] + result["divisive"]])
    for entry in result["consensus"] + result["divisive"]:
        entry["title"] = titles.get(entry["proposal_id"], "")
    return result
