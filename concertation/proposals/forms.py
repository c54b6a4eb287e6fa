from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectChoice, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from concertation.forms import BaseForm
from concertation.proposals.models import ANSWERS
from concertation.proposals.services import BODY_MAX, SORTS, TITLE_MAX, TITLE_MIN

MARKDOWN_HINT = _l("Mise en forme Markdown possible : **gras**, *italique*, listes, liens.")


def answer_choices():
    return [SelectChoice(key, _l(label)) for key, label in ANSWERS.items()]


class ProposalForm(BaseForm):
    title = StringField(
        _l("Titre de la proposition"),
        validators=[
            InputRequired(_l("Le titre est obligatoire.")),
            Length(min=TITLE_MIN, max=TITLE_MAX, message=_l("Le titre doit faire entre 10 et 150 caractères.")),
        ],
        description=_l("Entre 10 et 150 caractères. Une phrase qui dit ce que vous proposez."),
    )
    body = TextAreaField(
        _l("Description"),
        validators=[
            InputRequired(_l("Décrivez votre proposition.")),
            Length(max=BODY_MAX, message=_l("La description doit faire au plus 5 000 caractères.")),
        ],
        description=_l(
            "5 000 caractères au plus. Mise en forme Markdown possible : **gras**, *italique*, listes, liens."
        ),
    )
    theme = SelectField(_l("Thème"), validators=[Optional()], validate_choice=False)

    def set_themes(self, themes) -> None:
        self.theme.choices = [SelectChoice("", _l("— Choisissez un thème —"))] + [
            SelectChoice(str(t.id), t.name) for t in themes
        ]
        if themes:
            self.theme.validators = [InputRequired(_l("Choisissez le thème de votre proposition."))]
            self.theme.flags.required = True

    def theme_id(self) -> int | None:
        value = self.theme.data
        return int(value) if value and str(value).isdigit() else (-1 if value else None)


class FilterForm(BaseForm):
    """The list's filters: a GET form, without CSRF; unknown values are ignored."""

    class Meta:
        csrf = False

    q = StringField(_l("Rechercher"), validators=[Optional(), Length(max=200)])
    theme = SelectField(_l("Thème"), validators=[Optional()], validate_choice=False)
    answer = SelectField(_l("Réponse de la collectivité"), validators=[Optional()], validate_choice=False)
    sort = SelectField(_l("Trier par"), validators=[Optional()], validate_choice=False)
    mine = BooleanField(_l("Mes propositions"))
    supported = BooleanField(_l("Celles que je soutiens"))

    def set_choices(self, themes, counts_public: bool = True) -> None:
        self.theme.choices = [SelectChoice("", _l("Tous les thèmes"))] + [
            SelectChoice(str(t.id), t.name) for t in themes
        ]
        self.answer.choices = [
            SelectChoice("", _l("Toutes")),
            SelectChoice("none", _l("En attente de réponse")),
        ] + answer_choices()
        # While vote results are secret, sorting by supports would reveal them.
        self.sort.choices = [
            SelectChoice(key, _l(label)) for key, label in SORTS.items() if counts_public or key != "supports"
        ]


class AnswerForm(BaseForm):
    template = SelectField(
        _l("Partir d’un modèle de réponse (facultatif)"),
        validators=[Optional()],
        validate_choice=False,
        description=_l("Si vous choisissez un modèle, sa réponse et son texte s’appliquent."),
    )
    answer = RadioField(_l("Réponse"), choices=answer_choices(), validators=[Optional()], validate_choice=False)
    text = TextAreaField(
        _l("Justification publique"),
        validators=[Length(max=5000, message=_l("La justification doit faire au plus 5 000 caractères."))],
        description=_l(
            "Obligatoire si la proposition n’est pas retenue. Mise en forme Markdown possible : "
            "**gras**, *italique*, listes, liens."
        ),
    )

    def set_templates(self, templates) -> None:
        self.template.choices = [SelectChoice("", _l("— Aucun modèle —"))] + [
            SelectChoice(str(t.id), t.name) for t in templates
        ]

    def template_id(self) -> int | None:
        value = self.template.data
        return int(value) if value and str(value).isdigit() else (-1 if value else None)


class BulkAnswerForm(AnswerForm):
    proposal_ids = SelectMultipleField(_l("Propositions cochées"), coerce=int, validate_choice=False)
    # "Select all on this page" works without JavaScript: the page's ids travel with the form.
    all_on_page = BooleanField(_l("Tout sélectionner sur cette page"))
    page_ids = SelectMultipleField(coerce=int, validate_choice=False)


class AnswerTemplateForm(BaseForm):
    name = StringField(
        _l("Nom du modèle"),
        validators=[
            InputRequired(_l("Donnez un nom au modèle.")),
            Length(max=100, message=_l("Le nom du modèle doit faire au plus 100 caractères.")),
        ],
        description=_l("Pour vous y retrouver, par exemple « Hors compétence de la commune »."),
    )
    answer = RadioField(_l("Réponse"), choices=answer_choices(), validators=[Optional()], validate_choice=False)
    text = TextAreaField(
        _l("Justification publique"),
        validators=[Length(max=5000, message=_l("La justification doit faire au plus 5 000 caractères."))],
        description=MARKDOWN_HINT,
    )
