"""The editors' side: the manifesto's draft, its points and their sources, publication."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from concertation.db import utcnow
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.forms import BaseForm, commit_and_redirect, refusal_shown
from concertation.manifesto import amendments, services, suggestions
from concertation.manifesto.forms import ManifestoForm, PointForm, PublishForm, SourceForm
from concertation.manifesto.models import Manifesto, ManifestoSource
from concertation.permissions import require
from concertation.routing import Routes

routes = Routes()


@routes.route("/manifeste", methods=["POST"])
@login_required
def create():
    require("manifesto.edit")
    form = ManifestoForm()
    if form.validate_on_submit():
        with refusal_shown(form):
            manifesto = services.create_manifesto(current_user, form.title.data, form.introduction.data or "", utcnow())
            return commit_and_redirect(
                _("Le manifeste est créé : rédigez ses premiers points."),
                url_for("manifesto.draft", slug=manifesto.slug),
            )
    return render_template(
        "manifesto/index.html",
        form=form,
        manifestos=[(m, services.latest_published(m)) for m in services.all_manifestos()],
    ), 422


# The draft -----------------------------------------------------------------------


def manifesto_for(action: str, slug: str) -> Manifesto:
    """The manifesto named in the URL (404 if none), once the current user may do `action` on it (403)."""
    manifesto = db.first_or_404(select(Manifesto).filter_by(slug=slug))
    require(action)
    return manifesto


def _draft_or_404(manifesto):
    draft = services.draft_of(manifesto)
    if draft is None:
        abort(404)
    return draft


def _draft_for(action: str, slug: str):
    """The manifesto named in the URL and its draft (404 without one), once the current user may do `action`."""
    manifesto = manifesto_for(action, slug)
    return manifesto, _draft_or_404(manifesto)


def _to_draft(manifesto, anchor: str = ""):
    return redirect(url_for("manifesto.draft", slug=manifesto.slug) + anchor)


def _render_draft(manifesto, form=None, point_form=None, publish_form=None, status=200):
    draft = services.draft_of(manifesto)
    if draft is not None and form is None:
        form = ManifestoForm(formdata=None, data={"title": draft.title, "introduction": draft.introduction})
    return render_template(
        "manifesto/draft.html",
        manifesto=manifesto,
        draft=draft,
        form=form,
        chapters=services.chapters(draft) if draft else [],
        point_form=point_form or PointForm(formdata=None),
        publish_form=publish_form or PublishForm(formdata=None),
        latest=services.latest_published(manifesto),
        pending=sum(len(g) for _t, g in suggestions.pending_by_theme(manifesto)),
        amendments_pending=amendments.pending_count(draft) if draft else 0,
    ), status


@routes.route("/manifeste/<slug>/brouillon", methods=["GET", "POST"])
@login_required
def draft(slug: str):
    manifesto = manifesto_for("manifesto.edit", slug)
    if request.method == "GET":
        return _render_draft(manifesto)
    version = _draft_or_404(manifesto)
    form = ManifestoForm()
    if form.validate_on_submit():
        with refusal_shown(form):
            services.update_draft(version, form.title.data, form.introduction.data or "")
            db.session.commit()
            flash(_("Le brouillon est enregistré."), "success")
            return _to_draft(manifesto)
    return _render_draft(manifesto, form=form, status=422)


@routes.route("/manifeste/<slug>/brouillon/commencer", methods=["POST"])
@login_required
def start(slug: str):
    manifesto = manifesto_for("manifesto.edit", slug)
    if not BaseForm().validate_on_submit():
        abort(400)
    services.start_draft(manifesto, utcnow())
    db.session.commit()
    return _to_draft(manifesto)


@routes.route("/manifeste/<slug>/brouillon/points", methods=["POST"])
@login_required
def add_point(slug: str):
    manifesto, version = _draft_for("manifesto.edit", slug)
    form = PointForm()
    if form.validate_on_submit():
        with refusal_shown(form):
            point = services.add_point(version, form.chapter.data, form.title.data, form.body.data or "")
            return commit_and_redirect(
                _("Le point est ajouté : citez maintenant ses sources."),
                url_for("manifesto.edit_point", slug=slug, uid=point.uid),
            )
    return _render_draft(manifesto, point_form=form, status=422)


def _point_or_404(manifesto, uid: int):
    point = next((p for p in _draft_or_404(manifesto).points if p.uid == uid), None)
    if point is None:
        abort(404)
    return point


def source_choices() -> list[SelectChoice]:
    """Every citable published synthesis, whole, by section and by retained proposal, one group each."""
    options = [SelectChoice("", _("— choisir —"))]
    for v in services.citable_versions():
        group = f"{v.consultation.territory.name} — {v.title} (v{v.number})"
        options.append(SelectChoice(f"v{v.id}", _("Toute la synthèse"), optgroup=group))
        options += [
            SelectChoice(f"v{v.id}:s{i}", _("Section « %(t)s »", t=s["title"]), optgroup=group)
            for i, s in enumerate(v.sections)
        ]
        options += [
            SelectChoice(f"v{v.id}:r{r.id}", _("Proposition « %(t)s »", t=r.title), optgroup=group) for r in v.retained
        ]
    return options


def parse_source(value: str) -> tuple[int, int | None, str | None]:
    head, _sep, item = (value or "").partition(":")
    if not (head[:1] == "v" and head[1:].isdigit()):
        raise ActionRefused(_("Choisissez une source dans la liste."), field="source")
    version = services.citable_synthesis(int(head[1:]))
    if not item:
        return version.id, None, None
    retained_id, section = suggestions.parse_item(version, item)
    return version.id, retained_id, section


def _render_point(manifesto, point, form=None, source_form=None, status=200):
    form = form or PointForm(formdata=None, obj=point)
    source_form = source_form or SourceForm(formdata=None)
    source_form.source.choices = source_choices()
    return render_template(
        "manifesto/edit_point.html", manifesto=manifesto, point=point, form=form, source_form=source_form
    ), status


@routes.route("/manifeste/<slug>/brouillon/points/<int:uid>", methods=["GET", "POST"])
@login_required
def edit_point(slug: str, uid: int):
    manifesto = manifesto_for("manifesto.edit", slug)
    point = _point_or_404(manifesto, uid)
    if request.method == "GET":
        return _render_point(manifesto, point)
    form = PointForm()
    if form.validate_on_submit():
        with refusal_shown(form):
            services.update_point(point, form.chapter.data, form.title.data, form.body.data or "", form.position.data)
            return commit_and_redirect(
                _("Le point est enregistré."), url_for("manifesto.edit_point", slug=slug, uid=uid)
            )
    return _render_point(manifesto, point, form=form, status=422)


@routes.route("/manifeste/<slug>/brouillon/points/<int:uid>/supprimer", methods=["POST"])
@login_required
def remove_point(slug: str, uid: int):
    manifesto = manifesto_for("manifesto.edit", slug)
    point = _point_or_404(manifesto, uid)
    if not BaseForm().validate_on_submit():
        abort(400)
    services.remove_point(point)
    db.session.commit()
    flash(_("Le point est retiré du brouillon."), "success")
    return _to_draft(manifesto)


@routes.route("/manifeste/<slug>/brouillon/points/<int:uid>/sources", methods=["POST"])
@login_required
def add_source(slug: str, uid: int):
    manifesto = manifesto_for("manifesto.edit", slug)
    point = _point_or_404(manifesto, uid)
    form = SourceForm()
    form.source.choices = source_choices()
    if form.validate_on_submit():
        with refusal_shown(form):
            services.add_source(point, *parse_source(form.source.data))
            return commit_and_redirect(
                _("La source est ajoutée."), url_for("manifesto.edit_point", slug=slug, uid=uid) + "#sources"
            )
    return _render_point(manifesto, point, source_form=form, status=422)


@routes.route("/manifeste/<slug>/brouillon/sources/<int:source_id>/retirer", methods=["POST"])
@login_required
def remove_source(slug: str, source_id: int):
    manifesto, draft = _draft_for("manifesto.edit", slug)
    source = db.session.get(ManifestoSource, source_id)
    if source is None or source.point.version_id != draft.id:
        abort(404)
    if not BaseForm().validate_on_submit():
        abort(400)
    uid = source.point.uid
    services.remove_source(source)
    return commit_and_redirect(
        _("La source est retirée."), url_for("manifesto.edit_point", slug=slug, uid=uid) + "#sources"
    )


@routes.route("/manifeste/<slug>/publier", methods=["POST"])
@login_required
def publish(slug: str):
    manifesto, version = _draft_for("manifesto.publish", slug)
    form = PublishForm()
    if form.validate_on_submit():
        with refusal_shown(form):
            services.publish(current_user, version, utcnow(), form.change_note.data or "")
            return commit_and_redirect(
                _("La version %(n)d du manifeste est publiée.", n=version.number),
                url_for("manifesto.version", slug=slug, number=version.number),
            )
    return _render_draft(manifesto, publish_form=form, status=422)
