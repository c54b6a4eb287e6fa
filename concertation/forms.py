"""The base form every form of the platform derives from."""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from babel import support
from flask import abort, current_app, flash, redirect
from flask_babel import get_locale
from flask_wtf import FlaskForm
from wtforms.i18n import messages_path
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms import PasswordField, SelectChoice

from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.text import clean_input


def _strip_and_clean(value):
    if isinstance(value, str):
        return clean_input(value).strip()
    return value


@cache
def _wtforms_messages(locale: str) -> support.NullTranslations:
    """WTForms' own messages (« Ce champ est requis. »…) in `locale`, read from its catalogue once per process."""
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class BaseForm(FlaskForm):
    """Strips whitespace and characters the database refuses from every text field."""

    class Meta:
        def get_translations(self, form):
            # Flask-WTF reads WTForms' catalogue again on every request that builds a form.
            if not current_app.config.get("WTF_I18N_ENABLED", True):
                return super().get_translations(form)
            return _wtforms_messages(str(get_locale() or "fr"))

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


@contextmanager
def refusal_shown(form: FlaskForm, missing_is_404: bool = False) -> Iterator[None]:
    """Around a view's service call and commit: when the domain says no (ActionRefused), roll the
    session back and put the refusal next to its field; the view goes on to render the form again.
    With `missing_is_404`, a refusal saying that what the URL or the form names does not exist
    (status 404) answers 404 instead."""
    try:
        yield
    except ActionRefused as error:
        db.session.rollback()
        if missing_is_404 and error.status == 404:
            abort(404)
        show_refusal(form, error)


def commit_and_redirect(message: str, url: str) -> WerkzeugResponse:
    """After a service succeeded: commit once, tell the person what was done, redirect (POST → redirect → GET)."""
    db.session.commit()
    flash(message, "success")
    return redirect(url)


def form_status(form: FlaskForm) -> int:
    """The status of a page with a form: 200 when shown, 422 when sent back with errors (kept filled in)."""
    return 422 if form.is_submitted() else 200


def choices(pairs) -> list[SelectChoice]:
    """Choices for a SelectField or RadioField from (value, label) pairs or a dict."""
    items = pairs.items() if isinstance(pairs, dict) else pairs
    return [SelectChoice(value, label) for value, label in items]
