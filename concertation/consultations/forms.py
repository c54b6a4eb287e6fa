from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    FileField,
    IntegerField,
    RadioField,
    SearchField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, URL

from concertation.consultations.listing import HomeFilters
from concertation.consultations.models import AUDIENCES, VOTE_ASSURANCES
from concertation.forms import BaseForm, choices
from concertation.phases import PHASE_LABELS, PHASE_ORDER

DATE_MESSAGE = _l("Indiquez une date valide (jj/mm/aaaa).")

# The five moments of a consultation: each phase ends when the next begins, the closing ends the synthesis.
PHASE_START_LABELS = {
    "information": _l("Ouverture de la consultation (début de l’information)"),
    "proposals": _l("Début des propositions"),
    "vote": _l("Début du vote"),
    "synthesis": _l("Début de la synthèse"),
    "closed": _l("Clôture (fin de la synthèse)"),
}


def _date(kind):
    return DateField(PHASE_START_LABELS[kind], validators=[InputRequired(DATE_MESSAGE)])


class ConsultationForm(BaseForm):
    title = StringField(
        _l("Titre"),
        validators=[
            InputRequired(_l("Le titre est obligatoire.")),
            Length(min=5, max=150, message=_l("Le titre doit faire entre 5 et 150 caractères.")),
        ],
    )
    summary = StringField(
        _l("Résumé en une phrase"),
        validators=[
            InputRequired(_l("Le résumé est obligatoire.")),
            Length(max=300, message=_l("Le résumé doit faire au plus 300 caractères.")),
        ],
        description=_l("Affiché dans les listes de consultations."),
    )
    description = TextAreaField(
        _l("Description"),
        validators=[Length(max=20000, message=_l("La description doit faire au plus 20 000 caractères."))],
        description=_l("Mise en forme Markdown possible : **gras**, *italique*, listes, liens."),
    )
    themes = TextAreaField(
        _l("Thèmes"),
        validators=[Length(max=3000)],
        description=_l("Un thème par ligne, par exemple « Formation des agents »."),
    )
    audience = RadioField(
        _l("Qui peut participer ?"),
        choices=choices({k: _l(v) for k, v in AUDIENCES.items()}),
        default="public",
        description=_l(
            "Une consultation réservée aux agents n’est visible que des agents du territoire "
            "connectés ; ouverte à tous, elle se lit sans compte et l’on participe avec un compte "
            "confirmé."
        ),
    )
    voting_method = RadioField(
        _l("Mode de vote"),
        choices=choices(
            [
                ("support", _l("Soutiens : chaque participant·e soutient les propositions qu’il ou elle approuve")),
                (
                    "majority",
                    _l("Jugement majoritaire : chaque participant·e attribue une mention à chaque proposition"),
                ),
            ]
        ),
        default="support",
        description=_l(
            "Les soutiens sont simples à comprendre : les propositions les plus soutenues arrivent en tête. Le jugement "
            "majoritaire demande un avis sur chaque proposition lue, de « À rejeter » à « Excellent », et classe selon "
            "la mention donnée par la majorité : il départage mieux des propositions nombreuses."
        ),
    )
    support_limit = IntegerField(
        _l("Nombre maximal de soutiens par personne (facultatif)"),
        validators=[
            Optional(),
            NumberRange(min=1, max=1000, message=_l("La limite doit être comprise entre 1 et 1000.")),
        ],
        description=_l("Laissez vide pour ne pas limiter. Ne s’applique qu’au vote par soutiens."),
    )
    supports_during_proposals = BooleanField(_l("Autoriser les soutiens dès la phase de propositions"))
    results_live = BooleanField(
        _l("Afficher les résultats en direct pendant le vote"),
        description=_l("Sinon, les résultats sont publiés à la fin de la phase de vote."),
    )
    vote_assurance = RadioField(
        _l("Qui peut voter"),
        choices=choices({k: _l(v) for k, v in VOTE_ASSURANCES.items()}),
        default="",
        description=_l(
            "Une identité vérifiée par FranceConnect garantit une personne réelle ; les résultats disent combien "
            "de votes en viennent."
        ),
    )
    premoderation = BooleanField(
        _l("Modérer avant publication"),
        description=_l(
            "Chaque proposition et chaque commentaire attend qu’un·e organisateur·rice l’accepte avant d’être publié. "
            "Utile sur un sujet sensible ; le débat est plus lent. Sinon, tout est publié aussitôt et la modération "
            "intervient sur signalement."
        ),
    )

    information_start = _date("information")
    proposals_start = _date("proposals")
    vote_start = _date("vote")
    synthesis_start = _date("synthesis")
    closed_start = _date("closed")

    def phase_fields(self):
        """(phase kind, its start field) in the order of the phases."""
        return [(kind, self[f"{kind}_start"]) for kind in PHASE_ORDER]


class DuplicateForm(BaseForm):
    """Start a new consultation from an earlier one of the territory (sent by GET: it changes nothing)."""

    class Meta:
        csrf = False

    modele = SelectField(
        _l("Reprendre une consultation précédente"),
        validate_choice=False,
        description=_l(
            "Le formulaire est prérempli avec sa présentation, ses thèmes et ses réglages ; le calendrier garde la "
            "durée de ses phases et commence dans une semaine. Rien n’est créé avant d’envoyer le formulaire."
        ),
    )


class ResourceForm(BaseForm):
    title = StringField(_l("Titre"), validators=[InputRequired(_l("Le titre est obligatoire.")), Length(max=200)])
    description = TextAreaField(_l("Description (facultatif)"), validators=[Length(max=500)])
    url = StringField(
        _l("Lien (adresse web)"),
        validators=[Optional(), Length(max=2000), URL(message=_l("Le lien n’est pas une adresse valide."))],
        description=_l("Ou joignez un document ci-dessous."),
    )
    file = FileField(
        _l("Document (facultatif)"),
        description=_l("PDF, ODT, ODS, ODP, DOCX, XLSX, PPTX, TXT, CSV, PNG ou JPG ; 10 Mo au plus."),
    )


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
            SelectChoice(slug, name) for slug, name in territories
        ]
        self.theme.choices = [SelectChoice("", _l("Tous les thèmes"))] + [SelectChoice(t, t) for t in themes]
        self.phase.choices = [SelectChoice("", _l("Toutes les étapes")), SelectChoice("upcoming", _l("À venir"))] + [
            SelectChoice(kind, _l(label)) for kind, label in PHASE_LABELS.items()
        ]

    def filters(self) -> HomeFilters:
        """What was asked, keeping only values the choices know."""

        def known(field) -> str:
            value = field.data or ""
            return value if value in {choice.value for choice in field.choices} else ""

        return HomeFilters(
            q=(self.q.data or "").strip()[:100],
            territory=known(self.territory),
            theme=known(self.theme),
            phase=known(self.phase),
        )


class CoverForm(BaseForm):
    cover = FileField(
        _l("Image de couverture (PNG, JPG ou WebP, 3 Mo au plus)"),
        description=_l("Une image large (au moins 1 200 × 400 pixels) : elle est recadrée en bandeau."),
    )
    cover_alt = StringField(
        _l("Texte de remplacement"),
        validators=[Length(max=250, message=_l("Le texte de remplacement fait au plus 250 caractères."))],
        description=_l("Ce que montre l’image, en une phrase, pour les personnes qui ne la voient pas."),
    )
