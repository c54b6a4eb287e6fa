"""Sign-up, confirmation, sign-in and out, password reset, profile."""

import json
import time

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, url_for, abort, session
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from concertation.accounts import personal_data, services
from concertation.accounts.forms import (
    ChangePasswordForm,
    ConfirmDeletionForm,
    DeleteAccountForm,
    EmailOnlyForm,
    LoginForm,
    ProfileForm,
    ResetPasswordForm,
    SignupForm,
)
from concertation.db import utcnow
from concertation.errors import ActionRefused
from concertation.extensions import db, limiter
from concertation.identity import services as identity_services
from concertation.forms import BaseForm, commit_and_redirect, form_status, refusal_shown
from concertation.jobs import enqueue_email
from concertation.security import local_path, public_url, redirect_back

bp = Blueprint("accounts", __name__, url_prefix="/compte")


# The account a browser has just signed up for: the confirmation link signs in that browser only.
SIGNUP_KEY = "signup_user"


def _kept_next() -> str | None:
    """The local page a visitor was sent from to sign in or up (the `next` of the address), to go back to."""
    return local_path(request.args.get("next"))


def send_confirmation(user, next_path: str | None = None) -> None:
    """The confirmation link; with `next_path` it brings the newcomer back to the page they came from."""
    link = public_url("accounts.confirm", token=services.confirmation_token(user), next=next_path)
    enqueue_email(
        user.email,
        _("Confirmez votre compte"),
        _(
            "Bonjour %(name)s,\n\nPour confirmer votre compte sur %(platform)s, ouvrez ce lien :\n%(link)s\n\n"
            "Si vous n’avez pas créé de compte, ignorez ce message.",
            name=user.pseudonym,
            platform=current_app.config["PLATFORM_NAME"],
            link=link,
        ),
    )


def _failed_login(response) -> bool:
    return response.status_code not in (302, 503)


@bp.route("/inscription", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("pages.home"))
    form = SignupForm()
    if form.validate_on_submit():
        with refusal_shown(form):
            user = services.register(
                form.email.data, form.password.data, form.pseudonym.data, form.accept_terms.data, utcnow()
            )
            if user is None:
                existing = services.find_by_email(form.email.data)
                enqueue_email(
                    existing.email,
                    _("Tentative d’inscription avec votre adresse"),
                    _(
                        "Quelqu’un a tenté de créer un compte avec votre adresse. Si c’était vous, connectez-vous "
                        "ou réinitialisez votre mot de passe : %(link)s",
                        link=public_url("accounts.forgot_password"),
                    ),
                )
            else:
                db.session.commit()
                # Only this browser is signed in by the confirmation link (see confirm()).
                session[SIGNUP_KEY] = user.id
                send_confirmation(user, _kept_next())
            db.session.commit()  # the email leaves from the outbox once committed
            return redirect(url_for("accounts.check_email"))
    status = form_status(form)
    return render_template("accounts/signup.html", form=form, next_path=_kept_next()), status


@bp.route("/verifiez-vos-courriels")
def check_email():
    return render_template("accounts/check_email.html")


@bp.route("/confirmer/<token>")
def confirm(token: str):
    try:
        user = services.confirm_email(token, utcnow())
    except ActionRefused as error:
        if error.status != 409:
            raise
        # Used already (perhaps by a mail scanner opening links): the address stays confirmed, and
        # the person signs in with the password; the link opens no session a second time.
        flash(error.message, "info")
        return redirect(url_for("accounts.login"))
    db.session.commit()
    # A link opened on another device (or forwarded, or leaked) confirms the address but opens no
    # session: only the browser that filled in the sign-up form is signed in.
    if not current_user.is_authenticated and session.pop(SIGNUP_KEY, None) == user.id:
        login_user(user)
        flash(_("Votre adresse est confirmée. Bienvenue !"), "success")
        return redirect_back(request.args.get("next"))
    flash(_("Votre adresse est confirmée. Vous pouvez vous connecter."), "success")
    return redirect(url_for("accounts.login", next=_kept_next()))


