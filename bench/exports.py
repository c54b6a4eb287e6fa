"""Benchmark: open-data exports of a large consultation on PostgreSQL, and the synthesis aid's grouping.

    python bench/exports.py [--scale 1.0] [--database-url URL]

Loads (with generate_series) a consultation of 10,000 proposals / 100,000
supports, then one of 100,000 proposals / 1,000,000 supports (times --scale),
exports each as CSV and JSON in a fresh subprocess (time, peak resident memory
and its growth over the process's baseline), groups 10,000 generated French
proposals, and appends the figures to bench/RESULTS.md.
"""

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/bench_exports"
USERS = 20_000


def make_app(url: str):
    from concertation import create_app
    from config import TestConfig

    return create_app(type("BenchConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url}))


def ensure_database(url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    target = make_url(url)
    engine = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        exists = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target.database}
        ).scalar()
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    engine.dispose()


def load(url: str, proposals: int, supports_per_proposal: int) -> None:
    """A fresh schema (from the migrations) and one consultation bulk-loaded in SQL."""
    from flask_migrate import upgrade
    from sqlalchemy import text
    from concertation.extensions import db

    app = make_app(url)
    with app.app_context():
        with db.engine.begin() as c:
            c.execute(text("DROP SCHEMA public CASCADE"))
            c.execute(text("CREATE SCHEMA public"))
        upgrade()
        statements = [
            "INSERT INTO territory (id, name, kind, slug, description, created_at, updated_at) "
            "VALUES (1, 'Commune de Banc-d’Essai', 'commune', 'banc-d-essai', '', now(), now())",
            f'INSERT INTO "user" (id, email, pseudonym, is_admin, is_editor, created_at, updated_at) '
            f"SELECT i, 'personne' || i || '@exemple.org', 'Personne ' || i, false, false, now(), now() "
            f"FROM generate_series(1, {USERS}) AS i",
            "INSERT INTO consultation (id, territory_id, slug, title, summary, description, description_html, "
            "audience, voting_method, supports_during_proposals, results_live, created_at, updated_at) VALUES "
            "(1, 1, 'banc', 'Consultation de banc d’essai', 'Mesures', '', '', 'public', 'support', false, false, "
            "now(), now())",
            "INSERT INTO theme (id, consultation_id, name, position) SELECT i, 1, 'Thème ' || i, i "
            "FROM generate_series(1, 5) AS i",
            f"INSERT INTO proposal (id, consultation_id, author_id, theme_id, title, search_text, body, body_html, "
            f"support_count, comment_count, answer, answer_text, answer_html, moderation, created_at, updated_at) "
            f"SELECT i, 1, 1 + i % {USERS}, 1 + i % 5, 'Proposition n° ' || i || ', « former » les agents', '', "
            f"'Texte de la proposition ' || i || E' : former, équiper ; \"citer\".\\nDeuxième ligne.', '', "
            f"{supports_per_proposal}, 0, CASE WHEN i % 10 = 0 THEN 'retained' END, '', '', 'visible', "
            f"now() - (i % 60) * interval '1 day', now() FROM generate_series(1, {proposals}) AS i",
            f"INSERT INTO support (proposal_id, consultation_id, user_id, created_at) "
            f"SELECT p, 1, 1 + ((p * 7 + j * 1000) % {USERS}), now() - (j % 30) * interval '1 day' "
            f"FROM generate_series(1, {proposals}) AS p, generate_series(0, {supports_per_proposal - 1}) AS j",
            f"INSERT INTO comment (consultation_id, proposal_id, author_id, depth, body, body_html, moderation, "
            f"created_at, updated_at) SELECT 1, 1 + i % {proposals}, 1 + i % {USERS}, 1, '=SOMME(A1:A9) ' || i, '', "
            f"'visible', now(), now() FROM generate_series(1, {proposals // 2}) AS i",
        ]
        with db.engine.begin() as c:
            for statement in statements:
                c.execute(text(statement))
            for table in ("user", "territory", "consultation", "theme", "proposal", "comment"):
                c.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), (SELECT max(id) FROM \"{table}\"))"
                    )
                )
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.execute(text("VACUUM ANALYZE"))
        db.engine.dispose()


def child(url: str, dataset: str, fmt: str) -> None:
    """Run in a fresh process: export one dataset, print its size, time and memory as JSON."""
    from concertation.consultations.models import Consultation
    from concertation.extensions import db
    from concertation.synthesis.exports import csv_json

    app = make_app(url)
    with app.test_request_context():
        consultation = db.session.get(Consultation, 1)
        consultation.territory  # noqa: B018  (loaded before the baseline is taken)
        baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        counted = [0]

        def counting(rows):
            for row in rows:
                counted[0] += 1
                yield row

        columns, rows = csv_json.columns_of(dataset), counting(csv_json.rows_of(consultation, dataset))
        chunks = (
            csv_json.stream_csv(columns, rows)
            if fmt == "csv"
            else csv_json.stream_json(csv_json.metadata(consultation, dataset), columns, rows)
        )
        size = 0
        for chunk in chunks:
            size += len(chunk)
        elapsed = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "bytes": size,
                "rows": counted[0],
                "seconds": round(elapsed, 2),
                "peak_mb": round(peak / 1024, 1),
                "growth_mb": round((peak - baseline) / 1024, 1),
            }
        )
    )


