"""The organisers' forms: announcing a workshop, its outcome, the contributions collected there."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, RadioField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from concertation.forms import BaseForm, choices
from concertation.workshops.models import MODES


class WorkshopForm(BaseForm):
    title = StringField(
        _l("Titre de l’atelier"),
        validators=[
            InputRequired(_l("Le titre est obligatoire.")),
            Length(max=150, message=_l("150 caractères au plus.")),
        ],
    )
    date = DateField(
        _l("Date"),
        validators=[InputRequired(_l("Indiquez la date (jj/mm/aaaa ou aaaa-mm-jj)."))],
        description=_l("Heure de Paris."),
    )
    start_time = TimeField(_l("Heure de début"), validators=[InputRequired(_l("Indiquez l’heure de début (hh:mm)."))])
    end_time = TimeField(_l("Heure de fin"), validators=[InputRequired(_l("Indiquez l’heure de fin (hh:mm)."))])
    mode = RadioField(_l("Où se tient l’atelier ?"), default="in_person", validate_choice=False)
    address = StringField(
        _l("Adresse (en présentiel)"),
        validators=[Optional(), Length(max=300, message=_l("300 caractères au plus."))],
    )
    accessibility = TextAreaField(
        _l("Informations d’accessibilité"),
        validators=[Optional(), Length(max=2000, message=_l("2 000 caractères au plus."))],
        description=_l("Accès en fauteuil, boucle magnétique, interprète LSF, transports, garde d’enfants…"),
    )
    online_url = StringField(
        _l("Lien de l’atelier (en ligne)"),
        validators=[Optional(), Length(max=500, message=_l("500 caractères au plus."))],
    )
    capacity = IntegerField(
        _l("Nombre de places"),
        validators=[
            InputRequired(_l("Indiquez le nombre de places.")),
            NumberRange(min=1, max=10_000, message=_l("Entre 1 et 10 000 places.")),
        ],
    )
    description = TextAreaField(
        _l("Description"),
        validators=[Optional(), Length(max=10_000, message=_l("10 000 caractères au plus."))],
        description=_l("Le programme, à qui il s’adresse. Mise en forme Markdown possible."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.mode.choices = choices({key: _l(label) for key, label in MODES.items()})


class OutcomeForm(BaseForm):
    minutes = TextAreaField(
        _l("Compte rendu"),
        validators=[Optional(), Length(max=50_000, message=_l("50 000 caractères au plus."))],
        description=_l("Ce qui s’est dit, les points d’accord et de désaccord. Mise en forme Markdown possible."),
    )
    attendees = IntegerField(
        _l("Nombre de participant·es présent·es"),
        validators=[Optional(), NumberRange(min=0, max=100_000, message=_l("Entre 0 et 100 000."))],
    )


class CollectedProposalForm(BaseForm):
    title = StringField(
        _l("Titre de la proposition"),
        validators=[
            InputRequired(_l("Le titre est obligatoire.")),
            Length(max=150, message=_l("150 caractères au plus.")),
        ],
    )
    body = TextAreaField(
        _l("La proposition, telle qu’elle a été exprimée"),
        validators=[
            InputRequired(_l("Décrivez la proposition.")),
            Length(max=5000, message=_l("5 000 caractères au plus.")),
        ],
    )
    theme = SelectField(_l("Thème"), validate_choice=False)


class CollectedCommentForm(BaseForm):
    proposal = SelectField(_l("Sur quelle proposition ?"), validate_choice=False)
    stance = RadioField(_l("Position"), default="", validate_choice=False)
    body = TextAreaField(
        _l("Le commentaire, tel qu’il a été exprimé"),
        validators=[
            InputRequired(_l("Écrivez le commentaire recueilli.")),
            Length(max=5000, message=_l("5 000 caractères au plus.")),
        ],
    )


class CancelWorkshopForm(BaseForm):
    reason = TextAreaField(
        _l("Motif de l’annulation"),
        validators=[
            InputRequired(_l("Donnez le motif de l’annulation.")),
            Length(min=3, max=200, message=_l("Entre 3 et 200 caractères.")),
        ],
        description=_l("Il est envoyé aux personnes inscrites et en liste d’attente."),
    )


class RemoveRegistrationForm(BaseForm):
    reason = TextAreaField(
        _l("Motif du retrait"),
        validators=[
            InputRequired(_l("Donnez le motif du retrait.")),
            Length(min=3, max=200, message=_l("Entre 3 et 200 caractères.")),
        ],
        description=_l("Il est envoyé à la personne retirée."),
    )
