"""Majority-judgment results at 10,000 proposals: the results page against the list page, cache off and on.

    python bench/results_cache.py [--proposals 10000] [--judges 10] [--rounds 20]

Builds the schema of BENCH_DATABASE_URL (default: PostgreSQL database bench_speed_results, DROPPED
and rebuilt) from the migrations, one majority-judgment consultation in its vote phase with live
results, N proposals and `judges` grades each, then times (median of `rounds`, Flask test client,
anonymous, page cache off so that the results cache alone is measured) the list page and the
results page, with RESULTS_CACHE_SECONDS=0 (every view ranks) and with the cache (one rank per change).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade
from sqlalchemy import text

from config import TestConfig
from concertation import create_app
from concertation.extensions import db

URL = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/bench_speed_results")


def median_ms(client, url: str, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return 1000 * statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--proposals", type=int, default=10_000)
    parser.add_argument("--judges", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--comments", type=int, default=5_000)
    parser.add_argument("--other-comments", type=int, default=20_000)
    args = parser.parse_args()
    config = type(
        "Bench", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": URL, "PAGE_CACHE_SECONDS": 0, "SERVER_NAME": "localhost"}
    )
    app = create_app(config)
    with app.app_context():
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        upgrade()
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        from tests.factories import make_consultation

        consultation = make_consultation("vote", voting_method="majority", results_live=True)
        from tests.factories import make_user
        from concertation.proposals.models import Proposal

        cid = consultation.id
        judges = [make_user().id for _ in range(args.judges)]
        author = judges[0]
        db.session.add_all(
            Proposal(
                consultation_id=cid,
                author_id=author,
                title=f"Proposition {n}",
                body="",
                body_html="",
                search_text="proposition",
            )
            for n in range(args.proposals)
        )
        db.session.commit()
        db.session.execute(
            text(
                "INSERT INTO grade (proposal_id, consultation_id, user_id, mention, created_at, updated_at) "
                "SELECT p.id, :c, u.id, (p.id * 7 + u.id * 3) % 6, now(), now() FROM proposal p "
                "CROSS JOIN (SELECT unnest(CAST(:j AS integer[])) AS id) u WHERE p.consultation_id = :c"
            ),
            {"c": cid, "j": judges},
        )
        db.session.commit()
        db.session.execute(text("ANALYZE"))
        db.session.commit()  # statistics gathered in a transaction are lost if it rolls back
        client = app.test_client()
        list_url = f"/consultations/{cid}/propositions"
        results_url = f"/consultations/{cid}/resultats"
        rows = []
        for label, seconds in (
            ("sans cache (calcul à chaque vue)", 0),
            ("avec cache (calcul une fois par changement)", 60),
        ):
            app.config["RESULTS_CACHE_SECONDS"] = seconds
            if seconds == 0:
                app.config["CACHE_ENABLED"] = False
            else:
                app.config["CACHE_ENABLED"] = True
            listing = median_ms(client, list_url, args.rounds)
            ranked = median_ms(client, results_url, args.rounds)
            rows.append((label, listing, ranked))
        print(f"{args.proposals} propositions, {args.judges} juges chacune, médianes de {args.rounds} vues")
        for label, listing, ranked in rows:
            print(f"| {label} | {listing:.0f} ms | {ranked:.0f} ms | {ranked / listing:.2f}× |")
        # A proposal with `--comments` top-level comments (each with one reply) against one with 10, among
        # `--other-comments` comments on other proposals (the replies query must not scan them).
        from concertation.comments.models import Comment

        ids = [
            row[0]
            for row in db.session.execute(
                text("SELECT id FROM proposal WHERE consultation_id = :c ORDER BY id LIMIT 102"), {"c": cid}
            )
        ]
        busy, quiet, others = ids[0], ids[1], ids[2:]

        def thread(proposal_id: int, n: int) -> None:
            roots = [
                Comment(
                    consultation_id=cid, proposal_id=proposal_id, author_id=author, body="Avis", body_html="<p>Avis</p>"
                )
                for _ in range(n)
            ]
            db.session.add_all(roots)
            db.session.flush()
            db.session.add_all(
                Comment(
                    consultation_id=cid,
                    proposal_id=proposal_id,
                    author_id=author,
                    parent_id=r.id,
                    root_id=r.id,
                    depth=2,
                    body="Réponse",
                    body_html="<p>Réponse</p>",
                )
                for r in roots
            )
            db.session.commit()

        thread(busy, args.comments)
        thread(quiet, 10)
        for proposal_id in others:
            thread(proposal_id, args.other_comments // (2 * len(others)))
        db.session.execute(text("ANALYZE"))
        db.session.commit()  # statistics gathered in a transaction are lost if it rolls back
        app.config["CACHE_ENABLED"] = False
        many = median_ms(client, f"/propositions/{busy}", args.rounds)
        few = median_ms(client, f"/propositions/{quiet}", args.rounds)
        total = db.session.execute(text("SELECT count(*) FROM comment")).scalar()
        print(
            f"| page d’une proposition, {args.comments} commentaires (+ réponses) parmi {total} | {many:.0f} ms "
            f"| 10 commentaires | {few:.0f} ms | {many / few:.2f}× |"
        )
        # An anonymous page served from the shared page cache, against the same page built.
        app.config["CACHE_ENABLED"] = True
        app.config["PAGE_CACHE_SECONDS"] = 10
        client.get(list_url)
        assert client.get(list_url).headers.get("X-Cache") == "HIT"
        hit = median_ms(client, list_url, args.rounds)
        print(
            f"| liste des propositions, visiteur·euse, cache de pages | {hit:.1f} ms | construite | "
            f"{rows[0][1]:.0f} ms |"
        )


if __name__ == "__main__":
    main()
