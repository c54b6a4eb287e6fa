"""Forms of the vote: one button (support, take back), one mention, or a page of mentions at once."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField
from wtforms.validators import InputRequired, Optional

from concertation.forms import BaseForm
from concertation.voting.models import MENTIONS

# Best first, as people read a scale of mentions.
MENTION_CHOICES = [(value, _l(MENTIONS[value])) for value in reversed(range(len(MENTIONS)))]


class VoteForm(BaseForm):
    """A vote button: its CSRF token and the local page to come back to."""

    next = HiddenField()


class GradeForm(VoteForm):
    mention = RadioField(_l("Votre mention"), choices=MENTION_CHOICES, coerce=int,
                         validators=[InputRequired(_l("Choisissez une mention."))])


def field_name(proposal_id: int) -> str:
    return f"mention_{proposal_id}"


def grading_form(proposals, given: dict[int, int]) -> BaseForm:
    """A form with one group of six mentions per proposal of the page, filled with the mentions given."""

    class GradingForm(BaseForm):
        pass

    for proposal in proposals:
        setattr(GradingForm, field_name(proposal.id), RadioField(
            proposal.title, choices=MENTION_CHOICES, coerce=int, validators=[Optional()],
            default=given.get(proposal.id)))
    return GradingForm()


def chosen_mentions(form: BaseForm, proposals) -> dict[int, int]:
    """The mentions chosen in a validated grading form, by proposal id (unanswered ones left out)."""
    chosen = {}
    for proposal in proposals:
        value = form[field_name(proposal.id)].data
        if value is not None:
            chosen[proposal.id] = value
    return chosen
