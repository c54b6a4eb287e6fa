"""Which of a baseline's duplicated pairs still exist in the tree today.

    .venv/bin/python tools/duplicates_since.py [--base b342d44] [--json]

It runs the `duplicates` command (see tools/DUPLICATES.md) on the baseline commit, unpacked with
`git archive`, and lists its pairs of places. `duplicates` names one run per pair of files (the
longest), so the runs a pair holds are all found by blanking the named one and asking again.

A baseline pair still exists when the same two files (followed through the renames git records
commit by commit, or found by their text when code moved to a file git does not call a rename)
still share a run of six or more lines that covers, on both sides, lines of one of the baseline
pair's runs. Lines are compared as text with white space folded, so a pair is found again after
lines above it moved; a pair whose lines were all rewritten, or moved into one shared helper, is
gone.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

BASELINE = "b342d44"
TOKEN = re.compile(r"\w+|[^\w\s]")
ROW = re.compile(r"^D\d+ (?P<a>\S+):(?P<a1>\d+)-(?P<a2>\d+) ~ (?P<b>\S+):(?P<b1>\d+)-(?P<b2>\d+)")
# The files `duplicates` reads (source and build files); prose and data files never pair.
SOURCE = re.compile(r"\.(py|html|css|js|ts|sh|cfg|ini|sql|jinja|j2)$|(^|/)Makefile$")
MIN_SHARED = 6  # token triples a current run must share with a baseline run, on each side
MAX_RUNS = 60  # runs looked for between two files, at most
WORKERS = 2  # `duplicates` calls at once (the machine is shared)


@dataclass(frozen=True)
class Run:
    a: str
    a_lines: tuple[int, int]
    b: str
    b_lines: tuple[int, int]
    shape: bool

    def side(self, path: str, other: bool = False) -> tuple[int, int]:
        if self.a == self.b:
            return self.b_lines if other else self.a_lines
        return self.a_lines if path == self.a else self.b_lines


@dataclass
class Pair:
    row: str
    a: str
    b: str
    runs: list[Run] = field(default_factory=list)
    now: list[tuple[str, str, Run]] = field(default_factory=list)

    @property
    def group(self) -> str:
        paths = (self.a, self.b)
        if any(p.startswith("migrations/") for p in paths):
            return "migrations"
        if any(p.startswith("tests/") for p in paths):
            return "tests"
        if all(p.endswith(".html") for p in paths):
            return "templates"
        return "Python and other code"


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def duplicates(folder: Path, most: int = 200) -> str:
    done = subprocess.run(
        ["duplicates", "--most", str(most), "--seconds", "120"],
        cwd=folder,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def rows(output: str) -> list[tuple[str, Run]]:
    found = []
    for line in output.splitlines():
        if match := ROW.match(line):
            run = Run(
                match["a"],
                (int(match["a1"]), int(match["a2"])),
                match["b"],
                (int(match["b1"]), int(match["b2"])),
                " shape" in line,
            )
            found.append((line, run))
    return found


def all_runs(texts: dict[str, list[str]], limit: int = MAX_RUNS) -> Iterator[Run]:
    """Every run two files (or one file with itself) share, longest first."""
    with tempfile.TemporaryDirectory(prefix="dups-") as tmp:
        root = Path(tmp)
        lines = {path: list(text) for path, text in texts.items()}
        for _ in range(limit):
            for path, text in lines.items():
                target = root / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text("\n".join(text) + "\n")
            named = rows(duplicates(root, most=1))
            if not named:
                return
            run = named[0][1]
            yield run
            # Blank the run on one side (the second, for a file with itself) and ask again.
            path, (start, end) = (run.b, run.b_lines)
            for number in range(start - 1, min(end, len(lines[path]))):
                lines[path][number] = ""


def near(lines: list[str], wanted: set[str], reach: int = 6) -> list[str]:
    """The file with every line blanked that stands more than `reach` lines from a wanted one.

    A line is wanted when most of its token triples stand in the wanted lines (so a line that a
    formatter split or joined since is still found)."""
    known = grams(sorted(wanted))
    keep = [False] * len(lines)
    for number, line in enumerate(lines):
        own = grams([line])
        if folded(line) in wanted or (own and len(own & known) * 2 >= len(own)):
            for other in range(max(0, number - reach), min(len(lines), number + reach + 1)):
                keep[other] = True
    return [line if kept else "" for line, kept in zip(lines, keep)]


def folded(line: str) -> str:
    return " ".join(line.split())


def meaningful(lines: list[str], span: tuple[int, int]) -> list[str]:
    """The lines of a run that say something: not blank, not lone punctuation, not a comment."""
    kept = []
    for line in lines[span[0] - 1 : span[1]]:
        text = folded(line)
        if len(re.sub(r"[\W_]", "", text)) < 3 or text.startswith(("#", "{#")):
            continue
        kept.append(text)
    return kept


def grams(lines: list[str]) -> set[tuple[str, ...]]:
    """The token triples of some lines, read as one stream: blind to how a formatter broke them."""
    tokens = TOKEN.findall(" ".join(lines))
    tokens = [t for t in tokens if t != ","]  # a formatter adds and removes trailing commas
    return {tuple(tokens[i : i + 3]) for i in range(len(tokens) - 2)}


def covers(old: list[str], new: list[str]) -> bool:
    """Do two runs hold mostly the same code, whatever its line breaks?"""
    before, after = grams(old), grams(new)
    common = len(before & after)
    return common >= min(MIN_SHARED, len(before), len(after)) and common * 2 >= min(len(before), len(after))


def renames(repo: Path, base: str) -> dict[str, str]:
    """Each baseline path to its path today, following renames commit by commit."""
    log = git(
        "log",
        "--reverse",
        "--topo-order",
        "-M",
        "--name-status",
        "--format=%H",
        f"{base}..HEAD",
        cwd=repo,
    )
    where = {}  # baseline path -> current path
    for line in log.splitlines():
        parts = line.split("\t")
        if parts[0].startswith("R") and len(parts) == 3:
            old, new = parts[1], parts[2]
            for start, now in list(where.items()):
                if now == old:
                    where[start] = new
            if old not in where and old not in where.values():
                where[old] = new
    # Renames over the whole range with a looser similarity catch what several small commits hid.
    for line in git("diff", "-M20%", "--name-status", base, cwd=repo).splitlines():
        parts = line.split("\t")
        if parts[0].startswith("R") and parts[1] not in where:
            where[parts[1]] = parts[2]
    return where


def current_files(repo: Path) -> list[str]:
    listed = git("ls-files", "--cached", "--others", "--exclude-standard", cwd=repo)
    return [p for p in listed.splitlines() if SOURCE.search(p) and (repo / p).is_file()]


def read(root: Path, path: str) -> list[str]:
    try:
        return (root / path).read_text(errors="replace").splitlines()
    except (FileNotFoundError, IsADirectoryError):
        return []


def unpack(repo: Path, base: str, into: Path) -> None:
    archive = subprocess.run(["git", "archive", base], cwd=repo, check=True, capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")


def baseline(repo: Path, base: str) -> tuple[list[Pair], dict[str, list[str]]]:
    """The baseline's pairs with all their runs, and its files' lines (kept in a cache: slow)."""
    commit = git("rev-parse", base, cwd=repo).strip()
    cache = repo / "test-artifacts" / "duplicates" / f"{commit}.json"
    if cache.exists():
        saved = json.loads(cache.read_text())
        pairs = [
            Pair(p["row"], p["a"], p["b"], [Run(*r[:1], tuple(r[1]), r[2], tuple(r[3]), r[4]) for r in p["runs"]])
            for p in saved["pairs"]
        ]
        return pairs, saved["text"]
    with tempfile.TemporaryDirectory(prefix="dups-base-") as tmp:
        old_root = Path(tmp)
        unpack(repo, commit, old_root)
        pairs = [Pair(line, run.a, run.b) for line, run in rows(duplicates(old_root))]
        old_text: dict[str, list[str]] = {}
        for pair in pairs:
            for path in (pair.a, pair.b):
                old_text.setdefault(path, read(old_root, path))
        with ThreadPoolExecutor(WORKERS) as pool:
            found = pool.map(
                lambda pair: list(all_runs({pair.a: old_text[pair.a], pair.b: old_text[pair.b]})),
                pairs,
            )
            for pair, runs in zip(pairs, found):
                pair.runs = runs
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(
        json.dumps(
            {
                "pairs": [
                    {
                        "row": p.row,
                        "a": p.a,
                        "b": p.b,
                        "runs": [[r.a, r.a_lines, r.b, r.b_lines, r.shape] for r in p.runs],
                    }
                    for p in pairs
                ],
                "text": old_text,
            }
        )
    )
    return pairs, old_text


def measure(repo: Path, base: str) -> list[Pair]:
    pairs, old_text = baseline(repo, base)
    where = renames(repo, base)
    files = current_files(repo)
    new_text = {path: read(repo, path) for path in files}
    index: dict[str, set[str]] = defaultdict(set)
    for path, text in new_text.items():
        for line in text:
            index[folded(line)].add(path)

    def wanted(pair: Pair, path: str) -> set[str]:
        lines: set[str] = set()
        for run in pair.runs:
            if pair.a == pair.b:
                lines.update(meaningful(old_text[path], run.a_lines))
                lines.update(meaningful(old_text[path], run.b_lines))
            else:
                lines.update(meaningful(old_text[path], run.side(path)))
        return lines

    def candidates(pair: Pair, path: str) -> list[str]:
        """Where a baseline file's duplicated lines stand today: its own path first."""
        first = where.get(path, path)
        found = [first] if first in new_text else []
        lines = wanted(pair, path)
        score: dict[str, int] = defaultdict(int)
        for line in lines:
            for other in index.get(line, ()):
                score[other] += 1
        for other, hits in sorted(score.items(), key=lambda kv: -kv[1]):
            if other not in found and hits * 2 >= len(lines) and len(found) < 4:
                found.append(other)
        return found

    def look(pair: Pair) -> list[tuple[str, str, Run]]:
        if pair.a == pair.b:
            places = [(c, c) for c in candidates(pair, pair.a)]
        else:
            places = [(x, y) for x in candidates(pair, pair.a) for y in candidates(pair, pair.b) if x != y]
        for x, y in places:
            # Only the neighbourhood of the baseline's duplicated lines is read again.
            texts = {x: near(new_text[x], wanted(pair, pair.a))}
            if y != x:
                texts[y] = near(new_text[y], wanted(pair, pair.b))
            for new in all_runs(texts):
                if matches(pair, old_text, new, x, y, new_text):
                    return [(x, y, new)]
        return []

    with ThreadPoolExecutor(WORKERS) as pool:
        for pair, now in zip(pairs, pool.map(look, pairs)):
            pair.now = now
    return pairs


