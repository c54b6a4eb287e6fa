"""Benchmark: the synthesis aid's themes, duplicates and opinion groups against a labelled French corpus.

    python bench/synthesis_aid.py [--methods today,before,new] [--sizes 1000,10000] [--opinion 10000x1000] [--no-record]

("before": the new aid as committed at AID_BENCH_BEFORE, default HEAD; see bench/README.md.)

For every method in METHODS, in the same run:

1. On the labelled corpus tests/data/aid_corpus_fr.jsonl (439 proposals, 10 themes,
   40 paraphrase pairs, 15 off topic; see tests/data/README.md): adjusted Rand index
   of its groups against the themes, share of proposals left ungrouped, groups and
   their sizes, duplicate recall and precision at the method's own threshold and over
   a table of cut-offs, and where the off-topic proposals land.
2. Time and peak memory to group 1,000 and 10,000 proposals made by sampling the
   corpus with light perturbations (each in a fresh process).
3. For the opinion groups (OPINION_METHODS): time, peak memory and recovery of the
   planted groups on 10,000 participants × 1,000 proposals of synthetic supports.

Figures are printed and appended to bench/RESULTS.md (--no-record to skip).
"""

import argparse
import hashlib
import json
import os
import platform
import random
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CORPUS = ROOT / "tests" / "data" / "aid_corpus_fr.jsonl"
SUBJECT = ROOT / "tests" / "data" / "aid_corpus_consultation.json"
OFF_TOPIC = "hors_sujet"
EMPTY = '""'


# ---------------------------------------------------------------------------
# The adapters. A method is a callable taking a list of (id, title, body) and
# returning a dict:
#   groups:      list[list[id]]      the theme groups (a proposal in one group at most)
#   ungrouped:   list[id]            proposals in no group ("à part"): each counts as a singleton
#   duplicates:  list[(id, id, score)]  likely duplicates at the method's own threshold
# and, optionally:
#   duplicate_candidates: list[(id, id, score)]  scored pairs reaching below its threshold
#                         (for the precision-recall table; without it, `duplicates` is used)
#   duplicate_threshold:  float       the method's own threshold, shown in the report
#   timings:              dict[str, float]  seconds per stage, printed as given
#   note:                 str         anything the report should say (e.g. "fallback used")
# It accepts candidates=False (the timed runs on larger sets skip duplicate_candidates, which
# only the precision-recall table needs) and, if it has a `scale_vectors` attribute, vectors=.
# An adapter raises MethodUnavailable when its code or model is not installed.
# ---------------------------------------------------------------------------


class MethodUnavailable(Exception):
    pass


def today(items: list[tuple[int, str, str]], candidates: bool = True) -> dict:
    """Today's method: concertation/synthesis/grouping.py (stemmed TF-IDF, cosine thresholds, greedy groups)."""
    from concertation.synthesis import grouping

    aid = grouping.group_texts(items)
    groups = [[pid for pid, _title in g.members] for g in aid.groups]
    grouped = {pid for g in groups for pid in g}
    ids = [item[0] for item in items]
    result = {
        "groups": groups,
        "ungrouped": [pid for pid in ids if pid not in grouped],
        "duplicates": [(a[0], b[0], s) for a, b, s in aid.duplicates],
        "duplicate_threshold": grouping.DUPLICATE_THRESHOLD,
    }
    if not candidates:
        return result
    # All scored pairs down to a low cosine, through the same representation group_texts uses.
    analyser = grouping.Analyser()
    matrix, _vocabulary = grouping.tfidf([f"{t} {t} {b}" for _id, t, b in items], analyser)
    matrix = grouping._without_common_roots(matrix)
    rows, cols, sims = grouping.similar_pairs(matrix, 0.1)
    result["duplicate_candidates"] = [
        (ids[i], ids[j], float(s)) for i, j, s in zip(rows.tolist(), cols.tolist(), sims.tolist())
    ]
    return result


def consultation_subject() -> dict:
    """The consultation the corpus answers (title, description, themes: tests/data/aid_corpus_consultation.json)."""
    return json.loads(SUBJECT.read_text(encoding="utf-8"))


def cached_vectors(semantic, items: list[tuple[int, str, str]]) -> tuple[np.ndarray, bool]:
    """The items' embeddings, kept in a file under the temporary directory between runs (AID_BENCH_CACHE=0: never).

    The key is the model's name and every text: a changed corpus or model is embedded again.
    Returns (vectors, read from the cache).
    """
    from concertation.synthesis.embeddings import model_name

    key = hashlib.sha256("\x00".join([model_name(), *(f"{t}\x01{b}" for _i, t, b in items)]).encode()).hexdigest()
    path = Path(tempfile.gettempdir()) / f"aid_bench_vectors_{key[:16]}.npy"
    use = os.environ.get("AID_BENCH_CACHE", "1") != "0"
    if use and path.exists():
        return np.load(path), True
    vectors = np.asarray(semantic.item_vectors(items), dtype=np.float32)
    if use:
        np.save(path, vectors)
    return vectors, False


def subject_vectors(semantic):
    """The consultation's subject embedded, when the module can use it (``subject_vectors``); else None."""
    if not hasattr(semantic, "subject_vectors"):
        return None
    subject = consultation_subject()
    return semantic.subject_vectors(subject["title"], subject["description"], subject["themes"])


