"""Background tasks: the long computations an organiser asks for (the synthesis aid, full exports).

A task is one row per request key (``aid:12``, ``export:12:propositions``), written in the
request's transaction by ``request_task``. Asking for what is already pending or running starts
nothing: the conditional UPDATE (or the INSERT … ON CONFLICT DO NOTHING on the unique key) lets
one of two simultaneous requests through, the other reads the task the first one started.

After the commit the task is handed over like an email of the outbox (concertation/jobs.py):

- with a queue (``JOBS_QUEUE_URL`` / ``REDIS_URL``), to the RQ workers (``flask jobs worker``);
- without it (``make run``), run at once in this process, in an application context (hence a
  database session) of its own.

A worker first claims the task (``pending`` → ``running``), runs it and stores its outcome in
the same transaction as the work itself (``done``). A failure is retried with exponential backoff;
after ``JOBS_MAX_ATTEMPTS`` tries (or at once for a refusal, which no retry would change) the task
is ``dead`` and shows in the administrators' dead letters (/admin/envois). A worker killed
mid-task leaves it ``running``; after ``TASKS_LEASE_SECONDS`` ``flask jobs sweep`` hands it over again.
"""

import logging
import zlib
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import Flask, current_app
from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String, Text, event, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from concertation import jobs
from concertation.db import Base, utcnow
from concertation.errors import ActionRefused
from concertation.extensions import db

log = logging.getLogger("concertation.tasks")

PENDING, RUNNING, DONE, DEAD = "pending", "running", "done", "dead"
ACTIVE = (PENDING, RUNNING)
AID, EXPORT = "aid", "export"


class Task(Base):
    __tablename__ = "task"

    id: Mapped[int] = mapped_column(primary_key=True)
    # What is asked, once at a time: "aid:<consultation>", "export:<consultation>:<dataset>".
    key: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(30))
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id", ondelete="CASCADE"), index=True)
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(10), default=PENDING, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    # What the last successful run says (figures, never personal data): seconds, rows, bytes…
    summary: Mapped[dict] = mapped_column(JSON, default=dict)
    # A prepared file (gzip), kept until TASKS_EXPORT_KEEP_HOURS after it was made.
    result: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    @property
    def retrying(self) -> bool:
        return self.status == PENDING and self.attempts > 0


def aid_key(consultation_id: int) -> str:
    return f"{AID}:{consultation_id}"


def export_key(consultation_id: int, dataset: str) -> str:
    return f"{EXPORT}:{consultation_id}:{dataset}"


# Handlers: kind → function(task, now) returning (summary, result bytes or None); registered by the areas.
HANDLERS: dict[str, Callable] = {}


def handler(kind: str):
    def register(function):
        HANDLERS[kind] = function
        return function

    return register


def _handlers() -> dict[str, Callable]:
    import concertation.synthesis.background  # registers the aid and the exports
    import concertation.workshops.notices  # noqa: F401 - registers the workshops' notices

    return HANDLERS


# Asking -------------------------------------------------------------------------------------------------------------


def _insert():
    return postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert


def request_task(
    kind: str, key: str, consultation_id: int, now: datetime, params: dict | None = None, user_id: int | None = None
) -> tuple[Task, bool]:
    """Ask for a task; (the task, whether this call started it). The caller commits; the task runs after."""
    values = dict(
        status=PENDING,
        attempts=0,
        params=params or {},
        requested_by_id=user_id,
        requested_at=now,
        next_attempt_at=now,
        claimed_at=None,
        last_error=None,
    )
    started = db.session.execute(
        update(Task)
        .where(Task.key == key, Task.status.not_in(ACTIVE))
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]
    if not started:
        started = (
            db.session.execute(
                _insert()(Task)
                .values(key=key, kind=kind, consultation_id=consultation_id, summary={}, **values)
                .on_conflict_do_nothing(index_elements=[Task.key])
                .returning(Task.id)
            ).scalar_one_or_none()
            is not None
        )
    task = db.session.scalars(select(Task).where(Task.key == key).execution_options(populate_existing=True)).one()
    if started:
        db.session.info.setdefault("tasks_new", []).append(task.id)
    return task, bool(started)


