from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from concertation.forms import BaseForm, choices
from concertation.manifesto.amendments import JUSTIFICATION_MAX, WORDING_MAX
from concertation.manifesto.models import AMENDMENT_KINDS
from concertation.manifesto.services import MAX_TEXT
from concertation.texts import forms as texts_forms

MARKDOWN_HINT = _l(
    "Markdown possible : **gras**, *italique*, listes, liens. Séparez les paragraphes par une ligne vide."
)


class ManifestoForm(BaseForm):
    title = StringField(
        _l("Titre du manifeste"),
        validators=[
            InputRequired(_l("Le titre est obligatoire.")),
            Length(min=5, max=200, message=_l("Le titre doit faire entre 5 et 200 caractères.")),
        ],
    )
    introduction = TextAreaField(_l("Introduction"), validators=[Length(max=MAX_TEXT)], description=MARKDOWN_HINT)


class PointForm(BaseForm):
    chapter = StringField(
        _l("Chapitre"),
        validators=[
            InputRequired(_l("Indiquez le chapitre du point.")),
            Length(min=2, max=150, message=_l("Le chapitre doit faire entre 2 et 150 caractères.")),
        ],
        description=_l("Les points d’un même chapitre sont regroupés ; un nouveau nom crée un chapitre."),
    )
    title = StringField(
        _l("Titre du point"),
        validators=[
            InputRequired(_l("Le titre est obligatoire.")),
            Length(min=5, max=200, message=_l("Le titre doit faire entre 5 et 200 caractères.")),
        ],
        # The draft page shows this form under the manifesto's own form, which has a "title" too.
        id="point-title",
    )
    body = TextAreaField(_l("Texte du point"), validators=[Length(max=MAX_TEXT)], description=MARKDOWN_HINT)
    position = IntegerField(_l("Rang dans le chapitre"), validators=[Optional(), NumberRange(min=0, max=999)])


class SourceForm(BaseForm):
    source = SelectField(
        _l("Source à citer"),
        validators=[InputRequired(_l("Choisissez une source."))],
        validate_choice=False,
        description=_l("Une synthèse publiée entière, l’une de ses sections ou l’une de ses propositions retenues."),
    )


class PublishForm(BaseForm):
    change_note = StringField(
        _l("Ce qui change dans cette version"),
        validators=[Length(max=500)],
        description=_l("Obligatoire à partir de la version 2 ; affiché dans l’historique."),
    )


class SuggestionForm(BaseForm):
    manifesto = SelectField(_l("Manifeste"), validators=[InputRequired()], coerce=int, validate_choice=False)
    item = SelectField(
        _l("Élément de votre synthèse publiée"),
        validators=[InputRequired(_l("Choisissez une proposition retenue ou une section."))],
        validate_choice=False,
    )
    justification = TextAreaField(
        _l("Pourquoi cet élément a sa place dans le manifeste"),
        validators=[
            InputRequired(_l("La justification est obligatoire.")),
            Length(min=10, max=1000, message=_l("La justification doit faire entre 10 et 1 000 caractères.")),
        ],
    )


class AcceptForm(BaseForm):
    target = RadioField(_l("Ajouter la source"), default="new", validate_choice=False)
    chapter = StringField(_l("Chapitre du nouveau point"), validators=[Optional(), Length(max=150)])
    title = StringField(_l("Titre du nouveau point"), validators=[Optional(), Length(max=200)])


class DeclineForm(BaseForm):
    reason = TextAreaField(
        _l("Raison du refus"),
        validators=[
            InputRequired(_l("Donnez la raison du refus.")),
            Length(min=5, max=1000, message=_l("La raison doit faire entre 5 et 1 000 caractères.")),
        ],
        description=_l("L’organisateur·rice qui a fait la suggestion la lira."),
    )


class EndorsementForm(BaseForm):
    territory = SelectField(
        _l("Territoire au nom duquel vous signez"),
        coerce=int,
        validate_choice=False,
        validators=[InputRequired(_l("Choisissez le territoire."))],
    )
    statement = TextAreaField(
        _l("Déclaration (facultative)"),
        validators=[Length(max=2000, message=_l("La déclaration ne doit pas dépasser 2 000 caractères."))],
        description=_l("Quelques lignes publiées avec la signature du territoire."),
    )


class AmendmentForm(BaseForm):
    territory = SelectField(
        _l("Territoire au nom duquel vous proposez"),
        coerce=int,
        validate_choice=False,
        validators=[InputRequired(_l("Choisissez le territoire."))],
    )
    kind = RadioField(
        _l("Type d’amendement"),
        choices=choices([(k, _l(v)) for k, v in AMENDMENT_KINDS.items()]),
        default="replace",
        validators=[InputRequired(_l("Choisissez le type d’amendement."))],
        validate_choice=False,
    )
    title = StringField(
        _l("Titre du nouveau point (pour un ajout)"),
        validators=[Optional(), Length(max=200, message=_l("Le titre doit faire au plus 200 caractères."))],
        id="amendment-title",
    )
    wording = TextAreaField(
        _l("Rédaction proposée"),
        validators=[
            Optional(),
            Length(max=WORDING_MAX, message=_l("La rédaction doit faire au plus 3 000 caractères.")),
        ],
        description=_l(
            "Pour une nouvelle rédaction, partez du texte du point ; pour un ajout, écrivez le texte du nouveau "
            "point. Laissez vide pour une suppression."
        ),
        render_kw={"rows": 8},
    )
    justification = TextAreaField(
        _l("Justification"),
        validators=[
            InputRequired(_l("Expliquez pourquoi votre territoire propose ce changement.")),
            Length(
                min=10,
                max=JUSTIFICATION_MAX,
                message=_l("La justification doit faire entre 10 et 2 000 caractères."),
            ),
        ],
        description=_l("Publiée avec l’amendement, au nom du territoire."),
        render_kw={"rows": 4},
    )


class CosignForm(BaseForm):
    territory = SelectField(
        _l("Cosigner au nom de"),
        coerce=int,
        validate_choice=False,
        validators=[InputRequired(_l("Choisissez le territoire."))],
    )


# The editors answer territories' amendments as organisers answer a text's: the same forms.
AmendmentAnswerForm = texts_forms.AnswerForm


class BulkAmendmentAnswerForm(texts_forms.BulkAnswerForm):
    def numbers(self) -> list[int]:
        """The amendments' numbers in the draft (anything but a number is -1, which no amendment bears)."""
        return self.amendment_ids()
