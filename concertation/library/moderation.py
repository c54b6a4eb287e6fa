"""Moderation of the retours d’expérience, with the platform's moderation: its reasons, threshold and log.

A retour is reported by signed-in people; after the territory's threshold of reports it is hidden until
a decision. The moderators of the entry's territory (moderation.manage) hide it with a public reason,
restore it, or close the reports; each decision joins the territory's append-only moderation log
(target type « retour »). Moderation hides, it never deletes.
"""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.library.models import LibraryAdoption, LibraryEntry, LibraryReport
from concertation.moderation.models import REPORT_REASONS
from concertation.moderation.services import AUTO_HIDE_REASON, _log, notify_organisers
from concertation.notifications.services import notify, path_for

TARGET = "retour"


def retour_path(adoption: LibraryAdoption) -> str:
    return path_for("library.show", entry_id=adoption.entry_id) + f"#retour-{adoption.id}"


def open_reports(adoption: LibraryAdoption) -> int:
    return db.session.execute(
        select(func.count(LibraryReport.id)).where(
            LibraryReport.adoption_id == adoption.id, LibraryReport.resolved_at.is_(None)
        )
    ).scalar_one()


def report(reporter, adoption: LibraryAdoption, reason: str, detail: str, now: datetime) -> LibraryReport:
    """Report a retour once; after the entry territory's threshold of reports it is hidden until a decision."""
    if reason not in REPORT_REASONS:
        raise ActionRefused(_l("Choisissez un motif de signalement."), field="reason")
    if adoption.declared_by_id == reporter.id:
        raise ActionRefused(_l("Vous ne pouvez pas signaler votre propre contribution."), status=403)
    made = LibraryReport(
        adoption_id=adoption.id, reporter_id=reporter.id, reason=reason, detail=(detail or "").strip(), created_at=now
    )
    db.session.add(made)
    try:
        db.session.flush()
    except IntegrityError:
        raise ActionRefused(_l("Vous avez déjà signalé cette contribution."), status=409) from None
    territory = adoption.entry.territory
    notify_organisers(
        territory,
        "Nouveau signalement d’un retour d’expérience : " + REPORT_REASONS[reason].lower(),
        retour_path(adoption),
        now,
    )
    if adoption.moderation == "visible" and open_reports(adoption) >= territory.report_threshold:
        adoption.moderation, adoption.moderation_reason, adoption.moderated_at = "hidden", AUTO_HIDE_REASON, now
        _log(territory, None, "auto_hide", TARGET, adoption.id, AUTO_HIDE_REASON, now=now)
    db.session.flush()
    return made


def _resolve(adoption: LibraryAdoption, now: datetime) -> None:
    db.session.execute(
        update(LibraryReport)
        .where(LibraryReport.adoption_id == adoption.id, LibraryReport.resolved_at.is_(None))
        .values(resolved_at=now)
    )


def _told(adoption: LibraryAdoption, message: str, now: datetime) -> None:
    notify([adoption.declared_by_id], "moderation", message, retour_path(adoption), now)


def hide(moderator, adoption: LibraryAdoption, reason: str, now: datetime) -> None:
    reason = (reason or "").strip()
    if not reason:
        raise ActionRefused(_l("Indiquez le motif du masquage : il est affiché au public."), field="reason")
    adoption.moderation, adoption.moderation_reason, adoption.moderated_at = "hidden", reason, now
    _resolve(adoption, now)
    _log(adoption.entry.territory, moderator, "hide", TARGET, adoption.id, reason, now=now)
    _told(adoption, f"Votre retour d’expérience a été masqué par la modération. Motif : {reason}", now)
    db.session.flush()


def restore(moderator, adoption: LibraryAdoption, now: datetime, reason: str = "") -> None:
    adoption.moderation, adoption.moderation_reason, adoption.moderated_at = "visible", None, now
    _resolve(adoption, now)
    _log(adoption.entry.territory, moderator, "restore", TARGET, adoption.id, (reason or "").strip(), now=now)
    _told(adoption, "Votre retour d’expérience est de nouveau visible.", now)
    db.session.flush()


def dismiss(moderator, adoption: LibraryAdoption, now: datetime) -> None:
    """Close the reports; a retour hidden automatically by them comes back."""
    if adoption.moderation == "hidden" and adoption.moderation_reason == AUTO_HIDE_REASON:
        adoption.moderation, adoption.moderation_reason, adoption.moderated_at = "visible", None, now
    _resolve(adoption, now)
    _log(adoption.entry.territory, moderator, "dismiss", TARGET, adoption.id, now=now)
    db.session.flush()


@dataclass
class Reported:
    adoption: LibraryAdoption
    open_reports: int
    reasons: list[str]


def queue(territory) -> list[Reported]:
    """The retours on the territory's entries with open reports, most reported first."""
    counts = (
        select(LibraryReport.adoption_id, func.count(LibraryReport.id).label("n"))
        .where(LibraryReport.resolved_at.is_(None))
        .group_by(LibraryReport.adoption_id)
        .subquery()
    )
    rows = db.session.execute(
        select(LibraryAdoption, counts.c.n)
        .join(counts, counts.c.adoption_id == LibraryAdoption.id)
        .join(LibraryEntry, LibraryEntry.id == LibraryAdoption.entry_id)
        .where(LibraryEntry.territory_id == territory.id)
        .order_by(counts.c.n.desc(), LibraryAdoption.id)
        .limit(200)
    ).all()
    reasons: dict[int, list[str]] = {}
    if rows:
        for adoption_id, reason, detail in db.session.execute(
            select(LibraryReport.adoption_id, LibraryReport.reason, LibraryReport.detail)
            .where(LibraryReport.adoption_id.in_([a.id for a, _n in rows]), LibraryReport.resolved_at.is_(None))
            .order_by(LibraryReport.created_at)
        ):
            text = REPORT_REASONS.get(reason, reason) + (f" — « {detail} »" if detail else "")
            reasons.setdefault(adoption_id, []).append(text)
    return [Reported(a, n, reasons.get(a.id, [])) for a, n in rows]
