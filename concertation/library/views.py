"""The library's pages: find tools by need, read an entry and its retours, write entries, say « nous l’utilisons aussi »."""

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from concertation import permissions, query_args
from concertation.db import utcnow
from concertation.extensions import db
from concertation.forms import choices, commit_and_redirect, form_status, refusal_shown
from concertation.library import assessments, indicators, moderation, opendata, services
from concertation.library.forms import EntryForm, LibraryFilterForm, LinksForm, RetourForm, assessment_form
from concertation.errors import ActionRefused
from concertation.extensions import contribution_limit
from concertation.forms import show_refusal
from concertation.library.models import AUDIENCES, HOSTINGS, METIERS, STATUSES, LibraryAdoption, LibraryEntry
from concertation.moderation.forms import ReasonForm, ReportForm
from concertation.permissions import can, require, require_found
from concertation.synthesis.exports import csv_json
from concertation.territories.models import Territory

bp = Blueprint("library", __name__)

_YES_NO = {"oui": True, "non": False}


@bp.app_context_processor
def library_helpers() -> dict:
    # The proposal's page shows the tools it led to, beside its commitments (« Ce qu’elle est devenue »).
    # The moderation queue lists the reported retours of the territory's entries.
    return {"tools_of_proposal": services.tools_of_proposal, "reported_retours": moderation.queue}


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


@bp.route("/bibliotheque/indicateurs")
def indicators_page():
    """The indicators agreed on, computed from the entries: across the platform and per territory."""
    in_service, figures = indicators.platform()
    return render_template(
        "library/indicators.html",
        in_service=in_service,
        figures=figures,
        territories=indicators.per_territory(),
        INDICATORS=indicators.INDICATORS,
    )


@bp.route("/bibliotheque/<int:entry_id>")
def show(entry_id: int):
    entry = db.get_or_404(LibraryEntry, entry_id)
    return render_template(
        "library/show.html",
        entry=entry,
        adoptions=services.adoptions_of(entry),
        similar=services.similar_entries(entry),
        commitment_links=services.commitment_links(entry),
        profiles=_profiles(entry),
        proposals=[
            link.proposal
            for link in services.proposal_links(entry)
            if can(current_user, "proposal.view", link.proposal)
        ],
    )


def _profiles(entry: LibraryEntry) -> list:
    """The entry against each manifesto's current version it was assessed on: (manifesto, version, lines, counts)."""
    found = []
    for manifesto, version in assessments.grid_manifestos():
        lines = assessments.profile(entry, version)
        if any(line.assessment for line in lines):
            found.append((manifesto, version, lines, assessments.counts(lines)))
    return found


@bp.route("/bibliotheque/<int:entry_id>/evaluation", methods=["GET", "POST"])
@login_required
def assess(entry_id: int):
    """The entry's territory judges the tool against the current version of a manifesto, point by point."""
    entry = require_found("library.assess", LibraryEntry, entry_id)
    grid = assessments.current_grid(request.args.get("manifeste", "")[:100] or None)
    if grid is None:
        abort(404)
    manifesto, version = grid
    lines = assessments.profile(entry, version)
    data = {}
    for line in lines:
        if line.assessment is not None:
            data[f"v{line.point.uid}"] = line.assessment.verdict
            data[f"j{line.point.uid}"] = line.assessment.justification
    form = assessment_form(version.points, data=data)
    if form.validate_on_submit():
        verdicts = {
            line.point.uid: assessments.Verdict(
                form[f"v{line.point.uid}"].data or "", form[f"j{line.point.uid}"].data or ""
            )
            for line in lines
        }
        with refusal_shown(form):
            assessments.assess(current_user, entry, version, verdicts, utcnow())
            return commit_and_redirect(
                _("L’évaluation de la fiche au regard du manifeste est enregistrée."),
                url_for("library.show", entry_id=entry.id, _anchor="evaluation"),
            )
    return render_template(
        "library/assess.html",
        form=form,
        entry=entry,
        manifesto=manifesto,
        version=version,
        lines=lines,
        others=[m for m, _v in assessments.grid_manifestos() if m.id != manifesto.id],
    ), form_status(form)


