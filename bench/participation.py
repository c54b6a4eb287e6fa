"""Benchmark of participation on PostgreSQL: a support POST against a bare Flask route.

One command (from the repository root):

    python bench/participation.py [--scale 1.0] [--repeat 400]

It (re)builds, in the database named by BENCH_DATABASE_URL (default
postgresql+psycopg://postgres@127.0.0.1:5432/bench, created if missing; its
content is dropped), a consultation in its vote phase with 10,000 proposals and
1,000,000 supports given by 20,000 participants (times --scale), with bulk SQL
(generate_series). Then, through the Flask test client, in the same process and
run, it times many repetitions of:

- a bare GET route and a bare POST route (CSRF-checked) registered for the benchmark;
- one UPDATE and a commit behind the bare POST route: the floor of any vote;
- the support POST and its withdrawal (a signed-in participant with a limit of
  supports, on proposals that already have ~100 supports each);
- the vote results page (ranking of every proposal, first page shown);
- the proposals list page, when this branch has one (``proposals.index``);
- the majority-judgment ranking of 10,000 tallies (pure Python, no request).

Figures (median and 95th percentile, in milliseconds) are printed and written
to bench/RESULTS.md.
"""

import argparse
import os
import platform
import re
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from random import Random

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from bench.load import cpu_model  # noqa: E402
from concertation import create_app, phases  # noqa: E402
from concertation.extensions import db  # noqa: E402
from config import TestConfig, database_url  # noqa: E402

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/bench"
PASSWORD = "mot-de-passe-du-banc"
SUPPORTS_PER_PERSON = 50
LIMIT = SUPPORTS_PER_PERSON + 50
CSRF_INPUT = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def ensure_database(url: str) -> None:
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target.database})
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()


def bench_config(url: str):
    return type(
        "BenchConfig",
        (TestConfig,),
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            "RATELIMIT_ENABLED": False,
        },
    )


