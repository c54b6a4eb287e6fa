"""The library's forms: an entry, a retour d’expérience, and the list's filters (a GET form)."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SearchField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from concertation.commitments.forms import MultiCheckboxField
from concertation.forms import BaseForm, choices
from concertation.library.models import AUDIENCES, COST_BANDS, HOSTINGS, METIERS, STATUSES, VERDICTS
from concertation.library.services import EntryData, RetourData

MARKDOWN_HINT = _l("Mise en forme Markdown possible : **gras**, *italique*, listes, liens.")
TEXT_LENGTH = Length(max=5000, message=_l("Ce texte doit faire au plus 5 000 caractères."))
SHORT_LENGTH = Length(max=150, message=_l("Ce champ doit faire au plus 150 caractères."))


def translated(labels: dict) -> list[SelectChoice]:
    return choices({key: _l(label) for key, label in labels.items()})


def _text(label, hint=None, required: str | None = None):
    validators = [InputRequired(required)] if required else []
    return TextAreaField(label, validators=[*validators, TEXT_LENGTH], description=hint or MARKDOWN_HINT)


class AgentsField(IntegerField):
    """A number of agents, or nothing; a word instead of a number is refused in French."""

    def __init__(self, label, **kw):
        message = _l("Donnez un nombre d’agents entre 0 et 1 000 000.")
        super().__init__(label, validators=[Optional(), NumberRange(min=0, max=1_000_000, message=message)], **kw)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Donnez un nombre d’agents entre 0 et 1 000 000.")) from None


def _date(label):
    return DateField(label, validators=[Optional()], description=_l("Au format jj/mm/aaaa."))


class EntryForm(BaseForm):
    territory = SelectField(_l("Collectivité"), validators=[Optional()], validate_choice=False)
    title = StringField(
        _l("Nom de l’outil ou de l’usage"),
        validators=[
            InputRequired(_l("Le titre est obligatoire.")),
            Length(min=5, max=150, message=_l("Le titre doit faire entre 5 et 150 caractères.")),
        ],
        description=_l("Par exemple « Chatbot d’accueil de la mairie » ou « Tri automatique du courrier »."),
    )
    need = _text(
        _l("Le besoin"),
        _l("Le problème de service public que l’outil aide à résoudre, dit simplement."),
        required=_l("Décrivez le besoin auquel l’outil répond."),
    )
    metier = SelectField(_l("Métier concerné"), choices=translated(METIERS), validate_choice=False)
    service = StringField(
        _l("Service ou direction (facultatif)"),
        validators=[SHORT_LENGTH],
        description=_l("Par exemple « Direction de l’eau »."),
    )
    description = _text(_l("Ce que fait l’outil"))
    audience = RadioField(_l("Pour qui ?"), choices=translated(AUDIENCES), default="agents", validate_choice=False)
    status = SelectField(_l("État"), choices=translated(STATUSES), validate_choice=False)
    started_on = _date(_l("Début du projet (facultatif)"))
    deployed_on = _date(_l("Mise en service (facultatif)"))
    ended_on = _date(_l("Date de l’abandon (facultatif)"))
    abandon_reason = TextAreaField(
        _l("Pourquoi l’outil a été abandonné"),
        validators=[TEXT_LENGTH],
        description=_l("Obligatoire pour un outil abandonné : ce retour évite aux autres les mêmes écueils."),
    )
    data_used = _text(_l("Les données utilisées"))
    personal_data = BooleanField(_l("L’outil traite des données personnelles"))
    dpia_done = BooleanField(
        _l("Une analyse d’impact relative à la protection des données (AIPD) a été faite"),
    )
    hosting = SelectField(_l("Lieu d’hébergement"), choices=translated(HOSTINGS), validate_choice=False)
    host_name = StringField(_l("Hébergeur (facultatif)"), validators=[SHORT_LENGTH])
    open_source = BooleanField(_l("Logiciel libre"))
    vendor = StringField(
        _l("Éditeur ou projet"),
        validators=[SHORT_LENGTH],
        description=_l("Obligatoire si l’outil n’est pas un logiciel libre."),
    )
    cost_band = SelectField(_l("Coût annuel"), choices=translated(COST_BANDS), validate_choice=False)
    human_oversight = _text(
        _l("Contrôle humain"),
        _l("Qui décide, qui relit, comment une erreur est corrigée. Mise en forme Markdown possible."),
    )
    human_reachable = BooleanField(_l("Une personne peut toujours joindre un humain"))
    frugality = _text(_l("Énergie et sobriété"))
    training = _text(_l("Formation des agents"))
    agents_concerned = AgentsField(
        _l("Nombre d’agents qui utilisent l’outil (facultatif)"),
        description=_l("Il sert à calculer la part d’agents formés, sur la plateforme et pour votre collectivité."),
    )
    agents_trained = AgentsField(_l("Dont agents formés (facultatif)"))
    results = _text(_l("Résultats observés"))
    contact = StringField(
        _l("Contact dans la collectivité"),
        validators=[Length(max=254, message=_l("Le contact doit faire au plus 254 caractères."))],
        description=_l(
            "L’adresse d’un service ou d’une fonction, jamais celle d’une personne : elle n’est montrée "
            "qu’aux agents, organisateurs et élus connectés."
        ),
    )

    def set_territories(self, territories) -> None:
        self.territory.choices = [SelectChoice(str(t.id), t.name) for t in territories]

    def territory_id(self) -> int | None:
        value = self.territory.data
        return int(value) if value and str(value).isdigit() and len(str(value)) < 10 else None

    def entry_data(self) -> EntryData:
        values = {}
        for name in EntryData.__dataclass_fields__:
            field = getattr(self, name)
            if isinstance(field, DateField | IntegerField):
                values[name] = field.data
            elif isinstance(field, BooleanField):
                values[name] = bool(field.data)
            else:
                values[name] = field.data or ""
        return EntryData(**values)


class RetourForm(BaseForm):
    territory = SelectField(_l("Au nom de"), validators=[Optional()], validate_choice=False)
    context = _text(
        _l("Votre contexte"),
        _l("Votre collectivité, le service concerné, depuis quand vous utilisez l’outil. Markdown possible."),
    )
    gains = _text(_l("Ce que vous y avez gagné"))
    difficulties = _text(_l("Les difficultés rencontrées"))
    would_recommend = RadioField(
        _l("Le recommanderiez-vous à une autre collectivité ?"),
        choices=choices({"oui": _l("Oui"), "non": _l("Non")}),
        default="oui",
        validate_choice=False,
    )

    def set_territories(self, territories) -> None:
        self.territory.choices = [SelectChoice(str(t.id), t.name) for t in territories]

    def territory_id(self) -> int | None:
        value = self.territory.data
        return int(value) if value and str(value).isdigit() and len(str(value)) < 10 else None

    def retour(self) -> RetourData:
        return RetourData(
            context=self.context.data or "",
            gains=self.gains.data or "",
            difficulties=self.difficulties.data or "",
            would_recommend=self.would_recommend.data != "non",
        )


YES_NO_ANY = {"": _l("Indifférent"), "oui": _l("Oui"), "non": _l("Non")}


class LibraryFilterForm(BaseForm):
    """The list's filters: a GET form, without CSRF; unknown values are ignored."""

    class Meta:
        csrf = False

    q = SearchField(_l("Rechercher un besoin, un outil"), validators=[Optional(), Length(max=200)])
    metier = SelectField(
        _l("Métier"), choices=[SelectChoice("", _l("Tous les métiers")), *translated(METIERS)], validate_choice=False
    )
    audience = SelectField(
        _l("Pour qui"),
        choices=[SelectChoice("", _l("Tous les publics")), *translated(AUDIENCES)],
        validate_choice=False,
    )
    status = SelectField(
        _l("État"), choices=[SelectChoice("", _l("Tous les états")), *translated(STATUSES)], validate_choice=False
    )
    hosting = SelectField(
        _l("Hébergement"),
        choices=[SelectChoice("", _l("Tous les hébergements")), *translated(HOSTINGS)],
        validate_choice=False,
    )
    open_source = SelectField(_l("Logiciel libre"), choices=choices(YES_NO_ANY), validate_choice=False)
    personal_data = SelectField(_l("Données personnelles"), choices=choices(YES_NO_ANY), validate_choice=False)


