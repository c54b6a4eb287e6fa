"""The readers' side: published syntheses and their versions, documents, open data, the reading room, the élus' dashboard."""

from flask import Response, abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from concertation import query_args
from concertation.consultations.models import Consultation
from concertation.db import utcnow
from concertation.extensions import db
from concertation.forms import choices
from concertation.permissions import require, require_found
from concertation.questionnaires import open_data as questionnaire_open_data
from concertation.routing import Routes
from concertation.small_groups import FLOOR
from concertation.synthesis import charts, services, versions
from concertation.synthesis import readers
from concertation.synthesis.exports import csv_json, document, odt, pdf
from concertation.synthesis.forms import ReadingFilterForm
from concertation.synthesis.models import SynthesisVersion
from concertation.territories.models import Territory

routes = Routes()

PER_PAGE = 20


def _version_or_404(consultation, number: int) -> SynthesisVersion:
    version = services.version_of(consultation, number)
    if version is None:
        abort(404)
    return version


def _render_version(consultation, version):
    return render_template(
        "synthesis/show.html",
        consultation=consultation,
        version=version,
        versions=services.published_versions(consultation),
        charts=charts.figure_charts(version.figures),
    )


@routes.route("/consultations/<int:consultation_id>/synthese")
def show(consultation_id: int):
    consultation = require_found("synthesis.read", Consultation, consultation_id)
    version = services.latest_version(consultation)
    if version is None:
        abort(404)
    return _render_version(consultation, version)


@routes.route("/consultations/<int:consultation_id>/synthese/versions/<int:number>")
def version(consultation_id: int, number: int):
    consultation = require_found("synthesis.read", Consultation, consultation_id)
    return _render_version(consultation, _version_or_404(consultation, number))


@routes.route("/consultations/<int:consultation_id>/synthese/versions/<int:number>/differences")
def differences(consultation_id: int, number: int):
    consultation = require_found("synthesis.read", Consultation, consultation_id)
    new = _version_or_404(consultation, number)
    since = query_args.bounded_int("depuis") or number - 1
    if since >= number:
        abort(404)
    old = _version_or_404(consultation, since)
    return render_template(
        "synthesis/differences.html", consultation=consultation, difference=versions.compare(old, new)
    )


@routes.route("/consultations/<int:consultation_id>/synthese/versions/<int:number>/synthese.<any(pdf, odt):fmt>")
def download(consultation_id: int, number: int, fmt: str):
    consultation = require_found("synthesis.read", Consultation, consultation_id)
    version = _version_or_404(consultation, number)
    printed = document.prepare(version, request.host_url.rstrip("/"), current_app.config["UPLOAD_DIR"])
    renderer, mimetype = (
        (pdf.render, "application/pdf") if fmt == "pdf" else (odt.render, "application/vnd.oasis.opendocument.text")
    )
    name = f"synthese-{consultation.territory.slug}-{consultation.slug}-v{version.number}.{fmt}"
    return Response(
        renderer(printed, current_app.config["PLATFORM_NAME"]),
        mimetype=mimetype,
        headers={"Content-Disposition": f"attachment; filename={name}"},
    )


@routes.route("/consultations/<int:consultation_id>/donnees")
def data(consultation_id: int):
    consultation = require_found("synthesis.read", Consultation, consultation_id)
    datasets = [
        (name, title, description, csv_json.columns_of(name))
        for name, (title, description) in csv_json.DATASETS.items()
    ]
    return render_template(
        "synthesis/data.html",
        consultation=consultation,
        datasets=datasets,
        questionnaire_datasets=questionnaire_open_data.datasets_of(consultation, utcnow()),
        floor=FLOOR,
        licence=csv_json.LICENCE,
    )


@routes.route(
    "/consultations/<int:consultation_id>/donnees/<any(propositions, commentaires):dataset>.<any(csv, json):fmt>"
)
def open_data(consultation_id: int, dataset: str, fmt: str):
    consultation = require_found("synthesis.read", Consultation, consultation_id)
    columns = csv_json.columns_of(dataset)
    rows = csv_json.rows_of(consultation, dataset, votes=csv_json.VoteDisclosure.of(consultation, utcnow()))
    if fmt == "csv":
        body, mimetype = csv_json.stream_csv(columns, rows), "text/csv"
    else:
        body, mimetype = (
            csv_json.stream_json(csv_json.metadata(consultation, dataset), columns, rows),
            "application/json",
        )
    name = f"{consultation.territory.slug}-{consultation.slug}-{dataset}.{fmt}"
    return csv_json.download(body, mimetype, name)


@routes.route("/syntheses")
def reading_room():
    form = ReadingFilterForm(formdata=request.args)
    form.territoire.choices = choices([("", _("Tous les territoires")), *readers.territory_choices()])
    form.validate()

    def valid(field):
        return field.data if field.data and not field.errors else None

    filters = readers.ReadingFilters(
        territory=valid(form.territoire), theme=valid(form.theme), since=valid(form.depuis), until=valid(form.jusqu_au)
    )
    found = readers.latest_versions(current_user, filters, query_args.page_number(), PER_PAGE)
    return render_template(
        "synthesis/reading_room.html",
        form=form,
        versions=found.items,
        total=found.total,
        found=found,
        charts={v.id: charts.figure_charts(v.figures) for v in found.items},
    )


@routes.route("/territoires/<slug>/tableau-de-bord")
@login_required
def dashboard(slug: str):
    territory = db.first_or_404(select(Territory).where(Territory.slug == slug))
    require("territory.dashboard", territory)
    return render_template(
        "synthesis/dashboard.html",
        territory=territory,
        rows=readers.dashboard_rows(territory, utcnow()),
        reading_url=url_for("synthesis.reading_room", territoire=territory.slug),
    )
