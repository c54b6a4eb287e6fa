from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, FileField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional

from concertation.forms import BaseForm, choices
from concertation.territories.models import NAME_ARTICLES, TERRITORY_KINDS, TERRITORY_ROLES


class TerritoryForm(BaseForm):
    name = StringField(_l("Nom"), validators=[InputRequired(_l("Le nom est obligatoire.")), Length(max=150)])
    name_article = SelectField(
        _l("Article devant le nom"),
        choices=choices({k: _l(v) for k, v in NAME_ARTICLES.items()}),
        validate_choice=False,  # the service checks it; left out, the kind's usual article is taken
        description=_l(
            "Pour écrire « de la Communauté d’agglomération… », « du Département… » ou « de Saint-Aubin » "
            "dans les pages."
        ),
    )
    kind = SelectField(_l("Type de collectivité"), choices=choices({k: _l(v) for k, v in TERRITORY_KINDS.items()}))
    slug = StringField(
        _l("Identifiant d’adresse"),
        validators=[InputRequired(_l("L’identifiant est obligatoire.")), Length(max=80)],
        description=_l(
            "Minuscules, chiffres et tirets ; il apparaît dans l’adresse des pages (exemple : ville-de-lyon)."
        ),
    )
    code = StringField(_l("Code INSEE ou SIREN (facultatif)"), validators=[Optional(), Length(max=14)])
    siren = StringField(
        _l("SIREN de la collectivité (facultatif)"),
        validators=[Optional(), Length(max=11)],
        description=_l(
            "9 chiffres. Les personnes qui se connectent avec ProConnect depuis un établissement de ce SIREN "
            "sont reconnues comme agents du territoire, sans invitation."
        ),
    )
    population = IntegerField(
        _l("Population (facultatif)"),
        validators=[
            Optional(),
            NumberRange(min=1, max=100_000_000, message=_l("La population doit être un nombre positif.")),
        ],
        description=_l("Sert à calculer la part de la population qui a participé."),
    )
    domains = TextAreaField(
        _l("Domaines de courriel des agents (facultatif)"),
        validators=[Length(max=2000)],
        description=_l(
            "Un par ligne. Les personnes qui confirment une adresse de ces domaines "
            "sont reconnues comme agents du territoire."
        ),
    )
    description = TextAreaField(_l("Présentation (facultatif)"), validators=[Length(max=2000)])


class RoleForm(BaseForm):
    email = EmailField(
        _l("Adresse électronique de la personne"),
        validators=[
            InputRequired(_l("Indiquez l’adresse de la personne.")),
            Length(max=254),
            Email(_l("Cette adresse électronique n’est pas valide."), check_deliverability=False),
        ],
        description=_l("La personne doit déjà avoir un compte sur la plateforme."),
    )
    role = SelectField(_l("Rôle"), choices=choices({k: _l(v) for k, v in TERRITORY_ROLES.items()}))


class InvitationForm(BaseForm):
    email = EmailField(
        _l("Adresse électronique de l’agent"),
        validators=[
            InputRequired(_l("Indiquez l’adresse de l’agent.")),
            Length(max=254),
            Email(_l("Cette adresse électronique n’est pas valide."), check_deliverability=False),
        ],
    )


class IdentityForm(BaseForm):
    """The territory's logo and accent colour, chosen by its organisers."""

    logo = FileField(
        _l("Logo (PNG, JPG ou WebP, 1 Mo au plus)"),
        description=_l("Un logo sur fond clair ou transparent, d’au moins 200 pixels de large."),
    )
    remove_logo = BooleanField(_l("Retirer le logo actuel"))
    accent_color = StringField(
        _l("Couleur d’accent (facultatif)"),
        validators=[Optional(), Length(max=20)],
        description=_l(
            "Au format hexadécimal, par exemple #1f3f99. Elle doit rester lisible "
            "sur fond blanc (contraste d’au moins 4,5:1) : sinon elle est refusée. "
            "Laissez vide pour la couleur de la plateforme."
        ),
    )