def semantic_at(ref: str):
    """concertation/synthesis/semantic.py as committed at a git ref (the "before" of a change), as a module."""
    import types

    name = "semantic_at_" + re.sub(r"\W", "_", ref)
    if name in sys.modules:
        return sys.modules[name]
    out = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{ref}:concertation/synthesis/semantic.py"], capture_output=True, text=True
    )
    if out.returncode:
        raise MethodUnavailable(f"no concertation/synthesis/semantic.py at {ref}")
    module = types.ModuleType(name)
    module.__file__ = f"{ref}:concertation/synthesis/semantic.py"
    sys.modules[name] = module
    exec(compile(out.stdout, module.__file__, "exec"), module.__dict__)
    return module


def before(items: list[tuple[int, str, str]], vectors=None, candidates: bool = True) -> dict:
    """The new aid as committed at BEFORE_REF (default HEAD): before and after a change in the same run."""
    return new(items, vectors, candidates, semantic=semantic_at(os.environ.get("AID_BENCH_BEFORE", "HEAD")))


def new(items: list[tuple[int, str, str]], vectors=None, candidates: bool = True, semantic=None) -> dict:
    """The new aid (issue #14, branch "aid"): concertation/synthesis/semantic.py, semantic_aid(items, vectors).

    >>> ADAPT HERE as the aid branch's module grows (check `git log aid --stat`).
    When the module can compute the vectors apart (an ``item_vectors(items)`` function), they are
    timed as a stage of their own, since the product stores them when a proposal is written;
    when its result carries the vectors (or the module offers ``duplicate_candidates``), every
    scored pair feeds the precision-recall table, else only the pairs it lists.
    """
    if semantic is None:
        try:
            from concertation.synthesis import semantic
        except ImportError as error:
            raise MethodUnavailable("concertation.synthesis.semantic is not importable on this branch") from error
    timings = {}
    if vectors is None and hasattr(semantic, "item_vectors"):
        started = time.perf_counter()
        vectors, cached = cached_vectors(semantic, items)
        timings["embeddings (read from the cache of an earlier run)" if cached else "embeddings"] = (
            time.perf_counter() - started
        )
    subject = subject_vectors(semantic)
    started = time.perf_counter()
    try:
        aid = (
            semantic.semantic_aid(items, vectors, subject=subject)
            if subject is not None
            else (semantic.semantic_aid(items, vectors))
        )
    except NotImplementedError as error:
        raise MethodUnavailable("semantic_aid is still a stub (NotImplementedError)") from error
    timings["groups and duplicates" if vectors is not None else "whole aid"] = time.perf_counter() - started
    groups = [[pid for pid, _title in g.members] for g in aid.groups]
    grouped = {pid for g in groups for pid in g}
    result = {
        "groups": groups,
        "ungrouped": [item[0] for item in items if item[0] not in grouped],
        "duplicates": [(a[0], b[0], s) for a, b, s in aid.duplicates],
        "duplicate_threshold": getattr(semantic, "DUPLICATE_THRESHOLD", None),
        "timings": timings,
        "note": getattr(aid, "note", None) or getattr(aid, "fallback_reason", None),
    }
    if not candidates:
        return result
    result["vectors"] = vectors
    if hasattr(semantic, "duplicate_candidates"):
        result["duplicate_candidates"] = semantic.duplicate_candidates(items, vectors)
    elif getattr(aid, "vectors", None) is not None or vectors is not None:
        result["duplicate_candidates"] = top_pairs(
            [item[0] for item in items], np.asarray(vectors if vectors is not None else aid.vectors)
        )
    return result


def top_pairs(ids: list, vectors: np.ndarray, keep: int = 2000) -> list[tuple]:
    """The `keep` most similar pairs by cosine of the rows of `vectors` (by blocks of rows)."""
    unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    best_i, best_j, best_s = [], [], []
    for start in range(0, len(unit), 512):
        sims = unit[start : start + 512] @ unit.T
        i, j = np.nonzero(np.triu(np.ones_like(sims, dtype=bool), k=start + 1))
        s = sims[i, j]
        top = np.argsort(-s, kind="stable")[:keep]
        best_i.append(i[top] + start)
        best_j.append(j[top])
        best_s.append(s[top])
    i, j, s = np.concatenate(best_i), np.concatenate(best_j), np.concatenate(best_s)
    top = np.argsort(-s, kind="stable")[:keep]
    return [(ids[a], ids[b], float(c)) for a, b, c in zip(i[top].tolist(), j[top].tolist(), s[top].tolist())]


def new_scale_vectors(
    rows: list[dict], items: list[tuple[int, str, str]], sources: list[int], sample: int = 200, seed: int = 14
) -> tuple[np.ndarray, dict]:
    """Vectors for the larger sets without embedding 10,000 texts (tens of minutes on 2 busy cores).

    The product embeds a proposal once, when it is written; what must take seconds is the aid
    over stored vectors. So: the corpus is embedded, and `sample` of the perturbed copies too;
    each other copy gets its original's vector plus the perturbation residual (copy − original)
    of a randomly drawn embedded copy, renormalised. The embedding time of all the copies is
    estimated from the sample and reported as a stage.
    """
    from concertation.synthesis import semantic

    if not hasattr(semantic, "item_vectors"):
        raise MethodUnavailable("no item_vectors(items) in concertation.synthesis.semantic")
    rng = np.random.default_rng(seed)
    base, _cached = cached_vectors(semantic, [(r["id"], r["title"], r["body"]) for r in rows])
    chosen = rng.choice(len(items), size=min(sample, len(items)), replace=False)
    started = time.perf_counter()
    real = np.asarray(semantic.item_vectors([items[i] for i in chosen]), dtype=np.float32)
    per_item = (time.perf_counter() - started) / len(chosen)
    sources = np.asarray(sources)
    residuals = real - base[sources[chosen]]
    vectors = base[sources] + residuals[rng.integers(len(residuals), size=len(items))]
    vectors[chosen] = real
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    return vectors, {f"embeddings (estimated from {len(chosen)})": per_item * len(items)}