@bp.route("/renvoyer-confirmation", methods=["GET", "POST"])
@limiter.limit("5 per hour", methods=["POST"])
def resend_confirmation():
    form = EmailOnlyForm()
    if form.validate_on_submit():
        user = services.find_by_email(form.email.data)
        if user is not None and user.confirmed_at is None and not user.deleted_at:
            send_confirmation(user)
            db.session.commit()
        return redirect(url_for("accounts.check_email"))
    status = form_status(form)
    return render_template("accounts/resend.html", form=form), status


@bp.route("/connexion", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_MAX_FAILURES"],
    methods=["POST"],
    key_func=lambda: "login:" + services.normalise_email(request.form.get("email", "")),
    deduct_when=_failed_login,
)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("pages.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data, utcnow())
        if user is None:
            form.form_errors.append(_("Adresse électronique ou mot de passe incorrect."))
            return render_template("accounts/login.html", form=form, next_path=_kept_next()), 401
        if user.confirmed_at is None:
            form.form_errors.append(
                _(
                    "Votre adresse n’est pas encore confirmée : ouvrez le lien reçu par courriel, "
                    "ou demandez-en un nouveau."
                )
            )
            return render_template("accounts/login.html", form=form, unconfirmed=True, next_path=_kept_next()), 403
        db.session.commit()
        login_user(user, remember=form.remember.data)
        flash(_("Vous êtes connecté·e."), "success")
        return redirect_back(request.args.get("next"))
    status = form_status(form)
    return render_template("accounts/login.html", form=form, next_path=_kept_next()), status


@bp.route("/deconnexion", methods=["POST"])
def logout():
    from concertation.identity.views import provider_logout_url

    # Opened through FranceConnect or ProConnect: the provider's session ends too (its end-session
    # endpoint, which sends the browser back to identity.logged_out).
    at_provider = provider_logout_url()
    logout_user()
    if at_provider:
        return redirect(at_provider)
    flash(_("Vous êtes déconnecté·e."), "info")
    return redirect(url_for("pages.home"))


@bp.route("/deconnexion-partout", methods=["POST"])
@login_required
def logout_everywhere():
    form = BaseForm()
    if not form.validate_on_submit():
        abort(400)
    services.end_all_sessions(current_user)
    db.session.commit()
    logout_user()
    flash(_("Vous êtes déconnecté·e de tous vos appareils, celui-ci compris."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/mot-de-passe-oublie", methods=["GET", "POST"])
@limiter.limit("5 per hour", methods=["POST"])
def forgot_password():
    form = EmailOnlyForm()
    if form.validate_on_submit():
        user = services.find_by_email(form.email.data)
        known = user is not None and not user.deleted_at
        # The message is written whether or not the address has an account, so that both answers
        # take the same time; only a real account's is sent.
        link = public_url(
            "accounts.reset_password", token=services.reset_token(user if known else services.unknown_account())
        )
        body = _(
            "Pour choisir un nouveau mot de passe, ouvrez ce lien (valable deux heures) :\n%(link)s\n\n"
            "Si vous n’avez rien demandé, ignorez ce message.",
            link=link,
        )
        if known:
            enqueue_email(user.email, _("Réinitialisez votre mot de passe"), body)
            db.session.commit()
        flash(_("Si un compte existe avec cette adresse, un lien de réinitialisation vient d’y être envoyé."), "info")
        return redirect(url_for("accounts.login"))
    status = form_status(form)
    return render_template("accounts/forgot.html", form=form), status


@bp.route("/reinitialiser/<token>", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def reset_password(token: str):
    services.user_for_reset_token(token)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        with refusal_shown(form):
            services.reset_password(token, form.password.data, utcnow())
            return commit_and_redirect(
                _("Votre mot de passe a été changé. Vous pouvez vous connecter."), url_for("accounts.login")
            )
    status = form_status(form)
    return render_template("accounts/reset.html", form=form), status


def _remember_days() -> int:
    return current_app.config["REMEMBER_COOKIE_DURATION"].days


@bp.route("/profil", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user if request.method == "GET" else None)
    if request.method == "GET":
        form.locale.data = current_user.locale or ""
    password_form = ChangePasswordForm(prefix="pw")
    if form.validate_on_submit():
        with refusal_shown(form):
            services.update_profile(current_user, form.pseudonym.data, form.name.data, form.locale.data)
            return commit_and_redirect(_("Votre profil est enregistré."), url_for("accounts.profile"))
    status = form_status(form)
    return render_template(
        "accounts/profile.html", form=form, password_form=password_form, remember_days=_remember_days()
    ), status


@bp.route("/profil/mot-de-passe", methods=["POST"])
@login_required
def change_password():
    form = ProfileForm(obj=current_user)
    form.locale.data = current_user.locale or ""
    password_form = ChangePasswordForm(prefix="pw")
    if password_form.validate_on_submit():
        with refusal_shown(password_form):
            services.change_password(current_user, password_form.current_password.data, password_form.password.data)
            db.session.commit()
            # Every other session has ended with the new password; this one goes on.
            remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
            login_user(current_user._get_current_object(), remember=remembered)
            flash(_("Votre mot de passe a été changé. Vos autres appareils sont déconnectés."), "success")
            return redirect(url_for("accounts.profile"))
    return render_template(
        "accounts/profile.html", form=form, password_form=password_form, remember_days=_remember_days()
    ), 422


def _deletion_form() -> ConfirmDeletionForm:
    """With a password, the password confirms a deletion; without one, the person's FranceConnect or ProConnect."""
    return DeleteAccountForm() if current_user.password_hash else ConfirmDeletionForm()


@bp.route("/mes-donnees")
@login_required
def my_data():
    return _my_data_page(_deletion_form())


def _my_data_page(form: ConfirmDeletionForm, status: int = 200):
    provider = None if form.password_field_shown else identity_services.provider_to_confirm(current_user)
    label = identity_services.provider_label(provider) if provider else None
    return render_template("accounts/my_data.html", form=form, confirming_with=label), status


@bp.route("/mes-donnees.json")
@login_required
def download_data():
    body = json.dumps(personal_data.export_data(current_user), ensure_ascii=False, indent=2)
    return Response(
        body,
        mimetype="application/json",
        headers={
            "Content-Disposition": "attachment; filename=mes-donnees-concertation.json",
            "Cache-Control": "no-store",
        },
    )


@bp.route("/supprimer", methods=["POST"])
@login_required
def delete_account():
    form = _deletion_form()
    if form.validate_on_submit():
        if not isinstance(form, DeleteAccountForm):
            provider = identity_services.provider_to_confirm(current_user)
            if provider is not None:
                # The provider confirms the person; the callback deletes (identity.views).
                session[identity_services.DELETE_INTENT] = {"u": current_user.id, "t": int(time.time())}
                return redirect(url_for("identity.start", provider=provider), code=303)
            form.confirm.errors = [
                _(
                    "Votre compte n’a pas de mot de passe et aucune identité FranceConnect ou ProConnect n’est "
                    "disponible pour confirmer : choisissez d’abord un mot de passe (« Mot de passe oublié »)."
                )
            ]
        elif services.authenticate(current_user.email, form.password.data, utcnow()) is None:
            form.password.errors = [_("Le mot de passe est incorrect.")]
        else:
            return finish_deletion()
    return _my_data_page(form, 422)


def finish_deletion():
    """Delete the signed-in account (its owner has just proved it), sign out, say what stays."""
    personal_data.delete_account(current_user, utcnow())
    db.session.commit()
    logout_user()
    flash(
        _(
            "Votre compte est supprimé. Vos contributions restent visibles sous « Participant·e "
            "supprimé·e » et vos votes restent comptés sans être liés à vous."
        ),
        "info",
    )
    return redirect(url_for("pages.home"))
