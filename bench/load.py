"""Load benchmark: the app under gunicorn, a crowd of participants on loopback, and two faults.

One command (from the repository root; PostgreSQL must be running):

    python bench/load.py                    # full scale, 60 s per phase (about 10 minutes)
    python bench/load.py --scale 0.1 --duration 20

1. It (re)builds, in BENCH_DATABASE_URL (default
   postgresql+psycopg://postgres@127.0.0.1:5432/bench_load, created if missing; its content is
   DROPPED), the schema from the Alembic migrations, then with bulk SQL (generate_series):
   100 territories, 1,000 consultations (one in four open in its vote phase, the others
   closed), 100,000 proposals, 1,000,000 supports, 300,000 comments, 200,000 participants
   (times --scale). Every participant can sign in with the same password (precomputed hash).
2. It serves the app with gunicorn (gthread workers, 127.0.0.1, a free port) through
   ``bench_app()`` below: the product's factory with rate limits OFF (every simulated
   participant comes from 127.0.0.1) and one extra bare route, ``/bench/bare``.
3. From this process (threads, http.client, a new connection per request), --clients
   participants sign in once, then loop over a mix of reads (home, consultation, proposals
   list, proposal page, bare route) and writes (support, comment), for three phases of
   --duration seconds each: steady; PostgreSQL restarted a third of the way in; one gunicorn
   worker killed (kill -9) a third and two thirds of the way in.
4. It prints, per phase and route, throughput, median and 95th percentile latency, refusals
   (4xx the product means: duplicate support, limit reached) and errors (5xx, lost
   connections), then checks the database against a client-side ledger: every support and
   comment answered with a redirect is stored, nothing else is (except requests left without
   an answer by a fault, counted apart), and each proposal's ``support_count`` and
   ``comment_count`` equal the rows stored. It appends the figures to bench/RESULTS.md.
"""

import argparse
import collections
import http.client
import os
import platform
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from config import Config, database_url  # noqa: E402

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/bench_load"
PASSWORD = "mot-de-passe-du-banc"
SUPPORT_LIMIT = 50
CSRF_INPUT = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
MIX = [  # route, weight
    ("home", 10),
    ("consultation", 15),
    ("list", 20),
    ("proposal", 25),
    ("bare", 10),
    ("support", 14),
    ("comment", 6),
]


# --- the app as gunicorn serves it -------------------------------------------------------------


def bench_app():
    """The product's factory, rate limits off, plus /bench/bare; gunicorn calls it in each worker."""
    from concertation import create_app

    config = type(
        "LoadBenchConfig",
        (Config,),
        {
            "SQLALCHEMY_DATABASE_URI": database_url(os.environ.get("BENCH_DATABASE_URL"), DEFAULT_URL),
            "SECRET_KEY": os.environ["BENCH_SECRET_KEY"],
            "RATELIMIT_ENABLED": False,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            "PUBLIC_URL": "http://127.0.0.1",
        },
    )
    app = create_app(config)

    @app.get("/bench/bare")
    def bench_bare():
        return "ok"

    return app


# --- the dataset -------------------------------------------------------------------------------


def ensure_database(url: str) -> None:
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        if not connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target.database}):
            connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()


