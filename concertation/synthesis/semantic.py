"""Synthesis aid on sentence embeddings: themes, proposals « à part », duplicates, cited drafts.

The public entry point, for the benchmark and for the aid page:

    semantic_aid(items, vectors=None) -> SemanticAid

``items`` are (proposal id, title, body); ``vectors`` their embeddings (one row
each, from ``embeddings.embed_texts``), computed when not given. The result has
the same shape as ``grouping.Aid`` (``groups`` with ``words`` and ``members``,
``duplicates`` as ((id, title), (id, title), similarity)), plus ``apart``: the
proposals left out of every group.

How, in the words shown to organisers (templates/synthesis/aid.html):

1. Each proposal is represented by its sentence embedding (what it means,
   whatever the words), centred on the consultation's average so that what
   every proposal shares (« l'IA dans la commune ») does not pull them together,
   and by its word roots (grouping.py's TF-IDF, reduced to 64 dimensions):
   70 % meaning, 30 % words, measured on the labelled corpus.
2. The proposals farthest in meaning from the consultation's subject (its title
   and description, its nearest theme) and from their 10 nearest neighbours are
   set « à part » (off topic, or unique): about 7 % of them; then k-means forms k groups: when the
   consultation has themes, one a theme at least, starting from the proposals closest to each
   theme's name (measured on the corpus: ARI 0.24 → 0.37); k = √(n / 4) when that is more
   (10 groups for 400 proposals, 50 for 10,000), starting from 4 seeded draws
   and keeping the tightest. A group of fewer than 3 proposals, and a proposal
   far from its group's centre, are « à part » too.
3. A group is named by its telling words: the roots most frequent in the group
   and rare in the rest (class-based TF-IDF), written as participants wrote them.
4. Likely duplicates are pairs each other's nearest neighbour in meaning, above
   a similarity calibrated on the 40 paraphrase pairs of the corpus (tests/data/).
5. The draft of a group quotes 3 to 5 sentences of its most representative
   proposals, chosen close to the group's centre and different from each other;
   every sentence is a proposal's own, with its number.

Every random draw has a fixed seed: the same proposals give the same result.
"""

import math
import re
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from concertation.synthesis.grouping import Aid, Analyser, Group, _without_common_roots, tfidf

MEANING_WEIGHT = 0.7
LSA_DIMENSIONS = 64
SEEDS = 4
MIN_GROUP = 3
# Share of the proposals, the least like their nearest neighbours in meaning, set apart before grouping
# when the consultation's subject is not known.
OFF_TOPIC_SHARE = 0.06
# When it is known: a proposal whose distance to the consultation's subject (its title and description, and its
# nearest theme) and to its nearest neighbours is this many standard deviations beyond the others' is « à part ».
# Calibrated on the corpus (bench/RESULTS.md): 14 of its 15 off-topic proposals set apart, 8 % of all in total.
OFF_SUBJECT_Z = -1.4
# What that cut sets apart of the proposals of a consultation about one subject (7 % on the corpus without its
# off-topic proposals, 8 % with them): said on the aid page.
OFF_SUBJECT_PERCENT = 7
# A proposal whose similarity to its group's centre is below this is « à part ».
MIN_FIT = 0.12
# Calibrated on the corpus' 40 paraphrase pairs (tests/data/, bench/synthesis_aid.py): above it, about one listed
# pair in six is a labelled paraphrase and most others share a subject; no threshold reaches a precision of 0.8.
# Other scores (CSLS, ranks, content words, a calibrated mix, another bundled model) did no better on held-out
# pairs (bench/duplicates_study.py, bench/RESULTS.md): this model ranks a proposal's subject before its demand.
DUPLICATE_THRESHOLD = 0.45
# What that rule gives on the corpus (bench/RESULTS.md), said on the aid page: pairs listed, and labelled
# paraphrases (of 40) among them.
DUPLICATE_CORPUS_LISTED, DUPLICATE_CORPUS_FOUND, DUPLICATE_CORPUS_PAIRS = 24, 4, 40
MAX_DUPLICATES = 200
DRAFT_MIN, DRAFT_MAX = 3, 5
BLOCK_ROWS = 1024


