"""The moderation log stays append-only against the statements that rows triggers miss, and the
demonstration's reset neither disarms it nor erases a database holding real accounts."""

import pytest
from sqlalchemy import event, func, select, text

from concertation.db import utcnow
from concertation.extensions import db
from concertation.moderation import services
from concertation.moderation.models import ModerationAction
from tests.factories import make_consultation, make_proposal, make_territory, make_user


def logged_action():
    territory = make_territory()
    organiser = make_user("organiser", territory)
    proposal = make_proposal(make_consultation("proposals", territory=territory, author=organiser))
    services.hide(organiser, proposal, "Hors sujet", utcnow())
    db.session.commit()
    return db.session.scalar(select(ModerationAction))


def test_the_log_cannot_be_truncated_nor_rewritten_by_replace(app):
    entry = logged_action()
    if db.engine.dialect.name == "postgresql":
        attacks = [
            "TRUNCATE moderation_action",
            "TRUNCATE moderation_action RESTART IDENTITY CASCADE",
            'TRUNCATE "user" CASCADE',
        ]
    else:
        attacks = [
            "INSERT OR REPLACE INTO moderation_action (id, territory_id, moderator_id, action, target_type, "
            "target_id, reason, created_at) SELECT id, territory_id, moderator_id, action, target_type, target_id, "
            "'réécrit', created_at FROM moderation_action",
            "REPLACE INTO moderation_action (id, territory_id, moderator_id, action, target_type, target_id, reason, "
            "created_at) SELECT id, territory_id, NULL, 'restore', target_type, target_id, '', created_at "
            "FROM moderation_action",
        ]
    for statement in attacks:
        with pytest.raises(Exception, match="append-only"):
            db.session.execute(text(statement))
        db.session.rollback()
    assert db.session.scalar(select(ModerationAction.reason).where(ModerationAction.id == entry.id)) == "Hors sujet"
    assert db.session.scalar(select(func.count(ModerationAction.id))) == 1


def test_demo_reset_refuses_a_database_with_real_accounts(app, runner):
    logged_action()
    make_user(email="vraie.personne@mairie-exemple.fr")
    result = runner.invoke(args=["seed-demo", "--reset"])
    assert result.exit_code != 0 and "comptes réels" in result.output
    assert db.session.scalar(select(func.count(ModerationAction.id))) == 1


def test_demo_reset_never_switches_the_logs_protection_off(app, runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    statements = []
    listener = lambda conn, cursor, statement, *args: statements.append(statement.upper())  # noqa: E731
    event.listen(db.engine.__class__, "before_cursor_execute", listener)
    try:
        result = runner.invoke(args=["seed-demo", "--reset"])
    finally:
        event.remove(db.engine.__class__, "before_cursor_execute", listener)
    assert result.exit_code == 0, result.output
    disarming = [
        s
        for s in statements
        if "DROP TRIGGER" in s
        or "DISABLE TRIGGER" in s
        or "SESSION_REPLICATION_ROLE" in s
        or s.strip().startswith(("DELETE", "TRUNCATE"))
    ]
    assert disarming == []
    # The rebuilt log is protected as before.
    logged_action()
    with pytest.raises(Exception, match="append-only"):
        db.session.execute(text("DELETE FROM moderation_action"))
    db.session.rollback()
