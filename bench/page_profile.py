"""What the load mix's pages cost in-process, signed in or not, on bench/load.py's PostgreSQL dataset.

Run bench/load.py once first (it builds the dataset at --scale), then:

    .venv/bin/python bench/page_profile.py --scale 1 --rounds 60
    .venv/bin/python bench/page_profile.py --scale 1 --rounds 60 --anonymous --statements

A participant signs in through the Flask test client (no HTTP server), then reads the mix's pages (home,
consultation, proposals list, proposal) in turn, each at another consultation or proposal; the script
prints per page the medians of the whole request, of this process's CPU time, of the statements the
database received and of their time (the driver's call to its answer, round trip included). Nothing is
recorded in RESULTS.md: the figures are for reading, to choose what to make cheaper.
"""

import argparse
import cProfile
import pstats
import random
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import event  # noqa: E402

from bench import load  # noqa: E402
from bench.support_profile import BASE, in_process_app, sign_in  # noqa: E402


def print_profile(stats: pstats.Stats, rounds: int, page: str) -> None:
    """Own time by package (per read of the page), then the 30 costliest functions with what they call."""
    by_package: dict[str, float] = defaultdict(float)
    for (filename, _, function), (_, _, own, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        if "site-packages/" in filename:
            package = filename.split("site-packages/")[1].split("/")[0]
        elif str(ROOT) in filename:
            package = filename.split(str(ROOT) + "/")[1]
        elif filename.startswith(("~", "<")):
            package = function
        else:
            package = "stdlib: " + filename.rsplit("/", 1)[-1]
        by_package[package] += own
    print(f"\n{page}: own time by package, ms per read (under the profiler, which slows everything):")
    for package, own in sorted(by_package.items(), key=lambda item: -item[1])[:25]:
        print(f"  {own * 1000 / rounds:8.2f}  {package}")
    stats.sort_stats("tottime").print_stats(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--anonymous", action="store_true", help="read the pages without signing in")
    parser.add_argument("--statements", action="store_true", help="print each page's statements (last read)")
    parser.add_argument("--width", type=int, default=150, help="characters of each statement printed")
    parser.add_argument("--cprofile", metavar="PAGE", help="profile this page: time by package, costliest functions")
    args = parser.parse_args()
    app, url, n, first = in_process_app(args.scale)
    from concertation.extensions import db

    with app.app_context():
        engine = db.engine
    current: dict[str, float] = defaultdict(float)
    statements: list[str] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _before(conn, cursor, statement, parameters, context, executemany):
        conn.info["started"] = time.perf_counter()

    @event.listens_for(engine, "after_cursor_execute")
    def _after(conn, cursor, statement, parameters, context, executemany):
        took = (time.perf_counter() - conn.info.pop("started")) * 1000
        current["sql"] += took
        current["statements"] += 1
        statements.append(f"{took:6.2f} ms  {' '.join(statement.split())[: args.width]}")

    client = app.test_client()
    if not args.anonymous:
        sign_in(client, load.Participant(0, 0, n, first))
    rng = random.Random(1)
    open_consultations = max(1, n["consultations"] // 4)
    pages = {
        "home": lambda: "/",
        "consultation": lambda: f"/consultations/{first['consultation'] + 4 * rng.randrange(open_consultations)}",
        "list": lambda: f"/consultations/{first['consultation'] + 4 * rng.randrange(open_consultations)}/propositions",
        "proposal": lambda: f"/propositions/{first['proposal'] + rng.randrange(n['proposals'])}",
    }
    rows: dict[str, list[dict[str, float]]] = defaultdict(list)
    profile = cProfile.Profile() if args.cprofile else None
    last: dict[str, list[str]] = {}
    for round_ in range(args.rounds + 3):
        for name, path in pages.items():
            current.clear()
            statements.clear()
            profiling = profile is not None and name == args.cprofile and round_ >= 3
            if profiling:
                profile.enable()
            cpu = time.process_time()
            started = time.perf_counter()
            answer = client.get(path(), base_url=BASE)
            elapsed = (time.perf_counter() - started) * 1000
            if profiling:
                profile.disable()
            assert answer.status_code == 200, (name, answer.status_code)
            if round_ >= 3:  # the first rounds warm the caches of the process
                rows[name].append({"whole": elapsed, "cpu": (time.process_time() - cpu) * 1000, **current})
                last[name] = list(statements)
    who = "anonymous" if args.anonymous else "signed in"
    print(f"pages read {who}, in-process (PostgreSQL {url.rsplit('/', 1)[-1]}), medians of {args.rounds}:")
    print(f"  {'page':14} {'whole ms':>9} {'CPU ms':>8} {'SQL ms':>8} {'statements':>10}")
    for name, values in rows.items():
        med = {k: statistics.median(r.get(k, 0) for r in values) for k in ("whole", "cpu", "sql", "statements")}
        print(f"  {name:14} {med['whole']:9.2f} {med['cpu']:8.2f} {med['sql']:8.2f} {med['statements']:10.0f}")
    if profile is not None:
        print_profile(pstats.Stats(profile), args.rounds, args.cprofile)
    if args.statements:
        for name, lines in last.items():
            print(f"\n{name}:")
            for line in lines:
                print("  " + line)


if __name__ == "__main__":
    main()
