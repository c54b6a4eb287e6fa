"""Sign-in with FranceConnect and ProConnect: start, callback, first visit, linking, unlinking, logout return."""

import secrets
import time

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user
from sqlalchemy import select

from concertation.accounts.views import finish_deletion
from concertation.db import utcnow
from concertation.errors import ActionRefused
from concertation.extensions import db, limiter
from concertation.forms import BaseForm, commit_and_redirect, form_status, refusal_shown
from concertation.identity import providers, services
from concertation.identity.forms import LinkPasswordForm, ResidenceForm, WelcomeForm
from concertation.identity.models import LinkedIdentity
from concertation.jobs import enqueue_email
from concertation.security import local_path, public_url, redirect_back
from concertation.territories.models import Territory

bp = Blueprint("identity", __name__, url_prefix="/compte")

PENDING = "oidc_pending"  # the identity met on a first visit, waiting for a pseudonym or a proof of account
NEXT = "oidc_next"
SIGNED_IN_WITH = "oidc_login"  # provider and ID token of this session, for the logout at the provider
LOGOUT_STATE = "oidc_logout_state"


def _callback_limit() -> str:
    return "20 per minute"


def _sign_in(user, provider: str, id_token: str | None) -> None:
    login_user(user)
    if id_token:
        session[SIGNED_IN_WITH] = {"p": provider, "t": id_token}


def _pending() -> services.Claims | None:
    return services.Claims.from_session(session.get(PENDING))


@bp.route("/connexion/<provider>")
@limiter.limit(_callback_limit)
def start(provider: str):
    """The provider's button: off to its authorization endpoint, back to `callback`."""
    providers.get(provider)
    session[NEXT] = local_path(request.args.get("next"))
    # Confirming a deletion asks the provider to authenticate the person again, not to reuse its session.
    prompt = "login" if current_user.is_authenticated and services.DELETE_INTENT in session else None
    return providers.authorize_redirect(provider, public_url("identity.callback", provider=provider), prompt=prompt)


@bp.route("/connexion/<provider>/retour")
@limiter.limit(_callback_limit)
def callback(provider: str):
    if request.args.get("error") and provider in current_app.extensions.get("oidc_providers", []):
        # The person cancelled (access_denied) or the provider refused: said plainly, back to the sign-in page.
        try:
            providers.complete(provider, request.args)
        except ActionRefused as refusal:
            flash(refusal.message, "error")
        return redirect(url_for("accounts.login"), code=303)
    raw = providers.complete(provider, request.args)
    claims = services.claims_from(provider, raw)
    now = utcnow()
    if current_user.is_authenticated and services.DELETE_INTENT in session:
        return _delete_confirmed(claims)
    if current_user.is_authenticated:
        # Signed in already (the profile's « Lier » button): the account is proved, the identity is linked.
        with_refusal = _link_signed_in(claims, raw["id_token"])
        if with_refusal is not None:
            return with_refusal
        return redirect(url_for("accounts.profile"))
    user = services.signed_in_account(claims, now)
    if user is not None:
        db.session.commit()
        _sign_in(user, provider, raw["id_token"])
        flash(_("Vous êtes connecté·e avec %(provider)s.", provider=providers.PROVIDERS[provider].label), "success")
        return redirect_back(session.pop(NEXT, None))
    session[PENDING] = claims.as_session()
    session[SIGNED_IN_WITH + "_pending"] = raw["id_token"]
    if services.account_with_email(claims) is not None:
        return redirect(url_for("identity.link_account"))
    return redirect(url_for("identity.welcome"))


def _delete_confirmed(claims: services.Claims):
    """The account's owner asked to delete it and their provider has just confirmed them: delete."""
    intent = session.pop(services.DELETE_INTENT, None)
    identity = services.find_identity(claims.provider, claims.subject)
    fresh = (
        isinstance(intent, dict)
        and intent.get("u") == current_user.id
        and isinstance(intent.get("t"), int)
        and time.time() - intent["t"] < services.DELETE_INTENT_SECONDS
    )
    if not fresh or identity is None or identity.user_id != current_user.id:
        flash(_("La confirmation n’a pas abouti : votre compte n’est pas supprimé."), "error")
        return redirect(url_for("accounts.my_data"), code=303)
    session.pop(SIGNED_IN_WITH, None)
    return finish_deletion()


def _link_signed_in(claims: services.Claims, id_token: str):
    try:
        services.link(current_user, claims, utcnow())
    except ActionRefused as refusal:
        flash(refusal.message, "error")
        return redirect(url_for("accounts.profile"))
    db.session.commit()
    session[SIGNED_IN_WITH] = {"p": claims.provider, "t": id_token}
    flash(_("Votre compte est lié à %(provider)s.", provider=providers.PROVIDERS[claims.provider].label), "success")
    return None


def _finish_pending(user, claims: services.Claims, message: str):
    _sign_in(user, claims.provider, session.pop(SIGNED_IN_WITH + "_pending", None))
    session.pop(PENDING, None)
    flash(message, "success")
    return redirect_back(session.pop(NEXT, None))