def task_of(key: str) -> Task | None:
    return db.session.scalar(select(Task).where(Task.key == key))


def retry(task: Task, now: datetime) -> None:
    """An administrator asks for a dead task to be tried again (from the first attempt)."""
    task.status, task.attempts, task.next_attempt_at, task.claimed_at = PENDING, 0, now, None
    db.session.flush()
    db.session.info.setdefault("tasks_new", []).append(task.id)


# Handing over ---------------------------------------------------------------------------------------------------------


def _after_commit(session: Session) -> None:
    if session.get_nested_transaction() is not None:
        return  # a SAVEPOINT released (begin_nested): the tasks wait for the real commit
    ids = session.info.pop("tasks_new", None)
    if not ids:
        return
    try:
        app = current_app._get_current_object()  # type: ignore[attr-defined]
    except RuntimeError:  # pragma: no cover - sessions live in an app context
        return
    dispatch(app, ids)


def _after_rollback(session: Session) -> None:
    if session.get_nested_transaction() is not None:
        return  # a SAVEPOINT rolled back: the tasks written before it still leave at the commit
    session.info.pop("tasks_new", None)


def dispatch(app: Flask, ids: list[int], delay: timedelta | None = None) -> None:
    """Hand tasks over to the workers, or run them here (each in a session of its own) when there is no queue."""
    rq_queue = jobs.queue(app)
    if rq_queue is None:
        if delay is None:
            for task_id in ids:
                with app.app_context():
                    run(task_id)
        return  # embedded mode: a retry waits for `flask jobs sweep`
    timeout = app.config["TASKS_TIMEOUT_SECONDS"]
    for task_id in ids:
        try:
            if delay is None:
                rq_queue.enqueue(run_task, task_id, job_timeout=timeout)
            else:
                rq_queue.enqueue_in(delay, run_task, task_id, job_timeout=timeout)
        except Exception:  # Redis down: the task stays pending, the sweep hands it over later
            log.exception("Tâche %s non confiée à la file (Redis indisponible ?)", task_id)


def run_task(task_id: int) -> str:
    """The RQ job: run one task, in an application context (and a database session) of its own."""
    with current_app.app_context():
        return run(task_id)


# Running ---------------------------------------------------------------------------------------------------------------


def run(task_id: int, now: datetime | None = None) -> str:
    """Claim, run, store: returns the task's status afterwards ("skipped" if it is not due or someone has it)."""
    config = current_app.config
    now = now or utcnow()
    lease = timedelta(seconds=config["TASKS_LEASE_SECONDS"])
    with db.engine.begin() as connection:
        claimed = connection.execute(
            update(Task)
            .where(
                Task.id == task_id,
                Task.next_attempt_at <= now,
                (Task.status == PENDING) | ((Task.status == RUNNING) & (Task.claimed_at < now - lease)),
            )
            .values(status=RUNNING, claimed_at=now, attempts=Task.attempts + 1)
        ).rowcount
    if not claimed:
        return "skipped"
    task = db.session.get(Task, task_id, populate_existing=True)
    if task is None:  # pragma: no cover - its consultation was deleted meanwhile
        return "skipped"
    attempts, kind = task.attempts, task.kind
    try:
        summary, result = _handlers()[kind](task, now)
        task.status, task.summary, task.finished_at = DONE, summary, utcnow()
        task.claimed_at, task.last_error = None, None
        if result is not None:
            task.result = result
        db.session.commit()
        return DONE
    except Exception as error:  # a bug, the database, the model…: retried, then a dead letter
        db.session.rollback()
        refused = isinstance(error, ActionRefused)
        dead = refused or attempts >= config["JOBS_MAX_ATTEMPTS"]
        wait = jobs.backoff(attempts, config["JOBS_BACKOFF_SECONDS"])
        message = error.message if isinstance(error, ActionRefused) else f"{type(error).__name__}: {error}"
        with db.engine.begin() as connection:
            connection.execute(
                update(Task)
                .where(Task.id == task_id)
                .values(
                    status=DEAD if dead else PENDING,
                    last_error=message[:2000],
                    next_attempt_at=now + wait,
                    claimed_at=None,
                )
            )
        log.warning("Tâche %s (%s) échouée (essai %s) : %s", task_id, kind, attempts, error)
        jobs._count_failure()
        if not dead:
            dispatch(current_app._get_current_object(), [task_id], delay=wait)  # type: ignore[attr-defined]
        return DEAD if dead else PENDING


