"""The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json.

A test checks that every API route is described here and every path here exists;
schemathesis checks every operation against it.
"""

from flask import url_for

from concertation.phases import PHASE_ORDER

NULLABLE_STRING = {"type": ["string", "null"]}
SLUG = {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$", "maxLength": 80}
NULLABLE_INT = {"type": ["integer", "null"]}
DATETIME = {"type": "string", "format": "date-time"}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def page_of(item: str) -> dict:
    return {"type": "object", "required": ["data", "meta", "links"], "properties": {
        "data": {"type": "array", "items": ref(item)}, "meta": ref("PageMeta"), "links": ref("Links")}}


def one(item: str) -> dict:
    return {"type": "object", "required": ["data", "meta"], "properties": {
        "data": ref(item), "meta": ref("Meta")}}


PROBLEM_RESPONSE = {"description": "Erreur (RFC 9457)",
                    "content": {"application/problem+json": {"schema": ref("Problem")}}}
PAGE_PARAMETERS = [
    {"name": "page", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1, "maximum": 1_000_000}},
    {"name": "per_page", "in": "query", "required": False,
     "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
]


def ok(schema: dict, description: str) -> dict:
    return {
        "200": {"description": description, "headers": {"ETag": {"schema": {"type": "string"}}},
                "content": {"application/json": {"schema": schema}}},
        "304": {"description": "Inchangé depuis l’ETag envoyé dans If-None-Match"},
        "400": PROBLEM_RESPONSE, "404": PROBLEM_RESPONSE, "429": PROBLEM_RESPONSE,
    }


def operation(summary: str, schema: dict, parameters: list | None = None, tag: str = "consultations") -> dict:
    return {"get": {"summary": summary, "tags": [tag], "parameters": parameters or [],
                    "responses": ok(schema, summary)}}


SCHEMAS = {
    "Problem": {"type": "object", "required": ["type", "title", "status", "detail"], "properties": {
        "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
        "detail": {"type": "string"}}},
    "Licence": {"type": "object", "required": ["name", "url"], "properties": {
        "name": {"type": "string"}, "url": {"type": "string", "format": "uri"}}},
    "Meta": {"type": "object", "required": ["licence"], "properties": {"licence": ref("Licence")}},
    "PageMeta": {"type": "object", "required": ["licence", "page", "per_page", "total", "pages"], "properties": {
        "licence": ref("Licence"), "page": {"type": "integer"}, "per_page": {"type": "integer"},
        "total": {"type": "integer"}, "pages": {"type": "integer"}}},
    "Links": {"type": "object", "required": ["self", "next", "prev"], "properties": {
        "self": {"type": "string"}, "next": NULLABLE_STRING, "prev": NULLABLE_STRING}},
    "Territory": {"type": "object", "required": ["slug", "name", "kind", "url"], "properties": {
        "slug": {"type": "string"}, "name": {"type": "string"},
        "kind": {"enum": ["commune", "intercommunalite", "departement", "region", "autre"]},
        "code": NULLABLE_STRING, "population": NULLABLE_INT, "url": {"type": "string"}}},
    "Phase": {"type": "object", "required": ["kind", "starts_at", "ends_at"], "properties": {
        "kind": {"enum": list(PHASE_ORDER)}, "starts_at": DATETIME,
        "ends_at": {"type": ["string", "null"], "format": "date-time"}}},
    "Theme": {"type": "object", "required": ["id", "name"], "properties": {
        "id": {"type": "integer"}, "name": {"type": "string"}}},
    "Consultation": {"type": "object", "required": [
        "id", "title", "summary", "territory", "audience", "voting_method", "current_phase", "phases", "themes",
        "url", "results_public"], "properties": {
        "id": {"type": "integer"}, "title": {"type": "string"}, "summary": {"type": "string"},
        "territory": {"type": "string", "description": "slug du territoire"},
        "audience": {"enum": ["public", "both"]}, "voting_method": {"enum": ["support", "majority"]},
        "support_limit": NULLABLE_INT, "results_public": {"type": "boolean"},
        "current_phase": {"enum": [*PHASE_ORDER, "upcoming", "between"]},
        "phases": {"type": "array", "items": ref("Phase")}, "themes": {"type": "array", "items": ref("Theme")},
        "url": {"type": "string"}, "description_html": {"type": "string"},
        "resources": {"type": "array", "items": {"type": "object", "required": ["title", "kind", "url"],
                                                 "properties": {"title": {"type": "string"},
                                                                "kind": {"enum": ["link", "document"]},
                                                                "description": {"type": "string"},
                                                                "url": NULLABLE_STRING}}}}},
}

PATHS = {
    "/territories": operation("Les territoires", page_of("Territory"), PAGE_PARAMETERS, "territoires"),
    "/territories/{slug}": operation("Un territoire", one("Territory"), [
        {"name": "slug", "in": "path", "required": True, "schema": SLUG}], "territoires"),
    "/consultations": operation("Les consultations publiques", page_of("Consultation"), [
        *PAGE_PARAMETERS,
        {"name": "territory", "in": "query", "required": False, "schema": SLUG,
         "description": "slug d’un territoire"}]),
    "/consultations/{consultation_id}": operation("Une consultation, avec ses phases, thèmes et ressources",
                                                  one("Consultation"), [
        {"name": "consultation_id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}]),
}


def spec() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "API ouverte de Concertation",
            "version": "1.0.0",
            "description": ("Données publiques des consultations territoriales sur l’intelligence artificielle, "
                            "en lecture seule. Aucune donnée personnelle : les contributions sont signées de "
                            "pseudonymes. Erreurs au format RFC 9457 (problem details), en français."),
            "license": {"name": "Licence Ouverte / Open Licence 2.0",
                        "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"},
        },
        "servers": [{"url": url_for("api.openapi", _external=True).removesuffix("/openapi.json")}],
        "paths": PATHS,
        "components": {"schemas": SCHEMAS},
    }