def build_dataset(proposals: int, people: int) -> dict:
    """Schema from the migrations, then the consultation and its votes in bulk SQL; returns ids."""
    from concertation.consultations.services import ConsultationData, create_consultation
    from concertation.territories.services import create_territory, grant_role
    from concertation.accounts.models import User

    with db.engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    upgrade()
    now = datetime.now(UTC)
    password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    territory = create_territory("Commune du banc", "commune", "commune-du-banc", None, [], None)
    organiser = User(
        email="organisatrice@banc.example",
        pseudonym="Organisatrice",
        password_hash=password_hash,
        confirmed_at=now,
        terms_accepted_at=now,
    )
    voter = User(
        email="votante@banc.example",
        pseudonym="Votante",
        password_hash=password_hash,
        confirmed_at=now,
        terms_accepted_at=now,
    )
    db.session.add_all([organiser, voter])
    db.session.flush()
    grant_role(territory, organiser, "organiser")
    consultation = create_consultation(
        organiser,
        territory,
        ConsultationData(
            title="Banc d’essai : l’IA dans nos services publics",
            summary="Une consultation de mesure.",
            description="",
            audience="public",
            voting_method="support",
            support_limit=LIMIT,
            supports_during_proposals=False,
            results_live=True,
            themes=["Formation"],
            phase_dates=phases.consecutive_phases("vote", now),
        ),
    )
    db.session.commit()
    ids = {"consultation": consultation.id, "voter": voter.id, "voter_email": voter.email}
    params = {
        "c": consultation.id,
        "a": organiser.id,
        "p": proposals,
        "u": people,
        "s": SUPPORTS_PER_PERSON,
        "h": password_hash,
        "now": now,
    }
    with db.engine.begin() as connection:
        # The data is consistent by construction: skip the foreign-key triggers while loading.
        connection.execute(text("SET session_replication_role = replica"))
        connection.execute(
            text("""
            INSERT INTO "user" (email, pseudonym, password_hash, confirmed_at, terms_accepted_at,
                                is_admin, is_editor, created_at, updated_at)
            SELECT 'personne' || n || '@banc.example', 'Personne ' || n, :h, :now, :now, false, false, :now, :now
            FROM generate_series(1, :u) AS n"""),
            params,
        )
        connection.execute(
            text("""
            INSERT INTO proposal (consultation_id, author_id, title, search_text, body, body_html,
                                  support_count, comment_count, answer_text, answer_html, moderation,
                                  created_at, updated_at)
            SELECT :c, :a, 'Proposition ' || n || ' : former les agents à l’IA',
                   'proposition ' || n || ' former les agents a l''ia',
                   'Former les agents avant de déployer un outil.',
                   '<p>Former les agents avant de déployer un outil.</p>',
                   0, 0, '', '', 'visible', :now - (n || ' seconds')::interval, :now
            FROM generate_series(1, :p) AS n"""),
            params,
        )
        bounds = connection.execute(
            text("SELECT min(id), max(id) FROM proposal WHERE consultation_id = :c"), params
        ).one()
        people_ids = connection.execute(
            text("SELECT min(id) FROM \"user\" WHERE email LIKE 'personne%@banc.example'")
        ).scalar_one()
        params["people_first"] = people_ids
        # Person k supports S consecutive proposals starting at (k * S) mod P: one support per pair.
        connection.execute(
            text("""
            INSERT INTO support (proposal_id, consultation_id, user_id, created_at)
            SELECT :first + ((k * :s + j) % :p), :c, :people + k, :now
            FROM generate_series(0, :u - 1) AS k, generate_series(0, :s - 1) AS j"""),
            {**params, "first": bounds[0], "people": people_ids},
        )
        connection.execute(
            text("""
            INSERT INTO support_quota (consultation_id, user_id, used)
            SELECT :c, user_id, count(*) FROM support WHERE consultation_id = :c GROUP BY user_id"""),
            params,
        )
        connection.execute(
            text("""
            UPDATE proposal SET support_count = counted.n
            FROM (SELECT proposal_id, count(*) AS n FROM support WHERE consultation_id = :c GROUP BY proposal_id)
                 AS counted
            WHERE proposal.id = counted.proposal_id"""),
            params,
        )
        connection.execute(text("SET session_replication_role = DEFAULT"))
    ids["first_proposal"], ids["last_proposal"] = bounds
    ids.update(build_comparisons(consultation, organiser, now, params, bounds))
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))
    return ids