def measure(url: str, dataset: str, fmt: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", dataset, fmt, "--database-url", url],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


SUBJECTS = [
    "former les agents à l’IA",
    "protéger les données personnelles des usagers",
    "un registre public des algorithmes",
    "l’accueil de la mairie avec un assistant",
    "la sobriété énergétique des serveurs",
    "des ateliers de médiation numérique en médiathèque",
    "l’éducation critique des collégiens",
    "un contrôle humain des décisions",
    "un hébergement souverain des données",
    "l’accessibilité des démarches en ligne",
    "la traduction automatique pour les nouveaux arrivants",
    "le transport à la demande",
    "la détection des fuites d’eau",
    "la gestion des déchets",
    "les menus de la cantine scolaire",
    "l’entretien des routes",
    "la lutte contre la fraude",
    "les horaires des piscines",
]
OPENINGS = [
    "Je propose",
    "Il faudrait",
    "Nous demandons",
    "Pourquoi ne pas prévoir",
    "La commune devrait soutenir",
    "Il est urgent de penser à",
    "Priorité à",
]
DETAILS = [
    "avec les associations du quartier",
    "en commençant par un test de six mois",
    "avec un budget voté en conseil",
    "en associant les agents concernés",
    "avec une évaluation publique",
    "pour les personnes âgées",
    "dans chaque école",
    "avec une charte éthique",
    "en toute transparence",
    "sans collecter de données",
]


def grouping_bench(count: int) -> dict:
    from concertation.synthesis.grouping import group_texts

    rng = random.Random(5)
    items = []
    for i in range(count):
        subject = rng.choice(SUBJECTS)
        body = (
            f"{rng.choice(OPENINGS)} {subject} {rng.choice(DETAILS)}. {rng.choice(OPENINGS)} "
            f"{rng.choice(SUBJECTS)} {rng.choice(DETAILS)}."
        )
        items.append((i + 1, f"{subject.capitalize()} ({i})", body))
    started = time.perf_counter()
    aid = group_texts(items)
    return {
        "proposals": count,
        "seconds": round(time.perf_counter() - started, 2),
        "groups": len(aid.groups),
        "grouped": aid.grouped_count,
        "duplicates": len(aid.duplicates),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="Multiplie les volumes (0.1 pour un essai rapide).")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--child", nargs=2, metavar=("DATASET", "FORMAT"), help=argparse.SUPPRESS)
    parser.add_argument("--no-record", action="store_true", help="N’ajoute pas les résultats à bench/RESULTS.md.")
    args = parser.parse_args()
    if args.child:
        child(args.database_url, *args.child)
        return
    ensure_database(args.database_url)
    lines = [
        f"\n## {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC — scale {args.scale}, "
        f"{os.cpu_count()} CPU, Python {platform.python_version()}\n",
        "| proposals | supports | dataset | format | rows | MB written | seconds | peak RSS MB | growth MB |",
        "|---:|---:|---|---|---:|---:|---:|---:|---:|",
    ]
    for proposals in (int(10_000 * args.scale), int(100_000 * args.scale)):
        started = time.perf_counter()
        load(args.database_url, proposals, 10)
        print(
            f"loaded {proposals} proposals, {proposals * 10} supports in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        for dataset, fmt in (("propositions", "csv"), ("propositions", "json"), ("commentaires", "csv")):
            r = measure(args.database_url, dataset, fmt)
            line = (
                f"| {proposals:,} | {proposals * 10:,} | {dataset} | {fmt} | {r['rows']:,} | {r['bytes'] / 1e6:.1f} "
                f"| {r['seconds']} | {r['peak_mb']} | {r['growth_mb']} |"
            ).replace(",", " ")
            print(line, flush=True)
            lines.append(line)
    g = grouping_bench(int(10_000 * max(args.scale, 0.1)))
    summary = (
        f"\nGrouping (synthesis aid) of {g['proposals']:_} generated proposals: {g['seconds']} s; "
        f"{g['groups']} groups covering {g['grouped']:_} proposals; {g['duplicates']} likely duplicates "
        f"listed.\n"
    ).replace("_", " ")
    print(summary)
    lines.append(summary)
    if not args.no_record:
        with open(ROOT / "bench" / "RESULTS.md", "a", encoding="utf-8") as results:
            results.write("\n".join(lines))


if __name__ == "__main__":
    main()
