"""A territory's published accessibility audit (RGAA): the status it may claim follows the rate measured."""

from datetime import date, datetime

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from concertation.accounts.models import User
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.territories.models import ACCESSIBILITY_STATUSES, AccessibilityAudit, Territory


def audit_of(territory: Territory) -> AccessibilityAudit | None:
    return db.session.scalar(select(AccessibilityAudit).where(AccessibilityAudit.territory_id == territory.id))


def status_for_rate(rate: float) -> str:
    """RGAA: totally conformant at 100 % of the criteria met, partially from 50 %, not conformant below."""
    if rate >= 100:
        return "totalement"
    return "partiellement" if rate >= 50 else "non"


def publish_audit(
    user: User,
    territory: Territory,
    status: str,
    audited_on: date,
    auditor: str,
    rate: float | None,
    report_url: str,
    now: datetime,
) -> AccessibilityAudit:
    """Publish (or replace) the result of the territory's audit, shown on its accessibility statement."""
    auditor, report_url = (auditor or "").strip(), (report_url or "").strip()
    if status not in ACCESSIBILITY_STATUSES:
        raise ActionRefused(_l("Choisissez l’état de conformité indiqué par l’audit."), field="status")
    if audited_on is None or audited_on > now.date():
        raise ActionRefused(_l("La date de l’audit doit être passée."), field="audited_on")
    if not auditor or len(auditor) > 200:
        raise ActionRefused(_l("Indiquez qui a réalisé l’audit (200 caractères au plus)."), field="auditor")
    if rate is not None:
        if not 0 <= rate <= 100:
            raise ActionRefused(_l("Le taux de conformité est un pourcentage, entre 0 et 100."), field="rate")
        if status_for_rate(rate) != status:
            raise ActionRefused(
                _l(
                    "Avec un taux de %(rate)s %%, le RGAA qualifie le site de « %(status)s ».",
                    rate=format_decimal(rate),
                    status=_l(ACCESSIBILITY_STATUSES[status_for_rate(rate)]),
                ),
                field="status",
            )
    if report_url and (not report_url.startswith(("https://", "http://")) or len(report_url) > 500):
        raise ActionRefused(_l("Le lien du rapport doit commencer par http:// ou https://."), field="report_url")
    fields = dict(
        status=status,
        audited_on=audited_on,
        auditor=auditor,
        rate=rate,
        report_url=report_url,
        updated_by_id=user.id,
        updated_at=now,
    )
    audit = audit_of(territory)
    if audit is None:
        try:
            # A savepoint: if another organiser published the first audit at the same instant, update theirs.
            with db.session.begin_nested():
                audit = AccessibilityAudit(territory_id=territory.id, created_at=now, **fields)
                db.session.add(audit)
            return audit
        except IntegrityError:
            audit = audit_of(territory)
    for name, value in fields.items():
        setattr(audit, name, value)
    db.session.flush()
    return audit
