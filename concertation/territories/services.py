"""Territories: creation, agents' email domains, roles, agent recognition and invitations."""

import hashlib
import re
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from flask_babel import lazy_gettext as _l

from concertation.accounts.models import User
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.territories.models import (
    DEFAULT_ARTICLES,
    NAME_ARTICLES,
    TERRITORY_KINDS,
    TERRITORY_ROLES,
    Invitation,
    Membership,
    Territory,
    TerritoryDomain,
)

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DOMAIN_PATTERN = re.compile(r"^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
# INSEE code of a région or département (2A/2B, 971…), of a commune (5 characters), or a SIREN (9 digits).
CODE_PATTERN = re.compile(r"^(?:\d{2}|2[AB]|97\d|\d[\dAB]\d{3}|\d{9})$")


def parse_domains(raw: str) -> list[str]:
    """Email domains typed one per line or separated by commas, checked and de-duplicated."""
    domains = []
    for part in re.split(r"[\s,;]+", (raw or "").lower()):
        part = part.strip().lstrip("@")
        if not part:
            continue
        if not DOMAIN_PATTERN.match(part):
            raise ActionRefused(
                _l("« %(domain)s » n’est pas un nom de domaine valide (exemple : ville-exemple.fr).", domain=part),
                field="domains",
            )
        if part not in domains:
            domains.append(part)
    return domains


def _check(name: str, kind: str, slug: str, code: str | None) -> None:
    if not name.strip():
        raise ActionRefused(_l("Le nom du territoire est obligatoire."), field="name")
    if kind not in TERRITORY_KINDS:
        raise ActionRefused(_l("Type de territoire inconnu."), field="kind")
    if not SLUG_PATTERN.match(slug or ""):
        raise ActionRefused(
            _l("L’identifiant d’adresse ne peut contenir que des minuscules, des chiffres et des tirets."), field="slug"
        )
    if code and not CODE_PATTERN.match(code):
        raise ActionRefused(
            _l("Le code doit être un code INSEE (région, département ou commune) ou un SIREN (9 chiffres)."),
            field="code",
        )


def _check_article(article: str) -> str:
    if article not in NAME_ARTICLES:
        raise ActionRefused(_l("Article inconnu."), field="name_article")
    return article


def create_territory(
    name: str,
    kind: str,
    slug: str,
    code: str | None = None,
    domains: list[str] = (),
    population: int | None = None,
    description: str = "",
    name_article: str | None = None,
) -> Territory:
    _check(name, kind, slug, code)
    name_article = _check_article(DEFAULT_ARTICLES.get(kind, "") if name_article is None else name_article)
    if db.session.scalar(select(Territory.id).where(Territory.slug == slug)) is not None:
        raise ActionRefused(_l("Un territoire utilise déjà cet identifiant d’adresse."), field="slug")
    territory = Territory(
        name=name.strip(),
        kind=kind,
        slug=slug,
        code=code or None,
        population=population,
        description=description,
        name_article=name_article,
    )
    territory.domains = [TerritoryDomain(domain=d) for d in domains]
    db.session.add(territory)
    db.session.flush()
    return territory


def update_territory(
    territory: Territory,
    name: str,
    kind: str,
    slug: str,
    code: str | None,
    domains: list[str],
    population: int | None = None,
    description: str = "",
    name_article: str | None = None,
) -> Territory:
    _check(name, kind, slug, code)
    if name_article is not None:
        territory.name_article = _check_article(name_article)
    clash = db.session.scalar(select(Territory.id).where(Territory.slug == slug, Territory.id != territory.id))
    if clash is not None:
        raise ActionRefused(_l("Un territoire utilise déjà cet identifiant d’adresse."), field="slug")
    territory.name, territory.kind, territory.slug = name.strip(), kind, slug
    territory.code, territory.population, territory.description = code or None, population, description
    kept = {d.domain: d for d in territory.domains}
    territory.domains = [kept.get(d) or TerritoryDomain(domain=d) for d in domains]
    return territory


def set_siren(territory: Territory, raw: str | None) -> None:
    """The collectivité's own SIREN (9 digits, spaces allowed when typed), which ProConnect's SIRET starts with."""
    siren = re.sub(r"\s", "", raw or "")
    if siren and not re.fullmatch(r"\d{9}", siren):
        raise ActionRefused(_l("Le SIREN compte 9 chiffres (exemple : 213 502 388)."), field="siren")
    territory.siren = siren or None


def grant_role(territory: Territory, user: User, role: str, source: str = "admin") -> Membership:
    """Give `user` a role in `territory`; granting a role already held changes nothing."""
    if role not in TERRITORY_ROLES:
        raise ActionRefused(_l("Rôle inconnu."), field="role")
    if user.deleted_at:
        raise ActionRefused(_l("Ce compte a été supprimé."))
    existing = next((m for m in user.memberships if m.territory_id == territory.id and m.role == role), None)
    if existing is not None:
        return existing
    membership = Membership(user=user, territory=territory, role=role, source=source)
    db.session.add(membership)
    db.session.flush()
    return membership


def revoke_role(territory: Territory, user: User, role: str) -> None:
    for membership in list(user.memberships):
        if membership.territory_id == territory.id and membership.role == role:
            user.memberships.remove(membership)
    db.session.flush()


def recognise_agent(user: User) -> list[Membership]:
    """Make a confirmed user an agent of every territory whose email domains include theirs."""
    if not user.email or user.confirmed_at is None:
        return []
    domain = user.email.rsplit("@", 1)[-1]
    # A territory's domain covers its subdomains (dsi.ville-exemple.fr belongs to ville-exemple.fr).
    candidates = [".".join(domain.split(".")[i:]) for i in range(domain.count("."))]
    territories = db.session.scalars(
        select(Territory).join(TerritoryDomain).where(TerritoryDomain.domain.in_(candidates)).distinct()
    ).all()
    return [grant_role(t, user, "agent", source="domain") for t in territories]


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_invitation(
    author: User, territory: Territory, email: str, now: datetime, days: int = 14
) -> tuple[Invitation, str]:
    """An invitation for one person to become an agent; returns it with the secret token of its link."""
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        territory=territory,
        email=email.strip().lower(),
        token_hash=_hash_token(token),
        created_by_id=author.id,
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    db.session.add(invitation)
    db.session.flush()
    return invitation, token


def invitation_for_token(token: str, now: datetime) -> Invitation:
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == _hash_token(token or "")))
    if invitation is None:
        raise ActionRefused(_l("Cette invitation n’existe pas."), status=404)
    if invitation.accepted_at is not None:
        raise ActionRefused(_l("Cette invitation a déjà été acceptée."), status=409)
    if now >= invitation.expires_at:
        raise ActionRefused(
            _l("Cette invitation a expiré : demandez-en une nouvelle à l’organisateur·rice."), status=410
        )
    return invitation


