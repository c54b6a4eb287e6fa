"""Accounts opened, linked and unlinked through FranceConnect and ProConnect; agents recognised by ProConnect.

Plain functions: the claims come in as a dict (already checked by identity/providers.py), `now` as an
argument; the caller commits.
"""

import re
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from concertation.accounts import services as accounts
from concertation.accounts.models import User
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.identity.models import LinkedIdentity
from concertation.identity.providers import PROVIDERS
from concertation.territories.models import Membership, Territory
from concertation.territories.services import grant_role, recognise_agent

SIRET_PATTERN = re.compile(r"^\d{14}$")
SIREN_PATTERN = re.compile(r"^\d{9}$")


@dataclass(frozen=True)
class Claims:
    """What the platform keeps of a provider's answer (nothing else is stored)."""

    provider: str
    subject: str
    email: str | None
    acr: str | None = None
    siret: str | None = None

    def as_session(self) -> dict:
        return {"p": self.provider, "s": self.subject, "e": self.email, "a": self.acr, "t": self.siret}

    @classmethod
    def from_session(cls, data) -> "Claims | None":
        if not isinstance(data, dict) or not isinstance(data.get("p"), str) or not isinstance(data.get("s"), str):
            return None
        return cls(data["p"], data["s"], data.get("e"), data.get("a"), data.get("t"))


def claims_from(provider: str, raw: dict) -> Claims:
    """Only the claims the platform needs: subject, email, assurance level, and ProConnect's SIRET."""
    subject = raw.get("sub")
    if not isinstance(subject, str) or not subject or len(subject) > 255:
        raise ActionRefused(_l("L’identité renvoyée par le fournisseur est incomplète."))
    email = raw.get("email")
    email = accounts.normalise_email(email) if isinstance(email, str) and "@" in email else None
    siret = raw.get("siret")
    siret = re.sub(r"\s", "", siret) if isinstance(siret, str) else None
    acr = raw.get("acr") if isinstance(raw.get("acr"), str) else None
    return Claims(provider, subject, email if email and len(email) <= 254 else None, acr and acr[:100], siret or None)


def find_identity(provider: str, subject: str) -> LinkedIdentity | None:
    return db.session.scalar(
        select(LinkedIdentity).where(LinkedIdentity.provider == provider, LinkedIdentity.subject == subject)
    )


# A deletion asked by a person without a password, waiting for their provider to confirm them (ten minutes).
DELETE_INTENT = "oidc_delete"
DELETE_INTENT_SECONDS = 600


def provider_to_confirm(user: User) -> str | None:
    """The configured provider through which `user` can prove themselves, for an account without password."""
    configured = current_app.extensions.get("oidc_providers", [])
    return next((i.provider for i in identities_of(user) if i.provider in configured), None)


def provider_label(name: str) -> str:
    return PROVIDERS[name].label


def identities_of(user: User) -> list[LinkedIdentity]:
    return list(
        db.session.scalars(
            select(LinkedIdentity).where(LinkedIdentity.user_id == user.id).order_by(LinkedIdentity.provider)
        )
    )


def signed_in_account(claims: Claims, now: datetime) -> User | None:
    """The account this identity already opens (its last sign-in noted), or None."""
    identity = find_identity(claims.provider, claims.subject)
    if identity is None:
        return None
    user = identity.user
    if user.deleted_at is not None:
        raise ActionRefused(_l("Le compte lié à cette identité a été supprimé."), status=403)
    identity.last_login_at = now
    identity.acr = claims.acr
    if claims.siret:
        identity.siret = claims.siret
    user.last_login_at = now
    recognise_proconnect_agent(user, claims)
    return user


def account_with_email(claims: Claims) -> User | None:
    """An existing account with the provider's email: it is linked only once its owner proves it."""
    if not claims.email:
        return None
    user = accounts.find_by_email(claims.email)
    return user if user is not None and user.deleted_at is None else None


def link(user: User, claims: Claims, now: datetime) -> LinkedIdentity:
    """Link the identity to `user`, who has proved the account (signed in, password, or emailed link)."""
    existing = find_identity(claims.provider, claims.subject)
    if existing is not None:
        if existing.user_id == user.id:
            return existing
        raise ActionRefused(_l("Cette identité est déjà liée à un autre compte."), status=409)
    if any(i.provider == claims.provider for i in identities_of(user)):
        raise ActionRefused(
            _l("Votre compte est déjà lié à une autre identité de ce fournisseur : déliez-la d’abord."), status=409
        )
    identity = LinkedIdentity(
        user=user,
        provider=claims.provider,
        subject=claims.subject,
        acr=claims.acr,
        siret=claims.siret,
        created_at=now,
        last_login_at=now,
    )
    db.session.add(identity)
    if user.confirmed_at is None and claims.email and claims.email == user.email:
        user.confirmed_at = now  # the provider vouches for the address
        recognise_agent(user)
    recognise_proconnect_agent(user, claims)
    db.session.flush()
    return identity


