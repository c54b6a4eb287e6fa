"""The readers' side of the manifesto: versions, points and their provenance, differences, exports, signatures."""

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from concertation import query_args
from concertation.consultations.models import Consultation
from concertation.db import utcnow
from concertation.extensions import db
from concertation.forms import BaseForm, choices, commit_and_redirect, refusal_shown
from concertation.manifesto import (
    amendments,
    endorsements,
    provenance,
    services,
    versions,
    views_amendments,
    views_editors,
    views_suggestions,
)
from concertation.manifesto.exports import document, odt, open_data, pdf
from concertation.manifesto.forms import EndorsementForm, ManifestoForm
from concertation.synthesis.exports import csv_json
from concertation.manifesto.models import Manifesto, ManifestoVersion
from concertation.permissions import can, require
from concertation.synthesis.models import SynthesisVersion
from concertation.territories.models import Territory

bp = Blueprint("manifesto", __name__)
# The editors' routes, the suggestions' and the amendments' have modules of their own, on this one blueprint.
views_editors.routes.add_to(bp)
views_suggestions.routes.add_to(bp)
views_amendments.routes.add_to(bp)


def published_or_404(manifesto: Manifesto, number: int) -> ManifestoVersion:
    version = services.version_of(manifesto, number)
    if version is None or not version.is_published:
        abort(404)
    return version


def elu_territories() -> list[Territory]:
    """The territories in whose name the signed-in person may sign."""
    if not current_user.is_authenticated:
        return []
    seen = {m.territory.id: m.territory for m in current_user.memberships if m.role == "elu"}
    return [t for t in seen.values() if can(current_user, "manifesto.endorse", t)]


def endorsement_form(formdata=None, territories=None) -> EndorsementForm:
    form = EndorsementForm(formdata=formdata)
    form.territory.choices = choices([(t.id, t.name) for t in territories or elu_territories()])
    return form


def suggestable_consultations() -> list:
    """For an organiser: the consultations of their territories with a published synthesis, to suggest from."""
    if not current_user.is_authenticated:
        return []
    territory_ids = {m.territory_id for m in current_user.memberships if m.role == "organiser"}
    if not territory_ids:
        return []
    return list(
        db.session.scalars(
            select(Consultation)
            .where(
                Consultation.territory_id.in_(territory_ids),
                Consultation.id.in_(select(SynthesisVersion.consultation_id)),
            )
            .order_by(Consultation.title)
        )
    )


def render_version(manifesto: Manifesto, version: ManifestoVersion | None, form=None, status=200):
    published = services.published_versions(manifesto)
    context = dict(
        manifesto=manifesto,
        version=version,
        published=published,
        draft=services.draft_of(manifesto),
        suggestable=suggestable_consultations(),
    )
    if version is not None:
        territories = elu_territories()
        signed = {e.territory_id: e for e in endorsements.signatories(version)}
        context.update(
            chapters=services.chapters(version),
            contribution=provenance.contribution(version),
            amendment_count=amendments.count(version),
            signatories=list(signed.values()),
            earlier=endorsements.earlier_signatories(version),
            is_latest=bool(published) and published[0].id == version.id,
            my_signatures=[signed[t.id] for t in territories if t.id in signed],
            unsigned=[t for t in territories if t.id not in signed],
            form=form or endorsement_form(territories=[t for t in territories if t.id not in signed]),
        )
    return render_template("manifesto/show.html", **context), status


@bp.route("/manifeste")
def index():
    manifestos = services.all_manifestos()
    if len(manifestos) == 1 and not can(current_user, "manifesto.edit"):
        return redirect(url_for("manifesto.show", slug=manifestos[0].slug))
    return render_template(
        "manifesto/index.html",
        manifestos=[(m, services.latest_published(m)) for m in manifestos],
        form=ManifestoForm(formdata=None),
    )


@bp.route("/manifeste/<slug>")
def show(slug: str):
    manifesto = db.first_or_404(select(Manifesto).filter_by(slug=slug))
    return render_version(manifesto, services.latest_published(manifesto))


