"""A support POST against its database floor: one UPDATE and a commit, measured in the same run.

1. Builds (or reuses, --reuse) bench/load.py's dataset at --scale in PostgreSQL.
2. Serves the product under gunicorn with one worker and one thread (bench.load:bench_app(), rate limits
   off), so that one client measures the latency of one request at a time.
3. Signs in participants; each gives supports to proposals of its home consultation that it has not
   supported yet (taken from the database), one POST at a time, answered 302.
4. Between two POSTs, the floor: on its own connection (kept open, as a pool would), one
   ``UPDATE proposal SET support_count = support_count + 1`` and a ``COMMIT``, the work no support can do
   without. The two are interleaved, so that the machine's load weighs on both alike.
5. Prints and records (bench/RESULTS.md) the medians and 90th percentiles and the ratio of the medians
   (target: within 4× of the floor).

    .venv/bin/python bench/support_floor.py --scale 0.01 --rounds 300
"""

import argparse
import os
import secrets
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from bench import load  # noqa: E402
from config import database_url  # noqa: E402


def first_ids(url: str) -> dict:
    engine = create_engine(url)
    with engine.connect() as connection:
        row = connection.execute(
            text(
                'SELECT (SELECT min(id) FROM "user"), (SELECT min(id) FROM consultation), (SELECT min(id) FROM proposal)'
            )
        ).one()
    engine.dispose()
    return dict(zip(("user", "consultation", "proposal"), row))


def not_yet_supported(url: str, participant: load.Participant, n: dict, first: dict, most: int) -> list[int]:
    """Proposals of the participant's home consultation it has not supported, within its remaining quota."""
    engine = create_engine(url)
    with engine.connect() as connection:
        given = connection.scalar(
            text("SELECT count(*) FROM support WHERE user_id = :u AND consultation_id = :c"),
            {"u": participant.user_id, "c": first["consultation"] + participant.index % n["consultations"]},
        )
        free = connection.scalars(
            text(
                """SELECT p.id FROM proposal AS p
                   WHERE p.id BETWEEN :lo AND :hi AND NOT EXISTS (
                       SELECT 1 FROM support AS s WHERE s.proposal_id = p.id AND s.user_id = :u)
                   ORDER BY p.id LIMIT :most"""
            ),
            {
                "lo": participant.home_first_proposal,
                "hi": participant.home_first_proposal + n["per_consultation"] - 1,
                "u": participant.user_id,
                "most": max(0, min(most, load.SUPPORT_LIMIT - given)),
            },
        ).all()
    engine.dispose()
    return list(free)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=0.01)
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--reuse", action="store_true", help="keep the dataset of a previous run")
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    url = database_url(os.environ.get("BENCH_DATABASE_URL"), load.DEFAULT_URL)
    n = load.sizes(args.scale)
    load.ensure_database(url)
    if args.reuse:
        first = first_ids(url)
    else:
        print(f"building {n} ...", flush=True)
        first = load.build_dataset(url, n)
    environment = {**os.environ, "BENCH_DATABASE_URL": url, "BENCH_SECRET_KEY": secrets.token_hex(32)}
    environment["PYTHONPATH"] = str(ROOT)
    port = load.free_port()
    one = argparse.Namespace(workers=1, threads=1)
    log = open(ROOT / "bench" / ".support-floor-gunicorn.log", "a")
    server = subprocess.Popen(
        load.gunicorn_command("bench.load:bench_app()", port, one),
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    product: list[float] = []
    floor: list[float] = []
    refused = 0
    try:
        load.wait_until_up(port)
        floor_engine = create_engine(url, pool_size=1)
        with floor_engine.connect() as connection:
            index = 0
            while len(product) < args.rounds:
                if index >= n["people"]:
                    break
                participant = load.Participant(port, index, n, first)
                index += 1
                if participant.index % n["consultations"] % 4:
                    continue  # one consultation in four is open in its vote phase
                targets = not_yet_supported(url, participant, n, first, args.rounds - len(product))
                if not targets:
                    continue
                participant.sign_in()
                consultation = first["consultation"] + participant.index % n["consultations"]
                for proposal in targets:
                    form = {"csrf_token": participant.token, "next": f"/propositions/{proposal}"}
                    started = time.perf_counter()
                    status, _page = participant.request(
                        "POST", f"/consultations/{consultation}/propositions/{proposal}/soutien", form
                    )
                    elapsed = (time.perf_counter() - started) * 1000
                    if status in (302, 303):
                        product.append(elapsed)
                    else:
                        refused += 1
                    started = time.perf_counter()
                    connection.execute(
                        text("UPDATE proposal SET support_count = support_count + 1 WHERE id = :p"), {"p": proposal}
                    )
                    connection.commit()
                    floor.append((time.perf_counter() - started) * 1000)
        floor_engine.dispose()
    finally:
        server.terminate()
        server.wait(30)
    if not product:
        sys.exit(f"no support was accepted ({refused} refused): see bench/.support-floor-gunicorn.log")
    ratio = statistics.median(product) / statistics.median(floor)
    rows = [
        ("support POST through the product (HTTP, gunicorn 1 worker)", product),
        ("floor: one UPDATE and a COMMIT", floor),
    ]
    for name, values in rows:
        print(f"{name}: median {statistics.median(values):.2f} ms, p90 {percentile(values, 0.9):.2f} ms", flush=True)
    print(f"ratio of the medians: {ratio:.1f}× (target ≤ 4×); refused: {refused}", flush=True)
    if not args.no_record:
        lines = [
            "",
            f"## {datetime.now(UTC):%Y-%m-%d %H:%M} UTC — a support POST against its database floor, scale {args.scale:g}",
            "",
            f"- bench/support_floor.py: {len(product)} supports, one at a time, each followed by the floor on its own "
            "connection (interleaved, so the machine's load weighs on both); a new TCP connection per POST, as a "
            f"browser without keep-alive; load average {os.getloadavg()[0]:.1f} at the end.",
            "",
            "| | median ms | p90 ms |",
            "|---|---|---|",
            *(f"| {name} | {statistics.median(values):.2f} | {percentile(values, 0.9):.2f} |" for name, values in rows),
            "",
            f"The support POST takes {ratio:.1f}× its database floor (target: within 4×); {refused} refused.",
            "",
        ]
        with open(ROOT / "bench" / "RESULTS.md", "a") as results_file:
            results_file.write("\n".join(lines))


if __name__ == "__main__":
    main()
