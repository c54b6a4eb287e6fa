"""The synthesis aid and full exports as background tasks: asked once, run after the commit, retried, seen when they fail."""

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from concertation import jobs, tasks
from concertation.db import utcnow
from concertation.extensions import db
from concertation.synthesis import background, themes
from concertation.synthesis.models import AidGroup
from tests.factories import make_consultation, make_proposal_row, make_territory, make_user
from tests.synthesis.aid_fixtures import themed_texts


def scene(per_theme=6):
    territory = make_territory()
    organiser = make_user("organiser", territory)
    consultation = make_consultation("synthesis", territory=territory, author=organiser)
    author = make_user()
    for _th, title, body in themed_texts(per_theme):
        make_proposal_row(consultation, author=author, title=title, body=body)
    db.session.commit()
    return organiser, consultation


class FakeQueue:
    """Stands for RQ on Redis: records what is handed over."""

    def __init__(self):
        self.jobs, self.delayed = [], []

    def enqueue(self, function, *args, **kwargs):
        self.jobs.append((function, args))

    def enqueue_in(self, delay, function, *args, **kwargs):
        self.delayed.append((delay, function, args))


@pytest.fixture
def fake_queue(monkeypatch):
    queue = FakeQueue()
    monkeypatch.setattr(jobs, "queue", lambda app: queue)
    return queue


def test_two_requests_at_once_start_one_task_and_one_job(app, fake_queue, fake_embeddings):
    organiser, consultation = scene()
    first, started = background.ask_aid(consultation, organiser.id, utcnow())
    again, started_again = background.ask_aid(consultation, organiser.id, utcnow())
    db.session.commit()
    assert started and not started_again and again.id == first.id
    assert [args for _f, args in fake_queue.jobs] == [(first.id,)]
    # Still pending in the queue: a third request starts nothing either.
    assert background.ask_aid(consultation, organiser.id, utcnow())[1] is False
    db.session.commit()
    assert len(fake_queue.jobs) == 1
    assert db.session.scalar(select(func.count(tasks.Task.id))) == 1


def test_a_worker_runs_the_queued_task_and_it_runs_once(app, fake_queue, fake_embeddings):
    organiser, consultation = scene()
    task, _started = background.ask_aid(consultation, organiser.id, utcnow())
    db.session.commit()
    function, args = fake_queue.jobs[0]
    assert function(*args) == tasks.DONE
    assert function(*args) == "skipped"  # handed over twice (the sweep, say): done once
    db.session.expire_all()
    assert db.session.get(tasks.Task, task.id).status == tasks.DONE
    assert db.session.scalar(select(func.count(AidGroup.id))) >= 2
    # Once done, asking again starts a new computation.
    assert background.ask_aid(consultation, organiser.id, utcnow())[1] is True


def test_without_a_queue_the_task_runs_in_process_after_the_commit(app, fake_embeddings):
    organiser, consultation = scene()
    task, started = background.ask_aid(consultation, organiser.id, utcnow(), in_process=True)
    assert started and themes.run_of(consultation) is None  # nothing before the commit
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(tasks.Task, task.id).status == tasks.DONE
    assert themes.run_of(consultation) is not None and themes.groups_of(consultation)


def test_a_rolled_back_request_runs_nothing(app, fake_queue, fake_embeddings):
    organiser, consultation = scene()
    background.ask_aid(consultation, organiser.id, utcnow())
    db.session.rollback()
    db.session.commit()
    assert fake_queue.jobs == [] and db.session.scalar(select(func.count(tasks.Task.id))) == 0