def sizes(scale: float) -> dict:
    consultations = max(8, int(1_000 * scale))
    proposals = max(consultations * 10, int(100_000 * scale))
    people = max(100, int(200_000 * scale))
    return {
        "territories": max(2, int(100 * scale)),
        "consultations": consultations,
        "per_consultation": proposals // consultations,
        "proposals": proposals // consultations * consultations,
        "people": people,
        "supports_each": max(1, int(1_000_000 * scale) // people),
        "comments": int(300_000 * scale),
    }


def build_dataset(url: str, n: dict) -> dict:
    """Schema from the migrations, then everything in bulk SQL; returns the first ids."""
    from flask_migrate import upgrade
    from werkzeug.security import generate_password_hash

    from concertation import create_app, phases
    from concertation.extensions import db

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    app = create_app(
        type("Build", (Config,), {"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "SECRET_KEY": "build-only"})
    )
    with app.app_context():
        upgrade()
        db.engine.dispose()
    now = datetime.now(UTC)
    params = {
        **n,
        "h": generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000"),
        "now": now,
        "limit": SUPPORT_LIMIT,
    }
    # One in four consultations is open (vote phase); the others are over.
    for state in ("vote", "closed"):
        for d in phases.consecutive_phases(state, now):
            params[f"{state}_{d.kind}_start"], params[f"{state}_{d.kind}_end"] = d.starts_at, d.ends_at
    kinds = [d.kind for d in phases.consecutive_phases("vote", now)]
    phase_rows = " UNION ALL ".join(
        f"SELECT '{k}' AS kind, CAST(:vote_{k}_start AS timestamptz) AS vs, CAST(:vote_{k}_end AS timestamptz) AS ve, "
        f"CAST(:closed_{k}_start AS timestamptz) AS cs, CAST(:closed_{k}_end AS timestamptz) AS ce"
        for k in kinds
    )
    steps = [
        (
            "participants",
            """
            INSERT INTO "user" (email, pseudonym, password_hash, confirmed_at, terms_accepted_at,
                                is_admin, is_editor, created_at, updated_at)
            SELECT 'personne' || n || '@banc.example', 'Personne ' || n, :h, :now, :now, false, false, :now, :now
            FROM generate_series(0, :people - 1) AS n ORDER BY n""",
        ),
        (
            "territories",
            """
            INSERT INTO territory (name, kind, slug, description, report_threshold, charter, charter_html,
                                   created_at, updated_at)
            SELECT 'Commune du banc ' || n, 'commune', 'commune-du-banc-' || n, '', 3, '', '', :now, :now
            FROM generate_series(0, :territories - 1) AS n ORDER BY n""",
        ),
        (
            "consultations",
            """
            INSERT INTO consultation (territory_id, slug, title, summary, description, description_html,
                                      audience, voting_method, support_limit, supports_during_proposals,
                                      results_live, premoderation, created_at, updated_at)
            SELECT (SELECT min(id) FROM territory) + n % :territories, 'consultation-' || n,
                   'Consultation ' || n || ' : l’IA dans nos services publics',
                   'Quelles priorités pour l’intelligence artificielle dans notre territoire ?',
                   'Une consultation de mesure.', '<p>Une consultation de mesure.</p>',
                   'public', 'support', :limit, false, true, false, :now, :now
            FROM generate_series(0, :consultations - 1) AS n ORDER BY n""",
        ),
        (
            "phases",
            f"""
            INSERT INTO phase (consultation_id, kind, starts_at, ends_at)
            SELECT c.id, p.kind, CASE WHEN (c.id - first.id) % 4 = 0 THEN p.vs ELSE p.cs END,
                   CASE WHEN (c.id - first.id) % 4 = 0 THEN p.ve ELSE p.ce END
            FROM consultation AS c, (SELECT min(id) AS id FROM consultation) AS first, ({phase_rows}) AS p""",
        ),
        (
            "themes",
            """
            INSERT INTO theme (consultation_id, name, position)
            SELECT c.id, t.name, t.position FROM consultation AS c,
                   (VALUES ('Formation des agents', 0), ('Services aux habitants', 1), ('Données et sobriété', 2))
                   AS t(name, position) ORDER BY c.id, t.position""",
        ),
        (
            "proposals",
            """
            INSERT INTO proposal (consultation_id, author_id, theme_id, title, search_text, body, body_html,
                                  support_count, comment_count, answer_text, answer_html, moderation,
                                  created_at, updated_at)
            SELECT first.c + n / :per_consultation, first.u + n % :people,
                   first.t + (n / :per_consultation) * 3 + n % 3,
                   'Proposition ' || n || ' : former les agents à l’IA',
                   'proposition ' || n || ' former les agents a l''ia ' ||
                       (ARRAY['chatbot', 'traduction', 'cantine', 'transport', 'archives'])[1 + n % 5],
                   'Former les agents avant de déployer un outil, avec eux.',
                   '<p>Former les agents avant de déployer un outil, avec eux.</p>',
                   0, 0, '', '', 'visible', :now - (n || ' seconds')::interval, :now
            FROM generate_series(0, :proposals - 1) AS n,
                 (SELECT (SELECT min(id) FROM consultation) AS c, (SELECT min(id) FROM "user") AS u,
                         (SELECT min(id) FROM theme) AS t) AS first
            ORDER BY n""",
        ),
        # Person k supports `supports_each` proposals of consultation k mod C: one support per pair.
        (
            "supports",
            """
            INSERT INTO support (proposal_id, consultation_id, user_id, created_at)
            SELECT first.p + (k % :consultations) * :per_consultation
                           + ((k / :consultations) * :supports_each + j) % :per_consultation,
                   first.c + k % :consultations, first.u + k, :now
            FROM generate_series(0, :people - 1) AS k, generate_series(0, :supports_each - 1) AS j,
                 (SELECT (SELECT min(id) FROM proposal) AS p, (SELECT min(id) FROM consultation) AS c,
                         (SELECT min(id) FROM "user") AS u) AS first""",
        ),
        (
            "quotas",
            """
            INSERT INTO support_quota (consultation_id, user_id, used)
            SELECT consultation_id, user_id, count(*) FROM support GROUP BY consultation_id, user_id""",
        ),
        (
            "comments",
            """
            INSERT INTO comment (consultation_id, proposal_id, author_id, depth, stance, body, body_html,
                                 moderation, created_at, updated_at)
            SELECT first.c + (n % :proposals) / :per_consultation, first.p + n % :proposals,
                   first.u + (n::bigint * 7919) % :people, 1, (ARRAY['for', 'against', 'neutral', NULL])[1 + n % 4],
                   'Commentaire ' || n || ' : d’accord, à condition de former les agents.',
                   '<p>Commentaire ' || n || ' : d’accord, à condition de former les agents.</p>',
                   'visible', :now - (n || ' seconds')::interval, :now
            FROM generate_series(0, :comments - 1) AS n,
                 (SELECT (SELECT min(id) FROM proposal) AS p, (SELECT min(id) FROM consultation) AS c,
                         (SELECT min(id) FROM "user") AS u) AS first""",
        ),
        (
            "counts",
            """
            UPDATE proposal SET support_count = s.n FROM (
                SELECT proposal_id, count(*) AS n FROM support GROUP BY proposal_id) AS s
            WHERE proposal.id = s.proposal_id""",
        ),
        (
            "comment counts",
            """
            UPDATE proposal SET comment_count = s.n FROM (
                SELECT proposal_id, count(*) AS n FROM comment GROUP BY proposal_id) AS s
            WHERE proposal.id = s.proposal_id""",
        ),
    ]
    with engine.begin() as connection:
        # Consistent by construction: skip the foreign-key triggers while loading.
        connection.execute(text("SET session_replication_role = replica"))
        for name, sql in steps:
            started = time.perf_counter()
            connection.execute(text(sql), params)
            print(f"  {name}: {time.perf_counter() - started:.1f} s", flush=True)
        connection.execute(text("SET session_replication_role = DEFAULT"))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))
        first = connection.execute(
            text("""SELECT (SELECT min(id) FROM "user"), (SELECT min(id) FROM consultation),
                                                  (SELECT min(id) FROM proposal)""")
        ).one()
    engine.dispose()
    return {"user": first[0], "consultation": first[1], "proposal": first[2]}


# --- the crowd ---------------------------------------------------------------------------------


class Participant:
    """One simulated person: a cookie jar, a CSRF token, a home consultation where they vote."""

    def __init__(self, port: int, index: int, n: dict, first: dict):
        self.port, self.index = port, index
        self.cookies: dict[str, str] = {}
        self.token = ""
        self.user_id = first["user"] + index
        self.email = f"personne{index}@banc.example"
        home = index % n["consultations"]
        self.home_first_proposal = first["proposal"] + home * n["per_consultation"]

    def request(self, method: str, path: str, form: dict | None = None, timeout: float = 30):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        headers = {"Connection": "close", "Accept": "text/html"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}/"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            for cookie in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = cookie.partition("=")
                value = rest.split(";", 1)[0]
                if value and "Max-Age=0" not in cookie and "01 Jan 1970" not in cookie:
                    self.cookies[name] = value
                else:
                    self.cookies.pop(name, None)
            return response.status, data
        finally:
            connection.close()

    def refresh_token(self, page: bytes) -> None:
        found = CSRF_INPUT.search(page.decode("utf-8", "replace"))
        if found:
            self.token = found.group(1)

    def sign_in(self) -> None:
        status, page = self.request("GET", "/compte/connexion")
        self.refresh_token(page)
        status, _ = self.request(
            "POST", "/compte/connexion", {"email": self.email, "password": PASSWORD, "csrf_token": self.token}
        )
        if status != 302:
            raise RuntimeError(f"sign-in of {self.email} answered {status}")
        status, page = self.request("GET", f"/propositions/{self.home_first_proposal}")
        self.refresh_token(page)


class Ledger:
    """What the server accepted, by the client's account; and what was left without an answer."""

    def __init__(self):
        self.lock = threading.Lock()
        self.supports: set[tuple[int, int]] = set()  # (user, proposal) answered with a redirect
        self.support_in_doubt: set[tuple[int, int]] = set()  # no answer, or a 5xx
        self.comments: dict[int, int] = defaultdict(int)  # user -> comments answered with a redirect
        self.comments_in_doubt: dict[int, int] = defaultdict(int)
        self.samples: list[tuple] = []  # (phase, route, outcome, ms, t)


def drive(
    participant: Participant,
    n: dict,
    first: dict,
    phase: str,
    deadline: float,
    max_requests: int,
    ledger: Ledger,
    seed: int,
) -> None:
    rng = random.Random(seed)
    routes, weights = zip(*MIX)
    open_consultations = max(1, n["consultations"] // 4)
    samples = []
    for _ in range(max_requests):
        if time.monotonic() >= deadline:
            break
        route = rng.choices(routes, weights)[0]
        form = None
        if route == "home":
            path = "/"
        elif route == "consultation":
            path = f"/consultations/{first['consultation'] + 4 * rng.randrange(open_consultations)}"
        elif route == "list":
            path = f"/consultations/{first['consultation'] + 4 * rng.randrange(open_consultations)}/propositions"
        elif route == "proposal":
            path = f"/propositions/{first['proposal'] + rng.randrange(n['proposals'])}"
        elif route == "bare":
            path = "/bench/bare"
        elif route == "support":
            proposal = participant.home_first_proposal + rng.randrange(n["per_consultation"])
            consultation = first["consultation"] + participant.index % n["consultations"]
            path = f"/consultations/{consultation}/propositions/{proposal}/soutien"
            form = {"csrf_token": participant.token, "next": f"/propositions/{proposal}"}
        else:
            proposal = participant.home_first_proposal + rng.randrange(n["per_consultation"])
            path = f"/propositions/{proposal}/commentaires"
            form = {
                "csrf_token": participant.token,
                "stance": "",
                "body": f"Commentaire sous charge de {participant.email}, tirage {rng.randrange(10**9)}.",
            }
        started = time.monotonic()
        try:
            status, page = participant.request("POST" if form else "GET", path, form)
        except (OSError, http.client.HTTPException):
            status, page = None, b""
        elapsed = (time.monotonic() - started) * 1000
        if status is None:
            outcome = "lost"
        elif status >= 500:
            outcome = "5xx"
        elif status >= 400:
            outcome = "refused"
        else:
            outcome = "ok"
        samples.append((phase, route, outcome, elapsed, started, status))
        if route == "proposal" and status == 200:
            participant.refresh_token(page)
        if route in ("support", "comment"):
            with ledger.lock:
                if route == "support":
                    key = (participant.user_id, proposal)
                    if status in (302, 303):
                        ledger.supports.add(key)
                    elif status is None or status >= 500:
                        ledger.support_in_doubt.add(key)
                elif status in (302, 303):
                    ledger.comments[participant.user_id] += 1
                elif status is None or status >= 500:
                    ledger.comments_in_doubt[participant.user_id] += 1
        if status == 400 and form:  # an expired token: read a fresh one
            try:
                _, page = participant.request("GET", f"/propositions/{participant.home_first_proposal}")
                participant.refresh_token(page)
            except (OSError, http.client.HTTPException):
                pass
    with ledger.lock:
        ledger.samples.extend(samples)


# --- the server and the faults -----------------------------------------------------------------


def gunicorn_command(target: str, port: int, args) -> list[str]:
    """The one gunicorn configuration the benchmarks serve with (the product and its floor alike)."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "--chdir",
        str(ROOT),
        "--pythonpath",
        str(ROOT),
        "--workers",
        str(args.workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(args.threads),
        "--bind",
        f"127.0.0.1:{port}",
        "--timeout",
        "60",
        "--log-level",
        "warning",
        target,
    ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def worker_pids(master: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{master}/task/{master}/children").read_text().split()]
    except OSError:
        return []


def wait_until_up(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/")
            if connection.getresponse().status == 200:
                return
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer")


def restart_postgresql() -> float:
    version = sorted(os.listdir("/etc/postgresql"))[0]
    started = time.monotonic()
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"], check=True, capture_output=True
    )
    return time.monotonic() - started


def run_phase(name: str, port: int, participants: list, n: dict, first: dict, args, ledger: Ledger, fault=None) -> dict:
    start = time.monotonic()
    deadline = start + args.duration
    threads = [
        threading.Thread(
            target=drive,
            args=(p, n, first, name, deadline, args.max_requests, ledger, hash((name, p.index))),
            daemon=True,
        )
        for p in participants
    ]
    for t in threads:
        t.start()
    events = fault(start) if fault else []
    for t in threads:
        t.join(args.duration + 120)
    return {"name": name, "start": start, "seconds": time.monotonic() - start, "events": events}


# --- figures -----------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(q * len(ordered))) - 1))]


def phase_table(phase: dict, samples: list[tuple]) -> list[str]:
    rows = [s for s in samples if s[0] == phase["name"]]
    lines = [
        "| route | requests | req/s | median ms | p95 ms | ok | refused (4xx) | 5xx | no answer | median ÷ bare |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    by_route = defaultdict(list)
    for row in rows:
        by_route[row[1]].append(row)
    bare_ok = [r[3] for r in by_route.get("bare", []) if r[2] == "ok"]
    bare = statistics.median(bare_ok) if bare_ok else float("nan")
    for route, _ in MIX + [("all", 0)]:
        chosen = rows if route == "all" else by_route.get(route, [])
        if not chosen:
            continue
        answered = [r[3] for r in chosen if r[2] in ("ok", "refused")]
        outcomes = collections.Counter(r[2] for r in chosen)
        median = statistics.median(answered) if answered else float("nan")
        lines.append(
            f"| {route} | {len(chosen)} | {len(chosen) / phase['seconds']:.1f} | {median:.0f} | "
            f"{percentile(answered, 0.95) if answered else float('nan'):.0f} | {outcomes['ok']} | "
            f"{outcomes['refused']} | {outcomes['5xx']} | {outcomes['lost']} | "
            f"{'' if route in ('bare', 'all') else f'{median / bare:.0f}×'} |"
        )
    failures = sorted(r[4] - phase["start"] for r in rows if r[2] in ("5xx", "lost"))
    if failures:
        lines.append("")
        lines.append(
            f"Failed requests (5xx or no answer): {len(failures)}, between {failures[0]:.1f} s and "
            f"{failures[-1]:.1f} s after the phase began; statuses: "
            + ", ".join(
                f"{status or 'no answer'} × {k}"
                for status, k in sorted(
                    Counter(r[5] for r in rows if r[2] in ("5xx", "lost")).items(), key=lambda item: str(item[0])
                )
            )
            + "."
        )
    return lines


def verify(url: str, ledger: Ledger, before: dict, first_user: int, clients: int) -> list[str]:
    """The database against the ledger; returns lines for the report, and raises nothing."""
    engine = create_engine(url)
    with engine.connect() as connection:
        stored = set(
            map(
                tuple,
                connection.execute(
                    text("SELECT user_id, proposal_id FROM support WHERE id > :m"), {"m": before["support"]}
                ).all(),
            )
        )
        wrong_support_counts = connection.scalar(
            text("""
            SELECT count(*) FROM proposal AS p LEFT JOIN (SELECT proposal_id, count(*) AS n FROM support
                                                          GROUP BY proposal_id) AS s ON s.proposal_id = p.id
            WHERE p.support_count <> coalesce(s.n, 0)""")
        )
        wrong_comment_counts = connection.scalar(
            text("""
            SELECT count(*) FROM proposal AS p LEFT JOIN (SELECT proposal_id, count(*) AS n FROM comment
                                                          WHERE moderation = 'visible' AND proposal_id IS NOT NULL
                                                          GROUP BY proposal_id) AS s ON s.proposal_id = p.id
            WHERE p.comment_count <> coalesce(s.n, 0)""")
        )
        wrong_quotas = connection.scalar(
            text("""
            SELECT count(*) FROM support_quota AS q LEFT JOIN (
                SELECT consultation_id, user_id, count(*) AS n FROM support GROUP BY consultation_id, user_id) AS s
              ON s.consultation_id = q.consultation_id AND s.user_id = q.user_id
            WHERE q.user_id BETWEEN :u AND :u + :k AND q.used <> coalesce(s.n, 0)"""),
            {"u": first_user, "k": clients},
        )
        new_comments = dict(
            connection.execute(
                text("SELECT author_id, count(*) FROM comment WHERE id > :m GROUP BY author_id"),
                {"m": before["comment"]},
            )
            .tuples()
            .all()
        )
    engine.dispose()
    lost_votes = ledger.supports - stored
    extra = stored - ledger.supports
    unexplained = extra - ledger.support_in_doubt
    comment_users = set(new_comments) | set(ledger.comments)
    comments_lost = sum(max(0, ledger.comments[u] - new_comments.get(u, 0)) for u in comment_users)
    comments_extra = sum(max(0, new_comments.get(u, 0) - ledger.comments[u]) for u in comment_users)
    comments_unexplained = sum(
        max(0, new_comments.get(u, 0) - ledger.comments[u] - ledger.comments_in_doubt[u]) for u in comment_users
    )
    ok = (
        not lost_votes
        and not unexplained
        and not wrong_support_counts
        and not wrong_comment_counts
        and not wrong_quotas
        and not comments_lost
        and not comments_unexplained
    )
    return [
        f"- Supports accepted (answered 302) by the client's ledger: {len(ledger.supports)}; new support rows "
        f"stored: {len(stored)}; accepted but not stored (lost votes): **{len(lost_votes)}**; stored but not "
        f"acknowledged: {len(extra)}, of which left without an answer by a fault (in doubt): "
        f"{len(extra & ledger.support_in_doubt)}, unexplained: **{len(unexplained)}** "
        f"(requests in doubt in all: {len(ledger.support_in_doubt)}).",
        f"- Comments accepted: {sum(ledger.comments.values())}; new comment rows: {sum(new_comments.values())}; "
        f"accepted but not stored: **{comments_lost}**; stored but not acknowledged: {comments_extra} "
        f"(unexplained by a request in doubt: **{comments_unexplained}**).",
        f"- Proposals whose `support_count` differs from their support rows: **{wrong_support_counts}**; whose "
        f"`comment_count` differs from their visible comments: **{wrong_comment_counts}**; simulated "
        f"participants whose quota differs from their supports: **{wrong_quotas}**.",
        f"- Verdict: {'counts exact, no committed vote lost, nothing half-applied' if ok else 'MISMATCH (see above)'}.",
    ]


def cpu_model() -> str:
    """The processor's name, for the figures' note ("?" where /proc/cpuinfo does not say)."""
    try:
        return next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    except (OSError, StopIteration):
        return "?"


def machine_note(url: str) -> str:
    cpu = cpu_model()
    engine = create_engine(url)
    with engine.connect() as connection:
        server = connection.scalar(text("SHOW server_version")).split(" ")[0]
    engine.dispose()
    memory = (
        int(
            next(
                line.split()[1]
                for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")
            )
        )
        // 1024
        // 1024
    )
    return (
        f"{platform.system()} {platform.release()}, {os.cpu_count()} CPU ({cpu}), {memory} GiB, Python "
        f"{platform.python_version()}, PostgreSQL {server} on 127.0.0.1 (shared with other test runs)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 100,000 proposals, 1,000,000 supports")
    parser.add_argument("--duration", type=float, default=60, help="seconds per phase")
    parser.add_argument("--clients", type=int, default=50, help="simulated participants at once")
    parser.add_argument("--max-requests", type=int, default=5_000, help="per participant and phase, at most")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (gthread)")
    parser.add_argument("--no-faults", action="store_true", help="the steady phase only")
    parser.add_argument("--reuse", action="store_true", help="keep the dataset of a previous run at the same scale")
    parser.add_argument("--no-record", action="store_true", help="do not append to bench/RESULTS.md")
    args = parser.parse_args()
    url = database_url(os.environ.get("BENCH_DATABASE_URL"), DEFAULT_URL)
    n = sizes(args.scale)
    ensure_database(url)
    started = time.perf_counter()
    if args.reuse:
        engine = create_engine(url)
        with engine.connect() as connection:
            first = dict(
                zip(
                    ("user", "consultation", "proposal"),
                    connection.execute(
                        text(
                            """SELECT (SELECT min(id) FROM "user"), (SELECT min(id) FROM consultation),
                          (SELECT min(id) FROM proposal)"""
                        )
                    ).one(),
                )
            )
        engine.dispose()
        build_seconds = None
    else:
        print(f"building {n} ...", flush=True)
        first = build_dataset(url, n)
        build_seconds = time.perf_counter() - started
        print(f"dataset built in {build_seconds:.0f} s", flush=True)
    engine = create_engine(url)
    with engine.connect() as connection:
        counts = connection.execute(
            text("""SELECT (SELECT count(*) FROM territory), (SELECT count(*) FROM consultation),
            (SELECT count(*) FROM proposal), (SELECT count(*) FROM support), (SELECT count(*) FROM comment),
            (SELECT count(*) FROM "user")""")
        ).one()
        before = dict(
            zip(
                ("support", "comment"),
                connection.execute(
                    text(
                        "SELECT (SELECT coalesce(max(id), 0) FROM support), (SELECT coalesce(max(id), 0) FROM comment)"
                    )
                ).one(),
            )
        )
    engine.dispose()
    dataset = (
        f"{counts[0]:,} territories, {counts[1]:,} consultations ({(counts[1] + 3) // 4:,} open), "
        f"{counts[2]:,} proposals, {counts[3]:,} supports, {counts[4]:,} comments, {counts[5]:,} participants"
    )
    print(dataset, flush=True)

    port = free_port()
    environment = {
        **os.environ,
        "BENCH_DATABASE_URL": url,
        "BENCH_SECRET_KEY": secrets.token_hex(32),
        "PYTHONPATH": str(ROOT),
        # A worker that crashes in C (SIGSEGV) writes the Python stack of each of its threads to the log.
        "PYTHONFAULTHANDLER": "1",
    }
    gunicorn = gunicorn_command("bench.load:bench_app()", port, args)
    log = open(ROOT / "bench" / ".load-gunicorn.log", "w")
    server = subprocess.Popen(gunicorn, env=environment, stdout=log, stderr=subprocess.STDOUT)
    ledger = Ledger()
    phases_run = []
    try:
        wait_until_up(port)
        print(f"gunicorn {server.pid} on 127.0.0.1:{port}, workers {worker_pids(server.pid)}", flush=True)
        participants = [Participant(port, i, n, first) for i in range(0, 4 * args.clients, 4)]
        for p in participants:
            p.sign_in()
        print(f"{len(participants)} participants signed in", flush=True)
        load_before = os.getloadavg()[0]

        def pg_restart(start):
            time.sleep(args.duration / 3)
            at = time.monotonic() - start
            took = restart_postgresql()
            return [f"PostgreSQL restarted at {at:.1f} s (the restart took {took:.1f} s)"]

        def kill_workers(start):
            events = []
            for fraction in (1 / 3, 2 / 3):
                time.sleep(max(0, start + args.duration * fraction - time.monotonic()))
                pids = worker_pids(server.pid)
                if pids:
                    victim = random.choice(pids)
                    os.kill(victim, signal.SIGKILL)
                    events.append(f"worker {victim} killed (SIGKILL) at {time.monotonic() - start:.1f} s")
            return events

        plan = [("steady", None)] + (
            [] if args.no_faults else [("postgres-restart", pg_restart), ("worker-kill", kill_workers)]
        )
        for name, fault in plan:
            pids_before = worker_pids(server.pid)
            phase = run_phase(name, port, participants, n, first, args, ledger, fault)
            phase["workers"] = (pids_before, worker_pids(server.pid))
            phases_run.append(phase)
            print(f"\n## {name} ({phase['seconds']:.0f} s) " + "; ".join(phase["events"]))
            print("\n".join(phase_table(phase, ledger.samples)), flush=True)
            wait_until_up(port)
        load_after = os.getloadavg()[0]
        server_alive = server.poll() is None
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
    checks = verify(url, ledger, before, first["user"], 4 * args.clients)
    print("\n" + "\n".join(checks))
    if not args.no_record:
        record(args, url, dataset, build_seconds, phases_run, ledger, checks, load_before, load_after, server_alive)


def record(
    args, url, dataset, build_seconds, phases_run, ledger, checks, load_before, load_after, server_alive
) -> None:
    lines = [
        "",
        f"## {datetime.now(UTC):%Y-%m-%d %H:%M} UTC — load under gunicorn, scale {args.scale:g}",
        "",
        f"`python bench/load.py --scale {args.scale:g} --duration {args.duration:g} --clients {args.clients}` "
        f"(or `make bench-load`).",
        "",
        f"- Machine: {machine_note(url)}; load average {load_before:.1f} before the load, {load_after:.1f} at the end.",
        f"- Dataset: {dataset}"
        + (f" (built in {build_seconds:.0f} s with generate_series)." if build_seconds else " (reused)."),
        f"- Server: gunicorn, {args.workers} gthread workers × {args.threads} threads, 127.0.0.1; "
        "**rate limits OFF** (`RATELIMIT_ENABLED` false in the benchmark's config) since every client "
        "has the same address. The driver is this script in a second process: "
        f"{args.clients} signed-in participants in threads, a new connection per request (http.client), "
        "so times include connecting on loopback and queueing behind the workers.",
        f"- Mix (weights): {', '.join(f'{r} {w}' for r, w in MIX)}. Reads: home (`/`), consultation, its "
        "proposals list (first page), a proposal page; writes: support POST (302 accepted; 409 "
        f"duplicate or 4xx limit of {SUPPORT_LIMIT} = refused), comment POST; `bare` is `/bench/bare`, "
        'a route returning "ok", registered only in the benchmark\'s factory, under the same server and load.',
        "",
    ]
    for phase in phases_run:
        lines.append(
            f"### Phase {phase['name']} ({phase['seconds']:.0f} s)"
            + (": " + "; ".join(phase["events"]) if phase["events"] else "")
        )
        lines.append("")
        lines += phase_table(phase, ledger.samples)
        before, after = phase["workers"]
        lines.append("")
        lines.append(f"Worker pids before {before}, after {after}.")
        lines.append("")
    lines.append(
        f"### Stored counts against the ledger (gunicorn still running at the end: {server_alive}, "
        "never restarted by the script)"
    )
    lines.append("")
    lines += checks
    lines.append("")
    with open(ROOT / "bench" / "RESULTS.md", "a", encoding="utf-8") as out:
        out.write("\n".join(lines))
    print("appended to bench/RESULTS.md")


if __name__ == "__main__":
    main()
