"""A support POST against its database floor (one UPDATE and a commit) and against the same POST in a
minimal Flask app, measured in the same run.

1. Builds (or reuses, --reuse) bench/load.py's dataset at --scale in PostgreSQL.
2. Serves, each under gunicorn with one worker and one thread so that one client measures one request at a
   time: the product (bench.load:bench_app(), rate limits off) and the framework floor
   (``framework_app()`` below): Flask with the same extensions for what every signed-in POST needs, the
   signed session cookie (Flask), the CSRF check (Flask-WTF), the person read by one query (Flask-Login,
   SQLAlchemy Core), then the product's support statement, a COMMIT, a flash and a redirect; no roles, no
   proposal read, no permission, no phase.
3. Signs in participants on each server; each gives supports to proposals of its home consultation that
   it has not supported yet (taken from the database), one POST at a time, answered 302.
4. After each pair of POSTs (the product's, then the framework floor's), the database floor: on its own
   connection (kept open, as a pool would), one ``UPDATE proposal SET support_count = support_count + 1``
   and a ``COMMIT``, the work no support can do without. The three are interleaved, so that the machine's
   load weighs on all alike.
5. Prints and records (bench/RESULTS.md) the medians and 90th percentiles and the ratios of the medians
   (target: the product within 4× of the database floor).

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

FRAMEWORK_PAGE = '<!doctype html><title>banc</title><form><input name="csrf_token" type="hidden" value="{{ token }}">'


def framework_app():
    """The framework floor of a support POST: what any Flask app pays for a signed-in, CSRF-checked vote.

    Flask's signed session cookie, Flask-WTF's CSRF check, Flask-Login's person read by one Core query (id and
    session version), the product's own support statement (PostgreSQL), a COMMIT, a flash and a redirect.
    Its sign-in and proposal pages only hand out a session and a CSRF token to bench/load.py's participants.
    """
    from flask import Flask, flash, g, redirect, render_template_string, request
    from flask_login import LoginManager, UserMixin, current_user, login_required, login_user
    from flask_wtf.csrf import CSRFProtect, generate_csrf

    from concertation.voting.services import _SUPPORT_IN_ONE_STATEMENT

    class Person(UserMixin):
        def __init__(self, person_id: int, session_version: int):
            self.id, self.session_version = person_id, session_version

        def get_id(self) -> str:
            return f"{self.id}-{self.session_version}"

    app = Flask(__name__)
    app.config["SECRET_KEY"] = os.environ["BENCH_SECRET_KEY"]
    engine = create_engine(database_url(os.environ.get("BENCH_DATABASE_URL"), load.DEFAULT_URL), pool_size=1)
    CSRFProtect(app)
    login_manager = LoginManager(app)
    person_by = 'SELECT id, session_version FROM "user" WHERE {} AND deleted_at IS NULL'

    def connection():
        """One connection and one transaction per request, as the product's session: BEGIN, the person, the
        support, COMMIT (four round trips; the product adds the proposal's read)."""
        if "connection" not in g:
            g.connection = engine.connect()
        return g.connection

    @app.teardown_request
    def release(_error) -> None:
        opened = g.pop("connection", None)
        if opened is not None:
            opened.close()

    @login_manager.user_loader
    def load_person(session_id: str):
        person_id, _, version = session_id.partition("-")
        row = connection().execute(text(person_by.format("id = :id")), {"id": int(person_id)}).one_or_none()
        return Person(*row) if row is not None and row[1] == int(version) else None

    @app.route("/compte/connexion", methods=["GET", "POST"])
    def sign_in():
        if request.method == "POST":
            row = connection().execute(text(person_by.format("email = :email")), {"email": request.form["email"]})
            login_user(Person(*row.one()))
            return redirect("/")
        return render_template_string(FRAMEWORK_PAGE, token=generate_csrf())

    @app.get("/")
    @app.get("/propositions/<int:proposal_id>")
    def page(proposal_id: int = 0):
        return render_template_string(FRAMEWORK_PAGE, token=generate_csrf())

    @app.post("/consultations/<int:consultation_id>/propositions/<int:proposal_id>/soutien")
    @login_required
    def support(consultation_id: int, proposal_id: int):
        values = {
            "proposal": proposal_id,
            "consultation": consultation_id,
            "person": current_user.id,
            "now": datetime.now(UTC),
            "limit": load.SUPPORT_LIMIT,
        }
        count, given, _used = connection().execute(_SUPPORT_IN_ONE_STATEMENT, values).one()
        connection().commit()
        if count is None or given is None:
            return "refusé", 409
        flash("Votre soutien est enregistré.", "success")
        return redirect(request.form.get("next") or "/")

    return app


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
    one = argparse.Namespace(workers=1, threads=1)
    log = open(ROOT / "bench" / ".support-floor-gunicorn.log", "a")
    servers = {}
    for name, target in (("product", "bench.load:bench_app()"), ("framework", "bench.support_floor:framework_app()")):
        port = load.free_port()
        command = load.gunicorn_command(target, port, one)
        servers[name] = (port, subprocess.Popen(command, env=environment, stdout=log, stderr=subprocess.STDOUT))
    times: dict[str, list[float]] = {"product": [], "framework": [], "floor": []}
    refused = {"product": 0, "framework": 0}
    people = (index for index in range(n["people"]) if not index % n["consultations"] % 4)  # votes open in 1 of 4

    def next_voter(name: str, most: int):
        """A participant signed in on `name`'s server, with the proposals it will support there."""
        port = servers[name][0]
        for index in people:
            participant = load.Participant(port, index, n, first)
            targets = not_yet_supported(url, participant, n, first, most)
            if targets:
                participant.sign_in()
                return participant, targets
        return None, []

    def post(name: str, participant: load.Participant, proposal: int) -> None:
        consultation = first["consultation"] + participant.index % n["consultations"]
        form = {"csrf_token": participant.token, "next": f"/propositions/{proposal}"}
        started = time.perf_counter()
        status, _page = participant.request(
            "POST", f"/consultations/{consultation}/propositions/{proposal}/soutien", form
        )
        elapsed = (time.perf_counter() - started) * 1000
        if status in (302, 303):
            times[name].append(elapsed)
        else:
            refused[name] += 1

    try:
        for port, _server in servers.values():
            load.wait_until_up(port)
        floor_engine = create_engine(url, pool_size=1)
        with floor_engine.connect() as connection:
            while len(times["floor"]) < args.rounds:
                most = args.rounds - len(times["floor"])
                product, product_targets = next_voter("product", most)
                framework, framework_targets = next_voter("framework", most)
                if product is None or framework is None:
                    break
                for product_target, framework_target in zip(product_targets, framework_targets):
                    post("product", product, product_target)
                    post("framework", framework, framework_target)
                    started = time.perf_counter()
                    connection.execute(
                        text("UPDATE proposal SET support_count = support_count + 1 WHERE id = :p"),
                        {"p": product_target},
                    )
                    connection.commit()
                    times["floor"].append((time.perf_counter() - started) * 1000)
        floor_engine.dispose()
    finally:
        for _port, server in servers.values():
            server.terminate()
            server.wait(30)
    if not times["product"] or not times["framework"]:
        sys.exit(f"supports refused ({refused}): see bench/.support-floor-gunicorn.log")
    median = {name: statistics.median(values) for name, values in times.items()}
    ratio = median["product"] / median["floor"]
    framework_ratio = median["framework"] / median["floor"]
    above_framework = median["product"] / median["framework"]
    rows = [
        ("support POST through the product (HTTP, gunicorn 1 worker)", times["product"]),
        ("framework floor: the same POST in a minimal Flask app (HTTP, gunicorn 1 worker)", times["framework"]),
        ("database floor: one UPDATE and a COMMIT", times["floor"]),
    ]
    for name, values in rows:
        print(f"{name}: median {statistics.median(values):.2f} ms, p90 {percentile(values, 0.9):.2f} ms", flush=True)
    print(
        f"the product at {ratio:.1f}× the database floor (target ≤ 4×), the framework floor at "
        f"{framework_ratio:.1f}×, the product at {above_framework:.2f}× the framework floor; refused: {refused}",
        flush=True,
    )
    if not args.no_record:
        lines = [
            "",
            f"## {datetime.now(UTC):%Y-%m-%d %H:%M} UTC — a support POST against its database floor, scale {args.scale:g}",
            "",
            f"- bench/support_floor.py: {len(times['product'])} supports through the product and "
            f"{len(times['framework'])} through the framework floor, one at a time, each pair followed by the "
            "database floor on its own connection (interleaved, so the machine's load weighs on all three); a new "
            "TCP connection per POST, as a browser without keep-alive; load average "
            f"{os.getloadavg()[0]:.1f} at the end.",
            "",
            "| | median ms | p90 ms |",
            "|---|---|---|",
            *(f"| {name} | {statistics.median(values):.2f} | {percentile(values, 0.9):.2f} |" for name, values in rows),
            "",
            f"The support POST takes {ratio:.1f}× its database floor (target: within 4×); the same POST in a minimal "
            f"Flask app takes {framework_ratio:.1f}×, and the product {above_framework:.2f}× that; refused: "
            f"{refused['product']} by the product, {refused['framework']} by the framework floor.",
            "",
        ]
        with open(ROOT / "bench" / "RESULTS.md", "a") as results_file:
            results_file.write("\n".join(lines))


if __name__ == "__main__":
    main()