def matches(
    pair: Pair,
    old_text: dict[str, list[str]],
    new: Run,
    x: str,
    y: str,
    new_text: dict[str, list[str]],
) -> bool:
    """Does a run of today cover, on both sides, the lines of one of the pair's baseline runs?"""
    if x == y:
        new_sides = [new.a_lines, new.b_lines]
    else:
        new_sides = [new.side(x), new.side(y)]
    for old in pair.runs:
        if pair.a == pair.b:
            old_sides = [old.a_lines, old.b_lines]
        else:
            old_sides = [old.side(pair.a), old.side(pair.b)]
        old_a = meaningful(old_text[pair.a], old_sides[0])
        old_b = meaningful(old_text[pair.b], old_sides[1])
        new_a = meaningful(new_text[x], new_sides[0])
        new_b = meaningful(new_text[y], new_sides[1])
        if (covers(old_a, new_a) and covers(old_b, new_b)) or (
            pair.a == pair.b and covers(old_a, new_b) and covers(old_b, new_a)
        ):
            return True
    return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default=BASELINE, help="the baseline commit (default %(default)s)")
    parser.add_argument("--json", action="store_true", help="print the pairs as JSON")
    args = parser.parse_args()
    if shutil.which("duplicates") is None:
        print("the `duplicates` command is not on PATH", file=sys.stderr)
        return 2
    repo = Path(git("rev-parse", "--show-toplevel", cwd=Path.cwd()).strip())
    pairs = measure(repo, args.base)
    remaining = [p for p in pairs if p.now]
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "baseline": p.row,
                        "group": p.group,
                        "now": [f"{x} ~ {y} {n.a_lines} ~ {n.b_lines}" for x, y, n in p.now],
                    }
                    for p in pairs
                ],
                indent=1,
            )
        )
        return 0
    print(f"{len(remaining)} of {len(pairs)} remain (baseline {args.base})")
    groups: dict[str, list[Pair]] = defaultdict(list)
    for pair in pairs:
        groups[pair.group].append(pair)
    for name in ("migrations", "templates", "Python and other code", "tests"):
        members = groups.get(name, [])
        left = [p for p in members if p.now]
        print(f"\n## {name}: {len(left)} of {len(members)} remain")
        for pair in left:
            x, y, run = pair.now[0]
            where = f"{x}:{run.a_lines[0]}-{run.a_lines[1]} ~ {y}:{run.b_lines[0]}-{run.b_lines[1]}"
            print(f"- {pair.row}\n    now {where}{' shape' if run.shape else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