new.scale_vectors = new_scale_vectors
before.scale_vectors = new_scale_vectors

METHODS = {"today": today, "before": before, "new": new}


# Opinion groups. A method takes (votes, seed) where votes is a scipy.sparse CSR matrix of
# participants × proposals (1 = supported) and returns a dict:
#   groups:    list[list[int]]   participant row indices per opinion group (participants may be left out)
#   consensus: list[int]         proposal column indices it finds uniting every group
#   divisive:  list[int]         proposal column indices it finds dividing the groups


def opinion_new(votes, seed: int) -> dict:
    """The aid's opinion groups: concertation/synthesis/opinions.py, find_groups(matrix) (its seeds are fixed)."""
    try:
        from concertation.synthesis import opinions
    except ImportError as error:
        raise MethodUnavailable("concertation.synthesis.opinions is not importable on this branch") from error
    found = opinions.find_groups(votes.tocsr(), "supports", shown=20)
    rows = np.asarray(found["rows"])
    groups = [rows[found["labels"] == g].tolist() for g in range(len(found["sizes"]))]
    return {"groups": groups, "consensus": found["consensus"], "divisive": found["divisive"]}


def opinion_reference(votes, seed: int, k: int = 4) -> dict:
    """A check of the harness, not a product method: truncated SVD (rows normalised) + k-means told k.

    It shows the planted structure can be found, and gives the real method a floor to beat
    (which must also find k by itself).
    """
    from scipy.sparse.linalg import svds

    matrix = votes.astype(np.float64)
    u, s, _vt = svds(matrix, k=6, random_state=seed)
    points = u * s
    points /= np.maximum(np.linalg.norm(points, axis=1, keepdims=True), 1e-12)  # direction, not activity
    labels = kmeans(points, k, seed)
    groups = [np.flatnonzero(labels == g).tolist() for g in range(k)]
    return {"groups": groups, **consensus_and_divisive(votes, groups)}


OPINION_METHODS = {"new": opinion_new, "reference (SVD + k-means, told k=4)": opinion_reference}


