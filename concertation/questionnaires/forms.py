"""The organisers' forms for building a questionnaire (the answering form is drawn from the questions)."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from concertation.forms import BaseForm, choices
from concertation.questionnaires.models import AUDIENCES, KINDS


class QuestionnaireForm(BaseForm):
    title = StringField(
        _l("Titre du questionnaire"),
        validators=[
            InputRequired(_l("Le titre est obligatoire.")),
            Length(max=150, message=_l("150 caractères au plus.")),
        ],
    )
    intro = TextAreaField(
        _l("Introduction"),
        validators=[Optional(), Length(max=5000, message=_l("5 000 caractères au plus."))],
        description=_l("Pourquoi ce questionnaire, combien de temps il prend. Mise en forme Markdown possible."),
    )
    audience = RadioField(_l("Qui peut répondre ?"), default="both", validate_choice=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.audience.choices = [SelectChoice(key, _l(label)) for key, label in AUDIENCES.items()]


class SectionForm(BaseForm):
    section_title = StringField(
        _l("Titre de la section"),
        validators=[
            InputRequired(_l("Le titre est obligatoire.")),
            Length(max=150, message=_l("150 caractères au plus.")),
        ],
    )


class QuestionForm(BaseForm):
    section = SelectField(_l("Section"), validate_choice=False)
    kind = SelectField(_l("Type de question"), validate_choice=False)
    label = StringField(
        _l("Question"),
        validators=[
            InputRequired(_l("La question est obligatoire.")),
            Length(max=300, message=_l("300 caractères au plus.")),
        ],
    )
    hint = StringField(
        _l("Aide (facultative)"), validators=[Optional(), Length(max=300, message=_l("300 caractères au plus."))]
    )
    required = BooleanField(_l("Réponse obligatoire"))
    options = TextAreaField(
        _l("Options, une par ligne"),
        validators=[Optional(), Length(max=6000, message=_l("6 000 caractères au plus."))],
        description=_l("Pour un choix unique ou multiple et un classement : les choix ; pour un tableau : ses lignes."),
    )
    max_choices = IntegerField(
        _l("Nombre maximal de choix (choix multiple)"),
        validators=[Optional(), NumberRange(min=1, max=30, message=_l("Entre 1 et 30."))],
    )
    scale_max = SelectField(_l("Échelle (échelle et tableau)"), validate_choice=False)
    scale_min_label = StringField(
        _l("Libellé de la valeur 1"), validators=[Optional(), Length(max=60, message=_l("60 caractères au plus."))]
    )
    scale_max_label = StringField(
        _l("Libellé de la valeur la plus haute"),
        validators=[Optional(), Length(max=60, message=_l("60 caractères au plus."))],
    )
    condition = SelectField(_l("Afficher seulement si…"), validate_choice=False)

    def set_choices(self, questionnaire, conditions) -> None:
        """Sections of the questionnaire, and the options an earlier choice question may condition on."""
        self.section.choices = [SelectChoice(str(s.id), s.title) for s in questionnaire.sections]
        self.kind.choices = [SelectChoice(key, _l(label)) for key, label in KINDS.items()]
        self.scale_max.choices = choices([("", _l("— Sans échelle —")), ("5", _l("De 1 à 5")), ("10", _l("De 1 à 10"))])
        self.condition.choices = [SelectChoice("", _l("— Toujours afficher —"))] + [
            SelectChoice(str(option.id), f"{question.label} → {option.label}") for question, option in conditions
        ]

    @staticmethod
    def as_int(value) -> int | None:
        return int(value) if value and str(value).isdigit() and len(str(value)) < 10 else None
