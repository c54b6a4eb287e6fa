from flask_babel import lazy_gettext as _l
from wtforms import BooleanField

from concertation.forms import BaseForm


class PreferencesForm(BaseForm):
    notify_by_email = BooleanField(_l("Recevoir aussi chaque notification par courriel"))
