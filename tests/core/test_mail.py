"""Emails without MAIL_SERVER: printed in full in development, logged loudly elsewhere, never lost silently."""

import logging
import re

from concertation import create_app
from concertation.mail import send_email
from tests.conftest import make_config


def test_in_development_a_sign_up_prints_the_whole_confirmation_email_framed(app, client, capsys):
    app.debug = True  # what `make run` (FLASK_DEBUG=1) gives
    response = client.post(
        "/compte/inscription",
        data={
            "email": "nouvelle@exemple.fr",
            "pseudonym": "Nouvelle",
            "password": "une phrase de passe",
            "accept_terms": "y",
        },
        follow_redirects=True,
    )
    assert "affiché en entier dans le terminal" in response.get_data(as_text=True)
    printed = capsys.readouterr().err
    assert "Courriel non envoyé" in printed and "╔" in printed and "╚" in printed
    assert "À : nouvelle@exemple.fr" in printed
    link = re.search(r"^║ (http://localhost/compte/confirmer/\S+)$", printed, re.MULTILINE)
    assert link, printed
    confirmed = client.get(link.group(1).removeprefix("http://localhost"), follow_redirects=True)
    assert "Votre adresse est confirmée" in confirmed.get_data(as_text=True)


def test_tests_still_keep_sent_emails_without_printing_them(app, outbox, capsys):
    send_email("quelqu.un@exemple.fr", "Objet", "Corps")
    assert [m["To"] for m in outbox] == ["quelqu.un@exemple.fr"]
    assert capsys.readouterr().err == ""


def test_in_production_without_mail_server_the_app_says_so_and_logs_each_email(migrated_database, tmp_path, caplog):
    config = make_config(migrated_database, tmp_path, TESTING=False, DEBUG=False, SECRET_KEY="x" * 48, MAIL_SERVER=None)
    with caplog.at_level(logging.WARNING, logger="concertation.mail"):
        app = create_app(config)
        assert any("MAIL_SERVER n’est pas défini" in r.getMessage() for r in caplog.records)
        with app.test_request_context():
            send_email("habitant@exemple.fr", "Réinitialisez votre mot de passe", "Lien : http://x/reinit/abc")
    logged = [r for r in caplog.records if "habitant@exemple.fr" in r.getMessage()]
    assert logged and logged[0].levelno >= logging.WARNING
    assert "http://x/reinit/abc" in logged[0].getMessage()
