"""Job workers for benchmarks, and the outbox's fault run: N workers, one killed mid-delivery.

As functions (bench/load.py's two-app-server run starts its workers with them):
    procs = start_workers(2, env)          # `flask jobs worker` subprocesses on JOBS_QUEUE_URL
    stop_workers(procs)

As a command (`make bench-workers`): queue M emails, start N workers against a local SMTP sink,
SIGKILL one worker mid-delivery, sweep, and check that every email arrived exactly once; the
figures go to bench/RESULTS.md (a dated section).
    BENCH_DATABASE_URL  database (default: a throwaway SQLite file); BENCH_REDIS_URL (default redis://127.0.0.1:6379/9)
"""

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def worker_env(database_url: str, redis_url: str, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "JOBS_QUEUE_URL": redis_url,
        "SECRET_KEY": os.environ.get("SECRET_KEY", "secret-de-mesure-assez-long-pour-passer"),
        "PUBLIC_URL": os.environ.get("PUBLIC_URL", "http://localhost"),
        "FLASK_DEBUG": "0",
        **extra,
    }
    env.pop("REDIS_URL", None)
    return env


def start_workers(count: int, env: dict[str, str], *args: str, log=subprocess.DEVNULL) -> list[subprocess.Popen]:
    """`count` workers (`flask jobs worker`), each its own process; extra args e.g. "--burst"."""
    return [
        subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "concertation", "jobs", "worker", "--no-scheduler", *args],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=log,
        )
        for _ in range(count)
    ]


def stop_workers(procs: list[subprocess.Popen], timeout: float = 30) -> None:
    """SIGTERM (RQ finishes the job in hand), then SIGKILL whatever is left."""
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def fault_run(messages: int, workers: int, database_url: str, redis_url: str, pause: float) -> dict:
    from redis import Redis
    from flask_migrate import upgrade
    from sqlalchemy import select

    from concertation import create_app, jobs
    from concertation.extensions import db
    from tests.operations.smtp_sink import Sink

    sink = Sink(pause=pause)
    Redis.from_url(redis_url).flushdb()
    settings = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "JOBS_QUEUE_URL": redis_url,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": sink.port,
        "MAIL_USE_TLS": False,
        "JOBS_LEASE_SECONDS": 2,
        "TESTING": False,
        "DEBUG": True,
        "SECRET_KEY": "secret-de-mesure-assez-long-pour-passer",
    }
    app = create_app(type("Bench", (__import__("config").Config,), settings))
    env = worker_env(
        database_url,
        redis_url,
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=str(sink.port),
        MAIL_USE_TLS="0",
        JOBS_LEASE_SECONDS="2",
    )
    with app.app_context():
        upgrade()
        db.session.execute(jobs.OutboxMessage.__table__.delete())
        db.session.commit()
        started = time.perf_counter()
        for n in range(messages):
            jobs.enqueue_email(f"personne{n}@example.org", f"Mesure {n}", "Corps")
        db.session.commit()
        procs = start_workers(workers, env)
        while len(sink.messages) < messages // 3 or not sink.waiting.is_set():
            time.sleep(0.01)
        procs[0].send_signal(signal.SIGKILL)
        procs[0].wait()
        killed_at = len(sink.messages)
        time.sleep(2.2)
        jobs.sweep()
        while db.session.scalar(select(db.func.count()).where(jobs.OutboxMessage.status != jobs.SENT)):
            db.session.commit()
            time.sleep(0.1)
        elapsed = time.perf_counter() - started
        stop_workers(procs[1:])
        wanted = sorted(m.message_id("localhost") for m in db.session.scalars(select(jobs.OutboxMessage)))
    received = sink.message_ids()
    sink.stop()
    return {
        "messages": messages,
        "workers": workers,
        "killed_after": killed_at,
        "received": len(received),
        "distinct": len(set(received)),
        "all_delivered": sorted(set(received)) == wanted,
        "elapsed": elapsed,
        "database": database_url.split(":")[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=60)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--pause", type=float, default=0.05, help="the SMTP sink's delay per message (s)")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    database_url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp()}/bench-workers.sqlite3"
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
    result = fault_run(args.messages, args.workers, database_url, redis_url, args.pause)
    ok = result["all_delivered"] and result["received"] == result["distinct"] == result["messages"]
    text = (
        f"\n## Job workers: one killed mid-delivery — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n\n"
        f"`make bench-workers` ({result['database']}, Redis, {result['workers']} workers `flask jobs worker`, "
        f"local SMTP sink pausing {args.pause}s per message).\n\n"
        f"| emails queued | worker SIGKILLed after | received by the sink | distinct | all delivered, none twice | total time |\n"
        f"|---|---|---|---|---|---|\n"
        f"| {result['messages']} | {result['killed_after']} delivered | {result['received']} | {result['distinct']} "
        f"| {'yes' if ok else 'NO'} | {result['elapsed']:.1f} s |\n"
    )
    print(text)
    if not args.no_write:
        with open(ROOT / "bench" / "RESULTS.md", "a", encoding="utf-8") as results:
            results.write(text)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