class LinksForm(BaseForm):
    """What led to the tool: commitments and proposals of its territory (choices set by the view)."""

    commitments = MultiCheckboxField(_l("Engagements à l’origine de l’outil"), coerce=int, validate_choice=False)
    realised = MultiCheckboxField(
        _l("Engagements que cet outil réalise"),
        coerce=int,
        validate_choice=False,
        description=_l(
            "Un engagement réalisé par l’outil passe au statut « réalisé » à 100 %, et les personnes qui "
            "suivent ses propositions en sont prévenues."
        ),
    )
    proposal_ids = MultiCheckboxField(_l("Propositions à l’origine de l’outil"), coerce=int, validate_choice=False)


def assessment_form(points, data=None) -> BaseForm:
    """The grid as a form: for each point (by uid) a verdict `v<uid>` and a justification `j<uid>`."""

    class AssessmentForm(BaseForm):
        pass

    verdicts = [SelectChoice("", _l("Non évalué")), *translated(VERDICTS)]
    length = Length(max=2000, message=_l("La justification doit faire au plus 2 000 caractères."))
    for point in points:
        setattr(
            AssessmentForm,
            f"v{point.uid}",
            RadioField(_l("Appréciation"), choices=verdicts, default="", validate_choice=False),
        )
        setattr(AssessmentForm, f"j{point.uid}", TextAreaField(_l("Justification"), validators=[length]))
    return AssessmentForm(data=data)
