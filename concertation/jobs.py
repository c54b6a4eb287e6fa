"""The outbox and the job queue's entry points: the one place side effects leave from.

A side effect (today: every email) is written as an ``OutboxMessage`` row in the same
transaction as the action that causes it, with ``enqueue_email``. A rolled-back request
leaves no row, so it sends nothing. After the commit the rows are handed over:

- with ``JOBS_QUEUE_URL`` set (it defaults to ``REDIS_URL``), to RQ workers on Redis (``flask jobs worker``),
  one job per row;
- without it (the embedded default, ``make run``), delivered at once, in the same process.

Delivery is idempotent: a worker first *claims* the row (``pending`` → ``sending``, with the
time), sends the email with a stable Message-ID, then marks it ``sent``. A worker killed
mid-delivery leaves the row ``sending``; once its lease (``JOBS_LEASE_SECONDS``) has passed,
``flask jobs sweep`` hands it over again. A failing SMTP server is retried with exponential
backoff; after ``JOBS_MAX_ATTEMPTS`` tries the row is ``dead`` and shows in the administrators'
dead letters (/admin/envois), with its error and a retry button.
"""

import logging
from urllib.parse import urlsplit
from datetime import datetime, timedelta

from flask import Flask, current_app
from sqlalchemy import Integer, String, Text, event, func, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from concertation.db import Base, utcnow
from concertation.extensions import db

log = logging.getLogger("concertation.jobs")

QUEUE_NAME = "concertation"
PENDING, SENDING, SENT, DEAD = "pending", "sending", "sent", "dead"


class OutboxMessage(Base):
    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), default="email")
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default=PENDING, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]

    def message_id(self, domain: str) -> str:
        """Stable across retries: a receiving server or mail client can recognise a repeat."""
        return f"<outbox-{self.id}-{self.created_at:%Y%m%d%H%M%S}@{domain}>"


# Writing side effects -------------------------------------------------------------


def enqueue_email(to: str, subject: str, body: str) -> OutboxMessage:
    """An email to send once the current transaction commits (nothing if it rolls back)."""
    message = OutboxMessage(kind="email", recipient=to, subject=str(subject)[:500], body=str(body))
    db.session.add(message)
    return message


def _after_flush(session: Session, flush_context) -> None:
    new_ids = session.info.setdefault("outbox_new", [])
    new_ids.extend(obj.id for obj in session.new if isinstance(obj, OutboxMessage))


def _after_commit(session: Session) -> None:
    if session.get_nested_transaction() is not None:
        return  # a SAVEPOINT released (begin_nested): the emails wait for the real commit
    ids = session.info.pop("outbox_new", None)
    if not ids:
        return
    try:
        app = current_app._get_current_object()
    except RuntimeError:  # pragma: no cover - sessions live in an app context
        return
    dispatch(app, ids)


def _after_rollback(session: Session) -> None:
    if session.get_nested_transaction() is not None:
        return  # a SAVEPOINT rolled back: the emails written before it still leave at the commit
    session.info.pop("outbox_new", None)


def init_app(app: Flask) -> None:
    app.config.setdefault("JOBS_MAX_ATTEMPTS", 5)
    app.config.setdefault("JOBS_BACKOFF_SECONDS", 30)
    app.config.setdefault("JOBS_LEASE_SECONDS", 300)
    app.config.setdefault("JOBS_QUEUE_URL", None)
    if not getattr(init_app, "listening", False):
        # One listener for every app: the scoped session's class is shared.
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_rollback", _after_rollback)
        init_app.listening = True
    from concertation import tasks

    tasks.init_app(app)
    register_cli(app)


# Handing over -------------------------------------------------------------------------


def queue_url(app: Flask) -> str | None:
    return app.config.get("JOBS_QUEUE_URL")


