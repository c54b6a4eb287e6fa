"""The profile questions, and the organisers' population forms (typed, or an INSEE-like CSV file)."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, FileField, IntegerField, SelectField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional

from concertation.forms import BaseForm, choices
from concertation.participation.models import AGE_BANDS, CONSENT_TEXT, PCS_GROUPS, RELATIONS

NOT_SAID = _l("Je préfère ne pas répondre")


class ProfileForm(BaseForm):
    age_band = SelectField(_l("Votre tranche d’âge"), validate_choice=False)
    area = SelectField(
        _l("Votre commune ou votre quartier"),
        validate_choice=False,
        description=_l("Parmi ceux que les territoires de la plateforme ont indiqués."),
    )
    relation = SelectField(_l("Vous participez comme…"), validate_choice=False)
    pcs = SelectField(_l("Votre catégorie professionnelle (facultatif)"), validate_choice=False)
    consent = BooleanField(_l(CONSENT_TEXT))

    def __init__(self, area_groups, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.age_band.choices = choices([("", NOT_SAID), *((k, _l(v)) for k, v in AGE_BANDS.items())])
        self.relation.choices = choices([("", NOT_SAID), *((k, _l(v)) for k, v in RELATIONS.items())])
        self.pcs.choices = choices([("", NOT_SAID), *((k, _l(v)) for k, v in PCS_GROUPS.items())])
        # Grouped by territory (optgroups): a SelectField takes a dict of group → choices.
        groups = {"": choices([("", NOT_SAID), ("ailleurs", _l("Ailleurs (aucun de ces lieux)"))])}
        for territory, areas in area_groups:
            groups[territory.name] = choices([(str(a.id), a.name) for a in areas])
        self.area.choices = groups


class DeleteProfileForm(BaseForm):
    pass


def _band_field(band: str, label: str) -> IntegerField:
    return IntegerField(
        label,
        validators=[
            Optional(),
            NumberRange(min=0, max=100_000_000, message=_l("Un nombre entier entre 0 et 100 millions.")),
        ],
    )


class PopulationForm(BaseForm):
    age_15_29 = _band_field("15-29", _l("15 à 29 ans"))
    age_30_44 = _band_field("30-44", _l("30 à 44 ans"))
    age_45_59 = _band_field("45-59", _l("45 à 59 ans"))
    age_60_74 = _band_field("60-74", _l("60 à 74 ans"))
    age_75 = _band_field("75+", _l("75 ans ou plus"))
    areas = TextAreaField(
        _l("Communes ou quartiers, un par ligne"),
        validators=[Optional(), Length(max=100_000, message=_l("100 000 caractères au plus."))],
        description=_l(
            "« nom ; population de 15 ans ou plus », et si vous le connaissez « ; code INSEE ». "
            "Exemple : Centre-bourg ; 4 200 ; 99101"
        ),
    )

    BANDS = {"15-29": "age_15_29", "30-44": "age_30_44", "45-59": "age_45_59", "60-74": "age_60_74", "75+": "age_75"}

    def ages(self) -> dict[str, int | None]:
        return {band: self[name].data for band, name in self.BANDS.items()}


class PopulationImportForm(BaseForm):
    file = FileField(_l("Fichier CSV (2 Mo au plus)"))
