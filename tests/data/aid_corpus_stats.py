"""Counts of the labelled synthesis-aid corpus: python tests/data/aid_corpus_stats.py"""

import json
import re
import statistics
from collections import Counter
from pathlib import Path

CORPUS = Path(__file__).with_name("aid_corpus_fr.jsonl")


def load(path: Path = CORPUS) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def main() -> None:
    rows = load()
    by_id = {r["id"]: r for r in rows}
    themes = Counter(r["theme"] for r in rows)
    pairs = [(r["paraphrase_of"], r["id"]) for r in rows if r["paraphrase_of"] is not None]
    lengths = [len((r["title"] + " " + r["body"]).split()) for r in rows]
    overlap = [
        len(words(by_id[a]["body"]) & words(by_id[b]["body"])) / len(words(by_id[a]["body"]) | words(by_id[b]["body"]))
        for a, b in pairs
    ]
    print(
        f"proposals: {len(rows)}  on topic: {sum(not r['off_topic'] for r in rows)}  "
        f"off topic: {sum(r['off_topic'] for r in rows)}"
    )
    print(f"paraphrase pairs: {len(pairs)}")
    print(
        f"words per proposal (title + body): median {statistics.median(lengths):.0f}, "
        f"min {min(lengths)}, max {max(lengths)}"
    )
    print(
        f"word overlap (Jaccard) of the two bodies of a pair: median {statistics.median(overlap):.2f}, "
        f"max {max(overlap):.2f}"
    )
    print("theme            proposals  pairs")
    pair_themes = Counter(by_id[b]["theme"] for _a, b in pairs)
    for theme, n in sorted(themes.items(), key=lambda kv: -kv[1]):
        print(f"{theme:<16} {n:>9}  {pair_themes.get(theme, 0):>5}")


if __name__ == "__main__":
    main()
