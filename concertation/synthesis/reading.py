"""The readers' side: published syntheses and their versions, documents, open data, the reading room, the élus' dashboard."""

from datetime import date, datetime, timedelta

from flask import Response, abort, current_app, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select

from concertation import phases, query_args
from concertation.consultations.models import Consultation, Theme
from concertation.consultations.services import _visible_to as visible_consultations
from concertation.dates import paris_to_utc
from concertation.db import utcnow
from concertation.extensions import db
from concertation.forms import choices
from concertation.permissions import require
from concertation.proposals.models import Proposal
from concertation.synthesis import bp, charts, figures, services, versions
from concertation.synthesis.exports import csv_json, document, odt, pdf
from concertation.synthesis.forms import ReadingFilterForm
from concertation.synthesis.links import proposal_path
from concertation.synthesis.models import SynthesisVersion
from concertation.territories.models import Territory
from concertation.voting.models import MENTIONS
from concertation.voting.results import counts_shown

PER_PAGE = 20


@bp.app_context_processor
def synthesis_helpers() -> dict:
    return {"latest_synthesis": services.latest_version, "FIGURE_LABELS": figures.FIGURE_LABELS,
            "MENTIONS": MENTIONS, "proposal_path": proposal_path}


def _version_or_404(consultation, number: int) -> SynthesisVersion:
    version = db.session.scalar(select(SynthesisVersion).where(SynthesisVersion.consultation_id == consultation.id,
                                                               SynthesisVersion.number == number))
    if version is None:
        abort(404)
    return version


def _render_version(consultation, version):
    return render_template("synthesis/show.html", consultation=consultation, version=version,
                           versions=services.published_versions(consultation),
                           charts=charts.figure_charts(version.figures))