def sweep(now: datetime | None = None) -> int:
    """Hand over again the retries that are due and the tasks whose worker died; forget old prepared files."""
    now = now or utcnow()
    config = current_app.config
    lease = timedelta(seconds=config["TASKS_LEASE_SECONDS"])
    db.session.execute(
        update(Task)
        .where(
            Task.result.is_not(None),
            Task.finished_at < now - timedelta(hours=config["TASKS_EXPORT_KEEP_HOURS"]),
        )
        .values(result=None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    embedded = jobs.queue(current_app) is None
    due = now if embedded else now - lease
    ids = list(
        db.session.scalars(
            select(Task.id)
            .where(
                Task.next_attempt_at <= due,
                (Task.status == PENDING) | ((Task.status == RUNNING) & (Task.claimed_at < now - lease)),
            )
            .order_by(Task.id)
        )
    )
    db.session.rollback()
    if embedded:
        for task_id in ids:
            run(task_id, now)
    else:
        dispatch(current_app._get_current_object(), ids)  # type: ignore[attr-defined]
    return len(ids)


# Reading -----------------------------------------------------------------------------------------------------------------


def failed(limit: int = 200) -> list[Task]:
    """Dead tasks, and those waiting for a retry after a failure (the administrators' dead letters)."""
    return list(
        db.session.scalars(
            select(Task)
            .where((Task.status == DEAD) | ((Task.status == PENDING) & (Task.attempts > 0)))
            .order_by(Task.id.desc())
            .limit(limit)
        )
    )


def counts() -> dict[str, int]:
    return {
        status: count for status, count in db.session.execute(select(Task.status, func.count()).group_by(Task.status))
    }


def counts_by_kind() -> dict[tuple[str, str], int]:
    """How many tasks of each kind stand in each state, every pair present (zero where none), for the metrics."""
    found = {
        (kind, status): count
        for kind, status, count in db.session.execute(
            select(Task.kind, Task.status, func.count()).group_by(Task.kind, Task.status)
        )
    }
    return {(kind, status): found.get((kind, status), 0) for kind in (AID, EXPORT) for status in (*ACTIVE, DONE, DEAD)}


def prepared_file(task: Task | None, now: datetime) -> bytes | None:
    """The gzip file a done export left, if it is still kept."""
    if task is None or task.finished_at is None:
        return None
    if task.finished_at < now - timedelta(hours=current_app.config["TASKS_EXPORT_KEEP_HOURS"]):
        return None
    return task.result


def gunzip(data: bytes, size: int = 64 * 1024):
    """The prepared file's bytes, decompressed piece by piece (a download streams them)."""
    inflate = zlib.decompressobj(wbits=31)
    for start in range(0, len(data), size):
        piece = inflate.decompress(data[start : start + size])
        if piece:
            yield piece
    rest = inflate.flush()
    if rest:
        yield rest


def init_app(app: Flask) -> None:
    app.config.setdefault("TASKS_LEASE_SECONDS", 1800)
    app.config.setdefault("TASKS_TIMEOUT_SECONDS", 3600)
    app.config.setdefault("TASKS_EXPORT_KEEP_HOURS", 24)
    # One listener for every app: the scoped session's class is shared.
    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_rollback", _after_rollback)
