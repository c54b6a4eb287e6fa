"""The same person sending a questionnaire from several requests at once: one response, never two.

Each thread works as a request does, in its own application context and database session.
The full race needs PostgreSQL; on SQLite the writers queue one after the other.
"""

import pytest
from sqlalchemy import func, select

from concertation.accounts.models import User
from concertation.db import utcnow
from concertation.extensions import db
from concertation.questionnaires import services as q
from concertation.questionnaires.models import Questionnaire, Respondent, Response
from tests.factories import make_questionnaire, make_user
from tests.questionnaires.test_services import fields
from tests.voting.test_concurrency import needs_postgres, run_together


def _send(user_id, questionnaire_id, sent):
    def job():
        user = db.session.get(User, user_id)
        questionnaire = db.session.get(Questionnaire, questionnaire_id)
        q.submit(user, questionnaire, utcnow(), sent)

    return job


def _race(app, senders: int, with_draft: bool):
    questionnaire = make_questionnaire()
    agent = make_user()
    sent = fields(questionnaire, single="Oui", scale=3)
    if with_draft:
        q.save_draft(agent, questionnaire, sent, utcnow())
    db.session.commit()
    outcomes = run_together(app, [_send(agent.id, questionnaire.id, sent) for _ in range(senders)])
    db.session.expire_all()
    assert outcomes["ok"] == 1, outcomes
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1
    assert db.session.scalar(select(func.count()).select_from(Respondent)) == 1


@pytest.mark.parametrize("with_draft", [False, True])
def test_two_sendings_at_once_make_one_response(app, with_draft):
    _race(app, 2, with_draft)


@needs_postgres
@pytest.mark.parametrize("with_draft", [False, True])
def test_many_sendings_at_once_make_one_response(app, with_draft):
    _race(app, 8, with_draft)