def build_comparisons(consultation, organiser, now, params, bounds) -> dict:
    """What the large consultation is compared with, in the same run: a consultation of 100 proposals
    (same territory, theme and text), and two proposals of the large one with 5,000 and 10 comments."""
    from concertation.consultations.services import ConsultationData, create_consultation

    small = create_consultation(
        organiser,
        consultation.territory,
        ConsultationData(
            title="Banc d’essai : cent propositions",
            summary="La consultation de comparaison.",
            description="",
            audience="public",
            voting_method="support",
            support_limit=LIMIT,
            supports_during_proposals=False,
            results_live=True,
            themes=["Formation"],
            phase_dates=phases.consecutive_phases("vote", now),
        ),
    )
    db.session.commit()
    theme_of = {
        c: db.session.scalar(text("SELECT id FROM theme WHERE consultation_id = :c"), {"c": c})
        for c in (consultation.id, small.id)
    }
    busy, quiet = bounds[0], bounds[0] + 1
    with db.engine.begin() as connection:
        connection.execute(text("SET session_replication_role = replica"))
        connection.execute(
            text("""
            INSERT INTO proposal (consultation_id, author_id, title, search_text, body, body_html,
                                  support_count, comment_count, answer_text, answer_html, moderation,
                                  created_at, updated_at)
            SELECT :c, :a, title, search_text, body, body_html, support_count, 0, '', '', 'visible',
                   created_at, updated_at
            FROM proposal WHERE consultation_id = :big ORDER BY id LIMIT 100"""),
            {"c": small.id, "a": organiser.id, "big": consultation.id},
        )
        # Every third proposal in the theme, in both consultations: the filtered list keeps a third.
        for consultation_id, theme_id in theme_of.items():
            connection.execute(
                text("UPDATE proposal SET theme_id = :t WHERE consultation_id = :c AND id % 3 = 0"),
                {"t": theme_id, "c": consultation_id},
            )
        # 5,000 comments on one proposal (1,000 threads of a comment and four replies), 10 on another.
        for proposal_id, roots in ((busy, 1000), (quiet, 2)):
            connection.execute(
                text("""
                INSERT INTO comment (consultation_id, proposal_id, author_id, depth, body, body_html,
                                     moderation, created_at, updated_at)
                SELECT :c, :p, :people + n, 1, 'Un avis argumenté numéro ' || n,
                       '<p>Un avis argumenté numéro ' || n || '</p>', 'visible',
                       :now - (n || ' minutes')::interval, :now
                FROM generate_series(1, :roots) AS n"""),
                {"c": consultation.id, "p": proposal_id, "roots": roots, "now": now, "people": params["people_first"]},
            )
            connection.execute(
                text("""
                INSERT INTO comment (consultation_id, proposal_id, author_id, parent_id, root_id, depth, body,
                                     body_html, moderation, created_at, updated_at)
                SELECT root.consultation_id, root.proposal_id, root.author_id + j, root.id, root.id, 2,
                       'Une réponse ' || j, '<p>Une réponse ' || j || '</p>', 'visible',
                       root.created_at + (j || ' seconds')::interval, :now
                FROM comment AS root, generate_series(1, 4) AS j
                WHERE root.proposal_id = :p AND root.depth = 1"""),
                {"p": proposal_id, "now": now},
            )
            connection.execute(
                text("""
                UPDATE proposal SET comment_count = (SELECT count(*) FROM comment WHERE proposal_id = :p)
                WHERE id = :p"""),
                {"p": proposal_id},
            )
        connection.execute(text("SET session_replication_role = DEFAULT"))
    return {
        "small_consultation": small.id,
        "theme": theme_of[consultation.id],
        "small_theme": theme_of[small.id],
        "busy_proposal": busy,
        "quiet_proposal": quiet,
    }


def timed(client, repeat: int, request) -> list[float]:
    """Milliseconds of `repeat` calls of request(client, i), after a few unmeasured ones."""
    for i in range(5):
        request(client, -1 - i)
    samples = []
    for i in range(repeat):
        start = time.perf_counter()
        response = request(client, i)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code < 400, (response.status_code, response.get_data(as_text=True)[:500])
    return samples


def summary(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(round(0.95 * len(ordered))) - 1)]


