from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, RadioField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from concertation.forms import BaseForm, choices
from concertation.moderation.models import REPORT_REASONS


class ReportForm(BaseForm):
    reason = RadioField(
        _l("Motif du signalement"),
        choices=choices({k: _l(v) for k, v in REPORT_REASONS.items()}),
        validators=[InputRequired(_l("Choisissez un motif de signalement."))],
    )
    detail = TextAreaField(
        _l("Précisions (facultatif)"),
        validators=[Optional(), Length(max=1000, message=_l("Les précisions doivent faire au plus 1 000 caractères."))],
    )


class ReasonForm(BaseForm):
    reason = StringField(
        _l("Motif (affiché au public pour un masquage)"),
        validators=[Optional(), Length(max=500, message=_l("Le motif doit faire au plus 500 caractères."))],
    )


class RedactForm(BaseForm):
    title = StringField(_l("Titre corrigé"), validators=[Optional(), Length(min=10, max=150)])
    body = TextAreaField(
        _l("Texte corrigé"), validators=[InputRequired(_l("Le texte corrigé est obligatoire.")), Length(max=5000)]
    )
    reason = StringField(_l("Motif (journal de modération)"), validators=[Optional(), Length(max=500)])


class BlockForm(BaseForm):
    pseudonym = StringField(
        _l("Pseudonyme de la personne"),
        validators=[InputRequired(_l("Indiquez le pseudonyme de la personne.")), Length(max=40)],
    )
    reason = StringField(
        _l("Motif du blocage"), validators=[InputRequired(_l("Indiquez le motif du blocage.")), Length(max=500)]
    )


class CharterForm(BaseForm):
    charter = TextAreaField(
        _l("Charte de modération"),
        validators=[Length(max=20000)],
        description=_l("Markdown possible. Elle est liée depuis chaque formulaire de contribution."),
    )
    report_threshold = IntegerField(
        _l("Masquer une contribution après combien de signalements ?"),
        validators=[
            InputRequired(_l("Indiquez un nombre.")),
            NumberRange(min=1, max=100, message=_l("Le seuil doit être compris entre 1 et 100 signalements.")),
        ],
        default=3,
    )
    dpo_contact = StringField(
        _l("Contact du délégué ou de la déléguée à la protection des données"), validators=[Optional(), Length(max=254)]
    )
