from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from concertation.forms import BaseForm
from concertation.synthesis.services import MAX_TEXT


class SynthesisForm(BaseForm):
    title = StringField(
        _l("Titre de la synthèse"),
        validators=[
            InputRequired(_l("Le titre est obligatoire.")),
            Length(min=5, max=200, message=_l("Le titre doit faire entre 5 et 200 caractères.")),
        ],
    )
    introduction = TextAreaField(
        _l("Introduction"),
        validators=[Length(max=MAX_TEXT)],
        description=_l(
            "Markdown possible : **gras**, *italique*, listes, liens. Séparez les paragraphes par une ligne vide."
        ),
    )


def synthesis_form(synthesis, **kw) -> SynthesisForm:
    """The draft's form, with one text field per section (named section_<id>)."""

    class Form(SynthesisForm):
        pass

    for section in synthesis.sections:
        setattr(
            Form,
            f"section_{section.id}",
            TextAreaField(
                section.title,
                validators=[Length(max=MAX_TEXT)],
                description=_l(
                    "Séparez les paragraphes par une ligne vide : les citations se rattachent à un "
                    "paragraphe par son numéro."
                ),
            ),
        )
    return Form(**kw)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RetainedForm(BaseForm):
    proposals = MultiCheckboxField(_l("Propositions retenues mises en avant"), coerce=int, validate_choice=False)


class CitationForm(BaseForm):
    """Cite one of the contributions a search found (its choices are the search's results)."""

    source = RadioField(
        _l("Contribution à citer"),
        validate_choice=False,
        validators=[InputRequired(_l("Choisissez une contribution parmi les résultats de la recherche."))],
    )
    q = HiddenField()
    paragraph = IntegerField(
        _l("Paragraphe (facultatif)"),
        validators=[Optional(), NumberRange(min=1, max=500)],
        description=_l("Laissez vide pour citer la contribution à l’appui de toute la section."),
    )


class PublishForm(BaseForm):
    change_note = StringField(
        _l("Ce que corrige cette version"),
        validators=[Length(max=500)],
        description=_l("Obligatoire pour une nouvelle version ; affiché aux lecteurs."),
    )


class MergeForm(BaseForm):
    duplicate_id = IntegerField(_l("Doublon (numéro)"), validators=[InputRequired(), NumberRange(min=1)])
    target_id = IntegerField(_l("Fusionner dans (numéro)"), validators=[InputRequired(), NumberRange(min=1)])


class ReadingFilterForm(BaseForm):
    """The reading room's filters, sent by GET (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    territoire = SelectField(_l("Territoire"), validators=[Optional()], validate_choice=False)
    theme = StringField(
        _l("Thème"),
        validators=[Optional(), Length(max=80)],
        description=_l("Un mot d’un thème, par exemple « formation »."),
    )
    depuis = DateField(_l("Publiée depuis le"), validators=[Optional()])
    jusqu_au = DateField(_l("Publiée jusqu’au"), validators=[Optional()])


# The synthesis aid's forms (choices are set by the view: the consultation's groups and sections).


class AidComputeForm(BaseForm):
    start_over = BooleanField(
        _l("Recommencer les groupes à zéro"),
        description=_l(
            "Vos noms de groupes, fusions, scissions et déplacements seront perdus. "
            "Sans cette case, les nouvelles propositions rejoignent les groupes "
            "existants et vos modifications sont gardées."
        ),
    )


class GroupRenameForm(BaseForm):
    group_id = SelectField(_l("Groupe"), coerce=int)
    name = StringField(
        _l("Nouveau nom"),
        validators=[Length(max=150)],
        description=_l("Laissez vide pour revenir aux mots caractéristiques."),
    )


class GroupMergeForm(BaseForm):
    group_id = SelectField(_l("Groupe gardé"), coerce=int)
    other_id = SelectField(_l("Groupe fondu dans le premier"), coerce=int)


class GroupSplitForm(BaseForm):
    group_id = SelectField(_l("Groupe à scinder"), coerce=int)
    proposals = StringField(
        _l("Numéros des propositions qui forment le nouveau groupe"),
        validators=[InputRequired(_l("Indiquez au moins un numéro de proposition.")), Length(max=5000)],
        description=_l("Séparés par des virgules ou des espaces, par exemple : 12, 48, 51."),
    )
    name = StringField(_l("Nom du nouveau groupe (facultatif)"), validators=[Length(max=150)])


class ProposalMoveForm(BaseForm):
    proposals = StringField(
        _l("Numéros des propositions à déplacer"),
        validators=[InputRequired(_l("Indiquez au moins un numéro de proposition.")), Length(max=5000)],
        description=_l("Séparés par des virgules ou des espaces, par exemple : 12, 48, 51."),
    )
    group_id = SelectField(_l("Vers"), coerce=int)


class DraftAcceptForm(BaseForm):
    section_id = SelectField(_l("Section de la synthèse"), coerce=int)