def queue(app: Flask):
    """The RQ queue on Redis, or None (embedded mode: jobs run in this process)."""
    url = queue_url(app)
    if not url:
        return None
    from redis import Redis
    from rq import Queue

    connections = app.extensions.setdefault("jobs_redis", {})
    if url not in connections:
        connections[url] = Redis.from_url(url)
    return Queue(QUEUE_NAME, connection=connections[url])


def dispatch(app: Flask, ids: list[int], delay: timedelta | None = None) -> None:
    """Hand rows over to the workers, or deliver them here when there is no queue."""
    rq_queue = queue(app)
    if rq_queue is None:
        if delay is None:
            for outbox_id in ids:
                deliver(outbox_id)
        return  # embedded mode: a retry waits for `flask jobs sweep`
    for outbox_id in ids:
        try:
            if delay is None:
                rq_queue.enqueue(run_delivery, outbox_id, job_timeout=60)
            else:
                rq_queue.enqueue_in(delay, run_delivery, outbox_id, job_timeout=60)
        except Exception:  # Redis down: the row stays pending, the sweep hands it over later
            log.exception("Envoi %s non confié à la file (Redis indisponible ?)", outbox_id)


def run_delivery(outbox_id: int) -> str:
    """The RQ job: deliver one outbox row (the worker pushed an app context)."""
    return deliver(outbox_id)


# Delivering ------------------------------------------------------------------------------


def backoff(attempts: int, base: int) -> timedelta:
    """30 s, 1 min, 2 min, 4 min… (capped at 6 h) after the 1st, 2nd, 3rd… failure."""
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 6 * 3600))


def deliver(outbox_id: int, now: datetime | None = None) -> str:
    """Claim, send, mark: returns the row's status afterwards ("skipped" if someone else has it)."""
    from concertation.mail import send_email

    config = current_app.config
    now = now or utcnow()
    lease = timedelta(seconds=config["JOBS_LEASE_SECONDS"])
    with db.engine.begin() as connection:
        claimed = connection.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id == outbox_id,
                OutboxMessage.next_attempt_at <= now,
                (OutboxMessage.status == PENDING)
                | ((OutboxMessage.status == SENDING) & (OutboxMessage.claimed_at < now - lease)),
            )
            .values(status=SENDING, claimed_at=now, attempts=OutboxMessage.attempts + 1)
        ).rowcount
    if not claimed:
        return "skipped"
    with db.engine.connect() as connection:
        row = connection.execute(select(OutboxMessage.__table__).where(OutboxMessage.id == outbox_id)).one()
    domain = (
        urlsplit(config.get("PUBLIC_URL") or "").hostname
        or (config.get("SERVER_NAME") or "").split(":")[0]
        or "concertation.localhost"
    )
    message_id = OutboxMessage(id=row.id, created_at=row.created_at).message_id(domain)
    try:
        send_email(row.recipient, row.subject, row.body, message_id=message_id)
    except Exception as error:  # SMTP refused, unreachable, timed out…
        dead = row.attempts >= config["JOBS_MAX_ATTEMPTS"]
        wait = backoff(row.attempts, config["JOBS_BACKOFF_SECONDS"])
        with db.engine.begin() as connection:
            connection.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == outbox_id)
                .values(
                    status=DEAD if dead else PENDING,
                    last_error=f"{type(error).__name__}: {error}"[:2000],
                    next_attempt_at=now + wait,
                    claimed_at=None,
                )
            )
        log.warning("Envoi %s échoué (essai %s) : %s", outbox_id, row.attempts, error)
        _count_failure()
        if not dead:
            dispatch(current_app._get_current_object(), [outbox_id], delay=wait)
        return DEAD if dead else PENDING
    with db.engine.begin() as connection:
        connection.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == outbox_id)
            .values(status=SENT, sent_at=utcnow(), last_error=None)
        )
    return SENT


def _count_failure() -> None:
    metrics = current_app.extensions.get("metrics")
    if metrics is not None:
        metrics["job_failures"].inc()