@bp.route("/manifeste/<slug>/versions/<int:number>")
def version(slug: str, number: int):
    manifesto = db.first_or_404(select(Manifesto).filter_by(slug=slug))
    return render_version(manifesto, published_or_404(manifesto, number))


@bp.route("/manifeste/<slug>/versions/<int:number>/points/<int:uid>")
def point(slug: str, number: int, uid: int):
    manifesto = db.first_or_404(select(Manifesto).filter_by(slug=slug))
    version = services.version_of(manifesto, number)
    if version is None or not (version.is_published or can(current_user, "manifesto.edit")):
        abort(404)
    found = next((p for p in version.points if p.uid == uid), None)
    if found is None:
        abort(404)
    return render_template(
        "manifesto/point.html",
        manifesto=manifesto,
        version=version,
        point=found,
        chain=provenance.chain(found),
        amended=provenance.amendment_links(version).get(uid, []),
    )


@bp.route("/manifeste/<slug>/versions/<int:number>/differences")
def differences(slug: str, number: int):
    manifesto = db.first_or_404(select(Manifesto).filter_by(slug=slug))
    new = published_or_404(manifesto, number)
    since = query_args.bounded_int("depuis") or number - 1
    if since >= number:
        abort(404)
    old = published_or_404(manifesto, since)
    return render_template(
        "manifesto/differences.html",
        manifesto=manifesto,
        difference=versions.compare(old, new),
        published=services.published_versions(manifesto),
    )


@bp.route("/manifeste/<slug>/versions/<int:number>/manifeste.<any(pdf, odt, json):fmt>")
def download(slug: str, number: int, fmt: str):
    manifesto = db.first_or_404(select(Manifesto).filter_by(slug=slug))
    version = published_or_404(manifesto, number)
    base = request.host_url.rstrip("/")
    if fmt == "json":
        body, mimetype = open_data.as_json(version, base), "application/json"
    else:
        printed = document.prepare(version, base, current_app.config["UPLOAD_DIR"])
        renderer, mimetype = (
            (pdf.render, "application/pdf") if fmt == "pdf" else (odt.render, "application/vnd.oasis.opendocument.text")
        )
        body = renderer(printed, current_app.config["PLATFORM_NAME"])
    return csv_json.download(body, mimetype, f"{manifesto.slug}-v{version.number}.{fmt}")


@bp.route("/manifeste/<slug>/versions/<int:number>/signer", methods=["POST"])
@login_required
def sign(slug: str, number: int):
    manifesto = db.first_or_404(select(Manifesto).filter_by(slug=slug))
    version = published_or_404(manifesto, number)
    territories = elu_territories()
    if not territories:
        abort(403)
    form = endorsement_form(request.form, territories)
    if form.validate_on_submit():
        territory = db.session.get(Territory, form.territory.data)
        if territory is None:
            abort(404)
        require("manifesto.endorse", territory)
        with refusal_shown(form):
            endorsements.sign(current_user, version, territory, form.statement.data or "", utcnow())
            return commit_and_redirect(
                _("%(territory)s a signé la version %(n)d du manifeste.", territory=territory.name, n=version.number),
                url_for("manifesto.version", slug=slug, number=number) + "#signataires",
            )
    return render_version(manifesto, version, form=form, status=422)


@bp.route("/manifeste/<slug>/versions/<int:number>/signatures/<int:territory_id>/retirer", methods=["POST"])
@login_required
def withdraw(slug: str, number: int, territory_id: int):
    manifesto = db.first_or_404(select(Manifesto).filter_by(slug=slug))
    version = published_or_404(manifesto, number)
    territory = db.session.get(Territory, territory_id)
    if territory is None:
        abort(404)
    require("manifesto.endorse", territory)
    if not BaseForm().validate_on_submit():
        abort(400)
    endorsement = endorsements.endorsement_of(version, territory)
    if endorsement is None:
        abort(404)
    endorsements.withdraw(endorsement, utcnow())
    return commit_and_redirect(
        _("La signature de %(territory)s est retirée.", territory=territory.name),
        url_for("manifesto.version", slug=slug, number=number) + "#signataires",
    )
