from flask_babel import lazy_gettext as _l
from wtforms import DateField, DecimalField, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import TextInput

from concertation.forms import BaseForm, choices
from concertation.territories.models import ACCESSIBILITY_STATUSES


class FrenchDecimalField(DecimalField):
    """A decimal typed the French way (« 72,5 ») or the English way (« 72.5 »)."""

    def process_formdata(self, valuelist):
        super().process_formdata([v.replace(",", ".").replace(" ", "") for v in valuelist])


class AccessibilityAuditForm(BaseForm):
    status = SelectField(
        _l("État de conformité"),
        choices=choices({k: _l(v) for k, v in ACCESSIBILITY_STATUSES.items()}),
        description=_l(
            # Worded without "100 % des" / "50 % des", which gettext would read as "% d" placeholders.
            "Celui que conclut l’audit : totalement conforme quand tous les critères sont respectés, "
            "partiellement conforme à partir de la moitié, non conforme en dessous."
        ),
    )
    audited_on = DateField(_l("Date de l’audit"), validators=[InputRequired(_l("Indiquez la date de l’audit."))])
    auditor = StringField(
        _l("Réalisé par"),
        validators=[InputRequired(_l("Indiquez qui a réalisé l’audit.")), Length(max=200)],
        description=_l("Le prestataire ou le service qui a mené l’audit."),
    )
    rate = FrenchDecimalField(
        _l("Taux de conformité (%, facultatif)"),
        places=None,
        validators=[Optional(), NumberRange(min=0, max=100, message=_l("Un pourcentage, entre 0 et 100."))],
        description=_l("La part des critères du RGAA respectés, par exemple 72,5."),
        render_kw={"inputmode": "decimal"},
        widget=TextInput(),
    )
    report_url = StringField(_l("Lien vers le rapport d’audit (facultatif)"), validators=[Optional(), Length(max=500)])
