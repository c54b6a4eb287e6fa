from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectChoice, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from concertation.comments.models import STANCES
from concertation.comments.services import BODY_MAX
from concertation.forms import BaseForm

BODY_HINT = _l("3 000 caractères au plus. Restez courtois : les messages irrespectueux sont masqués.")


def _body():
    return TextAreaField(
        _l("Votre commentaire"),
        validators=[
            InputRequired(_l("Le commentaire est vide.")),
            Length(max=BODY_MAX, message=_l("Le commentaire doit faire au plus 3 000 caractères.")),
        ],
        description=BODY_HINT,
    )


class CommentForm(BaseForm):
    body = _body()
    stance = RadioField(
        _l("Votre position sur la proposition (facultatif)"),
        validators=[Optional()],
        choices=[SelectChoice("", _l("Sans position"))] + [SelectChoice(k, _l(v)) for k, v in STANCES.items()],
        default="",
        validate_choice=False,
    )


class ParagraphCommentForm(CommentForm):
    stance = RadioField(
        _l("Votre position sur le paragraphe (facultatif)"),
        validators=[Optional()],
        choices=[SelectChoice("", _l("Sans position"))] + [SelectChoice(k, _l(v)) for k, v in STANCES.items()],
        default="",
        validate_choice=False,
    )


class ReplyForm(BaseForm):
    body = _body()
