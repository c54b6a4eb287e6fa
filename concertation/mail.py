"""Outgoing email: written to the log by default, sent through SMTP when MAIL_SERVER is set."""

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app

log = logging.getLogger("concertation.mail")


def send_email(to: str, subject: str, body: str) -> None:
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    if current_app.testing:
        current_app.extensions.setdefault("outbox", []).append(message)
    if not config.get("MAIL_SERVER"):
        log.info("Courriel (non envoyé, MAIL_SERVER absent) à %s — %s\n%s", to, subject, body)
        return
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)