def sweep(now: datetime | None = None) -> int:
    """Hand over again what is due: retries whose wait is over, and claims whose worker died."""
    now = now or utcnow()
    lease = timedelta(seconds=current_app.config["JOBS_LEASE_SECONDS"])
    embedded = queue(current_app) is None
    # With a queue, a pending row is normally in Redis already (or scheduled there for its retry):
    # it is handed over again only if it has waited a whole lease more (Redis lost it, say).
    due = now if embedded else now - lease
    ids = list(
        db.session.scalars(
            select(OutboxMessage.id)
            .where(
                OutboxMessage.next_attempt_at <= due,
                (OutboxMessage.status == PENDING)
                | ((OutboxMessage.status == SENDING) & (OutboxMessage.claimed_at < now - lease)),
            )
            .order_by(OutboxMessage.id)
        )
    )
    db.session.rollback()
    if embedded:
        for outbox_id in ids:
            deliver(outbox_id, now)
    else:
        dispatch(current_app._get_current_object(), ids)
    return len(ids)


# Dead letters ----------------------------------------------------------------------------


def dead_letters(limit: int = 200) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.status == DEAD).order_by(OutboxMessage.id.desc()).limit(limit)
        )
    )


def retry(message: OutboxMessage, now: datetime) -> None:
    """An administrator asks for a dead letter to be tried again (from the first attempt)."""
    message.status, message.attempts, message.next_attempt_at, message.claimed_at = PENDING, 0, now, None
    db.session.flush()
    db.session.info.setdefault("outbox_new", []).append(message.id)


def counts() -> dict[str, int]:
    """How many rows in each status (readiness page, metrics)."""
    return dict(db.session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())


# Workers ------------------------------------------------------------------------------------


def run_worker(app: Flask, burst: bool = False, with_scheduler: bool = True) -> None:
    """One RQ worker, in this process (SimpleWorker: no fork, so the database pool stays sound)."""
    from rq import SimpleWorker

    rq_queue = queue(app)
    if rq_queue is None:
        raise RuntimeError(
            "JOBS_QUEUE_URL (ou REDIS_URL) n’est pas défini : sans file, les envois partent "
            "dans le processus de l’application, aucun worker n’est nécessaire."
        )
    with app.app_context():
        worker = SimpleWorker([rq_queue], connection=rq_queue.connection)
        worker.work(burst=burst, with_scheduler=with_scheduler, logging_level="INFO")


# Commands ------------------------------------------------------------------------------------


def register_cli(app: Flask) -> None:
    import click
    from flask.cli import AppGroup, with_appcontext

    group = AppGroup("jobs", help="La file de travaux : workers, reprise des envois, état de l’outbox.")

    @group.command("worker")
    @click.option("--burst", is_flag=True, help="S’arrête quand la file est vide (tests, mesures).")
    @click.option("--no-scheduler", is_flag=True, help="Sans l’ordonnanceur RQ des nouvelles tentatives différées.")
    def worker_command(burst: bool, no_scheduler: bool) -> None:
        """Run one worker that delivers the outbox (needs JOBS_QUEUE_URL or REDIS_URL)."""
        from flask import current_app as app_now

        try:
            run_worker(app_now._get_current_object(), burst=burst, with_scheduler=not no_scheduler)
        except RuntimeError as error:
            raise click.ClickException(str(error)) from error

    @group.command("sweep")
    @with_appcontext
    def sweep_command() -> None:
        """Hand over again retries that are due and deliveries whose worker died (run it every minute)."""
        from concertation import tasks

        click.echo(f"Envois repris : {sweep()}")
        click.echo(f"Tâches reprises : {tasks.sweep()}")

    @group.command("status")
    @with_appcontext
    def status_command() -> None:
        """How many outbox rows (and background tasks) in each state."""
        from concertation import tasks

        for status, count in sorted(counts().items()):
            click.echo(f"{status} : {count}")
        for status, count in sorted(tasks.counts().items()):
            click.echo(f"tâches {status} : {count}")

    app.cli.add_command(group)
