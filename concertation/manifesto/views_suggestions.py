"""Suggestions: organisers offer items of their published synthesis; editors accept or decline them."""

from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from concertation.db import utcnow
from concertation.errors import ActionRefused
from concertation.consultations.models import Consultation
from concertation.extensions import db
from concertation.forms import choices, commit_and_redirect, refusal_shown
from concertation.manifesto import services, suggestions
from concertation.manifesto.forms import AcceptForm, DeclineForm, SuggestionForm
from concertation.manifesto.models import Manifesto, ManifestoSuggestion
from concertation.manifesto.views_editors import manifesto_for
from concertation.permissions import require_found
from concertation.routing import Routes
from concertation.synthesis import services as synthesis_services

routes = Routes()


def _suggestion_form(version, formdata=None) -> SuggestionForm:
    form = SuggestionForm(formdata=formdata)
    form.manifesto.choices = choices([(m.id, m.title) for m in services.all_manifestos()])
    form.item.choices = (
        [SelectChoice("", _("— choisir —"))]
        + [
            SelectChoice(value, label, optgroup=_(group))
            for value, label, group in suggestions.suggestable_items(version)
        ]
        if version is not None
        else []
    )
    return form


@routes.route("/consultations/<int:consultation_id>/manifeste", methods=["GET", "POST"])
@login_required
def suggest(consultation_id: int):
    consultation = require_found("manifesto.suggest", Consultation, consultation_id)
    version = synthesis_services.latest_version(consultation)
    form = _suggestion_form(version, request.form if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if version is None:
            abort(404)
        status = 422
        if form.validate_on_submit():
            manifesto = next((m for m in services.all_manifestos() if m.id == form.manifesto.data), None)
            if manifesto is None:
                abort(404)
            with refusal_shown(form):
                suggestions.suggest(
                    current_user, manifesto, version.id, form.item.data, form.justification.data, utcnow()
                )
                return commit_and_redirect(
                    _("Votre suggestion est transmise à la rédaction du manifeste."),
                    url_for("manifesto.suggest", consultation_id=consultation.id),
                )
    return render_template(
        "manifesto/suggest.html",
        consultation=consultation,
        version=version,
        form=form,
        suggestions=suggestions.of_consultation(consultation),
        item_label=suggestions.item_label,
    ), status


def _pending_suggestion(slug: str, suggestion_id: int) -> tuple[Manifesto, ManifestoSuggestion]:
    """The manifesto an editor reviews and one of its suggestions: 404 when not its own, 409 once answered."""
    manifesto = manifesto_for("manifesto.edit", slug)
    suggestion = db.session.get(ManifestoSuggestion, suggestion_id)
    if suggestion is None or suggestion.manifesto_id != manifesto.id:
        abort(404)
    if suggestion.state != "pending":
        abort(409)
    return manifesto, suggestion


def _accept_form(manifesto, suggestion, formdata=None) -> AcceptForm:
    form = AcceptForm(formdata=formdata, prefix=f"a{suggestion.id}")
    draft = services.draft_of(manifesto) or services.latest_published(manifesto)
    points = [(str(p.uid), _("Point existant : « %(t)s »", t=p.title)) for p in (draft.points if draft else [])]
    form.target.choices = choices([("new", _("Un nouveau point")), *points])
    return form


def _render_review(manifesto, forms: dict | None = None, status=200):
    grouped = suggestions.pending_by_theme(manifesto)
    forms = forms or {}
    for _theme, group in grouped:
        for s in group:
            forms.setdefault(s.id, (_accept_form(manifesto, s), DeclineForm(formdata=None, prefix=f"d{s.id}")))
    return render_template(
        "manifesto/suggestions.html",
        manifesto=manifesto,
        grouped=grouped,
        forms=forms,
        decided=suggestions.decided(manifesto),
        item_label=suggestions.item_label,
    ), status


@routes.route("/manifeste/<slug>/suggestions")
@login_required
def suggestions_review(slug: str):
    manifesto = manifesto_for("manifesto.edit", slug)
    return _render_review(manifesto)


@routes.route("/manifeste/<slug>/suggestions/<int:suggestion_id>/accepter", methods=["POST"])
@login_required
def accept(slug: str, suggestion_id: int):
    manifesto, suggestion = _pending_suggestion(slug, suggestion_id)
    form = _accept_form(manifesto, suggestion, request.form)
    if form.validate_on_submit():
        target = form.target.data or "new"
        with refusal_shown(form):
            if target != "new" and not target.isdigit():
                raise ActionRefused(_("Choisissez un point existant ou un nouveau point."), field="target")
            point = suggestions.accept(
                current_user,
                suggestion,
                utcnow(),
                point_uid=None if target == "new" else int(target),
                chapter=form.chapter.data or "",
                title=form.title.data or "",
            )
            return commit_and_redirect(
                _("La suggestion est ajoutée comme source du point « %(t)s ».", t=point.title),
                url_for("manifesto.suggestions_review", slug=slug),
            )
    return _render_review(
        manifesto, {suggestion.id: (form, DeclineForm(formdata=None, prefix=f"d{suggestion.id}"))}, status=422
    )


@routes.route("/manifeste/<slug>/suggestions/<int:suggestion_id>/refuser", methods=["POST"])
@login_required
def decline(slug: str, suggestion_id: int):
    manifesto, suggestion = _pending_suggestion(slug, suggestion_id)
    form = DeclineForm(prefix=f"d{suggestion.id}")
    if form.validate_on_submit():
        with refusal_shown(form):
            suggestions.decline(current_user, suggestion, form.reason.data, utcnow())
            return commit_and_redirect(
                _("La suggestion est déclinée ; l’organisateur·rice en est informé·e."),
                url_for("manifesto.suggestions_review", slug=slug),
            )
    return _render_review(manifesto, {suggestion.id: (_accept_form(manifesto, suggestion), form)}, status=422)
