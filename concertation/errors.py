"""The domain's refusal, and the HTTP error pages."""

from flask import Flask, current_app, render_template, request
from flask_babel import gettext as _
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException

from concertation.i18n import N_


class ActionRefused(Exception):
    """A rule of the domain says no; the message is shown to the person, in their language.

    Services pass the French text marked for extraction with ``lazy_gettext`` (``_l``), so that
    ``make extract-messages`` finds it; ``message`` translates it when it is read, in the request's
    language. A plain string is shown as it is.
    """

    def __init__(self, message, field: str | None = None, status: int = 400):
        super().__init__(message)
        self._message = message
        self.field = field
        self.status = status

    @property
    def message(self) -> str:
        return str(self._message)


ERROR_TITLES = {
    400: N_("Requête invalide"),
    403: N_("Accès refusé"),
    404: N_("Page introuvable"),
    405: N_("Méthode non autorisée"),
    409: N_("Conflit"),
    413: N_("Fichier ou texte trop volumineux"),
    422: N_("Données invalides"),
    429: N_("Trop de requêtes"),
    500: N_("Erreur interne"),
    503: N_("Service momentanément indisponible"),
}

ERROR_MESSAGES = {
    400: N_("La requête n’a pas pu être comprise. Rechargez la page et réessayez."),
    403: N_("Vous n’avez pas les droits nécessaires pour accéder à cette page ou faire cette action."),
    404: N_("Cette page n’existe pas ou n’existe plus."),
    405: N_("Cette adresse ne s’utilise pas de cette façon."),
    409: N_("Cette action est en conflit avec l’état actuel des données. Rechargez la page."),
    413: N_("L’envoi dépasse la taille autorisée."),
    422: N_("Les données envoyées ne sont pas valides."),
    429: N_("Vous avez fait trop de demandes en peu de temps. Patientez quelques minutes avant de réessayer."),
    500: N_("Une erreur inattendue s’est produite. L’équipe technique a été prévenue."),
    503: N_(
        "La plateforme ne peut pas joindre sa base de données pour le moment. Votre dernière action "
        "n’a peut-être pas été enregistrée : patientez quelques secondes, rechargez la page et vérifiez."
    ),
}

# Shown when even the error page cannot be drawn (its layout reads the signed-in person from the database).
UNAVAILABLE_FALLBACK = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Service momentanément indisponible</title></head>
<body><main><h1>Service momentanément indisponible</h1>
<p>La plateforme ne peut pas joindre sa base de données pour le moment. Votre dernière action n’a peut-être
pas été enregistrée : patientez quelques secondes, rechargez la page et vérifiez.</p>
<p><a href="/">Retour à l’accueil</a></p></main></body></html>
"""


def is_disconnect(error: Exception) -> bool:
    """The database is out of reach (restarted, network cut), not a bug in a query."""
    return isinstance(error, OperationalError) or (isinstance(error, DBAPIError) and bool(error.connection_invalidated))


def wants_json() -> bool:
    return request.path.startswith("/api/") or (request.accept_mimetypes.best == "application/json")


def render_error(status: int, message: str | None = None):
    title = _(ERROR_TITLES.get(status, N_("Erreur")))
    text = message or _(ERROR_MESSAGES.get(status, N_("Une erreur s’est produite.")))
    if wants_json():
        return (
            {"type": "about:blank", "title": title, "status": status, "detail": text},
            status,
            {"Content-Type": "application/problem+json"},
        )
    return render_template("errors/error.html", status=status, title=title, message=text), status


def register_error_pages(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        message = None
        if error.code == 400 and error.description and "CSRF" in str(error.description):
            message = _(
                "Le formulaire a expiré ou n’est pas valide (jeton de sécurité manquant). Rechargez la page et réessayez."
            )
        return render_error(error.code, message)

    @app.errorhandler(DBAPIError)
    def database_unavailable(error: DBAPIError):
        """A citizen gets a clear 503 in French while the database is away; the next request reconnects
        (the pool replaces the connections opened before the failure, and pings those that waited: db.py).
        Any other database error stays a 500 and is logged as a bug."""
        if not is_disconnect(error):
            raise error
        from concertation.extensions import db

        current_app.logger.warning("Base de données injoignable : %s", error.__class__.__name__)
        try:
            db.session.rollback()
        except DBAPIError:
            pass
        headers = {"Retry-After": "5"}
        try:
            body, status, *rest = render_error(503)
        except Exception:  # the layout itself may need the database
            return UNAVAILABLE_FALLBACK, 503, {**headers, "Content-Type": "text/html; charset=utf-8"}
        return body, status, {**(rest[0] if rest else {}), **headers}

    @app.teardown_appcontext
    def release_session(exception=None):
        """Give the connection back before Flask-SQLAlchemy's teardown (registered earlier, run later).

        When the database restarts after the answer is ready, the closing ROLLBACK fails; that must
        not turn a page already drawn into a raw 500 from gunicorn. The pool drops the dead connection.
        """
        from concertation.extensions import db

        try:
            db.session.remove()
        except DBAPIError as error:
            current_app.logger.warning("Connexion perdue en fin de requête : %s", error.__class__.__name__)

    @app.errorhandler(ActionRefused)
    def refused(error: ActionRefused):
        return render_error(error.status, error.message)
