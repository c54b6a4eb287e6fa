"""A real RQ worker (a subprocess, on Redis) killed with SIGKILL mid-delivery: every email arrives, none twice."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from concertation import jobs
from concertation.extensions import db
from tests.conftest import _serve, make_config
from tests.operations.smtp_sink import Sink

REDIS_URL = os.environ.get("JOBS_TEST_REDIS_URL", "redis://127.0.0.1:6379/9")
ROOT = Path(__file__).resolve().parents[2]


def redis_or_none():
    try:
        from redis import Redis

        connection = Redis.from_url(REDIS_URL, socket_connect_timeout=1)
        connection.ping()
        return connection
    except Exception:
        return None


pytestmark = pytest.mark.skipif(redis_or_none() is None, reason=f"Redis absent ({REDIS_URL}) : pas de worker RQ à tuer")


@pytest.fixture
def sink():
    server = Sink(pause=0.4)
    yield server
    server.stop()


@pytest.fixture
def queued_app(migrated_database, tmp_path, sink):
    redis = redis_or_none()
    redis.flushdb()  # this test's own database number, never FLUSHALL
    config = make_config(
        migrated_database,
        tmp_path,
        JOBS_QUEUE_URL=REDIS_URL,
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=sink.port,
        MAIL_USE_TLS=False,
        JOBS_LEASE_SECONDS=1,
    )
    yield from _serve(config)
    redis.flushdb()


def start_worker(log, uri: str, port: int, *args: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": uri,
        "SECRET_KEY": "un-secret-de-test-assez-long-pour-la-production",
        "JOBS_QUEUE_URL": REDIS_URL,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(port),
        "MAIL_USE_TLS": "0",
        "JOBS_LEASE_SECONDS": "1",
        "PUBLIC_URL": "http://localhost",
        "FLASK_DEBUG": "0",
        "RATELIMIT_STORAGE_URI": "memory://",
    }
    env.pop("REDIS_URL", None)
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "concertation", "jobs", "worker", "--no-scheduler", *args],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def test_a_worker_killed_mid_delivery_loses_nothing_and_sends_nothing_twice(
    queued_app, sink, migrated_database, tmp_path
):
    for n in range(6):
        jobs.enqueue_email(f"personne{n}@example.org", f"Message {n}", "Corps")
    db.session.commit()
    assert sink.messages == []  # handed to the queue, not sent by the request

    log = (tmp_path / "worker.log").open("wb")
    worker = start_worker(log, migrated_database, sink.port)
    try:
        deadline = time.monotonic() + 60
        while not (len(sink.messages) >= 2 and sink.waiting.is_set()):
            assert time.monotonic() < deadline and worker.poll() is None, (tmp_path / "worker.log").read_text()
            time.sleep(0.02)
        worker.send_signal(signal.SIGKILL)  # mid-delivery: the server holds it before its recipient
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
    delivered_before = len(sink.messages)
    statuses = db.session.scalars(select(jobs.OutboxMessage.status)).all()
    assert jobs.SENDING in statuses and statuses.count(jobs.SENT) == delivered_before

    time.sleep(1.2)  # the dead worker's lease runs out
    assert jobs.sweep() >= 1
    second = start_worker(log, migrated_database, sink.port, "--burst")
    code = second.wait(120)
    log.close()
    assert code == 0, (tmp_path / "worker.log").read_text()

    wanted = [m.message_id("localhost") for m in db.session.scalars(select(jobs.OutboxMessage))]
    received = sink.message_ids()
    assert sorted(received) == sorted(wanted)  # every email, and none twice
    db.session.commit()
    assert set(db.session.scalars(select(jobs.OutboxMessage.status))) == {jobs.SENT}
