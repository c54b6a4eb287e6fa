"""The floor of the anonymous read mix: a minimal Flask app issuing the same SQL, with a trivial template.

1. Builds (or reuses, --reuse) bench/load.py's dataset at --scale.
2. Records, in this process, the SQL statements (text and parameters) the product issues for one page
   of each kind of the anonymous mix: home, consultation, proposal list, proposal.
3. Serves, one after the other and under the same gunicorn settings (gthread workers × threads), the
   product (bench.load:bench_app()) and the floor (bench.floor:floor_app()): the floor answers a page
   of a kind by running that kind's recorded statements (same SQL, same parameters) and rendering
   the rows with a one-line template.
4. Drives each with --clients anonymous visitors (keep-alive, no cookies) for --duration seconds,
   the same random mix, and prints and records (bench/RESULTS.md) requests per second, p50 and p99,
   and the product's share of the floor's throughput.

    .venv/bin/python bench/floor.py --scale 0.1 --duration 20 --clients 20
"""

import argparse
import http.client
import os
import pickle
import random
import secrets
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, event, text  # noqa: E402

from bench import load  # noqa: E402
from config import database_url  # noqa: E402

KINDS = [("home", 10), ("consultation", 15), ("list", 20), ("proposal", 25)]
TEMPLATE = "<!doctype html><title>floor</title><ul>{% for row in rows %}<li>{{ row }}</li>{% endfor %}</ul>"