@bp.route("/bienvenue", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def welcome():
    """First visit through a provider: the person chooses the pseudonym shown with their contributions."""
    claims = _pending()
    if claims is None or current_user.is_authenticated:
        return redirect(url_for("accounts.login"))
    form = WelcomeForm()
    if form.validate_on_submit():
        with refusal_shown(form):
            user = services.create_account(claims, form.pseudonym.data, form.accept_terms.data, utcnow())
            db.session.commit()
            return _finish_pending(user, claims, _("Bienvenue ! Votre compte est créé."))
    provider = providers.PROVIDERS.get(claims.provider)
    return render_template("identity/welcome.html", form=form, provider=provider), form_status(form)


@bp.route("/lier", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def link_account():
    """An account already has the provider's email: its owner proves it (password or emailed link) to link it."""
    claims = _pending()
    if claims is None or current_user.is_authenticated or services.account_with_email(claims) is None:
        return redirect(url_for("accounts.login"))
    form = LinkPasswordForm()
    if form.validate_on_submit():
        with refusal_shown(form):
            user = services.link_with_password(claims, form.password.data, utcnow())
            db.session.commit()
            label = providers.PROVIDERS[claims.provider].label
            return _finish_pending(user, claims, _("Votre compte est lié à %(provider)s.", provider=label))
    provider = providers.PROVIDERS.get(claims.provider)
    return render_template("identity/link.html", form=form, provider=provider, email_form=BaseForm()), form_status(form)


@bp.route("/lier/courriel", methods=["POST"])
@limiter.limit("5 per hour")
def link_by_email():
    claims = _pending()
    form = BaseForm()
    if not form.validate_on_submit():
        abort(400)
    user = services.account_with_email(claims) if claims is not None else None
    if user is None or claims is None:
        return redirect(url_for("accounts.login"))
    label = providers.PROVIDERS[claims.provider].label
    link = public_url("identity.link_confirm", token=services.link_token(user, claims))
    enqueue_email(
        user.email,
        _("Liez votre compte à %(provider)s", provider=label),
        _(
            "Bonjour %(name)s,\n\nPour lier votre compte à votre identité %(provider)s, ouvrez ce lien (valable "
            "deux heures) :\n%(link)s\n\nSi vous n’avez rien demandé, ignorez ce message : rien ne sera lié.",
            name=user.pseudonym,
            provider=label,
            link=link,
        ),
    )
    db.session.commit()
    flash(_("Un lien vient d’être envoyé à l’adresse du compte : ouvrez-le pour lier les deux."), "info")
    return redirect(url_for("identity.link_account"))


@bp.route("/lier/confirmer/<token>")
def link_confirm(token: str):
    user = services.link_from_token(token, utcnow())
    db.session.commit()
    claims = _pending()
    identity = services.find_identity(claims.provider, claims.subject) if claims is not None else None
    # Only the browser that came back from the provider is signed in; the link opened elsewhere only links.
    if (
        claims is not None
        and identity is not None
        and identity.user_id == user.id
        and not current_user.is_authenticated
    ):
        label = providers.PROVIDERS[claims.provider].label
        return _finish_pending(user, claims, _("Votre compte est lié à %(provider)s.", provider=label))
    flash(_("Votre compte est lié. Vous pouvez vous connecter avec votre identité."), "success")
    return redirect(url_for("accounts.login"))


@bp.route("/identites/<int:identity_id>/delier", methods=["POST"])
@login_required
def unlink(identity_id: int):
    form = BaseForm()
    if not form.validate_on_submit():
        abort(400)
    identity = db.session.get(LinkedIdentity, identity_id)
    if identity is None:
        abort(404)
    services.unlink(current_user, identity)
    label = providers.PROVIDERS.get(identity.provider, providers.PROVIDERS["franceconnect"]).label
    return commit_and_redirect(
        _("Votre compte n’est plus lié à %(provider)s.", provider=label), url_for("accounts.profile")
    )


@bp.route("/deconnexion/retour")
def logged_out():
    """Where the provider sends the browser back after its own logout (post_logout_redirect_uri)."""
    expected = session.pop(LOGOUT_STATE, None)
    if expected and secrets.compare_digest(expected, request.args.get("state", "")):
        flash(_("Vous êtes déconnecté·e, de la plateforme et de votre fournisseur d’identité."), "info")
    else:
        flash(_("Vous êtes déconnecté·e."), "info")
    return redirect(url_for("pages.home"))


def provider_logout_url() -> str | None:
    """Before signing out: the provider's end-session address, when this session was opened through one."""
    data = session.pop(SIGNED_IN_WITH, None)
    if not isinstance(data, dict) or not isinstance(data.get("t"), str):
        return None
    state = secrets.token_urlsafe(32)
    url = providers.logout_url(data.get("p", ""), data["t"], public_url("identity.logged_out"), state)
    if url:
        session[LOGOUT_STATE] = state
    return url


@bp.route("/residence", methods=["GET", "POST"])
@login_required
def residence():
    """Declare the territory one lives in (some votes are open to its residents)."""
    territories = db.session.scalars(select(Territory).order_by(Territory.name)).all()
    form = ResidenceForm()
    form.territory.choices = [("", _("Je ne le déclare pas"))] + [(str(t.id), t.name) for t in territories]
    if request.method == "GET":
        form.territory.data = str(current_user.residence_territory_id or "")
    if form.validate_on_submit():
        chosen = next((t for t in territories if str(t.id) == form.territory.data), None)
        services.declare_residence(current_user, chosen)
        return commit_and_redirect(_("Votre lieu de résidence est enregistré."), url_for("accounts.profile"))
    return render_template("identity/residence.html", form=form), form_status(form)
