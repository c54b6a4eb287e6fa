from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import Email, EqualTo, InputRequired, Length, Optional, Regexp

from concertation.accounts.services import PASSWORD_MAX, PASSWORD_MIN
from concertation.forms import BaseForm, choices

PSEUDONYM_PATTERN = r"^[\w À-ÿ'’.\-]+$"


def email_field():
    return EmailField(
        _l("Adresse électronique"),
        validators=[
            InputRequired(_l("Indiquez votre adresse électronique.")),
            Length(max=254),
            Email(_l("Cette adresse électronique n’est pas valide."), check_deliverability=False),
        ],
        render_kw={"autocomplete": "email"},
    )


def new_password_field(label):
    return PasswordField(
        label,
        validators=[
            InputRequired(_l("Choisissez un mot de passe.")),
            Length(
                min=PASSWORD_MIN,
                max=PASSWORD_MAX,
                message=_l(
                    "Le mot de passe doit faire entre %(min)d et %(max)d caractères.",
                    min=PASSWORD_MIN,
                    max=PASSWORD_MAX,
                ),
            ),
        ],
        description=_l("Au moins %(min)d caractères. Une phrase de passe est plus facile à retenir.", min=PASSWORD_MIN),
        render_kw={"autocomplete": "new-password"},
    )


def pseudonym_field():
    return StringField(
        _l("Pseudonyme public"),
        validators=[
            InputRequired(_l("Choisissez un pseudonyme.")),
            Length(min=2, max=40, message=_l("Le pseudonyme doit faire entre 2 et 40 caractères.")),
            Regexp(
                PSEUDONYM_PATTERN,
                message=_l(
                    "Le pseudonyme ne peut contenir que des lettres, chiffres, espaces, apostrophes, points et tirets."
                ),
            ),
        ],
        description=_l(
            "C’est le nom affiché à côté de vos contributions. Votre adresse électronique n’est jamais publiée."
        ),
        render_kw={"autocomplete": "nickname"},
    )


class SignupForm(BaseForm):
    email = email_field()
    pseudonym = pseudonym_field()
    password = new_password_field(_l("Mot de passe"))
    accept_terms = BooleanField(
        _l("J’accepte les conditions d’utilisation et la politique de confidentialité"),
        validators=[InputRequired(_l("Vous devez accepter les conditions d’utilisation pour créer un compte."))],
    )


class LoginForm(BaseForm):
    email = email_field()
    password = PasswordField(
        _l("Mot de passe"),
        validators=[InputRequired(_l("Indiquez votre mot de passe.")), Length(max=PASSWORD_MAX)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Rester connecté·e sur cet appareil"))


class EmailOnlyForm(BaseForm):
    email = email_field()


class ResetPasswordForm(BaseForm):
    password = new_password_field(_l("Nouveau mot de passe"))
    confirm = PasswordField(
        _l("Confirmez le nouveau mot de passe"),
        validators=[EqualTo("password", _l("Les deux mots de passe ne correspondent pas."))],
        render_kw={"autocomplete": "new-password"},
    )


class ProfileForm(BaseForm):
    pseudonym = pseudonym_field()
    name = StringField(
        _l("Nom (facultatif, jamais publié)"),
        validators=[Optional(), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )
    locale = SelectField(
        _l("Langue de l’interface"),
        choices=choices([("", _l("Selon le navigateur")), ("fr", "Français"), ("en", "English")]),
    )


class ChangePasswordForm(BaseForm):
    current_password = PasswordField(
        _l("Mot de passe actuel"),
        validators=[InputRequired(_l("Indiquez votre mot de passe actuel.")), Length(max=PASSWORD_MAX)],
        render_kw={"autocomplete": "current-password"},
    )
    password = new_password_field(_l("Nouveau mot de passe"))


class ConfirmDeletionForm(BaseForm):
    """Deleting an account without a password (made through FranceConnect or ProConnect): the provider
    confirms the person instead."""

    password_field_shown = False
    confirm = BooleanField(
        _l("Je comprends que mon compte sera supprimé définitivement"),
        validators=[InputRequired(_l("Cochez la case pour confirmer."))],
    )


class DeleteAccountForm(ConfirmDeletionForm):
    password_field_shown = True
    password = PasswordField(
        _l("Votre mot de passe, pour confirmer"),
        validators=[
            InputRequired(_l("Indiquez votre mot de passe pour confirmer la suppression.")),
            Length(max=PASSWORD_MAX),
        ],
        render_kw={"autocomplete": "current-password"},
    )
