from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField, DateTimeLocalField, FileField, IntegerField, RadioField, SearchField, SelectChoice, SelectField,
    StringField, TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, URL

from concertation.consultations.listing import HomeFilters
from concertation.consultations.models import AUDIENCES
from concertation.forms import BaseForm, choices
from concertation.phases import PHASE_LABELS, PHASE_ORDER

DATE_FORMAT = "%Y-%m-%dT%H:%M"
DATE_MESSAGE = _l("Indiquez une date et une heure valides (jj/mm/aaaa hh:mm).")


def _date(label, required=True):
    validators = [InputRequired(DATE_MESSAGE)] if required else [Optional()]
    return DateTimeLocalField(label, format=DATE_FORMAT, validators=validators)


class ConsultationForm(BaseForm):
    title = StringField(_l("Titre"), validators=[InputRequired(_l("Le titre est obligatoire.")),
                                                 Length(min=5, max=150, message=_l(
                                                     "Le titre doit faire entre 5 et 150 caractères."))])
    summary = StringField(_l("Résumé en une phrase"), validators=[
        InputRequired(_l("Le résumé est obligatoire.")),
        Length(max=300, message=_l("Le résumé doit faire au plus 300 caractères."))],
        description=_l("Affiché dans les listes de consultations."))
    description = TextAreaField(_l("Description"), validators=[Length(max=20000, message=_l(
        "La description doit faire au plus 20 000 caractères."))],
        description=_l("Mise en forme Markdown possible : **gras**, *italique*, listes, liens."))
    themes = TextAreaField(_l("Thèmes"), validators=[Length(max=3000)],
                           description=_l("Un thème par ligne, par exemple « Formation des agents »."))
    audience = RadioField(_l("Qui peut participer ?"), choices=choices({k: _l(v) for k, v in AUDIENCES.items()}), default="public")
    voting_method = RadioField(_l("Mode de vote"), choices=choices([
        ("support", _l("Soutiens : chaque participant·e soutient les propositions qu’il ou elle approuve")),
        ("majority", _l("Jugement majoritaire : chaque participant·e attribue une mention à chaque proposition")),
    ]), default="support")
    support_limit = IntegerField(_l("Nombre maximal de soutiens par personne (facultatif)"), validators=[
        Optional(), NumberRange(min=1, max=1000, message=_l("La limite doit être comprise entre 1 et 1000."))],
        description=_l("Laissez vide pour ne pas limiter. Ne s’applique qu’au vote par soutiens."))
    supports_during_proposals = BooleanField(_l("Autoriser les soutiens dès la phase de propositions"))
    results_live = BooleanField(_l("Afficher les résultats en direct pendant le vote"),
                                description=_l("Sinon, les résultats sont publiés à la fin de la phase de vote."))

    information_start = _date(_l("Début de la phase d’information"))
    information_end = _date(_l("Fin de la phase d’information"))
    proposals_start = _date(_l("Début de la phase de propositions"))
    proposals_end = _date(_l("Fin de la phase de propositions"))
    vote_start = _date(_l("Début de la phase de vote"))
    vote_end = _date(_l("Fin de la phase de vote"))
    synthesis_start = _date(_l("Début de la phase de synthèse"))
    synthesis_end = _date(_l("Fin de la phase de synthèse"))
    closed_start = _date(_l("Date de clôture"))

    def phase_fields(self):
        """(phase kind, start field, end field or None) in the order of the phases."""
        return [(kind, self[f"{kind}_start"], self[f"{kind}_end"] if kind != "closed" else None)
                for kind in PHASE_ORDER]


class ResourceForm(BaseForm):
    title = StringField(_l("Titre"), validators=[InputRequired(_l("Le titre est obligatoire.")), Length(max=200)])
    description = TextAreaField(_l("Description (facultatif)"), validators=[Length(max=500)])
    url = StringField(_l("Lien (adresse web)"), validators=[Optional(), Length(max=2000),
                                                            URL(message=_l("Le lien n’est pas une adresse valide."))],
                      description=_l("Ou joignez un document ci-dessous."))
    file = FileField(_l("Document (facultatif)"),
                     description=_l("PDF, ODT, ODS, ODP, DOCX, XLSX, PPTX, TXT, CSV, PNG ou JPG ; 10 Mo au plus."))


class HomeFilterForm(BaseForm):
    """The home page's search and filters: a GET form, without CSRF; unknown values are ignored."""

    class Meta:
        csrf = False

    q = SearchField(_l("Rechercher une consultation"), validators=[Optional(), Length(max=100)])
    territory = SelectField(_l("Territoire"), validators=[Optional()], validate_choice=False)
    theme = SelectField(_l("Thème"), validators=[Optional()], validate_choice=False)
    phase = SelectField(_l("Étape"), validators=[Optional()], validate_choice=False)

    def set_choices(self, territories: list[tuple[str, str]], themes: list[str]) -> None:
        self.territory.choices = [SelectChoice("", _l("Tous les territoires"))] + [
            SelectChoice(slug, name) for slug, name in territories]
        self.theme.choices = [SelectChoice("", _l("Tous les thèmes"))] + [SelectChoice(t, t) for t in themes]
        self.phase.choices = [SelectChoice("", _l("Toutes les étapes")), SelectChoice("upcoming", _l("À venir"))] + [
            SelectChoice(kind, _l(label)) for kind, label in PHASE_LABELS.items()]

    def filters(self) -> HomeFilters:
        """What was asked, keeping only values the choices know."""
        def known(field) -> str:
            value = field.data or ""
            return value if value in {choice.value for choice in field.choices} else ""
        return HomeFilters(q=(self.q.data or "").strip()[:100], territory=known(self.territory),
                           theme=known(self.theme), phase=known(self.phase))


class CoverForm(BaseForm):
    cover = FileField(_l("Image de couverture (PNG, JPG ou WebP, 3 Mo au plus)"),
                      description=_l("Une image large (au moins 1 200 × 400 pixels) : elle est recadrée en bandeau."))
    cover_alt = StringField(_l("Texte de remplacement"), validators=[Length(max=250, message=_l(
        "Le texte de remplacement fait au plus 250 caractères."))],
        description=_l("Ce que montre l’image, en une phrase, pour les personnes qui ne la voient pas."))