def kmeans(points: np.ndarray, k: int, seed: int, rounds: int = 50) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = points[rng.choice(len(points), size=k, replace=False)]
    labels = np.zeros(len(points), dtype=np.int64)
    for _ in range(rounds):
        distances = ((points[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
        new_labels = distances.argmin(axis=1)
        if np.array_equal(new_labels, labels):
            break
        labels = new_labels
        for g in range(k):
            if (labels == g).any():
                centres[g] = points[labels == g].mean(axis=0)
    return labels


def consensus_and_divisive(votes, groups: list[list[int]], top: int = 20) -> dict:
    """Proposals supported by every group (highest minimum share) and dividing them (largest spread)."""
    shares = np.vstack([np.asarray(votes[g].mean(axis=0)).ravel() for g in groups if g])
    return {
        "consensus": np.argsort(-shares.min(axis=0), kind="stable")[:top].tolist(),
        "divisive": np.argsort(-(shares.max(axis=0) - shares.min(axis=0)), kind="stable")[:top].tolist(),
    }


# ---------------------------------------------------------------------------
# Metrics (tested in tests/synthesis/test_aid_benchmark.py)
# ---------------------------------------------------------------------------


def adjusted_rand_index(truth: list, predicted: list) -> float:
    """Hubert and Arabie's adjusted Rand index of two labellings of the same items (1 = same partition)."""
    if len(truth) != len(predicted):
        raise ValueError("the two labellings must cover the same items")
    n = len(truth)
    if n < 2:
        return 1.0
    _, a = np.unique(np.asarray(truth, dtype=object).astype(str), return_inverse=True)
    _, b = np.unique(np.asarray(predicted, dtype=object).astype(str), return_inverse=True)
    table = np.bincount(a * (b.max() + 1) + b).astype(np.float64)

    def pairs(counts):
        return float((counts * (counts - 1) / 2).sum())

    index = pairs(table)
    rows, cols = pairs(np.bincount(a).astype(np.float64)), pairs(np.bincount(b).astype(np.float64))
    expected = rows * cols / (n * (n - 1) / 2)
    maximum = (rows + cols) / 2
    if maximum == expected:
        return 1.0
    return (index - expected) / (maximum - expected)


def partition_labels(ids: list, groups: list[list], ungrouped: list) -> list[str]:
    """One label per id: its group's number, or its own singleton label when ungrouped or left out."""
    label = {}
    for number, group in enumerate(groups):
        for pid in group:
            if pid in label:
                raise ValueError(f"proposal {pid} is in two groups")
            label[pid] = f"g{number}"
    return [label.get(pid, f"alone-{pid}") for pid in ids]


def theme_labels(rows: list[dict], off_topic_as: str = "singletons") -> list[str]:
    """The reference partition: the theme; off-topic proposals each their own class ("singletons") or one class."""
    if off_topic_as == "singletons":
        return [f"off-{r['id']}" if r["off_topic"] else r["theme"] for r in rows]
    return [r["theme"] for r in rows]


def pair_key(a, b) -> frozenset:
    return frozenset((a, b))


def duplicate_scores(found: list[tuple], truth: set[frozenset]) -> dict:
    """Recall and precision of found pairs (a, b, score) against the labelled pairs."""
    found_pairs = {pair_key(a, b) for a, b, *_ in found if a != b}
    hits = len(found_pairs & truth)
    return {
        "found": len(found_pairs),
        "hits": hits,
        "recall": hits / len(truth) if truth else None,
        "precision": hits / len(found_pairs) if found_pairs else None,
    }


def precision_recall_table(
    candidates: list[tuple], truth: set[frozenset], tops=(10, 20, 30, 40, 50, 60, 80, 100, 150, 200)
) -> list[dict]:
    """Recall and precision when the k best-scored pairs are kept, for each k (the score of the k-th is the cut)."""
    ranked = sorted({pair_key(a, b): s for a, b, s in candidates if a != b}.items(), key=lambda kv: -kv[1])
    table = []
    for top in tops:
        if top > len(ranked) and table and table[-1]["kept"] == len(ranked):
            break
        kept = ranked[:top]
        hits = sum(1 for pair, _s in kept if pair in truth)
        table.append(
            {
                "kept": len(kept),
                "threshold": kept[-1][1] if kept else None,
                "hits": hits,
                "recall": hits / len(truth) if truth else None,
                "precision": hits / len(kept) if kept else None,
            }
        )
    return table


def best_recall_at_precision(candidates: list[tuple], truth: set[frozenset], floor: float = 0.8) -> dict:
    """The highest recall over every cut-off whose precision is at least `floor`, and that cut-off."""
    ranked = sorted({pair_key(a, b): s for a, b, s in candidates if a != b}.items(), key=lambda kv: -kv[1])
    best = {"recall": 0.0, "threshold": None, "precision": None}
    hits = 0
    for k, (pair, score) in enumerate(ranked, 1):
        hits += pair in truth
        # Cut only between different scores: ties are kept or dropped together.
        if k < len(ranked) and ranked[k][1] == score:
            continue
        precision = hits / k
        if precision >= floor and hits / len(truth) > best["recall"]:
            best = {"recall": hits / len(truth), "threshold": score, "precision": precision}
    return best


PRECISION_FLOORS = (0.5, 0.6, 0.7, 0.8, 0.9)


def recall_at_precisions(candidates: list[tuple], truth: set[frozenset], floors=PRECISION_FLOORS) -> dict:
    """The precision-recall curve in a few points: the best recall at each precision floor."""
    return {floor: best_recall_at_precision(candidates, truth, floor)["recall"] for floor in floors}


def average_precision(candidates: list[tuple], truth: set[frozenset]) -> float:
    """Average precision of the ranked pairs (the area under the precision-recall curve, 1.0 = every
    labelled pair ranked above every other pair; a labelled pair never scored counts as precision 0)."""
    ranked = sorted({pair_key(a, b): s for a, b, s in candidates if a != b}.items(), key=lambda kv: -kv[1])
    hits, total = 0, 0.0
    for k, (pair, _score) in enumerate(ranked, 1):
        if pair in truth:
            hits += 1
            total += hits / k
    return total / len(truth) if truth else 0.0


def partner_ranks(ids: list, vectors: np.ndarray, truth: set[frozenset]) -> dict:
    """Where each labelled pair's partner ranks among a member's neighbours by cosine of the vectors.

    ``nearest``: one member is the other's nearest neighbour; ``mutual``: each is the other's;
    ``top3``/``top10``: the partner is within the 3 (10) nearest of both members. A list of pairs
    above a threshold cannot find more pairs than the similarity ranks close together.
    """
    unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    similarity = unit @ unit.T
    np.fill_diagonal(similarity, -np.inf)
    position = {pid: i for i, pid in enumerate(ids)}
    counts = {"nearest": 0, "mutual": 0, "top3": 0, "top10": 0}
    for pair in truth:
        a, b = (position[p] for p in pair)
        rank_a = int((similarity[a] > similarity[a, b]).sum()) + 1  # b's rank among a's neighbours
        rank_b = int((similarity[b] > similarity[a, b]).sum()) + 1
        counts["nearest"] += min(rank_a, rank_b) == 1
        counts["mutual"] += max(rank_a, rank_b) == 1
        counts["top3"] += max(rank_a, rank_b) <= 3
        counts["top10"] += max(rank_a, rank_b) <= 10
    return counts


def same_group(groups: list[list], truth: set[frozenset]) -> int:
    """Labelled pairs whose two members the method put in the same theme group (« found » in the weak sense of
    a clustering: such a group holds hundreds of other pairs, so this is no duplicate detection)."""
    group_of = {pid: n for n, g in enumerate(groups) for pid in g}
    return sum(1 for pair in truth if len({group_of.get(p, ("alone", p)) for p in pair}) == 1)


def off_topic_landing(rows: list[dict], groups: list[list], ungrouped: list) -> dict:
    """Where the off-topic proposals end up: ungrouped, in groups of off-topic ones only, or in theme groups."""
    by_id = {r["id"]: r for r in rows}
    group_of = {pid: n for n, g in enumerate(groups) for pid in g}
    result = {"ungrouped": 0, "off_topic_groups": 0, "theme_groups": 0, "details": []}
    for r in rows:
        if not r["off_topic"]:
            continue
        if r["id"] not in group_of:
            result["ungrouped"] += 1
            continue
        members = groups[group_of[r["id"]]]
        themes = Counter(by_id[m]["theme"] for m in members if m in by_id)
        if set(themes) == {OFF_TOPIC}:
            result["off_topic_groups"] += 1
        else:
            result["theme_groups"] += 1
            main, count = themes.most_common(1)[0]
            result["details"].append(
                f"#{r['id']} « {r['title']} » in a group of {len(members)} (mostly {main}, {count})"
            )
    return result


# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------


def load_corpus(path: Path = CORPUS) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _strip_accents(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def perturb(text: str, rng: random.Random) -> str:
    """Light noise a reader would not notice much: drop ~8 % of words, typo ~5 %, drop accents, shuffle sentences."""
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text) if s]
    if len(sentences) > 1 and rng.random() < 0.5:
        rng.shuffle(sentences)
    words = []
    for word in " ".join(sentences).split():
        roll = rng.random()
        if roll < 0.08 and len(words) > 2:
            continue
        if roll < 0.13 and len(word) > 3:
            i = rng.randrange(len(word) - 1)
            word = word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # swapped letters
        elif roll < 0.16:
            word = _strip_accents(word)
        words.append(word)
    return " ".join(words)


def scaled_items(
    rows: list[dict], count: int, seed: int = 14, sources: list | None = None
) -> list[tuple[int, str, str]]:
    """`count` proposals sampled from the corpus (with replacement), each lightly perturbed.

    When a list is given as `sources`, the index in `rows` of each copy's original is appended to it.
    """
    rng = random.Random(seed)
    items = []
    for i in range(count):
        k = rng.randrange(len(rows))
        r = rows[k]
        items.append((i + 1, perturb(r["title"], rng) or r["title"], perturb(r["body"], rng) or r["body"]))
        if sources is not None:
            sources.append(k)
    return items


def planted_votes(participants: int, proposals: int, seed: int = 14):
    """Synthetic supports with 4 planted opinion groups (40/30/20/10 % of participants).

    Each proposal has a base popularity (Beta(1, 12): most get few supports); each group
    likes its own 8 % of the proposals (support probability × 3 + 0.05, capped at 0.5) and
    shuns another 8 % (× 0.1); 20 proposals are consensus (0.5–0.7 in every group) and 20 divisive
    (0.7 in one group, 0.02 elsewhere). Each participant's probabilities are
    then scaled by an activity drawn uniformly in [0.15, 1]. Returns (CSR matrix, planted labels, consensus
    columns, divisive columns).
    """
    from scipy import sparse

    rng = np.random.default_rng(seed)
    shares = np.array([0.4, 0.3, 0.2, 0.1])
    labels = rng.choice(len(shares), size=participants, p=shares)
    base = rng.beta(1.0, 12.0, size=proposals)
    probability = np.tile(base, (len(shares), 1))
    columns = rng.permutation(proposals)
    consensus, divisive = columns[:20], columns[20:40]
    rest = columns[40:]
    for g in range(len(shares)):
        liked = rng.choice(rest, size=int(0.08 * proposals), replace=False)
        shunned = rng.choice(np.setdiff1d(rest, liked), size=int(0.08 * proposals), replace=False)
        probability[g, liked] = np.minimum(probability[g, liked] * 3 + 0.05, 0.5)
        probability[g, shunned] *= 0.1
    probability[:, consensus] = rng.uniform(0.5, 0.7, size=(len(shares), len(consensus)))
    probability[:, divisive] = 0.02
    for n, column in enumerate(divisive):
        probability[n % len(shares), column] = 0.7
    activity = rng.uniform(0.15, 1.0, size=participants)  # some participants support much less
    rows, cols = [], []
    for start in range(0, participants, 1000):  # by blocks: bounded memory
        block = labels[start : start + 1000]
        hit = rng.random((len(block), proposals)) < probability[block] * activity[start : start + 1000, None]
        r, c = np.nonzero(hit)
        rows.append(r + start)
        cols.append(c)
    rows, cols = np.concatenate(rows), np.concatenate(cols)
    votes = sparse.csr_matrix((np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(participants, proposals))
    return votes, labels, consensus.tolist(), divisive.tolist()


# ---------------------------------------------------------------------------
# Runs
# ---------------------------------------------------------------------------


def rss_mb() -> float:
    """This process's resident memory now (Linux /proc; elsewhere its peak so far)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * resource.getpagesize() / 2**20
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class PeakMemory:
    """The highest resident memory while the block runs, sampled every 5 ms by a thread.

    The process's own peak (getrusage) cannot tell a call's peak from an earlier one
    (loading a model in the warm-up, building the test data), hence the sampling.
    """

    def __enter__(self):
        self.before = self.peak = rss_mb()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    def _watch(self):
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, rss_mb())

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_mb())

    def figures(self) -> dict:
        return {
            "before_mb": round(self.before, 1),
            "peak_mb": round(self.peak, 1),
            "growth_mb": round(self.peak - self.before, 1),
        }


def evaluate_on_corpus(name: str, rows: list[dict]) -> dict:
    items = [(r["id"], r["title"], r["body"]) for r in rows]
    ids = [r["id"] for r in rows]
    METHODS[name](items[:20])  # warm-up: imports, model loading (not timed)
    started = time.perf_counter()
    result = METHODS[name](items)
    seconds = time.perf_counter() - started
    groups, ungrouped = result["groups"], result["ungrouped"]
    predicted = partition_labels(ids, groups, ungrouped)
    on_topic = [i for i, r in enumerate(rows) if not r["off_topic"]]
    truth = {pair_key(r["id"], r["paraphrase_of"]) for r in rows if r["paraphrase_of"] is not None}
    candidates = result.get("duplicate_candidates") or result["duplicates"]
    sizes = sorted((len(g) for g in groups), reverse=True)
    return {
        "method": name,
        "seconds": seconds,
        "timings": result.get("timings"),
        "note": result.get("note"),
        "ari": adjusted_rand_index(theme_labels(rows), predicted),
        "ari_off_topic_one_class": adjusted_rand_index(theme_labels(rows, "one class"), predicted),
        "ari_on_topic": adjusted_rand_index(
            [theme_labels(rows)[i] for i in on_topic], [predicted[i] for i in on_topic]
        ),
        "ungrouped_share": sum(1 for p in predicted if p.startswith("alone-")) / len(ids),
        "groups": len(groups),
        "sizes": sizes,
        "duplicates": duplicate_scores(result["duplicates"], truth),
        "duplicate_threshold": result.get("duplicate_threshold"),
        "pr_table": precision_recall_table(candidates, truth),
        "recall_at_p80": best_recall_at_precision(candidates, truth, 0.8),
        "recall_at": recall_at_precisions(candidates, truth),
        "average_precision": average_precision(candidates, truth),
        "candidates_scored": len({pair_key(a, b) for a, b, *_ in candidates if a != b}),
        "same_group": same_group(groups, truth),
        "partner_ranks": partner_ranks(ids, np.asarray(result["vectors"]), truth)
        if result.get("vectors") is not None
        else None,
        "off_topic": off_topic_landing(rows, groups, ungrouped),
    }


def today_threshold_sweep(rows: list[dict]) -> list[dict]:
    """Today's method at other group thresholds: does lowering them form theme groups?"""
    from concertation.synthesis.grouping import group_texts

    items = [(r["id"], r["title"], r["body"]) for r in rows]
    ids = [r["id"] for r in rows]
    sweep = []
    for threshold in (0.1, 0.15, 0.2, 0.25, 0.35, 0.5):
        aid = group_texts(items, group_threshold=threshold)
        groups = [[pid for pid, _t in g.members] for g in aid.groups]
        predicted = partition_labels(ids, groups, [])
        sweep.append(
            {
                "threshold": threshold,
                "groups": len(groups),
                "largest": max((len(g) for g in groups), default=0),
                "ungrouped_share": 1 - aid.grouped_count / len(ids),
                "ari": adjusted_rand_index(theme_labels(rows), predicted),
            }
        )
    return sweep


def child_scale(name: str, count: int) -> dict:
    rows = load_corpus()
    sources: list[int] = []
    items = scaled_items(rows, count, sources=sources)
    method = METHODS[name]
    started = time.perf_counter()
    try:
        method(scaled_items(rows, 50, seed=1))  # warm-up: imports, model loading
        prepared = method.scale_vectors(rows, items, sources) if hasattr(method, "scale_vectors") else None
    except MethodUnavailable as error:
        return {"unavailable": str(error)}
    warm_up = time.perf_counter() - started
    options = {"candidates": False} if prepared is None else {"candidates": False, "vectors": prepared[0]}
    with PeakMemory() as memory:
        started = time.perf_counter()
        result = method(items, **options)
        seconds = time.perf_counter() - started
    grouped = sum(len(g) for g in result["groups"])
    timings = {**(prepared[1] if prepared else {}), **(result.get("timings") or {})}
    return {
        "seconds": round(seconds, 2),
        **memory.figures(),
        "groups": len(result["groups"]),
        "ungrouped_share": round(1 - grouped / count, 3),
        "duplicates": len(result["duplicates"]),
        "timings": timings or None,
        "warm_up_seconds": round(warm_up, 2),
    }


def child_opinion(name: str, participants: int, proposals: int) -> dict:
    votes, labels, consensus, divisive = planted_votes(participants, proposals)
    try:
        with PeakMemory() as memory:
            started = time.perf_counter()
            result = OPINION_METHODS[name](votes, 14)
            seconds = time.perf_counter() - started
    except MethodUnavailable as error:
        return {"unavailable": str(error)}
    groups = result["groups"]
    predicted = ["none"] * participants
    for n, g in enumerate(groups):
        for i in g:
            predicted[i] = f"g{n}"
    covered = [i for i in range(participants) if predicted[i] != "none"]
    return {
        "seconds": round(seconds, 2),
        **memory.figures(),
        "supports": int(votes.nnz),
        "groups": len(groups),
        "sizes": sorted((len(g) for g in groups), reverse=True),
        "ari": round(adjusted_rand_index([int(labels[i]) for i in covered], [predicted[i] for i in covered]), 3)
        if covered
        else None,
        "covered_share": round(len(covered) / participants, 3),
        "consensus_recall": len(set(result["consensus"][:20]) & set(consensus)) / len(consensus),
        "divisive_recall": len(set(result["divisive"][:20]) & set(divisive)) / len(divisive),
    }


def in_child(*args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True, cwd=ROOT)
    if out.returncode:
        return {"error": (out.stderr.strip().splitlines() or ["?"])[-1]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def fmt(value, digits: int = 2) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def report_corpus(r: dict) -> list[str]:
    sizes = r["sizes"]
    lines = [
        f"\n### {r['method']} — labelled corpus\n",
        f"- Adjusted Rand index against the themes (ungrouped = singletons; each off-topic proposal its own "
        f"class): **{r['ari']:.3f}**; with the off-topic proposals as one class: {r['ari_off_topic_one_class']:.3f}; "
        f"on-topic proposals only: {r['ari_on_topic']:.3f}.",
        f"- Left ungrouped: **{r['ungrouped_share']:.0%}**; {r['groups']} groups"
        + (
            f", sizes {sizes[0]} largest, {int(np.median(sizes))} median, {sum(1 for s in sizes if s >= 10)} of 10 "
            f"or more"
            if sizes
            else ""
        )
        + f"; computed in {r['seconds']:.2f} s.",
    ]
    d = r["duplicates"]
    lines.append(
        f"- Duplicates at the method's own threshold ({fmt(r['duplicate_threshold'])}): {d['found']} pairs "
        f"listed, {d['hits']} of the 40 labelled pairs: recall **{fmt(d['recall'])}**, precision "
        f"**{fmt(d['precision'])}**."
    )
    best = r["recall_at_p80"]
    lines.append(
        f"- Best recall at precision ≥ 0.8 over every cut-off: {fmt(best['recall'])}"
        + (
            f" (cut at score {best['threshold']:.3f}, precision {best['precision']:.2f})."
            if best["threshold"] is not None
            else " (no cut-off reaches that precision)."
        )
    )
    lines.append(
        f"- Precision-recall curve over the {r['candidates_scored']} pairs the method scores: best recall at "
        "precision ≥ "
        + ", ".join(f"{floor}: {fmt(recall)}" for floor, recall in r["recall_at"].items())
        + f"; average precision {r['average_precision']:.3f}."
    )
    lines.append(
        f"- Labelled pairs whose two members are in the same theme group: {r['same_group']} of 40 "
        "(a clustering « finds » a pair in this weak sense only)."
    )
    ranks = r.get("partner_ranks")
    if ranks:
        lines.append(
            f"- Where a pair's partner ranks by cosine of the stored embeddings (not centred): nearest neighbour of one member "
            f"{ranks['nearest']} of 40, of both (mutual) {ranks['mutual']}, within the 3 nearest of both "
            f"{ranks['top3']}, within the 10 nearest of both {ranks['top10']}."
        )
    o = r["off_topic"]
    lines.append(
        f"- The 15 off-topic proposals: {o['ungrouped']} ungrouped, {o['off_topic_groups']} in groups of "
        f"off-topic proposals only, **{o['theme_groups']} in theme groups**"
        + (": " + "; ".join(o["details"]) if o["details"] else "")
        + "."
    )
    if r["timings"]:
        lines.append("- Stages: " + ", ".join(f"{k} {v:.2f} s" for k, v in r["timings"].items()) + ".")
    if r["note"]:
        lines.append(f"- Note: {r['note']}")
    lines += [
        "",
        "Duplicates kept when the k best-scored pairs are listed:",
        "",
        "| pairs kept | score of the last | labelled pairs among them | recall | precision |",
        "|---:|---:|---:|---:|---:|",
    ]
    for row in r["pr_table"]:
        lines.append(
            f"| {row['kept']} | {fmt(row['threshold'], 3)} | {row['hits']} | {fmt(row['recall'])} "
            f"| {fmt(row['precision'])} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--methods", default=",".join(METHODS), help="Méthodes à mesurer, séparées par des virgules.")
    parser.add_argument("--sizes", default="1000,10000", help="Tailles (propositions) pour le temps et la mémoire.")
    parser.add_argument("--opinion", default="10000x1000", help="participants×propositions ('' pour passer).")
    parser.add_argument("--no-record", action="store_true", help="N’ajoute pas les résultats à bench/RESULTS.md.")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, name, *numbers = args.child
        result = (
            child_scale(name, int(numbers[0]))
            if kind == "scale"
            else child_opinion(name, int(numbers[0]), int(numbers[1]))
        )
        print(json.dumps(result))
        return

    rows = load_corpus()
    methods = [m for m in args.methods.split(",") if m]
    sizes = [int(s) for s in args.sizes.split(",") if s]
    load = os.getloadavg()[0]
    lines = [
        f"\n## Synthesis aid — {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC\n",
        f"`python bench/synthesis_aid.py --methods {','.join(methods)} --sizes {args.sizes} "
        f"--opinion {args.opinion or EMPTY}`\n",
        f"- Machine: {os.cpu_count()} CPU, Python {platform.python_version()}, load average {load:.1f} at the "
        f"start (the machine is shared).",
        f"- Corpus: tests/data/aid_corpus_fr.jsonl, {len(rows)} proposals "
        f"({sum(r['off_topic'] for r in rows)} off topic), "
        f"{len({r['theme'] for r in rows if not r['off_topic']})} themes, "
        f"{sum(r['paraphrase_of'] is not None for r in rows)} paraphrase pairs (tests/data/README.md).",
        "- Adjusted Rand index: computed with numpy (Hubert–Arabie formula, bench/synthesis_aid.py), "
        "proposals left ungrouped count as singletons; in the reference partition each off-topic proposal "
        "is its own class (they share no theme), and the figure with them as one class is given too.",
        "- Larger sets: the corpus sampled with replacement, each copy lightly perturbed (about 8 % of words "
        "dropped, 5 % with two letters swapped, 3 % without accents, sentences shuffled in half of them; "
        "seeded), so they hold many near-copies: their group counts are not a quality measure. For the new "
        "aid, whose vectors the product computes once when a proposal is written, the copies' vectors are "
        "their original's plus the residual of one of 200 really embedded copies (`new_scale_vectors`); "
        "the time to embed them all is estimated from those 200 and shown as a stage. Time and "
        "peak resident memory are measured in a fresh process per method and size, after a warm-up call "
        "on 50 proposals (imports, model loading); resident memory is sampled every 5 ms during the call: "
        "the peak during the call, and its growth over the memory just before.",
    ]
    unavailable = {}
    for name in methods:
        try:
            result = evaluate_on_corpus(name, rows)
        except MethodUnavailable as error:
            unavailable[name] = str(error)
            print(f"{name}: unavailable — {error}")
            continue
        section = report_corpus(result)
        print("\n".join(section), flush=True)
        lines += section
        if name == "today":
            sweep = today_threshold_sweep(rows)
            section = [
                "",
                "Today's method at other group thresholds (the product uses 0.35):",
                "",
                "| group threshold | groups | largest | ungrouped | ARI |",
                "|---:|---:|---:|---:|---:|",
            ]
            section += [
                f"| {s['threshold']} | {s['groups']} | {s['largest']} | {s['ungrouped_share']:.0%} | {s['ari']:.3f} |"
                for s in sweep
            ]
            print("\n".join(section), flush=True)
            lines += section
    for name, why in unavailable.items():
        lines.append(f"\n### {name} — not measured: {why}")

    if sizes:
        section = [
            "\n### Time and memory on larger sets\n",
            "| method | proposals | seconds | warm-up s | RSS before MB | peak RSS MB | growth MB | groups | ungrouped "
            "| duplicates listed |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for name in methods:
            if name in unavailable:
                continue
            for size in sizes:
                r = in_child("scale", name, str(size))
                if "seconds" not in r:
                    section.append(
                        f"| {name} | {size:,} | {r.get('unavailable') or r.get('error')} |||||||".replace(",", " ")
                    )
                    continue
                row = [
                    f"| {name} | {size:,} | {r['seconds']} | {r['warm_up_seconds']} | {r['before_mb']} | {r['peak_mb']} "
                    f"| {r['growth_mb']} | {r['groups']} | {r['ungrouped_share']:.0%} | {r['duplicates']} |".replace(
                        ",", " "
                    )
                ]
                if r.get("timings"):
                    row.append(
                        "| ↳ stages | | " + ", ".join(f"{k} {v:.2f} s" for k, v in r["timings"].items()) + " ||||||||"
                    )
                section += row
                print("\n".join(row), flush=True)
        lines += section

    if args.opinion:
        participants, proposals = (int(x) for x in args.opinion.lower().split("x"))
        section = [
            f"\n### Opinion groups: {participants:,} participants × {proposals:,} proposals\n".replace(",", " "),
            "Synthetic supports (numpy, seed 14): 4 planted groups of 40/30/20/10 % of the participants, "
            "20 consensus proposals supported by every group, 20 divisive ones, participants' activity from 0.15 to 1 "
            "(bench/synthesis_aid.py, "
            "`planted_votes`). ARI of the groups found against the planted ones, over the participants "
            "placed in a group; consensus and divisive recall: share of the planted ones among the 20 "
            "the method lists first.",
            "",
            "| method | seconds | RSS before MB | peak RSS MB | growth MB | groups (sizes) | participants placed | ARI | "
            "consensus recall | divisive recall |",
            "|---|---:|---:|---:|---:|---|---:|---:|---:|---:|",
        ]
        for name in OPINION_METHODS:
            r = in_child("opinion", name, str(participants), str(proposals))
            if "seconds" not in r:
                section.append(f"| {name} | {r.get('unavailable') or r.get('error')} |||||||||")
            else:
                section.append(
                    f"| {name} | {r['seconds']} | {r['before_mb']} | {r['peak_mb']} | {r['growth_mb']} | {r['groups']} "
                    f"({', '.join(map(str, r['sizes']))}) | {r['covered_share']:.0%} | {fmt(r['ari'], 3)} "
                    f"| {r['consensus_recall']:.2f} | {r['divisive_recall']:.2f} |"
                )
            print(section[-1], flush=True)
        lines += section

    if not args.no_record:
        with open(ROOT / "bench" / "RESULTS.md", "a", encoding="utf-8") as results:
            results.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