def _link_choices(form: LinksForm, entry: LibraryEntry) -> None:
    """The territory's commitments, and its retained or studied proposals (plus those already linked)."""
    from sqlalchemy import or_, select

    from concertation.commitments.models import Commitment
    from concertation.consultations.models import Consultation
    from concertation.proposals.models import Proposal

    commitments = db.session.execute(
        select(Commitment.id, Commitment.title)
        .where(Commitment.territory_id == entry.territory_id)
        .order_by(Commitment.title, Commitment.id)
        .limit(300)
    ).all()
    form.commitments.choices = choices([(c.id, c.title) for c in commitments])
    form.realised.choices = choices([(c.id, c.title) for c in commitments])
    linked = [link.proposal_id for link in services.proposal_links(entry)]
    proposals = db.session.execute(
        select(Proposal.id, Proposal.title)
        .join(Consultation, Consultation.id == Proposal.consultation_id)
        .where(
            Consultation.territory_id == entry.territory_id,
            or_(Proposal.answer.in_(("retained", "under_study")), Proposal.id.in_(linked)),
        )
        .order_by(Proposal.title, Proposal.id)
        .limit(500)
    ).all()
    form.proposal_ids.choices = choices([(p.id, p.title) for p in proposals])


@bp.route("/bibliotheque/<int:entry_id>/liens", methods=["GET", "POST"])
@login_required
def links(entry_id: int):
    """What led to the tool: the commitments (and which it carries out) and proposals of its territory."""
    entry = require_found("library.link", LibraryEntry, entry_id)
    form = LinksForm()
    _link_choices(form, entry)
    if request.method == "GET":
        current = services.commitment_links(entry)
        form.commitments.data = [link.commitment_id for link in current]
        form.realised.data = [link.commitment_id for link in current if link.realises]
        form.proposal_ids.data = [link.proposal_id for link in services.proposal_links(entry)]
    if form.validate_on_submit():
        with refusal_shown(form):
            services.set_links(
                current_user,
                entry,
                form.commitments.data or [],
                form.realised.data or [],
                form.proposal_ids.data or [],
                utcnow(),
            )
            return commit_and_redirect(
                _("Les liens de la fiche sont enregistrés."),
                url_for("library.show", entry_id=entry.id, _anchor="origine"),
            )
    return render_template("library/links.html", form=form, entry=entry), form_status(form)


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
    entry = require_found("library.edit", LibraryEntry, entry_id)
    form = EntryForm(data=vars(services.entry_data(entry)) if request.method == "GET" else None)
    if form.validate_on_submit():
        with refusal_shown(form):
            services.update_entry(entry, form.entry_data(), utcnow())
            return commit_and_redirect(_("La fiche est modifiée."), url_for("library.show", entry_id=entry.id))
    return render_template("library/edit.html", form=form, entry=entry), form_status(form)


@bp.route("/bibliotheque/<int:entry_id>/nous-l-utilisons-aussi", methods=["GET", "POST"])
@login_required
def adopt(entry_id: int):
    entry = require_found("library.adopt", LibraryEntry, entry_id)
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


# Moderation of the retours d’expérience -------------------------------------------------------

RETOUR_DECISIONS = {"masquer": "hide", "retablir": "restore", "classer": "dismiss"}


@bp.route("/bibliotheque/retours/<int:adoption_id>/signaler", methods=["GET", "POST"])
@login_required
@contribution_limit("REPORTS")
def report_retour(adoption_id: int):
    adoption = require_found("library.report_retour", LibraryAdoption, adoption_id)
    form = ReportForm()
    if form.validate_on_submit():
        try:
            moderation.report(current_user, adoption, form.reason.data, form.detail.data or "", utcnow())
        except ActionRefused as error:
            db.session.rollback()
            if error.field is None:
                raise
            show_refusal(form, error)
        else:
            return commit_and_redirect(
                _("Merci : votre signalement a été transmis à la modération."), moderation.retour_path(adoption)
            )
    return render_template("library/report.html", form=form, adoption=adoption), form_status(form)


@bp.route("/bibliotheque/retours/<int:adoption_id>/<decision>", methods=["POST"])
@login_required
def moderate_retour(adoption_id: int, decision: str):
    """Hide (with a public reason), restore a retour, or close its reports: the entry territory's moderators."""
    adoption = require_found("library.moderate_retour", LibraryAdoption, adoption_id)
    action = RETOUR_DECISIONS.get(decision)
    if action is None:
        abort(404)
    form = ReasonForm()
    if not form.validate_on_submit():
        abort(400)
    reason, now = form.reason.data or "", utcnow()
    if action == "hide":
        moderation.hide(current_user, adoption, reason, now)
    elif action == "restore":
        moderation.restore(current_user, adoption, now, reason)
    else:
        moderation.dismiss(current_user, adoption, now)
    return commit_and_redirect(
        _("Décision enregistrée dans le journal de modération."), moderation.retour_path(adoption)
    )