def accept_invitation(user: User, token: str, now: datetime) -> Membership:
    """Make `user` an agent, once, before expiry, and only from the account of the invited address."""
    if user.confirmed_at is None:
        raise ActionRefused(_l("Confirmez d’abord votre adresse électronique."), status=403)
    invitation = invitation_for_token(token, now)
    if (user.email or "") != invitation.email:
        raise ActionRefused(
            _l(
                "Cette invitation a été envoyée à une autre adresse électronique : connectez-vous "
                "avec le compte de cette adresse (créez-le au besoin) pour l’accepter."
            ),
            status=403,
        )
    invitation.accepted_at = now
    invitation.accepted_by_id = user.id
    return grant_role(invitation.territory, user, "agent", source="invitation")


def pending_invitations(territory: Territory, now: datetime) -> list[Invitation]:
    return db.session.scalars(
        select(Invitation)
        .where(Invitation.territory_id == territory.id, Invitation.accepted_at.is_(None), Invitation.expires_at > now)
        .order_by(Invitation.created_at.desc())
    ).all()


def members(territory: Territory, role: str) -> list[User]:
    return db.session.scalars(
        select(User)
        .join(Membership)
        .where(Membership.territory_id == territory.id, Membership.role == role)
        .order_by(User.pseudonym)
    ).all()
