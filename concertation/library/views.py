"""The library's pages: find tools by need, read an entry and its retours, write entries, say « nous l’utilisons aussi »."""

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from concertation import permissions, query_args
from concertation.db import utcnow
from concertation.extensions import db
from concertation.forms import commit_and_redirect, form_status, refusal_shown
from concertation.library import opendata, services
from concertation.library.forms import EntryForm, LibraryFilterForm, RetourForm
from concertation.library.models import AUDIENCES, HOSTINGS, METIERS, STATUSES, LibraryEntry
from concertation.permissions import require
from concertation.synthesis.exports import csv_json
from concertation.territories.models import Territory

bp = Blueprint("library", __name__)

_YES_NO = {"oui": True, "non": False}


def _filters(form: LibraryFilterForm) -> services.LibraryFilters:
    """What the list's GET form asks for; values that are not in the lists are ignored."""

    def known(value, allowed):
        return value if value in allowed else None

    return services.LibraryFilters(
        q=(form.q.data or "")[:200],
        metier=known(form.metier.data, METIERS),
        audience=known(form.audience.data, AUDIENCES),
        status=known(form.status.data, STATUSES),
        hosting=known(form.hosting.data, HOSTINGS),
        open_source=_YES_NO.get(form.open_source.data or ""),
        personal_data=_YES_NO.get(form.personal_data.data or ""),
    )


@bp.route("/bibliotheque")
def index():
    form = LibraryFilterForm(request.args)
    entries = services.search_entries(_filters(form), query_args.page_number())
    return render_template(
        "library/index.html",
        filter_form=form,
        entries=entries,
        adoptions=services.adoption_counts([e.id for e in entries.items]),
        may_write=bool(permissions.library_author_territories(current_user)),
    )


@bp.route("/bibliotheque/<int:entry_id>")
def show(entry_id: int):
    entry = db.get_or_404(LibraryEntry, entry_id)
    return render_template(
        "library/show.html",
        entry=entry,
        adoptions=services.adoptions_of(entry),
        similar=services.similar_entries(entry),
    )


def _territory_among(territories, territory_id: int | None) -> Territory | None:
    return next((t for t in territories if t.id == territory_id), None)


@bp.route("/bibliotheque/nouvelle", methods=["GET", "POST"])
@login_required
def create():
    territories = permissions.library_author_territories(current_user)
    if not territories:
        abort(403)
    form = EntryForm()
    form.set_territories(territories)
    if form.validate_on_submit():
        territory = _territory_among(territories, form.territory_id())
        if territory is None:
            form.territory.errors = [_("Choisissez une collectivité dans la liste.")]
        else:
            require("library.create", territory)
            with refusal_shown(form):
                entry = services.create_entry(current_user, territory, form.entry_data(), utcnow())
                return commit_and_redirect(
                    _("La fiche est publiée dans la bibliothèque."), url_for("library.show", entry_id=entry.id)
                )
    return render_template("library/edit.html", form=form, entry=None), form_status(form)


@bp.route("/bibliotheque/<int:entry_id>/modifier", methods=["GET", "POST"])
@login_required
def edit(entry_id: int):
    entry = db.get_or_404(LibraryEntry, entry_id)
    require("library.edit", entry)
    form = EntryForm(data=vars(services.entry_data(entry)) if request.method == "GET" else None)
    if form.validate_on_submit():
        with refusal_shown(form):
            services.update_entry(entry, form.entry_data(), utcnow())
            return commit_and_redirect(_("La fiche est modifiée."), url_for("library.show", entry_id=entry.id))
    return render_template("library/edit.html", form=form, entry=entry), form_status(form)


@bp.route("/bibliotheque/<int:entry_id>/nous-l-utilisons-aussi", methods=["GET", "POST"])
@login_required
def adopt(entry_id: int):
    entry = db.get_or_404(LibraryEntry, entry_id)
    require("library.adopt", entry)
    territories = permissions.library_adopter_territories(current_user, entry)
    form = RetourForm()
    form.set_territories(territories)
    if request.method == "GET":
        existing = services.adoption_of(entry, territories[0])
        if existing is not None:
            form.context.data, form.gains.data = existing.context, existing.gains
            form.difficulties.data = existing.difficulties
            form.would_recommend.data = "oui" if existing.would_recommend else "non"
    if form.validate_on_submit():
        territory = _territory_among(territories, form.territory_id())
        if territory is None:
            form.territory.errors = [_("Choisissez une collectivité dans la liste.")]
        else:
            with refusal_shown(form):
                services.declare_adoption(current_user, entry, territory, form.retour(), utcnow())
                return commit_and_redirect(
                    _("Merci : votre retour d’expérience est publié sur la fiche."),
                    url_for("library.show", entry_id=entry.id, _anchor="retours"),
                )
    return render_template("library/adopt.html", form=form, entry=entry), form_status(form)


@bp.route("/bibliotheque/donnees.<any(csv, json):fmt>")
def open_data(fmt: str):
    """Every entry, without personal data or contact, under Licence Ouverte 2.0."""
    if fmt == "csv":
        body, mimetype = csv_json.stream_csv(opendata.COLUMNS, opendata.rows()), "text/csv"
    else:
        body = csv_json.stream_json(opendata.metadata(), opendata.COLUMNS, opendata.rows())
        mimetype = "application/json"
    return csv_json.download(body, mimetype, f"bibliotheque-ia-territoriales.{fmt}")
