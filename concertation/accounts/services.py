"""Accounts: sign-up, confirmation, sign-in, password reset, profile."""

import hashlib
from functools import cache
from datetime import datetime

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash
from flask_babel import lazy_gettext as _l

from concertation.accounts import pseudonyms
from concertation.accounts.models import User
from concertation.errors import ActionRefused
from concertation.extensions import db

PASSWORD_MIN = 10
PASSWORD_MAX = 128

# A hash to compare against when the email is unknown, so that sign-in takes as
# long for unknown addresses as for known ones.
_DUMMY_HASH: dict[str, str] = {}


@cache
def unknown_account() -> User:
    """Stands for an address without an account where the same work must be done as for a real one.

    Built when first asked, not at import: building a model configures every mapper, and at import
    time the models of the other areas may not all be defined yet."""
    return User(id=0, password_hash="", session_version=0)


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"))


def check_password_rules(password: str) -> None:
    if len(password) < PASSWORD_MIN:
        raise ActionRefused(
            _l("Le mot de passe doit faire au moins %(num)d caractères.", num=PASSWORD_MIN), field="password"
        )
    if len(password) > PASSWORD_MAX:
        raise ActionRefused(
            _l("Le mot de passe doit faire au plus %(num)d caractères.", num=PASSWORD_MAX), field="password"
        )


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def pseudonym_taken(pseudonym: str, except_user: User | None = None) -> bool:
    """True when another account, present or deleted, has a pseudonym drawn like this one."""
    query = select(User.id).where(User.pseudonym_key == pseudonyms.key(pseudonym))
    if except_user is not None:
        query = query.where(User.id != except_user.id)
    return db.session.scalar(query.limit(1)) is not None


def check_pseudonym(pseudonym: str, except_user: User | None = None) -> str:
    """The pseudonym as it will be shown, or a refusal when it imitates someone else's."""
    pseudonym = " ".join(pseudonym.split())
    if pseudonyms.mixes_scripts(pseudonym):
        raise ActionRefused(
            _l("Ce pseudonyme mélange des lettres de plusieurs alphabets : écrivez-le dans un seul."), field="pseudonym"
        )
    if pseudonym_taken(pseudonym, except_user):
        raise ActionRefused(_l("Ce pseudonyme est déjà pris : choisissez-en un autre."), field="pseudonym")
    return pseudonym


def register(email: str, password: str, pseudonym: str, accepted_terms: bool, now: datetime) -> User | None:
    """Create an unconfirmed account; None when the email already has one (its owner is told by email)."""
    if not accepted_terms:
        raise ActionRefused(
            _l("Vous devez accepter les conditions d’utilisation et la politique de confidentialité."),
            field="accept_terms",
        )
    check_password_rules(password)
    pseudonym = check_pseudonym(pseudonym)
    # Hashed whether or not the address is known, so that the answer takes as long either way.
    password_hash = hash_password(password)
    if find_by_email(email) is not None:
        return None
    user = User(
        email=normalise_email(email),
        pseudonym=pseudonym,
        password_hash=password_hash,
        terms_accepted_at=now,
        created_at=now,
    )
    db.session.add(user)
    db.session.flush()
    return user


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"concertation-{purpose}")


def _fingerprint(value: str | None) -> str:
    return hashlib.sha256((value or "").encode()).hexdigest()[:16]


def confirmation_token(user: User) -> str:
    return _serializer("confirm").dumps({"id": user.id, "e": _fingerprint(user.email), "v": user.session_version})


def confirm_email(token: str, now: datetime) -> User:
    """Confirm the account a confirmation link was made for (once), then recognise it as an agent if it is one."""
    try:
        data = _serializer("confirm").loads(token, max_age=current_app.config["CONFIRMATION_MAX_AGE"])
    except SignatureExpired:
        raise ActionRefused(_l("Ce lien de confirmation a expiré : demandez-en un nouveau."), status=400) from None
    except BadSignature:
        raise ActionRefused(_l("Ce lien de confirmation n’est pas valide."), status=400) from None
    user = db.session.get(User, data.get("id")) if isinstance(data.get("id"), int) else None
    if (
        user is None
        or user.deleted_at
        or _fingerprint(user.email) != data.get("e")
        or user.session_version != data.get("v")
    ):
        raise ActionRefused(_l("Ce lien de confirmation n’est pas valide."), status=400)
    if user.confirmed_at is not None:
        raise ActionRefused(
            _l("Ce lien de confirmation a déjà servi : votre adresse est confirmée, connectez-vous."), status=409
        )
    user.confirmed_at = now
    from concertation.territories.services import recognise_agent

    recognise_agent(user)
    return user


def reset_token(user: User) -> str:
    # The token names the current password hash and session version, so it stops working once used,
    # and when the password changes or the person signs out everywhere.
    return _serializer("reset").dumps({"id": user.id, "p": _fingerprint(user.password_hash), "v": user.session_version})


def user_for_reset_token(token: str) -> User:
    try:
        data = _serializer("reset").loads(token, max_age=current_app.config["RESET_MAX_AGE"])
    except SignatureExpired:
        raise ActionRefused(_l("Ce lien de réinitialisation a expiré : demandez-en un nouveau.")) from None
    except BadSignature:
        raise ActionRefused(_l("Ce lien de réinitialisation n’est pas valide.")) from None
    user = db.session.get(User, data.get("id")) if isinstance(data.get("id"), int) else None
    if (
        user is None
        or user.deleted_at
        or _fingerprint(user.password_hash) != data.get("p")
        or user.session_version != data.get("v")
    ):
        raise ActionRefused(_l("Ce lien de réinitialisation n’est pas valide ou a déjà servi."))
    return user


def end_all_sessions(user: User) -> None:
    """Sign the person out of every browser and device, and void the links already emailed to them."""
    user.session_version += 1


def reset_password(token: str, new_password: str, now: datetime) -> User:
    user = user_for_reset_token(token)
    check_password_rules(new_password)
    user.password_hash = hash_password(new_password)
    end_all_sessions(user)
    # Following a link sent to the address proves it as well as a confirmation does.
    if user.confirmed_at is None:
        user.confirmed_at = now
        from concertation.territories.services import recognise_agent

        recognise_agent(user)
    return user


def authenticate(email: str, password: str, now: datetime) -> User | None:
    """The account these credentials open, or None."""
    user = find_by_email(email)
    if user is None or not user.password_hash or user.deleted_at:
        if "h" not in _DUMMY_HASH:
            _DUMMY_HASH["h"] = hash_password("not-a-real-password")
        check_password_hash(_DUMMY_HASH["h"], password)
        return None
    if not check_password_hash(user.password_hash, password):
        return None
    user.last_login_at = now
    return user


def change_password(user: User, current_password: str, new_password: str) -> None:
    if not user.password_hash or not check_password_hash(user.password_hash, current_password):
        raise ActionRefused(_l("Le mot de passe actuel est incorrect."), field="current_password")
    check_password_rules(new_password)
    user.password_hash = hash_password(new_password)
    end_all_sessions(user)


def update_profile(user: User, pseudonym: str, name: str | None, locale: str | None) -> User:
    pseudonym = check_pseudonym(pseudonym, except_user=user)
    user.pseudonym = pseudonym
    user.name = (name or "").strip() or None
    user.locale = locale if locale in ("fr", "en") else None
    return user
