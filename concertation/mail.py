"""Outgoing email: sent through SMTP when MAIL_SERVER is set.

Without MAIL_SERVER nothing leaves the machine: in development (debug) each email is
printed in full to the terminal, framed, so that its links can be copied; elsewhere it
is written to the log at WARNING level, and the app says so when it starts. Under
tests, sent emails are also kept in ``app.extensions["outbox"]``.
"""

import logging
import smtplib
import sys
from email.message import EmailMessage

from flask import Flask, current_app

log = logging.getLogger("concertation.mail")

FRAME_WIDTH = 78


def init_app(app: Flask) -> None:
    """Say loudly, once at start-up, that emails are not sent when no MAIL_SERVER is configured."""
    if app.config.get("MAIL_SERVER") or app.debug or app.testing:
        return
    log.warning(
        "MAIL_SERVER n’est pas défini : aucun courriel ne sera envoyé (confirmations d’inscription, "
        "réinitialisations, invitations, notifications). Chaque courriel est écrit dans ce journal ; "
        "définissez MAIL_SERVER pour les envoyer."
    )


def framed(message: EmailMessage) -> str:
    """The whole email in a frame, for a developer's terminal: links stay whole on their own lines."""
    title = " Courriel non envoyé (MAIL_SERVER absent) — copiez le lien ci-dessous "
    lines = [f"À : {message['To']}", f"Objet : {message['Subject']}", "", *message.get_content().splitlines()]
    rule = "═" * max(0, FRAME_WIDTH - len(title) - 4)
    return "\n".join(["", f"╔══{title}{rule}", *(f"║ {line}" for line in lines), "╚" + "═" * (FRAME_WIDTH - 1), ""])


def send_email(to: str, subject: str, body: str, message_id: str | None = None) -> None:
    """Deliver one email now; called by the outbox's workers (concertation.jobs), never by a request."""
    config = current_app.config
    message = EmailMessage()
    if message_id:
        message["Message-ID"] = message_id
    message["From"] = config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    if current_app.testing:
        current_app.extensions.setdefault("outbox", []).append(message)
    if not config.get("MAIL_SERVER"):
        if current_app.debug:
            print(framed(message), file=sys.stderr, flush=True)
        elif not current_app.testing:
            log.warning("Courriel non envoyé (MAIL_SERVER absent) à %s — %s\n%s", to, subject, body)
        return
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)
