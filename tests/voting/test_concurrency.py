"""Many requests of the same person at once: no duplicate, no support over the limit, exact counts.

Each thread works as a request does: in its own application context, so with its own
database session and connection. The full test needs PostgreSQL (real concurrent
writers); a lighter one runs on SQLite, whose writers queue one after the other.
"""

import os
import threading
from collections import Counter

import pytest
from sqlalchemy import func, select

from concertation.accounts.models import User
from concertation.db import utcnow
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.proposals.models import Proposal
from concertation.voting import services
from concertation.voting.models import Grade, Support, SupportQuota
from tests.factories import make_consultation, make_proposal, make_user

ON_POSTGRES = os.environ.get("TEST_DATABASE_URL", "").startswith("postgres")
needs_postgres = pytest.mark.skipif(
    not ON_POSTGRES,
    reason=(
        "needs PostgreSQL (set TEST_DATABASE_URL): SQLite runs one writer at a time, so it cannot show these races"
    ),
)


def run_together(app, jobs):
    """Run each job (a function of no argument) in its own thread and app context, all released at once."""
    barrier = threading.Barrier(len(jobs))
    outcomes: list[str] = [""] * len(jobs)

    def run(index, job):
        with app.app_context():
            try:
                barrier.wait()
                job()
                db.session.commit()
                outcomes[index] = "ok"
            except ActionRefused as refusal:
                db.session.rollback()
                outcomes[index] = refusal.message
            except Exception as error:  # a deadlock or a 500: the test reports it
                db.session.rollback()
                outcomes[index] = f"ERROR {type(error).__name__}: {error}"
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck"
    errors = [o for o in outcomes if o.startswith("ERROR")]
    assert not errors, errors
    return Counter(outcomes)


def act(action, user_id, proposal_id):
    def job():
        user = db.session.get(User, user_id)
        proposal = db.session.get(Proposal, proposal_id)
        action(user, proposal, utcnow())

    return job


def assert_counts_exact(consultation_id, user_id, limit):
    db.session.expire_all()
    rows = dict(
        db.session.execute(
            select(Support.proposal_id, func.count(Support.id))
            .where(Support.consultation_id == consultation_id)
            .group_by(Support.proposal_id)
        )
        .tuples()
        .all()
    )
    counts = dict(
        db.session.execute(
            select(Proposal.id, Proposal.support_count).where(Proposal.consultation_id == consultation_id)
        )
        .tuples()
        .all()
    )
    assert all(counts[pid] == rows.get(pid, 0) for pid in counts), (counts, rows)
    duplicates = db.session.scalar(
        select(func.count()).select_from(
            select(Support.proposal_id)
            .where(Support.user_id == user_id)
            .group_by(Support.proposal_id)
            .having(func.count() > 1)
            .subquery()
        )
    )
    assert duplicates == 0
    given = sum(rows.values())
    assert given <= limit
    used = db.session.scalar(
        select(SupportQuota.used).where(
            SupportQuota.consultation_id == consultation_id, SupportQuota.user_id == user_id
        )
    )
    assert used == given
    return given


def scene(proposals: int, limit: int):
    consultation = make_consultation("vote", support_limit=limit)
    ids = [make_proposal(consultation).id for _ in range(proposals)]
    return consultation.id, ids, make_user().id


@pytest.mark.postgres_only
@needs_postgres
@pytest.mark.parametrize("round_", range(3))
def test_fifty_concurrent_supports_of_one_person_hold_the_limit(app, round_):
    limit = 5
    consultation_id, ids, user_id = scene(proposals=12, limit=limit)
    # 50 requests: each of the 12 proposals asked for 4 or 5 times, far beyond the limit of 5.
    outcomes = run_together(app, [act(services.support, user_id, ids[i % len(ids)]) for i in range(50)])
    assert outcomes["ok"] == limit
    assert outcomes["Vous soutenez déjà cette proposition."] + outcomes["ok"] <= 50
    assert sum(n for message, n in outcomes.items() if message.startswith("Vous avez utilisé vos 5")) > 0
    assert assert_counts_exact(consultation_id, user_id, limit) == limit


@pytest.mark.postgres_only
@needs_postgres
def test_supports_and_withdrawals_mixed_stay_exact_and_never_deadlock(app):
    limit = 4
    consultation_id, ids, user_id = scene(proposals=6, limit=limit)
    run_together(app, [act(services.support, user_id, pid) for pid in ids[:3]])
    jobs = [
        act(services.withdraw_support if i % 3 == 0 else services.support, user_id, ids[i % len(ids)])
        for i in range(50)
    ]
    run_together(app, jobs)
    assert_counts_exact(consultation_id, user_id, limit)


@pytest.mark.postgres_only
@needs_postgres
def test_many_people_support_the_same_proposal_at_once(app):
    consultation = make_consultation("vote", support_limit=1)
    proposal_id = make_proposal(consultation).id
    users = [make_user().id for _ in range(30)]
    outcomes = run_together(app, [act(services.support, uid, proposal_id) for uid in users])
    assert outcomes["ok"] == 30
    db.session.expire_all()
    assert db.session.get(Proposal, proposal_id).support_count == 30


@pytest.mark.postgres_only
@needs_postgres
def test_concurrent_grades_of_one_person_keep_one_grade(app):
    consultation = make_consultation("vote", voting_method="majority")
    proposal_id, user_id = make_proposal(consultation).id, make_user().id

    def grade(mention):
        def job():
            services.grade(db.session.get(User, user_id), db.session.get(Proposal, proposal_id), mention, utcnow())

        return job

    outcomes = run_together(app, [grade(i % 6) for i in range(30)])
    assert outcomes["ok"] == 30
    assert db.session.scalar(select(func.count(Grade.id))) == 1


def test_a_lighter_burst_on_the_embedded_database(app):
    """Also on SQLite: writers wait for each other (busy timeout) and the limit holds."""
    limit = 3
    consultation_id, ids, user_id = scene(proposals=5, limit=limit)
    outcomes = run_together(app, [act(services.support, user_id, ids[i % len(ids)]) for i in range(12)])
    assert outcomes["ok"] == limit
    assert assert_counts_exact(consultation_id, user_id, limit) == limit
