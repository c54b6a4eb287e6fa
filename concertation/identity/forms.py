from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, SelectField
from wtforms.validators import InputRequired, Length

from concertation.accounts.forms import pseudonym_field
from concertation.accounts.services import PASSWORD_MAX
from concertation.forms import BaseForm


class WelcomeForm(BaseForm):
    pseudonym = pseudonym_field()
    accept_terms = BooleanField(
        _l("J’accepte les conditions d’utilisation et la politique de confidentialité"),
        validators=[InputRequired(_l("Vous devez accepter les conditions d’utilisation pour créer un compte."))],
    )


class LinkPasswordForm(BaseForm):
    password = PasswordField(
        _l("Mot de passe de votre compte"),
        validators=[InputRequired(_l("Indiquez votre mot de passe.")), Length(max=PASSWORD_MAX)],
        render_kw={"autocomplete": "current-password"},
    )


class ResidenceForm(BaseForm):
    territory = SelectField(_l("Territoire où vous résidez"), choices=[], validate_choice=True)
