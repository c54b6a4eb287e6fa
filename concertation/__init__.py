"""Concertation: public consultations of French territories on their AI priorities."""

from pathlib import Path

from flask import Flask, has_request_context, request, session
from flask_babel import gettext
from flask_login import current_user
from werkzeug.routing import IntegerConverter

from concertation import errors, security
from config import DEV_SECRET_KEY
from concertation import extensions as ext
from concertation.i18n import N_

ROOT = Path(__file__).resolve().parent.parent


def select_locale() -> str:
    languages = ("fr", "en")
    if not has_request_context():  # the CLI, background jobs: French, the platform's language
        return "fr"
    if current_user and getattr(current_user, "is_authenticated", False) and current_user.locale in languages:
        return current_user.locale
    if session.get("locale") in languages:
        return session["locale"]
    return request.accept_languages.best_match(languages, default="fr") if request else "fr"


class DatabaseId(IntegerConverter):
    """<int:…> in URLs stops at the largest database id, so a forged huge id is a 404, not a 500."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


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
    if app.config.get("PROXY_FIX"):
        from werkzeug.middleware.proxy_fix import ProxyFix
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)

    # The package keeps `concertation.db` for the module (Alembic's migrations name its types).
    ext.db.init_app(app)
    ext.migrate.init_app(app, ext.db, directory=str(ROOT / "migrations"), render_as_batch=True)
    ext.csrf.init_app(app)
    ext.babel.init_app(app, locale_selector=select_locale)
    ext.limiter.init_app(app)
    ext.login_manager.init_app(app)
    ext.login_manager.login_view = "accounts.login"
    ext.login_manager.login_message = N_("Connectez-vous pour accéder à cette page.")
    ext.login_manager.localize_callback = gettext
    ext.login_manager.login_message_category = "info"
    ext.login_manager.session_protection = "basic"

    from concertation import models  # noqa: F401  (every table, for Alembic and relationships)

    from concertation.accounts.views import bp as accounts_bp
    from concertation.api.views import bp as api_bp
    from concertation.comments.views import bp as comments_bp
    from concertation.consultations.views import bp as consultations_bp
    from concertation.moderation.views import bp as moderation_bp
    from concertation.notifications.views import bp as notifications_bp
    from concertation.proposals import answer_views  # noqa: F401  (the organisers' routes of the same blueprint)
    from concertation.proposals.views import bp as proposals_bp
    from concertation.manifesto import curation as manifesto_curation, editing as manifesto_editing, \
        views as manifesto_views
    from concertation.pages.views import bp as pages_bp
    from concertation.synthesis import reading as synthesis_reading, views as synthesis_views
    from concertation.territories.views import bp as territories_bp
    from concertation.voting.views import bp as voting_bp

    app.register_blueprint(pages_bp)
    app.register_blueprint(accounts_bp, url_prefix="/compte")
    app.register_blueprint(territories_bp)
    app.register_blueprint(consultations_bp)
    app.register_blueprint(moderation_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(proposals_bp)
    app.register_blueprint(comments_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(voting_bp)
    # Both modules add their routes to the one synthesis blueprint: the organisers' side and the readers'.
    assert synthesis_reading.bp is synthesis_views.bp
    app.register_blueprint(synthesis_views.bp)
    # The manifesto's readers, editors and the organisers' suggestions share one blueprint too.
    assert manifesto_views.bp is manifesto_editing.bp is manifesto_curation.bp
    app.register_blueprint(manifesto_views.bp)

    errors.register_error_pages(app)
    security.init_app(app)

    from concertation import cli, templating
    cli.register(app)
    templating.register(app)
    return app
