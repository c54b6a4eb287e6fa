"""The read-only open-data API, /api/v1. Public data only, pseudonymised, under Licence Ouverte 2.0."""

from flask import abort, request
from sqlalchemy import select

from concertation.api import bp, serializers
from concertation.api.common import add_cors, json_response, meta, paginate
from concertation.api.openapi import spec
from concertation.consultations.models import Consultation
from concertation.extensions import csrf, db, limiter
from concertation.territories.models import Territory

csrf.exempt(bp)
limiter.limit("300 per minute")(bp)
bp.after_request(add_cors)

PUBLIC_AUDIENCES = ("public", "both")


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
    query = select(Consultation).where(Consultation.audience.in_(PUBLIC_AUDIENCES)).order_by(Consultation.id)
    if slug := request.args.get("territory"):
        query = query.join(Consultation.territory).where(Territory.slug == slug)
    return json_response(paginate(query, serializers.consultation, "api.consultations"))


@bp.route("/consultations/<int:consultation_id>")
def consultation(consultation_id: int):
    found = db.session.get(Consultation, consultation_id)
    if found is None or found.audience not in PUBLIC_AUDIENCES:
        abort(404)
    return json_response({"data": serializers.consultation(found, detailed=True), "meta": meta()})
