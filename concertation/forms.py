"""The base form every form of the platform derives from."""

from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectChoice

from concertation.text import clean_input


def _strip_and_clean(value):
    if isinstance(value, str):
        return clean_input(value).strip()
    return value


class BaseForm(FlaskForm):
    """Strips whitespace and characters the database refuses from every text field."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            if issubclass(unbound_field.field_class, PasswordField):
                return unbound_field.bind(form=form, **options)
            filters = list(unbound_field.kwargs.get("filters", []))
            if _strip_and_clean not in filters:
                filters = [_strip_and_clean, *filters]
            return unbound_field.bind(form=form, filters=filters, **options)


def show_refusal(form: FlaskForm, error) -> None:
    """Put a domain refusal (ActionRefused) next to the field it concerns, or above the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message] if isinstance(field.errors, list) else [error.message]
    else:
        form.form_errors.append(error.message)


def choices(pairs) -> list[SelectChoice]:
    """Choices for a SelectField or RadioField from (value, label) pairs or a dict."""
    items = pairs.items() if isinstance(pairs, dict) else pairs
    return [SelectChoice(value, label) for value, label in items]
