"""Commitments: public pages (one commitment, lists per territory and across the platform) and the organisers' forms."""

from datetime import date

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import get_locale, gettext as _, ngettext
from flask_login import current_user, login_required
from sqlalchemy import select

from concertation import query_args
from concertation.commitments import exports, services
from concertation.commitments.forms import (
    BulkForm,
    CreateForm,
    EditForm,
    FilterForm,
    LinksForm,
    MilestoneDoneForm,
    MilestoneForm,
)
from concertation.commitments.models import STATUSES, Commitment, Milestone
from concertation.consultations.models import Consultation
from concertation.db import utcnow
from concertation.extensions import db
from concertation.library import services as library
from concertation.forms import choices, commit_and_redirect, form_status, refusal_shown
from concertation.permissions import can, require, require_found
from concertation.synthesis import services as synthesis
from concertation.synthesis.charts import bars
from concertation.dates import long_date
from concertation.i18n import N_
from concertation.territories.models import Territory

bp = Blueprint("commitments", __name__)

FIELD_LABELS = {
    "title": N_("Titre"),
    "responsible_service": N_("Service responsable"),
    "status_reason": N_("Motif"),
}

# What the history says of links added and removed after the creation (services.update_links).
LINK_LINES = {
    "links_proposals": (N_("Propositions liées : %(titles)s"), N_("Propositions retirées : %(titles)s")),
    "links_syntheses": (N_("Synthèses liées : %(titles)s"), N_("Synthèses retirées : %(titles)s")),
    "links_points": (N_("Points du manifeste liés : %(titles)s"), N_("Points du manifeste retirés : %(titles)s")),
}

PER_PAGE = 30


@bp.app_context_processor
def commitments_helpers() -> dict:
    # The proposal's page shows what it became (« Ce qu’elle est devenue »).
    # The élus' dashboard lists their territory's (« Les engagements du territoire »).
    return {
        "commitments_of_proposal": services.commitments_of_proposal,
        "commitments_of_territory": lambda territory: db.session.scalars(
            services.commitments_query(territory.id).limit(50)
        ).all(),
    }


def _territory_or_404(slug: str) -> Territory:
    return db.first_or_404(select(Territory).where(Territory.slug == slug))


# Reading ------------------------------------------------------------------------------------------------------


def _render_list(territory: Territory | None):
    form = FilterForm(request.args)
    territories = db.session.scalars(
        select(Territory).where(Territory.id.in_(select(Commitment.territory_id))).order_by(Territory.name)
    ).all()
    form.statut.choices = choices([("", _("Tous les statuts"))] + [(k, _(v)) for k, v in STATUSES.items()])
    form.territoire.choices = choices([("", _("Tous les territoires"))] + [(t.slug, t.name) for t in territories])
    status = request.args.get("statut") if request.args.get("statut") in STATUSES else None
    if territory is None and request.args.get("territoire"):
        territory = next((t for t in territories if t.slug == request.args.get("territoire")), None)
    territory_id = territory.id if territory is not None else None
    themes = services.themes(territory_id)
    form.theme.choices = choices([("", _("Tous les thèmes"))] + [(name, name) for name in themes])
    theme = request.args.get("theme") if request.args.get("theme") in themes else None
    page = query_args.paginate(services.commitments_query(territory_id, status, theme), PER_PAGE)
    counts = services.status_counts(territory_id, theme)
    return render_template(
        "commitments/index.html",
        territory=territory,
        form=form,
        page=page,
        status=status,
        theme=theme,
        counts=counts,
        STATUSES=STATUSES,
        chart=bars([(_(STATUSES[key]), n) for key, n in counts.items()], label_width=140),
        endpoint="commitments.territory" if request.view_args else "commitments.index",
    )


@bp.route("/engagements")
def index():
    return _render_list(None)


@bp.route("/territoires/<slug>/engagements")
def territory(slug: str):
    return _render_list(_territory_or_404(slug))


def _open_data(territory: Territory | None, fmt: str):
    from concertation.synthesis.exports.csv_json import download, stream_csv, stream_json

    rows = exports.rows(territory)
    if fmt == "csv":
        body, mimetype = stream_csv(exports.COLUMNS, rows), "text/csv"
    else:
        body, mimetype = stream_json(exports.metadata(territory), exports.COLUMNS, rows), "application/json"
    name = f"engagements-{territory.slug}.{fmt}" if territory else f"engagements.{fmt}"
    return download(body, mimetype, name)