@dataclass
class ThemeGroup(Group):
    # (proposal id, sentence number, sentence): 0 is the title, 1… the body's sentences.
    draft: list[tuple[int, int, str]] = field(default_factory=list)


@dataclass
class SemanticAid(Aid):
    apart: list[tuple[int, str]] = field(default_factory=list)
    # Per item, in the order given: its group's index in ``groups`` or -1, and its similarity to the centre.
    labels: list[int] = field(default_factory=list)
    scores: list[float] = field(default_factory=list)


# Representation ----------------------------------------------------------------------------------------------------


def _unit(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


@dataclass
class Representation:
    points: np.ndarray  # (n, d) unit rows: meaning and words together
    meaning: np.ndarray  # (n, dim) the embeddings, unit rows
    centred: np.ndarray  # the same, centred on their average (what tells proposals apart)
    words: sparse.csr_matrix  # TF-IDF of the roots (all of them)
    vocabulary: list[str]
    analyser: Analyser
    # The consultation's subject (``subject_vectors``): row 0 its title and description, then one row a theme.
    subject: np.ndarray | None = None
    _neighbours: tuple | None = None

    @property
    def neighbours(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(closeness, nearest, similarity): see ``neighbours``, computed once."""
        if self._neighbours is None:
            self._neighbours = neighbours(self.meaning)
        return self._neighbours


def reduced(matrix: sparse.csr_matrix, k: int, seed: int = 0) -> np.ndarray:
    """The rows projected on the k main directions (randomised SVD with a fixed seed: the same at every run)."""
    rng = np.random.default_rng(seed)
    sample = matrix @ rng.standard_normal((matrix.shape[1], k + 10))
    for _ in range(2):
        sample, _r = np.linalg.qr(matrix @ (matrix.T @ sample))
    basis, _r = np.linalg.qr(sample)
    small = (matrix.T @ basis).T
    u, s, _vt = np.linalg.svd(small, full_matrices=False)
    return (basis @ u[:, :k]) * s[:k]


def represent(items: list[tuple[int, str, str]], vectors: np.ndarray, subject=None) -> Representation:
    """Meaning (centred embeddings) and words (TF-IDF reduced by SVD), weighted, in one unit vector a proposal."""
    analyser = Analyser()
    full, vocabulary = tfidf([f"{title} {title} {body}" for _id, title, body in items], analyser)
    # The roots most proposals share are left out of the representation, not out of the groups' names.
    matrix = _without_common_roots(full)
    meaning = _unit(np.asarray(vectors, dtype=np.float32))
    centred = _unit(meaning - meaning.mean(axis=0))
    k = min(LSA_DIMENSIONS, min(matrix.shape) - 1)
    if k >= 2 and matrix.nnz:
        lexical = _unit(reduced(matrix, k))
        points = _unit(
            np.hstack([math.sqrt(MEANING_WEIGHT) * centred, math.sqrt(1 - MEANING_WEIGHT) * lexical.astype(np.float32)])
        )
    else:
        points = centred
    return Representation(points, meaning, centred, full, vocabulary, analyser, subject_rows(subject))


def subject_rows(subject) -> np.ndarray | None:
    """The consultation's subject vectors as unit rows (None when unknown)."""
    if subject is None or not len(subject):
        return None
    return _unit(np.asarray(subject, dtype=np.float32))


# Themes -------------------------------------------------------------------------------------------------------------


def group_count(n: int) -> int:
    """k = √(n / 4): 10 groups for 400 proposals, 50 for 10,000 (the organisers merge and split from there)."""
    return max(1, min(60, round(math.sqrt(n / 4))))


def kmeans(
    points: np.ndarray, k: int, seeds: int = SEEDS, iterations: int = 60, given: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Spherical k-means (k-means++ starts with seeds 0…seeds-1), the tightest result kept: (labels, centres).

    ``given`` centres (the consultation's themes) start every draw; k-means++ draws the others.
    """
    n = len(points)
    k = min(k, n)
    if given is not None and len(given) >= k:
        return lloyd(points, np.asarray(given), iterations)
    best = None
    for seed in range(seeds):
        rng = np.random.default_rng(seed)
        centres = list(given) if given is not None else [points[rng.integers(n)]]
        distance = (1 - points @ np.asarray(centres).T).min(axis=1)
        for _ in range(len(centres), k):
            weights = np.maximum(distance, 0) ** 2
            total = weights.sum()
            pick = rng.choice(n, p=weights / total) if total > 0 else rng.integers(n)
            centres.append(points[pick])
            distance = np.minimum(distance, 1 - points @ centres[-1])
        labels, centres = lloyd(points, np.array(centres), iterations)
        inertia = float((1 - (points * centres[labels]).sum(axis=1)).sum())
        if best is None or inertia < best[0] - 1e-9:
            best = (inertia, labels, centres)
    return best[1], best[2]


def lloyd(points: np.ndarray, centres: np.ndarray, iterations: int = 60) -> tuple[np.ndarray, np.ndarray]:
    """Spherical k-means from the given centres (no draw: the same centres give the same groups)."""
    k = len(centres)
    for _ in range(iterations):
        labels = np.argmax(points @ centres.T, axis=1)
        sums = _sum_by_label(points, labels, k)
        empty = np.bincount(labels, minlength=k) == 0
        sums[empty] = centres[empty]
        updated = _unit(sums)
        if np.allclose(updated, centres):
            break
        centres = updated
    return np.argmax(points @ centres.T, axis=1), centres


def theme_seeds(rep: "Representation", kept: np.ndarray) -> np.ndarray | None:
    """Starting centres from the consultation's themes (None without at least two).

    Each theme's name is embedded and centred like the proposals; its starting centre is the
    average of the proposals closest to it in meaning (a quarter of a theme's fair share:
    10 of 424 on the corpus). k-means then moves the centres to where the proposals are.
    """
    if rep.subject is None or len(rep.subject) < 3 or len(kept) < MIN_GROUP * (len(rep.subject) - 1):
        return None
    themes = _unit(rep.subject[1:] - rep.meaning.mean(axis=0))
    similarity = rep.centred[kept] @ themes.T
    closest = max(MIN_GROUP, len(kept) // (4 * len(themes)))
    points = rep.points[kept]
    return _unit(
        np.array(
            [points[np.argsort(-similarity[:, t], kind="stable")[:closest]].mean(axis=0) for t in range(len(themes))]
        )
    )


def neighbours(meaning: np.ndarray, k: int = 10) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One pass, by blocks of rows (memory stays bounded), over the similarities of meaning.

    Returns each proposal's mean similarity to its k nearest others, and its nearest other
    and their similarity once the embeddings are centred on their average (what tells
    proposals apart). The centred similarity is derived from the raw one, without a second product:
    (a·b − a·μ − b·μ + μ·μ) / (|a − μ| |b − μ|).
    """
    n = len(meaning)
    k = min(k, n - 1)
    mean = meaning.mean(axis=0)
    towards = meaning @ mean
    spread = np.sqrt(np.maximum(1 - 2 * towards + mean @ mean, 1e-12))
    closeness = np.empty(n, dtype=np.float32)
    nearest = np.empty(n, dtype=np.int64)
    best = np.empty(n, dtype=np.float32)
    for start in range(0, n, BLOCK_ROWS):
        block = meaning[start : start + BLOCK_ROWS] @ meaning.T
        rows = np.arange(len(block))
        block[rows, rows + start] = -np.inf
        closeness[start : start + len(block)] = np.partition(block, n - k, axis=1)[:, n - k :].mean(axis=1)
        block -= towards[start : start + len(block), None]
        block -= towards[None, :]
        block += mean @ mean
        block /= spread[start : start + len(block), None]
        block /= spread[None, :]
        nearest[start : start + len(block)] = block.argmax(axis=1)
        best[start : start + len(block)] = block[rows, nearest[start : start + len(block)]]
    return closeness, nearest, best


def off_topic(closeness: np.ndarray, share: float = OFF_TOPIC_SHARE) -> np.ndarray:
    """The proposals least like their nearest neighbours in meaning (a boolean mask): off topic, or unique.

    Measured on the corpus, this finds more of its off-topic proposals than the distance to the
    consultation's average meaning (9 of 15 against 7, setting aside 6 % of the proposals).
    """
    if len(closeness) < 20:
        return np.zeros(len(closeness), dtype=bool)
    return closeness < np.quantile(closeness, share)


def _z(values: np.ndarray) -> np.ndarray:
    spread = float(values.std())
    return (values - values.mean()) / spread if spread > 0 else np.zeros_like(values)


def off_subject(rep: Representation) -> np.ndarray:
    """The proposals far from the consultation's subject (a boolean mask), « à part » before grouping.

    Three signals, each as standard deviations from the consultation's mean, added: the similarity
    of the proposal's meaning to the consultation's title and description, to its nearest theme
    (when the consultation has themes), and to its 10 nearest neighbours. A proposal whose sum lies
    beyond OFF_SUBJECT_Z is set apart (standard deviations, not a count: a few off-topic proposals far
    from the rest are set apart with few others, as in tests/synthesis/test_aid.py). On the corpus it sets apart 14 of its
    15 off-topic proposals and 8 % of all (7 % of the corpus without them). Without a known subject,
    the 6 % least close to their neighbours are (``off_topic``).
    """
    closeness = rep.neighbours[0]
    if rep.subject is None:
        return off_topic(closeness)
    if len(closeness) < 20:
        return np.zeros(len(closeness), dtype=bool)
    similarity = rep.meaning @ rep.subject.T
    total = _z(similarity[:, 0]) + _z(closeness)
    if len(rep.subject) > 1:
        total = total + _z(similarity[:, 1:].max(axis=1))
    return _z(total) < OFF_SUBJECT_Z


def _sum_by_label(points: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    grouped = np.flatnonzero(labels >= 0)
    onehot = sparse.csr_matrix(
        (np.ones(len(grouped), dtype=points.dtype), (labels[grouped], grouped)), shape=(k, len(points))
    )
    return np.asarray(onehot @ points)


def centres_of(points: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    return _unit(_sum_by_label(points, labels, k))


def cluster(rep: Representation) -> tuple[np.ndarray, np.ndarray]:
    """Labels (-1 for « à part ») and each proposal's similarity to its (nearest) centre."""
    n = len(rep.points)
    labels = np.full(n, -1)
    apart = off_subject(rep)
    kept = np.flatnonzero(~apart)
    if len(kept) >= MIN_GROUP:
        given = theme_seeds(rep, kept)
        count = group_count(len(kept)) if given is None else max(len(given), group_count(len(kept)))
        found, _centres = kmeans(rep.points[kept], count, given=given)
        labels[kept] = found
    sizes = np.bincount(labels[labels >= 0], minlength=max(labels.max() + 1, 1))
    labels[(labels >= 0) & (sizes[np.maximum(labels, 0)] < MIN_GROUP)] = -1
    # Renumber the groups from the largest down (ties by first member): a stable order to show.
    order = sorted(
        {int(g) for g in labels if g >= 0}, key=lambda g: (-int((labels == g).sum()), int(np.argmax(labels == g)))
    )
    renumber = {g: i for i, g in enumerate(order)}
    labels = np.array([renumber.get(int(g), -1) for g in labels])
    labels, scores = fit(rep.points, labels, len(order))
    return labels, scores


def fit(points: np.ndarray, labels: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Scores against each group's centre; members far from their centre go « à part »."""
    if k == 0:
        return labels, np.zeros(len(points))
    centres = centres_of(points, labels, k)
    similarity = points @ centres.T
    scores = np.where(labels >= 0, similarity[np.arange(len(points)), np.maximum(labels, 0)], similarity.max(axis=1))
    labels = np.where((labels >= 0) & (scores < MIN_FIT), -1, labels)
    return labels, scores


def place(points: np.ndarray, centres: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Nearest centre for new proposals (-1 when none is close enough), and the similarity."""
    if len(centres) == 0:
        return np.full(len(points), -1), np.zeros(len(points))
    similarity = points @ centres.T
    best = similarity.argmax(axis=1)
    scores = similarity[np.arange(len(points)), best]
    return np.where(scores >= MIN_FIT, best, -1), scores


def telling_words(rep: Representation, labels: np.ndarray, k: int, top: int = 5) -> list[list[str]]:
    """Class-based TF-IDF: roots frequent in the group and rare in the rest (« à part » counted as one more class)."""
    counts = (rep.words > 0).astype(np.float64).tocsr()
    classes = np.where(labels >= 0, labels, k)
    membership = sparse.csr_matrix(
        (np.ones(len(labels)), (classes, np.arange(len(labels)))), shape=(k + 1, len(labels))
    )
    per_class = np.asarray((membership @ counts).todense())  # documents of the class using each root
    sizes = np.bincount(classes, minlength=k + 1).astype(np.float64)
    frequency = per_class / np.maximum(sizes, 1)[:, None]
    overall = per_class.sum(axis=0)
    weights = frequency * np.log(1 + sizes.mean() / np.maximum(overall, 1))
    words = []
    for g in range(k):
        # A root used by a single member does not name a group.
        candidates = np.where(per_class[g] >= min(2, sizes[g]), weights[g], 0)
        best = [i for i in np.argsort(-candidates, kind="stable")[:top] if candidates[i] > 0]
        words.append([rep.analyser.shown_form(rep.vocabulary[i]) for i in best])
    return words


# Drafts -----------------------------------------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")


def sentences(title: str, body: str) -> list[str]:
    """The sentences a draft may quote: 0 is the title, then the body's sentences, as written."""
    return [(title or "").strip(), *[s.strip() for s in _SENTENCE_END.split(body or "") if s.strip()]]


def _best_sentence(title: str, body: str, weights: dict[str, float], analyser: Analyser) -> tuple[int, str]:
    """The body sentence that carries most of the group's telling roots (the title when the body has none)."""
    candidates = sentences(title, body)
    best, best_score = 0, -1.0
    for number, sentence in enumerate(candidates[1:], start=1):
        words = sentence.split()
        if not 4 <= len(words) <= 60:
            continue
        roots = analyser.roots(sentence)
        score = sum(weights.get(r, 0.0) for r in set(roots)) / math.sqrt(len(roots) or 1)
        if score > best_score:
            best, best_score = number, score
    return best, candidates[best]


def draft(
    rep: Representation,
    items: list[tuple[int, str, str]],
    members: np.ndarray,
    centre: np.ndarray,
    weights: dict[str, float],
) -> list[tuple[int, str, str]]:
    """3 to 5 sentences quoted from the group's most representative proposals, each from a different one.

    Proposals are chosen by maximal marginal relevance: close to the group's
    centre, and unlike those already chosen, so that the draft covers the group.
    """
    if len(members) == 0:
        return []
    points = rep.points[members]
    relevance = points @ centre
    wanted = min(DRAFT_MAX, max(DRAFT_MIN, len(members) // 8), len(members))
    chosen: list[int] = []
    pool = list(np.argsort(-relevance, kind="stable")[:30])
    while pool and len(chosen) < wanted:
        if chosen:
            redundancy = (points[pool] @ points[chosen].T).max(axis=1)
            value = 0.7 * relevance[pool] - 0.3 * redundancy
        else:
            value = relevance[pool]
        pick = pool.pop(int(np.argmax(value)))
        chosen.append(pick)
    result = []
    for index in chosen:
        pid, title, body = items[members[index]]
        number, sentence = _best_sentence(title, body, weights, rep.analyser)
        result.append((pid, number, sentence))
    return result


def group_weights(rep: Representation, members: np.ndarray) -> dict[str, float]:
    """Each root's weight in the group (its TF-IDF summed over the members)."""
    totals = np.asarray(rep.words[members].sum(axis=0)).ravel()
    return {rep.vocabulary[i]: float(totals[i]) for i in np.flatnonzero(totals)}


# Duplicates -------------------------------------------------------------------------------------------------------


def likely_duplicates(rep: Representation, threshold: float = DUPLICATE_THRESHOLD) -> list[tuple[int, int, float]]:
    """Pairs (i, j, similarity), i < j, each the other's nearest neighbour, above the threshold; most similar first.

    Similarity is that of the meaning alone (centred embeddings: on the corpus, adding the words found fewer
    paraphrases, which by definition use other words).
    """
    if len(rep.meaning) < 2:
        return []
    _closeness, nearest, best = rep.neighbours
    pairs = [
        (i, int(nearest[i]), float(best[i]))
        for i in range(len(nearest))
        if i < nearest[i] and nearest[nearest[i]] == i and best[i] >= threshold
    ]
    pairs.sort(key=lambda p: (-p[2], p[0], p[1]))
    return pairs[:MAX_DUPLICATES]


# The whole aid ----------------------------------------------------------------------------------------------------


def describe(rep: Representation, items, labels: np.ndarray, k: int) -> list[ThemeGroup]:
    """Each group's telling words, members (most representative first) and cited draft."""
    words = telling_words(rep, labels, k)
    centres = centres_of(rep.points, labels, k)
    groups = []
    for g in range(k):
        members = np.flatnonzero(labels == g)
        order = members[np.argsort(-(rep.points[members] @ centres[g]), kind="stable")]
        groups.append(
            ThemeGroup(
                words=words[g],
                members=[(items[i][0], items[i][1]) for i in order],
                draft=draft(rep, items, members, centres[g], group_weights(rep, members)),
            )
        )
    return groups


def semantic_aid(items: list[tuple[int, str, str]], vectors=None, subject=None) -> SemanticAid:
    """Themes, proposals apart and likely duplicates among (id, title, body) items.

    ``subject``: the consultation's subject embedded (``subject_vectors``), to set apart what is off topic.
    """
    aid = SemanticAid(proposal_count=len(items))
    if not items:
        return aid
    if vectors is None:
        from concertation.synthesis.embeddings import embed_texts, text_of

        vectors = embed_texts([text_of(title, body) for _id, title, body in items])
    rep = represent(items, np.asarray(vectors), subject)
    labels, scores = cluster(rep) if len(items) >= MIN_GROUP else (np.full(len(items), -1), np.zeros(len(items)))
    k = int(labels.max()) + 1 if len(labels) else 0
    aid.groups = describe(rep, items, labels, k)
    aid.apart = [(items[i][0], items[i][1]) for i in np.flatnonzero(labels < 0)]
    aid.labels, aid.scores = labels.tolist(), [round(float(s), 4) for s in scores]
    aid.duplicates = [
        ((items[i][0], items[i][1]), (items[j][0], items[j][1]), round(s, 2)) for i, j, s in likely_duplicates(rep)
    ]
    return aid


def item_vectors(items: list[tuple[int, str, str]]) -> np.ndarray:
    """The embeddings of (id, title, body) items, as the platform stores them (for the benchmark)."""
    from concertation.synthesis.embeddings import embed_texts, text_of

    return embed_texts([text_of(title, body) for _id, title, body in items])


def subject_texts(title: str, description: str, themes: list[str]) -> list[str]:
    """What the consultation is about, as texts to embed: its title and description, then each theme's name."""
    from concertation.synthesis.embeddings import text_of

    return [text_of(title, description), *[name.strip() for name in themes if name and name.strip()]]


def subject_vectors(title: str, description: str, themes: list[str]) -> np.ndarray:
    """The consultation's subject embedded (row 0: title and description; then one row a theme)."""
    from concertation.synthesis.embeddings import embed_texts

    return embed_texts(subject_texts(title, description, themes))


def duplicate_candidates(items: list[tuple[int, str, str]], vectors) -> list[tuple[int, int, float]]:
    """Every mutual-nearest pair with its similarity, whatever the threshold (the benchmark's PR table)."""
    rep = represent(items, np.asarray(vectors))
    return [(items[i][0], items[j][0], s) for i, j, s in likely_duplicates(rep, threshold=-1.0)]