def paths(first: dict, n: dict, rng: random.Random) -> dict:
    open_consultations = max(1, n["consultations"] // 4)
    consultation = first["consultation"] + 4 * rng.randrange(open_consultations)
    return {
        "home": "/",
        "consultation": f"/consultations/{consultation}",
        "list": f"/consultations/{consultation}/propositions",
        "proposal": f"/propositions/{first['proposal'] + rng.randrange(n['proposals'])}",
    }


def record_statements(first: dict, n: dict, out: Path) -> dict:
    """The statements the product issues for one page of each kind (a visitor, no session)."""
    app = load.bench_app()
    from concertation.extensions import db

    recorded: dict[str, list] = {}
    example = paths(first, n, random.Random(1))
    with app.app_context():
        engine = db.engine
        for kind, path in example.items():
            seen: list = []

            def listen(_conn, _cursor, statement, parameters, _context, _many, seen=seen):
                seen.append((statement, parameters))

            event.listen(engine, "before_cursor_execute", listen)
            try:
                response = app.test_client().get(path, base_url="http://127.0.0.1")
                assert response.status_code == 200, (path, response.status_code)
            finally:
                event.remove(engine, "before_cursor_execute", listen)
            recorded[kind] = [(s, p) for s, p in seen if not s.lstrip().upper().startswith(("SELECT 1", "SET "))]
    out.write_bytes(pickle.dumps(recorded))
    return {kind: len(statements) for kind, statements in recorded.items()}


def floor_app():
    """gunicorn calls this in each worker: the recorded statements per kind of page, a trivial template."""
    from flask import Flask, render_template_string

    statements = pickle.loads(Path(os.environ["FLOOR_STATEMENTS"]).read_bytes())
    engine = create_engine(database_url(os.environ.get("BENCH_DATABASE_URL"), load.DEFAULT_URL), pool_size=5)
    app = Flask(__name__)

    def page(kind: str):
        rows = []
        with engine.connect() as connection:
            for statement, parameters in statements[kind]:
                rows.extend(connection.exec_driver_sql(statement, parameters).fetchall())
        return render_template_string(TEMPLATE, rows=rows)

    app.add_url_rule("/", "home", lambda: page("home"))
    app.add_url_rule("/consultations/<int:cid>", "consultation", lambda cid: page("consultation"))
    app.add_url_rule("/consultations/<int:cid>/propositions", "list", lambda cid: page("list"))
    app.add_url_rule("/propositions/<int:pid>", "proposal", lambda pid: page("proposal"))
    return app


def drive(port: int, first: dict, n: dict, clients: int, duration: float) -> tuple[int, list[float], int]:
    """(requests answered 200, latencies in ms, errors) of `clients` keep-alive visitors for `duration` s."""
    latencies: list[float] = []
    counts = {"ok": 0, "errors": 0}
    lock = threading.Lock()
    deadline = time.monotonic() + duration

    def visitor(seed: int) -> None:
        rng = random.Random(seed)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        kinds, weights = zip(*KINDS)
        mine, ok, errors = [], 0, 0
        while time.monotonic() < deadline:
            path = paths(first, n, rng)[rng.choices(kinds, weights)[0]]
            started = time.perf_counter()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                if response.status == 200:
                    ok += 1
                    mine.append((time.perf_counter() - started) * 1000)
                else:
                    errors += 1
            except (OSError, http.client.HTTPException):
                errors += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        with lock:
            latencies.extend(mine)
            counts["ok"] += ok
            counts["errors"] += errors

    threads = [threading.Thread(target=visitor, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return counts["ok"], latencies, counts["errors"]


def serve(target: str, environment: dict, args) -> tuple[subprocess.Popen, int]:
    port = load.free_port()
    command = load.gunicorn_command(target, port, args)
    log = open(ROOT / "bench" / ".floor-gunicorn.log", "a")
    server = subprocess.Popen(command, env=environment, stdout=log, stderr=subprocess.STDOUT)
    load.wait_until_up(port)
    return server, port


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--reuse", action="store_true", help="keep the dataset of a previous run")
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    url = database_url(os.environ.get("BENCH_DATABASE_URL"), load.DEFAULT_URL)
    n = load.sizes(args.scale)
    load.ensure_database(url)
    if args.reuse:
        engine = create_engine(url)
        with engine.connect() as connection:
            row = connection.execute(
                text(
                    'SELECT (SELECT min(id) FROM "user"), (SELECT min(id) FROM consultation), (SELECT min(id) FROM proposal)'
                )
            ).one()
        engine.dispose()
        first = dict(zip(("user", "consultation", "proposal"), row))
    else:
        print(f"building {n} ...", flush=True)
        first = load.build_dataset(url, n)
    environment = {
        **os.environ,
        "BENCH_DATABASE_URL": url,
        "BENCH_SECRET_KEY": secrets.token_hex(32),
        "PYTHONPATH": str(ROOT),
        "FLOOR_STATEMENTS": str(ROOT / "bench" / ".floor-statements.pickle"),
        # A worker that crashes in C (SIGSEGV) writes the Python stack of each of its threads to the log.
        "PYTHONFAULTHANDLER": "1",
    }
    os.environ.update({k: environment[k] for k in ("BENCH_DATABASE_URL", "BENCH_SECRET_KEY")})
    statement_counts = record_statements(first, n, Path(environment["FLOOR_STATEMENTS"]))
    print("statements per page:", statement_counts, flush=True)
    results = {}
    for name, target in (("product", "bench.load:bench_app()"), ("floor", "bench.floor:floor_app()")):
        server, port = serve(target, environment, args)
        try:
            drive(port, first, n, args.clients, min(5.0, args.duration))  # warm-up
            ok, latencies, errors = drive(port, first, n, args.clients, args.duration)
        finally:
            server.terminate()
            server.wait(30)
        latencies.sort()
        results[name] = {
            "rps": ok / args.duration,
            "p50": latencies[len(latencies) // 2] if latencies else float("nan"),
            "p99": latencies[int(len(latencies) * 0.99)] if latencies else float("nan"),
            "errors": errors,
        }
        print(name, results[name], flush=True)
    share = results["product"]["rps"] / results["floor"]["rps"]
    print(f"product / floor throughput: {share:.2f}", flush=True)
    if not args.no_record:
        lines = [
            "",
            f"## {datetime.now(UTC):%Y-%m-%d %H:%M} UTC — anonymous read mix against its floor, scale {args.scale:g}",
            "",
            f"- bench/floor.py: {args.clients} anonymous visitors (keep-alive, no cookies), {args.duration:g} s each "
            f"after a warm-up, gunicorn {args.workers} gthread workers × {args.threads} threads for both; "
            f"mix home 10, consultation 15, list 20, proposal 25; load average {os.getloadavg()[0]:.1f} at the end "
            "(other sessions share the 2 cores).",
            f"- The floor replays the product's own statements per page ({statement_counts}) with a one-line template.",
            "",
            "| server | req/s | p50 ms | p99 ms | errors |",
            "|---|---|---|---|---|",
            *(
                f"| {name} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} | {r['errors']} |"
                for name, r in results.items()
            ),
            "",
            f"Product at {share:.0%} of the floor's throughput (target: at least 50 %).",
            "",
        ]
        with open(ROOT / "bench" / "RESULTS.md", "a") as results_file:
            results_file.write("\n".join(lines))


if __name__ == "__main__":
    main()