@bp.route("/engagements/engagements.<any(csv, json):fmt>")
def open_data(fmt: str):
    return _open_data(None, fmt)


@bp.route("/territoires/<slug>/engagements.<any(csv, json):fmt>")
def territory_open_data(slug: str, fmt: str):
    return _open_data(_territory_or_404(slug), fmt)


@bp.route("/engagements/<int:commitment_id>")
def show(commitment_id: int):
    commitment = db.get_or_404(Commitment, commitment_id)
    # A link to a proposal or synthesis is shown only to whoever may read it (agents-only consultations).
    proposals = [
        link.proposal for link in commitment.proposal_links if can(current_user, "proposal.view", link.proposal)
    ]
    versions = [
        link.synthesis_version
        for link in commitment.synthesis_links
        if can(current_user, "synthesis.read", link.synthesis_version.consultation)
    ]
    return render_template(
        "commitments/show.html",
        commitment=commitment,
        proposals=proposals,
        versions=versions,
        points=[link.point for link in commitment.point_links],
        tools=library.entries_of_commitment(commitment),
        history=[(change, _history_lines(change)) for change in reversed(commitment.changes)],
    )


def _history_lines(change) -> list[str]:
    """What one change did, in sentences a reader follows (the newest change first on the page)."""
    lines = []
    for name, (old, new) in change.changes.items():
        if name == "created":
            lines.append(_("Engagement créé."))
        elif name == "status":
            lines.append(_("Statut : %(old)s → %(new)s", old=_(STATUSES.get(old, old)), new=_(STATUSES.get(new, new))))
        elif name == "progress":
            lines.append(_("Avancement : %(old)d %% → %(new)d %%", old=old, new=new))
        elif name == "description":
            lines.append(_("Description modifiée."))
        elif name == "milestone":
            lines.append(_("Jalon ajouté : %(title)s", title=new))
        elif name == "milestone_done":
            lines.append(
                _(
                    "Jalon atteint : %(title)s, le %(date)s",
                    title=old,
                    date=long_date(date.fromisoformat(new), str(get_locale() or "fr")),
                )
            )
        elif name in LINK_LINES:
            removed, added = old, new
            linked, unlinked = LINK_LINES[name]
            if added:
                lines.append(_(linked, titles=", ".join(f"«\u00a0{t}\u00a0»" for t in added)))
            if removed:
                lines.append(_(unlinked, titles=", ".join(f"«\u00a0{t}\u00a0»" for t in removed)))
        elif name == "realised_by":
            if new:
                lines.append(_("Réalisé par l’outil « %(title)s » de la bibliothèque.", title=new))
            else:
                lines.append(_("L’outil « %(title)s » ne le réalise plus.", title=old))
        elif name == "status_reason":
            lines.append(_("Motif : %(new)s", new=new) if new else _("Motif retiré."))
        elif not old:
            lines.append(_("%(field)s : « %(new)s »", field=_(FIELD_LABELS.get(name, name)), new=new))
        elif not new:
            lines.append(_("%(field)s retiré (« %(old)s »).", field=_(FIELD_LABELS.get(name, name)), old=old))
        else:
            lines.append(
                _("%(field)s : « %(old)s » → « %(new)s »", field=_(FIELD_LABELS.get(name, name)), old=old, new=new)
            )
    return lines


# The organisers' forms ----------------------------------------------------------------------------------------


def _synthesis_versions_of(territory_id: int) -> list:
    """The territory's published synthesis versions (id, title, number), newest first: a link may name one."""
    from concertation.synthesis.models import SynthesisVersion

    return list(
        db.session.execute(
            select(SynthesisVersion.id, SynthesisVersion.title, SynthesisVersion.number)
            .join(Consultation, Consultation.id == SynthesisVersion.consultation_id)
            .where(Consultation.territory_id == territory_id)
            .order_by(SynthesisVersion.published_at.desc())
            .limit(200)
        ).all()
    )