def link_with_password(claims: Claims, password: str, now: datetime) -> User:
    """Prove the account that has the provider's email by its password, then link."""
    user = account_with_email(claims)
    if user is None or accounts.authenticate(user.email or "", password, now) is None:
        raise ActionRefused(_l("Le mot de passe est incorrect."), field="password", status=401)
    link(user, claims, now)
    return user


def create_account(claims: Claims, pseudonym: str, accepted_terms: bool, now: datetime) -> User:
    """The first sign-in: an account from the claims, with the pseudonym the person chose (no password)."""
    if not accepted_terms:
        raise ActionRefused(
            _l("Vous devez accepter les conditions d’utilisation et la politique de confidentialité."),
            field="accept_terms",
        )
    pseudonym = accounts.check_pseudonym(pseudonym)
    if find_identity(claims.provider, claims.subject) is not None:
        raise ActionRefused(_l("Cette identité est déjà liée à un compte : connectez-vous."), status=409)
    if account_with_email(claims) is not None:
        raise ActionRefused(_l("Un compte existe déjà avec cette adresse : liez-le plutôt."), status=409)
    user = User(
        email=claims.email,
        pseudonym=pseudonym,
        password_hash=None,
        terms_accepted_at=now,
        created_at=now,
        confirmed_at=now,  # the provider vouches for the person (and its email)
        last_login_at=now,
    )
    db.session.add(user)
    db.session.flush()
    link(user, claims, now)  # ProConnect's organisation claims first, so that the membership says so
    recognise_agent(user)
    return user


def unlink(user: User, identity: LinkedIdentity) -> None:
    """Remove a linked identity, only if the account keeps another way to sign in."""
    if identity.user_id != user.id:
        raise ActionRefused(_l("Cette identité n’est pas liée à votre compte."), status=404)
    others = [i for i in identities_of(user) if i.id != identity.id]
    if not user.password_hash and not others:
        raise ActionRefused(
            _l(
                "C’est votre seul moyen de connexion : choisissez d’abord un mot de passe (« Mot de passe "
                "oublié » vous en envoie le lien par courriel), puis déliez cette identité."
            ),
            status=409,
        )
    db.session.delete(identity)
    db.session.flush()


def recognise_proconnect_agent(user: User, claims: Claims) -> list[Membership]:
    """ProConnect's organisation claims make the person an agent: the SIRET's SIREN, else the email's domain."""
    if claims.provider != "proconnect":
        return []
    granted: list[Membership] = []
    if claims.siret and SIRET_PATTERN.match(claims.siret):
        territories = db.session.scalars(select(Territory).where(Territory.siren == claims.siret[:9])).all()
        granted += [grant_role(t, user, "agent", source="proconnect-siren") for t in territories]
    if not granted and claims.email:
        domain_matches = _domain_territories(claims.email)
        granted += [grant_role(t, user, "agent", source="proconnect-domain") for t in domain_matches]
    return granted


def _domain_territories(email: str) -> list[Territory]:
    from concertation.territories.models import TerritoryDomain

    domain = email.rsplit("@", 1)[-1]
    candidates = [".".join(domain.split(".")[i:]) for i in range(domain.count("."))]
    return list(
        db.session.scalars(
            select(Territory).join(TerritoryDomain).where(TerritoryDomain.domain.in_(candidates)).distinct()
        )
    )


def is_franceconnect_verified(user) -> bool:
    """The account is linked to a FranceConnect identity (an identity verified at level eIDAS 1 or above)."""
    if not getattr(user, "is_authenticated", False) or not user.id:
        return False
    return (
        db.session.scalar(
            select(LinkedIdentity.id).where(
                LinkedIdentity.user_id == user.id, LinkedIdentity.provider == "franceconnect"
            )
        )
        is not None
    )


def declare_residence(user: User, territory: Territory | None) -> None:
    user.residence_territory_id = territory.id if territory is not None else None


# A link by email proves the account too: it carries the identity to link, signed, for two hours.


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="concertation-link-identity")


def link_token(user: User, claims: Claims) -> str:
    return _serializer().dumps({"u": user.id, "v": user.session_version, "c": claims.as_session()})


def link_from_token(token: str, now: datetime) -> User:
    try:
        data = _serializer().loads(token, max_age=2 * 3600)
    except SignatureExpired:
        raise ActionRefused(_l("Ce lien a expiré : recommencez la connexion."), status=400) from None
    except BadSignature:
        raise ActionRefused(_l("Ce lien n’est pas valide."), status=400) from None
    user = db.session.get(User, data.get("u")) if isinstance(data.get("u"), int) else None
    claims = Claims.from_session(data.get("c"))
    if user is None or user.deleted_at or user.session_version != data.get("v") or claims is None:
        raise ActionRefused(_l("Ce lien n’est pas valide."), status=400)
    link(user, claims, now)
    return user