def machine_note(url: str) -> str:
    cpu = cpu_model()
    with db.engine.connect() as connection:
        server = connection.scalar(text("SHOW server_version"))
    return (
        f"{platform.system()} {platform.release()}, {os.cpu_count()} CPU ({cpu}), Python "
        f"{platform.python_version()}, PostgreSQL {server} on {make_url(url).host}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 10,000 proposals, 1,000,000 supports")
    parser.add_argument("--repeat", type=int, default=400, help="measured requests per figure")
    parser.add_argument("--output", default=str(ROOT / "bench" / "RESULTS.md"))
    args = parser.parse_args()
    url = database_url(os.environ.get("BENCH_DATABASE_URL"), DEFAULT_URL)
    proposals = max(100, int(10_000 * args.scale))
    people = max(10, int(1_000_000 * args.scale) // SUPPORTS_PER_PERSON)
    ensure_database(url)
    app = create_app(bench_config(url))

    @app.get("/bench/bare")
    def bare_get():
        return "ok"

    @app.post("/bench/bare")
    def bare_post():
        return "ok"

    @app.post("/bench/write")
    def one_write():
        # The floor of any vote: one UPDATE and a durable commit (fsync) on the same database.
        db.session.execute(
            text("UPDATE consultation SET updated_at = updated_at WHERE id = :c"), {"c": ids["consultation"]}
        )
        db.session.commit()
        return "ok"

    figures: list[tuple[str, list[float]]] = []
    ids: dict = {}
    with app.app_context():
        started = time.perf_counter()
        ids.update(build_dataset(proposals, people))
        build_seconds = time.perf_counter() - started
        with db.engine.connect() as connection:
            counts = connection.execute(
                text("SELECT (SELECT count(*) FROM proposal), (SELECT count(*) FROM support)")
            ).one()
        print(f"dataset: {counts[0]:,} proposals, {counts[1]:,} supports, built in {build_seconds:.0f} s")
        note = machine_note(url)
        db.session.remove()

    client = app.test_client()

    def csrf_token() -> str:
        return CSRF_INPUT.search(client.get("/conditions-d-utilisation").get_data(as_text=True)).group(1)

    response = client.post(
        "/compte/connexion", data={"email": ids["voter_email"], "password": PASSWORD, "csrf_token": csrf_token()}
    )
    assert response.status_code == 302, "sign-in failed"
    token = csrf_token()
    consultation = ids["consultation"]
    first, last = ids["first_proposal"], ids["last_proposal"]
    rng = Random(7)
    # Distinct proposals, spread over the whole consultation, supported then the support taken back.
    chosen = rng.sample(range(first, last + 1), k=min(args.repeat + 10, last - first + 1))

    def proposal_for(i):
        return chosen[i % len(chosen)]

    base = f"/consultations/{consultation}/propositions"
    form = {"csrf_token": token}
    figures.append(("bare GET route", timed(client, args.repeat, lambda c, i: c.get("/bench/bare"))))
    figures.append(
        ("bare POST route (CSRF checked)", timed(client, args.repeat, lambda c, i: c.post("/bench/bare", data=form)))
    )
    figures.append(
        (
            "bare POST + one UPDATE and commit (database floor)",
            timed(client, args.repeat, lambda c, i: c.post("/bench/write", data=form)),
        )
    )
    support_samples, withdraw_samples = [], []
    for i in range(-5, args.repeat):
        pid = proposal_for(i)
        start = time.perf_counter()
        answer = client.post(f"{base}/{pid}/soutien", data={**form, "next": "/"})
        middle = time.perf_counter()
        taken_back = client.post(f"{base}/{pid}/soutien/retrait", data={**form, "next": "/"})
        end = time.perf_counter()
        assert answer.status_code == 302 and taken_back.status_code == 302, answer.get_data(as_text=True)[:300]
        if i >= 0:
            support_samples.append((middle - start) * 1000)
            withdraw_samples.append((end - middle) * 1000)
    figures.append(("support POST (redirect)", support_samples))
    figures.append(("support withdrawal POST", withdraw_samples))

    def json_support(c, i):
        pid = proposal_for(i)
        answer = c.post(f"{base}/{pid}/soutien", data=form, headers={"Accept": "application/json"})
        c.post(f"{base}/{pid}/soutien/retrait", data=form, headers={"Accept": "application/json"})
        return answer

    samples = timed(client, args.repeat, json_support)
    figures.append(("support POST + withdrawal POST (JSON)", samples))
    results_repeat = max(20, args.repeat // 10)
    figures.append(
        (
            f"results page ({proposals:,} proposals ranked)",
            timed(client, results_repeat, lambda c, i: c.get(f"/consultations/{consultation}/resultats")),
        )
    )
    small = ids["small_consultation"]
    pages = max(20, args.repeat // 4)
    for label, query in (
        ("first page", ""),
        ("filtered by theme", "?theme={theme}"),
        ("searched", "?q=former+agents"),
        ("sorted by supports", "?sort=supports"),
    ):
        for size, cid, theme in ((proposals, consultation, ids["theme"]), (100, small, ids["small_theme"])):
            url = f"/consultations/{cid}/propositions" + query.format(theme=theme)
            figures.append(
                (f"proposals list, {label}, {size:,} proposals", timed(client, pages, lambda c, i, url=url: c.get(url)))
            )
    for count, pid in ((5000, ids["busy_proposal"]), (10, ids["quiet_proposal"])):
        figures.append(
            (
                f"proposal page with {count:,} comments",
                timed(client, pages, lambda c, i, pid=pid: c.get(f"/propositions/{pid}")),
            )
        )

    from concertation.voting.majority_judgment import rank

    tallies = {i: [rng.randint(0, 40) for _ in range(6)] for i in range(10_000)}
    rank_samples = []
    for _ in range(5):
        start = time.perf_counter()
        rank(tallies)
        rank_samples.append((time.perf_counter() - start) * 1000)
    figures.append(("majority-judgment ranking of 10,000 tallies (pure Python)", rank_samples))
    note += f"; load average during the run {os.getloadavg()[0]:.1f}"
    write_results(args, note, counts, build_seconds, figures)


def write_results(args, note, counts, build_seconds, figures) -> None:
    bare = summary(figures[1][1])[0]
    floor = summary(figures[2][1])[0]
    lines = [
        "",
        f"## Participation — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"Run on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `python bench/participation.py --scale {args.scale:g} "
        f"--repeat {args.repeat}` (or `make bench`).",
        "",
        f"- Machine: {note}.",
        f"- Dataset: {counts[0]:,} proposals, {counts[1]:,} supports in one consultation "
        f"(built in {build_seconds:.0f} s with generate_series).",
        "- Times are server times through the Flask test client in the same process (no network), in ms.",
        "",
        "| measure | runs | median (ms) | p95 (ms) | median ÷ bare POST | median ÷ database floor |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    print(f"{'measure':60} {'median':>9} {'p95':>9}  ÷bare  ÷floor")
    for name, samples in figures:
        median, p95 = summary(samples)
        ratios = ("", "") if "pure Python" in name else (f"{median / bare:.1f}×", f"{median / floor:.1f}×")
        lines.append(f"| {name} | {len(samples)} | {median:.2f} | {p95:.2f} | {ratios[0]} | {ratios[1]} |")
        print(f"{name:60} {median:9.2f} {p95:9.2f}  {ratios[0]:>6} {ratios[1]:>6}")
    lines += [
        "",
        "Reading the figures: a support POST signs the person in from the session (2 queries), loads the",
        "proposal with its consultation and phases (2), moves the count, inserts the support in a savepoint",
        "and takes the quota (5 statements), reads what is left (1), then commits durably. The bare routes",
        "touch no database; the database floor is one UPDATE and a commit, which no vote can go under.",
        "",
    ]
    comparisons = []
    by_name = {name: summary(samples)[0] for name, samples in figures}
    for label in ("first page", "filtered by theme", "searched", "sorted by supports"):
        big = next(
            v
            for k, v in by_name.items()
            if k.startswith(f"proposals list, {label}") and not k.endswith(" 100 proposals")
        )
        small = by_name[f"proposals list, {label}, 100 proposals"]
        comparisons.append(f"- list page, {label}: {big / small:.2f}× its time at 100 proposals (target: within 3×)")
    comparisons.append(
        f"- support POST: {by_name['support POST (redirect)'] / bare:.0f}× the bare POST route "
        f"(target: within 5×) and {by_name['support POST (redirect)'] / floor:.1f}× the database floor"
    )
    comparisons.append(
        f"- proposal page: {by_name['proposal page with 5,000 comments'] / by_name['proposal page with 10 comments']:.2f}× "
        "with 5,000 comments as with 10"
    )
    lines += ["Against the targets (medians):", "", *comparisons, ""]
    print("\n".join(comparisons))
    with open(args.output, "a", encoding="utf-8") as results:
        results.write("\n".join(lines))
    print(f"written to {args.output}")


if __name__ == "__main__":
    main()
