"""The domain's refusal, and the HTTP error pages."""

from flask import Flask, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from concertation.i18n import N_


class ActionRefused(Exception):
    """A rule of the domain says no; the message is shown to the person, in French."""

    def __init__(self, message: str, field: str | None = None, status: int = 400):
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status


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
}


def wants_json() -> bool:
    return request.path.startswith("/api/") or (
        request.accept_mimetypes.best == "application/json"
    )


def render_error(status: int, message: str | None = None):
    title = _(ERROR_TITLES.get(status, N_("Erreur")))
    text = message or _(ERROR_MESSAGES.get(status, N_("Une erreur s’est produite.")))
    if wants_json():
        return {"type": "about:blank", "title": title, "status": status, "detail": text}, status, {
            "Content-Type": "application/problem+json"
        }
    return render_template("errors/error.html", status=status, title=title, message=text), status


def register_error_pages(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        message = None
        if error.code == 400 and error.description and "CSRF" in str(error.description):
            message = _("Le formulaire a expiré ou n’est pas valide (jeton de sécurité manquant). Rechargez la page et réessayez.")
        return render_error(error.code, message)

    @app.errorhandler(ActionRefused)
    def refused(error: ActionRefused):
        return render_error(error.status, error.message)
