"""Where a support POST's time goes: in-process, on bench/load.py's PostgreSQL dataset.

Run bench/support_floor.py once first (it builds the dataset at --scale), then:

    .venv/bin/python bench/support_profile.py --scale 0.01 --rounds 200
    .venv/bin/python bench/support_profile.py --scale 0.01 --rounds 200 --cprofile 40   # + the 40 costliest functions

Signed-in participants give supports one at a time through the Flask test client (no HTTP server, no
client): the script times the whole request, the statements the database received (each one's time from
the driver's call to its answer, round trip included) and the parts of the request pipeline it can wrap
(session open and save, the signed-in person's loading, the CSRF check, the view, the commit), and prints
the medians. Nothing is recorded in RESULTS.md: the figures are for reading.
"""

import argparse
import cProfile
import os
import pstats
import re
import secrets
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
from bench.support_floor import first_ids, not_yet_supported  # noqa: E402
from config import database_url  # noqa: E402

BASE = "http://127.0.0.1"  # the bench's PUBLIC_URL: other hosts get a 400
CSRF_INPUT = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def in_process_app(scale: float):
    """bench/load.py's app on its PostgreSQL dataset, for measures in-process: (app, url, sizes, first ids)."""
    url = database_url(os.environ.get("BENCH_DATABASE_URL"), load.DEFAULT_URL)
    os.environ["BENCH_DATABASE_URL"] = url
    os.environ.setdefault("BENCH_SECRET_KEY", secrets.token_hex(32))
    n = load.sizes(scale)
    return load.bench_app(), url, n, first_ids(url)


def sign_in(client, participant: load.Participant) -> None:
    """Sign a bench participant in through the Flask test client, as the sign-in form does."""
    page = client.get("/compte/connexion", base_url=BASE).get_data(as_text=True)
    token = CSRF_INPUT.search(page).group(1)
    answer = client.post(
        "/compte/connexion",
        data={"email": participant.email, "password": load.PASSWORD, "csrf_token": token},
        base_url=BASE,
    )
    assert answer.status_code == 302, answer.status_code


class Timers:
    """Wall time spent inside wrapped callables, per request (nested parts are counted in each)."""

    def __init__(self):
        self.current: dict[str, float] = defaultdict(float)
        self.rows: list[dict[str, float]] = []

    def wrap(self, name: str, function):
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.current[name] += (time.perf_counter() - started) * 1000

        return timed

    def next_request(self) -> None:
        self.rows.append(dict(self.current))
        self.current.clear()


def instrument(app, timers: Timers) -> None:
    from flask_login import utils as login_utils

    from concertation.extensions import csrf, db, login_manager

    interface = app.session_interface
    interface.open_session = timers.wrap("session: open", interface.open_session)  # type: ignore[method-assign]
    interface.save_session = timers.wrap("session: save", interface.save_session)  # type: ignore[method-assign]
    login_manager._load_user = timers.wrap("the person and roles (Flask-Login)", login_manager._load_user)
    login_utils._get_user = timers.wrap("current_user (first access loads)", login_utils._get_user)
    csrf.protect = timers.wrap("CSRF check (before the view)", csrf.protect)
    app.view_functions["voting.support"] = timers.wrap(
        "the view (decorators and all)", app.view_functions["voting.support"]
    )
    session_class = db.session.session_factory.class_
    session_class.commit = timers.wrap("commit (incl. after_commit hooks)", session_class.commit)
    app.full_dispatch_request = timers.wrap("full dispatch (hooks + view)", app.full_dispatch_request)

    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "before_cursor_execute")
    def _before(conn, cursor, statement, parameters, context, executemany):
        conn.info["started"] = time.perf_counter()

    @event.listens_for(engine, "after_cursor_execute")
    def _after(conn, cursor, statement, parameters, context, executemany):
        took = (time.perf_counter() - conn.info.pop("started")) * 1000
        timers.current["SQL: time in statements"] += took
        timers.current["SQL: statements"] += 1
        key = " ".join(statement.split())[:110]
        seen.setdefault(key, 0)
        seen[key] += 1
        per_statement[key].append(took)

    @event.listens_for(engine, "checkout")
    def _checkout(dbapi_connection, record, proxy):
        timers.current["pool checkouts"] += 1


seen: dict[str, int] = {}
per_statement: dict[str, list[float]] = defaultdict(list)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=0.01)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--cprofile", type=int, default=0, help="print the N costliest functions (cumulative)")
    parser.add_argument("--dump", help="write the profile to this file (pstats)")
    parser.add_argument("--statements", action="store_true", help="print the statements of the last POST")
    args = parser.parse_args()
    app, url, n, first = in_process_app(args.scale)
    timers = Timers()
    instrument(app, timers)
    totals: list[float] = []
    profile = cProfile.Profile() if args.cprofile else None
    index = 0
    warmed = False
    while len(totals) < args.rounds and index < n["people"]:
        participant = load.Participant(0, index, n, first)
        index += 1
        if participant.index % n["consultations"] % 4:
            continue
        targets = not_yet_supported(url, participant, n, first, args.rounds - len(totals) + 5)
        if not targets:
            continue
        client = app.test_client()
        sign_in(client, participant)
        page = client.get(f"/propositions/{participant.home_first_proposal}", base_url=BASE).get_data(as_text=True)
        token = CSRF_INPUT.search(page).group(1)
        consultation = first["consultation"] + participant.index % n["consultations"]
        for proposal in targets:
            url_path = f"/consultations/{consultation}/propositions/{proposal}/soutien"
            form = {"csrf_token": token, "next": f"/propositions/{proposal}"}
            if not warmed:  # the first request of a process pays imports and caches
                warmed = True
            timers.current.clear()
            seen.clear()
            if profile:
                profile.enable()
            cpu = time.process_time()
            started = time.perf_counter()
            answer = client.post(url_path, data=form, headers={"Accept": "text/html"}, base_url=BASE)
            elapsed = (time.perf_counter() - started) * 1000
            cpu = (time.process_time() - cpu) * 1000
            if profile:
                profile.disable()
            if answer.status_code != 302:
                print("refused:", answer.status_code, answer.get_data(as_text=True)[:200])
                continue
            timers.current["whole request (test client)"] = elapsed
            timers.current["CPU time of this process during the request"] = cpu
            timers.next_request()
            totals.append(elapsed)
            if len(totals) >= args.rounds:
                break
    rows = timers.rows[5:]  # the first requests warm the caches
    names = sorted({name for row in rows for name in row}, key=lambda k: -statistics.median(r.get(k, 0) for r in rows))
    print(f"{len(rows)} support POSTs in-process (PostgreSQL {url.rsplit('/', 1)[-1]}), medians:")
    for name in names:
        print(f"  {statistics.median(r.get(name, 0) for r in rows):8.2f}  {name}")
    if args.statements:
        print("statements of the last POST:")
        for statement, count in seen.items():
            print(f"  {count} × median {statistics.median(per_statement[statement]):6.2f} ms  {statement}")
    if profile:
        if args.dump:
            profile.dump_stats(args.dump)
        stats = pstats.Stats(profile)
        stats.sort_stats("cumulative").print_stats(args.cprofile)
        stats.sort_stats("tottime").print_stats(args.cprofile)


if __name__ == "__main__":
    main()
