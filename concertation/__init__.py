"""Concertation: public consultations of French territories on their AI priorities."""

from pathlib import Path

from flask import Blueprint, Flask, has_request_context, request, session
from flask_babel import gettext
from flask_login import current_user

from concertation import caching, errors, mail, security
from config import DEV_SECRET_KEY
from concertation import extensions as ext
from concertation.db import ping_when_idle
from concertation.i18n import N_
from concertation.routing import DatabaseId

ROOT = Path(__file__).resolve().parent.parent


def select_locale() -> str:
    languages = ("fr", "en")
    if not has_request_context():  # the CLI, background jobs: French, the platform's language
        return "fr"
    if current_user and getattr(current_user, "is_authenticated", False) and current_user.locale in languages:
        return current_user.locale
    if request.cookies.get("locale") in languages:  # a visitor's choice (pages.set_language)
        return request.cookies["locale"]
    if session.get("locale") in languages:
        return session["locale"]
    return request.accept_languages.best_match(languages, default="fr") if request else "fr"


def blueprints() -> list[Blueprint]:
    """Every area's blueprint, as its views build it (imported here: the views need the package first)."""
    from concertation.accounts import views as accounts
    from concertation.commitments import views as commitments
    from concertation.api import views as api
    from concertation.comments import views as comments
    from concertation.consultations import views as consultations
    from concertation.identity import views as identity
    from concertation.library import views as library
    from concertation.manifesto import views as manifesto
    from concertation.moderation import views as moderation
    from concertation.notifications import views as notifications
    from concertation.operations import views as operations
    from concertation.pages import views as pages
    from concertation.participation import views as participation
    from concertation.proposals import views as proposals
    from concertation.questionnaires import views as questionnaires
    from concertation.synthesis import views as synthesis
    from concertation.territories import views as territories
    from concertation.texts import views as texts
    from concertation.voting import views as voting
    from concertation.workshops import views as workshops

    return [
        pages.bp,
        accounts.bp,
        identity.bp,
        territories.bp,
        consultations.bp,
        moderation.bp,
        api.bp,
        proposals.bp,
        comments.bp,
        notifications.bp,
        operations.bp,
        voting.bp,
        synthesis.bp,
        texts.bp,
        questionnaires.bp,
        participation.bp,
        workshops.bp,
        manifesto.bp,
        commitments.bp,
        library.bp,
    ]


def create_app(config: object | None = None) -> Flask:
    """The application factory: extensions, blueprints, CLI and template filters."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    app.config.from_object(config or "config.Config")
    if app.config["SECRET_KEY"] == DEV_SECRET_KEY and not (app.debug or app.testing):
        raise RuntimeError(
            "SECRET_KEY n’est pas défini : donnez-lui une valeur secrète et longue avant de servir la plateforme."
        )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.url_map.converters["int"] = DatabaseId
    # Public address, trusted hosts and proxies are checked here, before anything is served.
    security.init_app(app)

    # The package keeps `concertation.db` for the module (Alembic's migrations name its types).
    ext.db.init_app(app)
    with app.app_context():
        for engine in ext.db.engines.values():
            ping_when_idle(engine, app.config.get("DATABASE_PING_IDLE_SECONDS", 1.0))
    ext.migrate.init_app(app, ext.db, directory=str(ROOT / "migrations"), render_as_batch=True)
    ext.csrf.init_app(app)
    ext.babel.init_app(app, locale_selector=select_locale)
    ext.limiter.init_app(app)
    caching.init_app(app)
    ext.login_manager.init_app(app)
    ext.login_manager.login_view = "accounts.login"
    ext.login_manager.login_message = N_("Connectez-vous pour accéder à cette page.")
    ext.login_manager.localize_callback = gettext
    ext.login_manager.login_message_category = "info"
    ext.login_manager.session_protection = "basic"

    from concertation import models  # noqa: F401  (every table, for Alembic and relationships)

    for blueprint in blueprints():
        app.register_blueprint(blueprint)

    from concertation.identity import providers

    providers.init_app(app)
    errors.register_error_pages(app)
    mail.init_app(app)
    from concertation import jobs

    jobs.init_app(app)
    from concertation.operations import observability

    observability.init_app(app)

    from concertation import cli, templating

    cli.register(app)
    templating.register(app)
    return app
