"""Forms of the vote: one button (support, take back), one mention, or a page of mentions at once.

A mention is read as a number from 0 (À rejeter) to 5 (Excellent); the templates draw
the six radio buttons with their labels from MENTIONS.
"""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField
from wtforms.validators import InputRequired, NumberRange, Optional

from concertation.forms import BaseForm
from concertation.voting.models import MENTIONS

MENTION_MESSAGE = _l("Choisissez une des six mentions.")


def _mention_range() -> NumberRange:
    return NumberRange(min=0, max=len(MENTIONS) - 1, message=MENTION_MESSAGE)


class VoteForm(BaseForm):
    """A vote button: its CSRF token and the local page to come back to."""

    next = HiddenField()


class GradeForm(VoteForm):
    mention = IntegerField(_l("Votre mention"), validators=[InputRequired(MENTION_MESSAGE), _mention_range()])


def field_name(proposal_id: int) -> str:
    return f"mention_{proposal_id}"


def grading_form(proposals, given: dict[int, int]) -> BaseForm:
    """A form with one mention per proposal of the page, filled with the mentions already given."""

    class GradingForm(BaseForm):
        pass

    for proposal in proposals:
        setattr(
            GradingForm,
            field_name(proposal.id),
            IntegerField(proposal.title, validators=[Optional(), _mention_range()], default=given.get(proposal.id)),
        )
    return GradingForm()


def chosen_mentions(form: BaseForm, proposals) -> dict[int, int]:
    """The mentions chosen in a validated grading form, by proposal id (unanswered ones left out)."""
    chosen = {}
    for proposal in proposals:
        value = form[field_name(proposal.id)].data
        if value is not None:
            chosen[proposal.id] = value
    return chosen