@bp.route("/consultations/<int:consultation_id>/synthese")
def show(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    require("synthesis.read", consultation)
    version = services.latest_version(consultation)
    if version is None:
        abort(404)
    return _render_version(consultation, version)


@bp.route("/consultations/<int:consultation_id>/synthese/versions/<int:number>")
def version(consultation_id: int, number: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    require("synthesis.read", consultation)
    return _render_version(consultation, _version_or_404(consultation, number))


@bp.route("/consultations/<int:consultation_id>/synthese/versions/<int:number>/differences")
def differences(consultation_id: int, number: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    require("synthesis.read", consultation)
    new = _version_or_404(consultation, number)
    since = query_args.bounded_int("depuis") or number - 1
    if since >= number:
        abort(404)
    old = _version_or_404(consultation, since)
    return render_template("synthesis/differences.html", consultation=consultation,
                           difference=versions.compare(old, new))


@bp.route("/consultations/<int:consultation_id>/synthese/versions/<int:number>/synthese.<any(pdf, odt):fmt>")
def download(consultation_id: int, number: int, fmt: str):
    consultation = db.get_or_404(Consultation, consultation_id)
    require("synthesis.read", consultation)
    version = _version_or_404(consultation, number)
    printed = document.prepare(version, request.host_url.rstrip("/"))
    renderer, mimetype = (pdf.render, "application/pdf") if fmt == "pdf" else \
        (odt.render, "application/vnd.oasis.opendocument.text")
    name = f"synthese-{consultation.territory.slug}-{consultation.slug}-v{version.number}.{fmt}"
    return Response(renderer(printed, current_app.config["PLATFORM_NAME"]), mimetype=mimetype,
                    headers={"Content-Disposition": f"attachment; filename={name}"})


@bp.route("/consultations/<int:consultation_id>/donnees")
def data(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    require("synthesis.read", consultation)
    datasets = [(name, title, description, csv_json.columns_of(name))
                for name, (title, description) in csv_json.DATASETS.items()]
    return render_template("synthesis/data.html", consultation=consultation, datasets=datasets,
                           licence=csv_json.LICENCE)


@bp.route("/consultations/<int:consultation_id>/donnees/<any(propositions, commentaires):dataset>.<any(csv, json):fmt>")
def open_data(consultation_id: int, dataset: str, fmt: str):
    consultation = db.get_or_404(Consultation, consultation_id)
    require("synthesis.read", consultation)
    columns = csv_json.columns_of(dataset)
    rows = csv_json.rows_of(consultation, dataset, votes=csv_json.VoteDisclosure.of(consultation, utcnow()))
    if fmt == "csv":
        body, mimetype = csv_json.stream_csv(columns, rows), "text/csv"
    else:
        body, mimetype = csv_json.stream_json(csv_json.metadata(consultation, dataset), columns, rows), \
            "application/json"
    name = f"{consultation.territory.slug}-{consultation.slug}-{dataset}.{fmt}"
    return Response(stream_with_context(body), mimetype=mimetype,
                    headers={"Content-Disposition": f"attachment; filename={name}",
                             "Link": '<https://www.etalab.gouv.fr/licence-ouverte-open-licence/>; rel="license"'})


@bp.route("/syntheses")
def reading_room():
    form = ReadingFilterForm(formdata=request.args)
    territories = db.session.execute(select(Territory.slug, Territory.name).order_by(Territory.name)).all()
    form.territoire.choices = choices([("", _("Tous les territoires")), *[(s, n) for s, n in territories]])
    form.validate()
    latest = (select(SynthesisVersion.synthesis_id, func.max(SynthesisVersion.number).label("number"))
              .group_by(SynthesisVersion.synthesis_id).subquery())
    query = (select(SynthesisVersion)
             .join(latest, (latest.c.synthesis_id == SynthesisVersion.synthesis_id)
                   & (latest.c.number == SynthesisVersion.number))
             .join(Consultation, Consultation.id == SynthesisVersion.consultation_id)
             .join(Territory, Territory.id == Consultation.territory_id))
    query = visible_consultations(current_user, query)
    if form.territoire.data and not form.territoire.errors:
        query = query.where(Territory.slug == form.territoire.data)
    if form.theme.data and not form.theme.errors:
        query = query.where(select(Theme.id).where(Theme.consultation_id == Consultation.id,
                                                   Theme.name.ilike(f"%{form.theme.data}%")).exists())
    since, until = query_args.bounded_day(form.depuis.data), query_args.bounded_day(form.jusqu_au.data)
    if since and not form.depuis.errors:
        query = query.where(SynthesisVersion.published_at >= paris_to_utc(_midnight(since)))
    if until and not form.jusqu_au.errors:
        query = query.where(SynthesisVersion.published_at < paris_to_utc(_midnight(until, 1)))
    found = query_args.paginate(query.order_by(SynthesisVersion.published_at.desc(), SynthesisVersion.id.desc()),
                                PER_PAGE)
    return render_template("synthesis/reading_room.html", form=form, versions=found.items, total=found.total,
                           found=found, charts={v.id: charts.figure_charts(v.figures) for v in found.items})


def _midnight(day: date, plus_days: int = 0) -> datetime:
    return datetime.combine(day, datetime.min.time()) + timedelta(days=plus_days)


@bp.route("/territoires/<slug>/tableau-de-bord")
@login_required
def dashboard(slug: str):
    territory = db.session.scalar(select(Territory).where(Territory.slug == slug))
    if territory is None:
        abort(404)
    require("territory.dashboard", territory)
    now = utcnow()
    consultations = db.session.scalars(select(Consultation).where(Consultation.territory_id == territory.id)
                                       .order_by(Consultation.created_at.desc())).unique().all()
    ids = [c.id for c in consultations]
    pending = dict(db.session.execute(
        select(Proposal.consultation_id, func.count())
        .where(Proposal.consultation_id.in_(ids), figures.proposal_is_visible(), Proposal.answer.is_(None))
        .group_by(Proposal.consultation_id)).all()) if ids else {}
    rows = [{"consultation": c, "phase": phases.current_phase(c.phases, now),
             "figures": figures.consultation_figures(c), "pending": pending.get(c.id, 0),
             "awaiting": _awaiting(c), "synthesis": services.latest_version(c)} for c in consultations]
    return render_template("synthesis/dashboard.html", territory=territory, rows=rows,
                           reading_url=url_for("synthesis.reading_room", territoire=territory.slug))


def _awaiting(consultation, limit: int = 5) -> list[Proposal]:
    """The most supported visible proposals still awaiting an answer (the oldest while the counts are secret)."""
    order = ((Proposal.support_count.desc(), Proposal.id) if counts_shown(consultation)
             else (Proposal.created_at, Proposal.id))
    return list(db.session.scalars(
        select(Proposal).where(figures.visible_proposal(consultation.id), Proposal.answer.is_(None))
        .order_by(*order).limit(limit)))