def _published_points() -> list:
    """The points of every published manifesto version (id, title, version), newest version first."""
    from concertation.manifesto.models import ManifestoPoint, ManifestoVersion

    return list(
        db.session.execute(
            select(ManifestoPoint.id, ManifestoPoint.title, ManifestoVersion.title.label("version"))
            .join(ManifestoVersion, ManifestoVersion.id == ManifestoPoint.version_id)
            .where(ManifestoVersion.published_at.is_not(None))
            .order_by(ManifestoVersion.published_at.desc(), ManifestoPoint.chapter_position, ManifestoPoint.position)
            .limit(300)
        ).all()
    )


def _link_choices(form: CreateForm, territory: Territory) -> None:
    from concertation.proposals.models import Proposal

    retained = db.session.execute(
        select(Proposal.id, Proposal.title)
        .join(Consultation, Consultation.id == Proposal.consultation_id)
        .where(Consultation.territory_id == territory.id, Proposal.answer == "retained")
        .order_by(Proposal.title)
        .limit(500)
    ).all()
    form.proposals.choices = choices([(p.id, p.title) for p in retained])
    versions = _synthesis_versions_of(territory.id)
    form.synthesis.choices = choices(
        [("", _("— Aucune —"))]
        + [(str(v.id), _("%(title)s (version %(n)d)", title=v.title, n=v.number)) for v in versions]
    )
    points = _published_points()
    form.point.choices = choices([("", _("— Aucun —"))] + [(str(p.id), f"{p.version} — {p.title}") for p in points])


def _data(form) -> services.CommitmentData:
    return services.CommitmentData(
        title=form.title.data or "",
        description=form.description.data or "",
        responsible_service=form.responsible_service.data or "",
        status=form.status.data or "",
        status_reason=form.status_reason.data or "",
        progress=form.progress.data,
    )


@bp.route("/territoires/<slug>/engagements/nouveau", methods=["GET", "POST"])
@login_required
def create(slug: str):
    territory = _territory_or_404(slug)
    require("commitment.manage", territory)
    form = CreateForm()
    _link_choices(form, territory)
    if form.validate_on_submit():
        with refusal_shown(form):
            synthesis_id, point_id = form.chosen_id("synthesis"), form.chosen_id("point")
            commitment = services.create_commitment(
                current_user,
                territory,
                _data(form),
                utcnow(),
                proposal_ids=form.proposals.data or [],
                synthesis_version_ids=[synthesis_id] if synthesis_id is not None else [],
                point_ids=[point_id] if point_id is not None else [],
            )
            return commit_and_redirect(
                _("L’engagement est publié."), url_for("commitments.show", commitment_id=commitment.id)
            )
    return render_template("commitments/create.html", territory=territory, form=form), form_status(form)


def _render_edit(commitment: Commitment, form=None, milestone_form=None, done_form=None, status: int = 200):
    """The edit page; `done_form` is (milestone id, its form sent back with errors)."""
    done_forms = {m.id: MilestoneDoneForm(formdata=None, prefix=f"m{m.id}") for m in commitment.milestones}
    if done_form is not None:
        done_forms[done_form[0]] = done_form[1]
    return render_template(
        "commitments/edit.html",
        commitment=commitment,
        form=form or EditForm(formdata=None, obj=commitment),
        milestone_form=milestone_form or MilestoneForm(formdata=None),
        done_forms=done_forms,
    ), status


@bp.route("/engagements/<int:commitment_id>/modifier", methods=["GET", "POST"])
@login_required
def edit(commitment_id: int):
    commitment = require_found("commitment.manage", Commitment, commitment_id)
    if request.method == "GET":
        return _render_edit(commitment)
    form = EditForm()
    if form.validate_on_submit():
        with refusal_shown(form):
            services.update_commitment(current_user, commitment, _data(form), form.note.data or "", utcnow())
            return commit_and_redirect(
                _("L’engagement est mis à jour et le changement ajouté à son historique."),
                url_for("commitments.show", commitment_id=commitment.id),
            )
    return _render_edit(commitment, form=form, status=form_status(form))


@bp.route("/engagements/<int:commitment_id>/jalons", methods=["POST"])
@login_required
def add_milestone(commitment_id: int):
    commitment = require_found("commitment.manage", Commitment, commitment_id)
    form = MilestoneForm()
    if form.validate_on_submit():
        with refusal_shown(form):
            services.add_milestone(current_user, commitment, form.title.data, form.due_on.data, utcnow())
            return commit_and_redirect(
                _("Le jalon est ajouté."), url_for("commitments.edit", commitment_id=commitment.id) + "#jalons"
            )
    return _render_edit(commitment, milestone_form=form, status=422)


