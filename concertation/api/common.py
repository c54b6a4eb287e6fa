"""What every API response shares: the licence, pagination, ETags, CORS and problem details."""

from flask import jsonify, request, url_for
from werkzeug.wrappers import Response
from sqlalchemy import func, select

from concertation import query_args
from concertation.extensions import db

LICENCE = {
    "name": "Licence Ouverte / Open Licence 2.0",
    "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}
MAX_PER_PAGE = 100
MAX_PAGE = 1_000_000


def meta(**extra) -> dict:
    return {"licence": LICENCE, **extra}


def paginate(query, serialise, endpoint: str, *, whole_page: bool = False, **view_args) -> dict:
    """One page of `query` (already in a stable order), with total, links and licence.

    `serialise` takes one row, or with `whole_page` the page's rows at once (to load what they
    share in one query per related collection rather than one per row).
    """
    page = query_args.strict_int("page", 1, MAX_PAGE)
    per_page = query_args.strict_int("per_page", 20, MAX_PER_PAGE)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)).unique().all()
    last = max(1, -(-total // per_page))
    args = query_args.link_args(exclude={"page", "_external", *view_args})

    def link(number: int) -> str | None:
        if number < 1 or number > last:
            return None
        return url_for(endpoint, **view_args, **args, page=number, _external=True)

    return {
        "data": serialise(rows) if whole_page else [serialise(row) for row in rows],
        "meta": meta(page=page, per_page=per_page, total=total, pages=last),
        "links": {
            "self": link(page) or url_for(endpoint, **view_args, **args, _external=True),
            "next": link(page + 1),
            "prev": link(page - 1),
        },
    }


def json_response(body: dict) -> Response:
    """A JSON response with an ETag, answered 304 when the client already has it."""
    response = jsonify(body)
    response.add_etag()
    response.headers["Cache-Control"] = "public, max-age=60"
    return response.make_conditional(request)


def add_cors(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = "If-None-Match, Accept"
    response.headers["Access-Control-Expose-Headers"] = "ETag"
    response.headers["Vary"] = "Accept-Language"
    return response
