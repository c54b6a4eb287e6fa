"""Élus sign a published version in their territory's name: once per territory per version, withdrawable."""

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from flask_babel import lazy_gettext as _l

from concertation.accounts.models import User
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.manifesto import services
from concertation.manifesto.models import Endorsement, ManifestoVersion
from concertation.territories.models import Territory
from concertation.territories.names import lazy_territory_name
from concertation.text import to_html


def endorsement_of(version: ManifestoVersion, territory: Territory) -> Endorsement | None:
    return db.session.scalar(
        select(Endorsement).where(Endorsement.version_id == version.id, Endorsement.territory_id == territory.id)
    )


def sign(elu: User, version: ManifestoVersion, territory: Territory, statement: str, now: datetime) -> Endorsement:
    """Sign the latest published version in the territory's name, with an optional statement."""
    if not version.is_published:
        raise ActionRefused(_l("Seule une version publiée du manifeste peut être signée."), status=409)
    latest = services.latest_published(version.manifesto)
    if latest.id != version.id:
        raise ActionRefused(
            _l(
                "Une version plus récente (version %(number)d) a été publiée : c’est elle que l’on signe désormais.",
                number=latest.number,
            ),
            status=409,
        )
    statement = (statement or "").strip()
    if len(statement) > 2000:
        raise ActionRefused(_l("La déclaration ne doit pas dépasser 2 000 caractères."), field="statement")
    refusal = ActionRefused(
        _l(
            "%(territory)s a déjà signé la version %(number)d.",
            territory=lazy_territory_name(territory, "Article"),
            number=version.number,
        ),
        status=409,
    )
    endorsement = endorsement_of(version, territory)
    if endorsement is not None and endorsement.withdrawn_at is None:
        raise refusal
    fields = dict(
        signed_by_id=elu.id,
        signed_at=now,
        withdrawn_at=None,
        statement=statement,
        statement_html=to_html(statement, markdown=False),
    )
    if endorsement is not None:
        for name, value in fields.items():
            setattr(endorsement, name, value)
        db.session.flush()
        return endorsement
    endorsement = Endorsement(version_id=version.id, territory_id=territory.id, **fields)
    try:
        # A savepoint: if another élu of the territory signed at the same instant, the constraint answers.
        with db.session.begin_nested():
            db.session.add(endorsement)
    except IntegrityError:
        raise refusal from None
    return endorsement


def withdraw(endorsement: Endorsement, now: datetime) -> None:
    if endorsement.withdrawn_at is not None:
        raise ActionRefused(_l("Cette signature est déjà retirée."), status=409)
    endorsement.withdrawn_at = now
    db.session.flush()


def signatories(version: ManifestoVersion) -> list[Endorsement]:
    """The territories whose signature of this version stands, first signed first."""
    return list(
        db.session.scalars(
            select(Endorsement)
            .where(Endorsement.version_id == version.id, Endorsement.withdrawn_at.is_(None))
            .order_by(Endorsement.signed_at, Endorsement.id)
        )
    )


def earlier_signatories(version: ManifestoVersion) -> list[tuple[Territory, int]]:
    """Territories that signed an earlier version but not this one, with the last version they signed."""
    signed_now = select(Endorsement.territory_id).where(
        Endorsement.version_id == version.id, Endorsement.withdrawn_at.is_(None)
    )
    last = func.max(ManifestoVersion.number)
    rows = db.session.execute(
        select(Territory, last)
        .join(Endorsement, Endorsement.territory_id == Territory.id)
        .join(ManifestoVersion, ManifestoVersion.id == Endorsement.version_id)
        .where(
            ManifestoVersion.manifesto_id == version.manifesto_id,
            ManifestoVersion.number < version.number,
            Endorsement.withdrawn_at.is_(None),
            Territory.id.not_in(signed_now),
        )
        .group_by(Territory.id)
        .order_by(Territory.name)
    ).all()
    return [(territory, number) for territory, number in rows]