@bp.route("/engagements/<int:commitment_id>/jalons/<int:milestone_id>/atteint", methods=["POST"])
@login_required
def complete_milestone(commitment_id: int, milestone_id: int):
    commitment = require_found("commitment.manage", Commitment, commitment_id)
    milestone = db.session.get(Milestone, milestone_id)
    if milestone is None or milestone.commitment_id != commitment.id:
        abort(404)
    form = MilestoneDoneForm(prefix=f"m{milestone.id}")
    if form.validate_on_submit():
        with refusal_shown(form):
            services.complete_milestone(current_user, milestone, form.done_on.data, utcnow())
            return commit_and_redirect(
                _("Le jalon est marqué comme atteint."),
                url_for("commitments.edit", commitment_id=commitment.id) + "#jalons",
            )
    return _render_edit(commitment, done_form=(milestone.id, form), status=422)


@bp.route("/consultations/<int:consultation_id>/synthese/versions/<int:number>/engagements", methods=["GET", "POST"])
@login_required
def bulk(consultation_id: int, number: int):
    consultation = require_found("commitment.manage", Consultation, consultation_id)
    version = synthesis.version_of(consultation, number)
    if version is None:
        abort(404)
    done = services.already_committed(version)
    form = BulkForm()
    form.retained.choices = choices([(r.id, r.title) for r in version.retained if r.proposal_id not in done])
    if form.validate_on_submit():
        with refusal_shown(form):
            made = services.create_from_synthesis(
                current_user, version, form.retained.data or [], form.status.data or "", utcnow()
            )
            return commit_and_redirect(
                ngettext("%(num)d engagement est créé.", "%(num)d engagements sont créés.", len(made)),
                url_for("commitments.territory", slug=consultation.territory.slug),
            )
    return render_template(
        "commitments/bulk.html", consultation=consultation, version=version, form=form, done=done
    ), form_status(form)


def _links_choices(form: LinksForm, commitment: Commitment) -> None:
    """The territory's retained proposals, its published syntheses and the published manifesto points,
    plus whatever is linked already."""
    from sqlalchemy import or_

    from concertation.proposals.models import Proposal

    linked = [link.proposal_id for link in commitment.proposal_links]
    proposals = db.session.execute(
        select(Proposal.id, Proposal.title)
        .join(Consultation, Consultation.id == Proposal.consultation_id)
        .where(
            Consultation.territory_id == commitment.territory_id,
            or_(Proposal.answer == "retained", Proposal.id.in_(linked)),
        )
        .order_by(Proposal.title, Proposal.id)
        .limit(500)
    ).all()
    form.proposals.choices = choices([(p.id, p.title) for p in proposals])
    versions = _synthesis_versions_of(commitment.territory_id)
    form.syntheses.choices = choices(
        [(v.id, _("%(title)s (version %(n)d)", title=v.title, n=v.number)) for v in versions]
    )
    points = _published_points()
    form.points.choices = choices([(p.id, f"{p.version} — {p.title}") for p in points])


@bp.route("/engagements/<int:commitment_id>/liens", methods=["GET", "POST"])
@login_required
def links(commitment_id: int):
    """Edit what motivated the commitment after its creation; the change joins its history."""
    commitment = require_found("commitment.manage", Commitment, commitment_id)
    form = LinksForm()
    _links_choices(form, commitment)
    if request.method == "GET":
        form.proposals.data = [link.proposal_id for link in commitment.proposal_links]
        form.syntheses.data = [link.synthesis_version_id for link in commitment.synthesis_links]
        form.points.data = [link.point_id for link in commitment.point_links]
    if form.validate_on_submit():
        with refusal_shown(form):
            change = services.update_links(
                current_user,
                commitment,
                form.proposals.data or [],
                form.syntheses.data or [],
                form.points.data or [],
                utcnow(),
            )
            message = (
                _("Les liens de l’engagement sont modifiés et le changement ajouté à son historique.")
                if change is not None
                else _("Rien n’a changé.")
            )
            return commit_and_redirect(message, url_for("commitments.show", commitment_id=commitment.id))
    return render_template("commitments/links.html", commitment=commitment, form=form), form_status(form)
