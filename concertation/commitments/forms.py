from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from concertation.commitments.models import STATUSES
from concertation.commitments.services import NOTE_MAX, TEXT_MAX
from concertation.forms import BaseForm, choices

PROGRESS_MESSAGE = _l("L’avancement est un nombre entier entre 0 et 100.")
DATE_MESSAGE = _l("Indiquez une date valide (jj/mm/aaaa).")


class PercentField(IntegerField):
    """An integer field whose parsing error speaks French, like the rest of the form."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(PROGRESS_MESSAGE) from None


class FrenchDateField(DateField):
    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(DATE_MESSAGE) from None


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Un choix coché n’est pas valide.")) from None


def status_choices():
    return choices({key: _l(label) for key, label in STATUSES.items()})


class CommitmentForm(BaseForm):
    title = StringField(
        _l("Titre de l’engagement"),
        validators=[
            InputRequired(_l("Le titre est obligatoire.")),
            Length(min=5, max=200, message=_l("Le titre doit faire entre 5 et 200 caractères.")),
        ],
    )
    description = TextAreaField(
        _l("Description"),
        validators=[Length(max=TEXT_MAX, message=_l("La description doit faire au plus 10 000 caractères."))],
        description=_l(
            "Ce que la collectivité s’engage à faire. Markdown possible : **gras**, *italique*, listes, liens."
        ),
    )
    responsible_service = StringField(
        _l("Service responsable"),
        validators=[Length(max=150, message=_l("Le nom du service doit faire au plus 150 caractères."))],
        description=_l("Par exemple : direction du numérique, service de l’eau."),
    )
    status = RadioField(
        _l("Statut"),
        choices=status_choices(),
        default="under_study",
        validate_choice=False,
        validators=[InputRequired(_l("Choisissez un statut."))],
    )
    status_reason = TextAreaField(
        _l("Motif (obligatoire si l’engagement est abandonné)"),
        validators=[Length(max=NOTE_MAX, message=_l("Le motif doit faire au plus 2 000 caractères."))],
    )
    progress = PercentField(
        _l("Avancement (en %)"),
        default=0,
        validators=[InputRequired(PROGRESS_MESSAGE), NumberRange(min=0, max=100, message=PROGRESS_MESSAGE)],
        description=_l("De 0 à 100. Un engagement réalisé est à 100 %."),
    )


class CreateForm(CommitmentForm):
    """A new commitment, with what motivated it (choices set by the view from the territory)."""

    proposals = MultiCheckboxField(
        _l("Propositions retenues à l’origine de l’engagement"), coerce=int, validate_choice=False
    )
    synthesis = SelectField(_l("Synthèse publiée"), validators=[Optional()], validate_choice=False)
    point = SelectField(_l("Point du manifeste"), validators=[Optional()], validate_choice=False)

    def chosen_id(self, name: str) -> int | None:
        value = self[name].data
        return int(value) if value and str(value).isdigit() else (-1 if value else None)


class EditForm(CommitmentForm):
    note = TextAreaField(
        _l("Note publique sur ce changement"),
        validators=[Length(max=NOTE_MAX, message=_l("La note doit faire au plus 2 000 caractères."))],
        description=_l("Elle paraît dans l’historique de l’engagement. Markdown possible."),
    )


class MilestoneForm(BaseForm):
    title = StringField(
        _l("Intitulé du jalon"),
        validators=[
            InputRequired(_l("L’intitulé du jalon est obligatoire.")),
            Length(min=3, max=200, message=_l("L’intitulé du jalon doit faire entre 3 et 200 caractères.")),
        ],
    )
    due_on = FrenchDateField(_l("Échéance (facultative)"), validators=[Optional()])


class MilestoneDoneForm(BaseForm):
    done_on = FrenchDateField(_l("Atteint le (aujourd’hui si vide)"), validators=[Optional()])


class BulkForm(BaseForm):
    retained = MultiCheckboxField(_l("Propositions retenues"), coerce=int, validate_choice=False)
    status = RadioField(
        _l("Statut des nouveaux engagements"),
        choices=status_choices(),
        default="committed",
        validate_choice=False,
        validators=[InputRequired(_l("Choisissez un statut."))],
    )


class FilterForm(BaseForm):
    """The list's filters: a GET form, without CSRF; unknown values are ignored."""

    class Meta:
        csrf = False

    statut = SelectField(_l("Statut"), validators=[Optional()], validate_choice=False)
    theme = SelectField(_l("Thème"), validators=[Optional()], validate_choice=False)
    territoire = SelectField(_l("Territoire"), validators=[Optional()], validate_choice=False)


class LinksForm(BaseForm):
    """What motivated the commitment, edited after its creation (choices set by the view from the territory)."""

    proposals = MultiCheckboxField(_l("Propositions à l’origine de l’engagement"), coerce=int, validate_choice=False)
    syntheses = MultiCheckboxField(_l("Synthèses publiées"), coerce=int, validate_choice=False)
    points = MultiCheckboxField(_l("Points du manifeste"), coerce=int, validate_choice=False)