def test_a_failing_task_is_retried_with_backoff_then_shown_to_admins(app, client, auth, monkeypatch, fake_queue):
    app.config["JOBS_MAX_ATTEMPTS"] = 2
    organiser, consultation = scene(per_theme=1)

    def broken(task, now):
        raise RuntimeError("modèle introuvable")

    monkeypatch.setitem(tasks.HANDLERS, tasks.AID, broken)
    monkeypatch.setattr(tasks, "_handlers", lambda: tasks.HANDLERS)
    task, _s = background.ask_aid(consultation, organiser.id, utcnow())
    db.session.commit()
    now = utcnow()
    assert tasks.run(task.id, now) == tasks.PENDING
    db.session.expire_all()
    failed = db.session.get(tasks.Task, task.id)
    assert failed.retrying and failed.next_attempt_at >= now + timedelta(seconds=29)
    assert fake_queue.delayed[0][0] == timedelta(seconds=30)
    assert tasks.run(task.id, now) == "skipped"  # not due yet
    assert tasks.run(task.id, failed.next_attempt_at) == tasks.DEAD
    db.session.expire_all()
    assert db.session.get(tasks.Task, task.id).status == tasks.DEAD

    auth.login(make_user("admin"))
    page = client.get("/admin/envois").get_data(as_text=True)
    assert tasks.aid_key(consultation.id) in page and "RuntimeError: modèle introuvable" in page
    auth.logout()
    auth.login(organiser)
    aid_page = client.get(f"/consultations/{consultation.id}/synthese/aide").get_data(as_text=True)
    assert "a échoué après plusieurs essais" in aid_page
    # The operator's monitoring sees it too: the tasks gauge counts it as dead, by kind.
    metrics = client.get("/metrics").get_data(as_text=True)
    assert 'concertation_tasks{kind="aid",status="dead"} 1.0' in metrics
    assert 'concertation_tasks{kind="export",status="dead"} 0.0' in metrics
    # The organiser may ask again: a dead task starts over.
    assert background.ask_aid(consultation, organiser.id, utcnow())[1] is True
    db.session.commit()
    metrics = client.get("/metrics").get_data(as_text=True)
    assert 'concertation_tasks{kind="aid",status="pending"} 1.0' in metrics
    assert 'concertation_tasks{kind="aid",status="dead"} 0.0' in metrics


def test_the_organiser_prepares_a_full_export_and_downloads_it(app, client, auth, fake_embeddings):
    organiser, consultation = scene(per_theme=2)
    hidden = make_proposal_row(consultation, title="Masquée par la modération", moderation="hidden")
    db.session.commit()
    auth.login(organiser)
    html = client.get(f"/consultations/{consultation.id}/synthese/rediger").get_data(as_text=True)
    assert "Préparer l’export complet" in html
    url = f"/consultations/{consultation.id}/donnees/completes/propositions/preparer"
    page = client.post(url, follow_redirects=True).get_data(as_text=True)
    assert "L’export complet est prêt" in page and "Télécharger le fichier préparé" in page
    download = client.get(f"/consultations/{consultation.id}/donnees/completes/preparees/propositions.csv")
    assert download.status_code == 200 and download.headers["Cache-Control"] == "private, no-store"
    rows = list(csv.reader(io.StringIO(download.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == 1 + 2 * len(themed_texts(1)) + 1
    assert any(hidden.title in row for row in rows)
    # Not yet prepared: nothing to download.
    other = client.get(f"/consultations/{consultation.id}/donnees/completes/preparees/commentaires.csv")
    assert other.status_code == 404
    # A participant may neither prepare nor download.
    auth.logout()
    auth.login(make_user())
    assert client.post(url).status_code == 403
    assert (
        client.get(f"/consultations/{consultation.id}/donnees/completes/preparees/propositions.csv").status_code == 403
    )


def test_a_prepared_export_is_no_longer_served_after_a_day(app, fake_embeddings):
    organiser, consultation = scene(per_theme=1)
    task, _s = background.ask_export(consultation, "propositions", organiser.id, utcnow())
    db.session.commit()
    db.session.expire_all()
    task = db.session.get(tasks.Task, task.id)
    assert tasks.prepared_file(task, utcnow()) is not None
    assert tasks.prepared_file(task, utcnow() + timedelta(hours=25)) is None
    tasks.sweep(utcnow() + timedelta(hours=25))
    db.session.expire_all()
    assert db.session.get(tasks.Task, task.id).result is None
