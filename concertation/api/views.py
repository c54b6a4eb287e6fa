"""The read-only open-data API, /api/v1. Public data only, pseudonymised, under Licence Ouverte 2.0."""

from flask import Blueprint, abort, request
from sqlalchemy import select
from flask_babel import lazy_gettext as _l

from concertation import query_args
from concertation.api import publications, queries, serializers
from concertation.api.common import add_cors, json_response, meta, paginate
from concertation.api.openapi import spec
from concertation.comments.services import stance_summary
from concertation.commitments import exports as commitment_exports
from concertation.commitments.models import STATUSES as COMMITMENT_STATUSES
from concertation.commitments.models import Commitment
from concertation.consultations.models import Consultation
from concertation.errors import ActionRefused
from concertation.extensions import csrf, db, limiter
from concertation.library import opendata
from concertation.library.models import METIERS, STATUSES, LibraryEntry
from concertation.library.services import LibraryFilters, search_query
from concertation.proposals.models import ANSWERS
from concertation.territories.models import Territory

bp = Blueprint("api", __name__, url_prefix="/api/v1")

csrf.exempt(bp)
limiter.limit("300 per minute")(bp)
bp.after_request(add_cors)

ANSWER_FILTERS = (*ANSWERS, "none")


def found_or_404(value):
    if value is None:
        abort(404)
    return value


@bp.route("/openapi.json")
def openapi():
    return json_response(spec())


@bp.route("/territories")
def territories():
    query = select(Territory).order_by(Territory.name, Territory.id)
    return json_response(paginate(query, serializers.territory, "api.territories"))


@bp.route("/territories/<slug>")
def territory(slug: str):
    found = db.session.scalar(select(Territory).where(Territory.slug == slug))
    if found is None:
        abort(404)
    return json_response({"data": serializers.territory(found), "meta": meta()})


@bp.route("/consultations")
def consultations():
    query = select(Consultation).where(Consultation.is_public).order_by(Consultation.id)
    if slug := request.args.get("territory"):
        query = query.join(Consultation.territory).where(Territory.slug == slug)
    return json_response(paginate(query, serializers.consultation, "api.consultations"))


@bp.route("/consultations/<int:consultation_id>")
def consultation(consultation_id: int):
    found = found_or_404(queries.public_consultation(consultation_id))
    return json_response({"data": serializers.consultation(found, detailed=True), "meta": meta()})


@bp.route("/consultations/<int:consultation_id>/proposals")
def consultation_proposals(consultation_id: int):
    found = found_or_404(queries.public_consultation(consultation_id))
    theme_id = query_args.strict_int("theme", 0, query_args.MAX_ID) or None
    answer = request.args.get("answer") or None
    if answer is not None and answer not in ANSWER_FILTERS:
        raise ActionRefused(
            _l("Le paramètre « answer » doit valoir retained, under_study, not_retained ou none."), status=400
        )
    query = queries.proposals_query(found, theme_id, answer)
    return json_response(
        paginate(
            query,
            lambda page: serializers.proposals(page, queries.vote_results(found, page)),
            "api.consultation_proposals",
            whole_page=True,
            consultation_id=consultation_id,
        )
    )


@bp.route("/proposals/<int:proposal_id>")
def proposal(proposal_id: int):
    found = found_or_404(queries.public_proposal(proposal_id))
    data = serializers.proposal(found, queries.vote_results(found.consultation, [found]), detailed=True)
    data["stances"] = stance_summary(found)
    return json_response({"data": data, "meta": meta()})


@bp.route("/proposals/<int:proposal_id>/comments")
def proposal_comments(proposal_id: int):
    found = found_or_404(queries.public_proposal(proposal_id))
    return json_response(
        paginate(
            queries.comment_roots_query(found),
            lambda roots: serializers.comment_threads(roots, queries.replies_of(roots)),
            "api.proposal_comments",
            whole_page=True,
            proposal_id=proposal_id,
        )
    )


@bp.route("/syntheses")
def syntheses():
    query = queries.latest_syntheses_query(request.args.get("territory"))
    return json_response(paginate(query, publications.synthesis_summary, "api.syntheses"))


@bp.route("/consultations/<int:consultation_id>/synthesis")
def synthesis(consultation_id: int):
    version = found_or_404(queries.synthesis_version(consultation_id))
    return _synthesis_response(version)


@bp.route("/consultations/<int:consultation_id>/synthesis/versions/<int:number>")
def synthesis_version(consultation_id: int, number: int):
    version = found_or_404(queries.synthesis_version(consultation_id, number))
    return _synthesis_response(version)


def _synthesis_response(version):
    data = publications.synthesis_version(version, queries.version_numbers(version.consultation_id))
    return json_response({"data": data, "meta": meta()})


@bp.route("/manifestos")
def manifestos():
    return json_response(
        paginate(
            queries.manifestos_query(),
            lambda page: publications.manifestos(page, queries.latest_numbers(page)),
            "api.manifestos",
            whole_page=True,
        )
    )


@bp.route("/manifestos/<slug>")
def manifesto(slug: str):
    found = found_or_404(queries.public_manifesto(slug))
    data = publications.manifesto(found, queries.published_versions(found))
    return json_response({"data": data, "meta": meta()})


@bp.route("/manifestos/<slug>/versions/<int:number>")
def manifesto_version(slug: str, number: int):
    version = found_or_404(queries.published_version(found_or_404(queries.public_manifesto(slug)), number))
    return json_response({"data": publications.manifesto_version(version), "meta": meta()})


@bp.route("/library")
def library_entries():
    metier, status = request.args.get("metier") or None, request.args.get("status") or None
    if metier is not None and metier not in METIERS:
        raise ActionRefused(_l("Le paramètre « metier » ne fait pas partie de la liste des métiers."), status=400)
    if status is not None and status not in STATUSES:
        raise ActionRefused(
            _l("Le paramètre « status » doit valoir idee, experimentation, deploye ou abandonne."), status=400
        )
    # In the order of ids, stable from page to page (the pages' order, by adoptions, moves).
    query = search_query(LibraryFilters(metier=metier, status=status)).order_by(None).order_by(LibraryEntry.id)
    return json_response(paginate(query, opendata.api_entries, "api.library_entries", whole_page=True))


@bp.route("/library/<int:entry_id>")
def library_entry(entry_id: int):
    found = found_or_404(db.session.get(LibraryEntry, entry_id))
    return json_response({"data": opendata.api_entry_detail(found), "meta": meta()})


@bp.route("/commitments")
def commitments():
    query = select(Commitment).order_by(Commitment.id)
    status, slug = request.args.get("status") or None, request.args.get("territory") or None
    if status is not None:
        if status not in COMMITMENT_STATUSES:
            raise ActionRefused(
                _l("Le paramètre « status » doit valoir under_study, committed, in_progress, done ou abandoned."),
                status=400,
            )
        query = query.where(Commitment.status == status)
    if slug is not None:
        # As for consultations: an unknown territory filters to an empty list, not a 404.
        query = query.join(Territory, Territory.id == Commitment.territory_id).where(Territory.slug == slug)
    return json_response(paginate(query, commitment_exports.api_commitment, "api.commitments"))


@bp.route("/commitments/<int:commitment_id>")
def commitment(commitment_id: int):
    found = found_or_404(db.session.get(Commitment, commitment_id))
    return json_response({"data": commitment_exports.api_commitment_detail(found), "meta": meta()})
