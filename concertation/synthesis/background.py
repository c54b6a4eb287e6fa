"""The synthesis area's background tasks (concertation/tasks.py): computing the aid, preparing full exports.

``ask_aid`` and ``ask_export`` are what the organisers' buttons call; the handlers below are what a
worker (or, without a queue, the application itself after the commit) runs.
"""

import zlib
from datetime import datetime

from flask_babel import lazy_gettext as _l

from concertation import jobs, tasks
from concertation.consultations.models import Consultation
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.synthesis import themes
from concertation.synthesis.exports import csv_json

# Seconds an in-process computation (no queue: it runs in the web request) may spend reading new
# proposals with the model; a worker, like `flask synthesis-aid`, has no limit.
IN_PROCESS_BUDGET = 20.0
DATASETS = ("propositions", "commentaires")


def ask_aid(consultation, user_id: int | None, now: datetime, start_over: bool = False, in_process: bool = False):
    """Ask for the aid to be computed; (task, started). A second request while one is under way starts nothing."""
    params = {"start_over": bool(start_over), "budget": IN_PROCESS_BUDGET if in_process else None}
    return tasks.request_task(tasks.AID, tasks.aid_key(consultation.id), consultation.id, now, params, user_id)


def ask_export(consultation, dataset: str, user_id: int | None, now: datetime):
    """Ask for a full export (hidden content included) to be prepared as a file; (task, started)."""
    if dataset not in DATASETS:
        raise ActionRefused(_l("Cet export n’existe pas."), status=404)
    key = tasks.export_key(consultation.id, dataset)
    return tasks.request_task(tasks.EXPORT, key, consultation.id, now, {"dataset": dataset}, user_id)


def aid_task(consultation) -> "tasks.Task | None":
    return tasks.task_of(tasks.aid_key(consultation.id))


def export_tasks(consultation) -> dict[str, "tasks.Task | None"]:
    return {dataset: tasks.task_of(tasks.export_key(consultation.id, dataset)) for dataset in DATASETS}


def in_process(app) -> bool:
    return jobs.queue(app) is None


def _consultation(task) -> Consultation:
    consultation = db.session.get(Consultation, task.consultation_id)
    if consultation is None:  # pragma: no cover - the task goes with its consultation (ON DELETE CASCADE)
        raise ActionRefused(_l("Cette consultation n’existe plus."), status=404)
    return consultation


@tasks.handler(tasks.AID)
def compute_aid(task, now: datetime):
    run = themes.refresh_aid(
        _consultation(task), now, start_over=task.params.get("start_over", False), budget=task.params.get("budget")
    )
    return {"method": run.method, "seconds": run.seconds, "remaining": run.remaining}, None


@tasks.handler(tasks.EXPORT)
def prepare_export(task, now: datetime):
    """The CSV, written batch by batch into a gzip file kept on the task (shared by every app server)."""
    dataset = task.params["dataset"]
    counted = [0]

    def rows():
        for row in csv_json.rows_of(_consultation(task), dataset, full=True):
            counted[0] += 1
            yield row

    deflate = zlib.compressobj(6, zlib.DEFLATED, 31)
    pieces, size = [], 0
    for chunk in csv_json.stream_csv(csv_json.columns_of(dataset, True), rows()):
        size += len(chunk)
        pieces.append(deflate.compress(chunk))
    pieces.append(deflate.flush())
    return {"rows": counted[0], "bytes": size}, b"".join(pieces)
