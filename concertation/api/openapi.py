"""The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json.

A test checks that every API route is described here and every path here exists;
schemathesis checks every operation against it.
"""

from flask import url_for

from concertation.comments.models import STANCES
from concertation.commitments.models import STATUSES as COMMITMENT_STATUSES
from concertation.library.models import AUDIENCES, COST_BANDS, HOSTINGS, METIERS, STATUSES
from concertation.phases import PHASE_ORDER
from concertation.proposals.models import ANSWERS
from concertation.texts.models import AMENDMENT_KINDS, AMENDMENT_STATUSES, TEXT_STATUSES, VERSION_CHANGES
from concertation.questionnaires.models import AUDIENCES as QUESTIONNAIRE_AUDIENCES
from concertation.questionnaires.models import KINDS as QUESTION_KINDS
from concertation.voting.models import MENTIONS

NULLABLE_STRING = {"type": ["string", "null"]}
SLUG = {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$", "maxLength": 80}
NULLABLE_INT = {"type": ["integer", "null"]}
NULLABLE_NUMBER = {"type": ["number", "null"]}
DATETIME = {"type": "string", "format": "date-time"}
NULLABLE_DATETIME = {"type": ["string", "null"], "format": "date-time"}
INTEGER = {"type": "integer"}
STRING = {"type": "string"}
MENTION = {"type": "integer", "minimum": 0, "maximum": len(MENTIONS) - 1}
NULLABLE_MENTION = {"type": ["integer", "null"], "minimum": 0, "maximum": len(MENTIONS) - 1}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def page_of(item: str) -> dict:
    return {
        "type": "object",
        "required": ["data", "meta", "links"],
        "properties": {"data": {"type": "array", "items": ref(item)}, "meta": ref("PageMeta"), "links": ref("Links")},
    }


def one(item: str) -> dict:
    return {"type": "object", "required": ["data", "meta"], "properties": {"data": ref(item), "meta": ref("Meta")}}


PROBLEM_RESPONSE = {
    "description": "Erreur (RFC 9457)",
    "content": {"application/problem+json": {"schema": ref("Problem")}},
}
PAGE_PARAMETERS = [
    {
        "name": "page",
        "in": "query",
        "required": False,
        "schema": {"type": "integer", "minimum": 1, "maximum": 1_000_000},
    },
    {"name": "per_page", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
]


def ok(schema: dict, description: str) -> dict:
    return {
        "200": {
            "description": description,
            "headers": {"ETag": {"schema": {"type": "string"}}},
            "content": {"application/json": {"schema": schema}},
        },
        "304": {"description": "Inchangé depuis l’ETag envoyé dans If-None-Match"},
        "400": PROBLEM_RESPONSE,
        "404": PROBLEM_RESPONSE,
        "429": PROBLEM_RESPONSE,
    }


def obj(required: list[str], properties: dict, optional: dict | None = None) -> dict:
    """A closed object: every listed property is required, `optional` ones may be absent."""
    return {
        "type": "object",
        "required": required,
        "additionalProperties": False,
        "properties": {**properties, **(optional or {})},
    }


def nullable(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}]}


def operation(summary: str, schema: dict, parameters: list | None = None, tag: str = "consultations") -> dict:
    return {
        "get": {"summary": summary, "tags": [tag], "parameters": parameters or [], "responses": ok(schema, summary)}
    }


SCHEMAS = {
    "Problem": {
        "type": "object",
        "required": ["type", "title", "status", "detail"],
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
        },
    },
    "Licence": {
        "type": "object",
        "required": ["name", "url"],
        "properties": {"name": {"type": "string"}, "url": {"type": "string", "format": "uri"}},
    },
    "Meta": {"type": "object", "required": ["licence"], "properties": {"licence": ref("Licence")}},
    "PageMeta": {
        "type": "object",
        "required": ["licence", "page", "per_page", "total", "pages"],
        "properties": {
            "licence": ref("Licence"),
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
            "total": {"type": "integer"},
            "pages": {"type": "integer"},
        },
    },
    "Links": {
        "type": "object",
        "required": ["self", "next", "prev"],
        "properties": {"self": {"type": "string"}, "next": NULLABLE_STRING, "prev": NULLABLE_STRING},
    },
    "Territory": {
        "type": "object",
        "required": ["slug", "name", "kind", "url"],
        "properties": {
            "slug": {"type": "string"},
            "name": {"type": "string"},
            "kind": {"enum": ["commune", "intercommunalite", "departement", "region", "autre"]},
            "code": NULLABLE_STRING,
            "population": NULLABLE_INT,
            "url": {"type": "string"},
        },
    },
    "Phase": {
        "type": "object",
        "required": ["kind", "starts_at", "ends_at"],
        "properties": {
            "kind": {"enum": list(PHASE_ORDER)},
            "starts_at": DATETIME,
            "ends_at": {"type": ["string", "null"], "format": "date-time"},
        },
    },
    "Theme": {
        "type": "object",
        "required": ["id", "name"],
        "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
    },
    "Consultation": {
        "type": "object",
        "required": [
            "id",
            "title",
            "summary",
            "territory",
            "audience",
            "voting_method",
            "current_phase",
            "phases",
            "themes",
            "url",
            "results_public",
        ],
        "properties": {
            "id": {"type": "integer"},
            "title": {"type": "string"},
            "summary": {"type": "string"},
            "territory": {"type": "string", "description": "slug du territoire"},
            "audience": {"enum": ["public", "both"]},
            "voting_method": {"enum": ["support", "majority"]},
            "support_limit": NULLABLE_INT,
            "results_public": {"type": "boolean"},
            "current_phase": {"enum": [*PHASE_ORDER, "upcoming", "between"]},
            "phases": {"type": "array", "items": ref("Phase")},
            "themes": {"type": "array", "items": ref("Theme")},
            "url": {"type": "string"},
            "description_html": {"type": "string"},
            "resources": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["title", "kind", "url"],
                    "properties": {
                        "title": {"type": "string"},
                        "kind": {"enum": ["link", "document"]},
                        "description": {"type": "string"},
                        "url": NULLABLE_STRING,
                    },
                },
            },
        },
    },
}

ID_IN_PATH = {"type": "integer", "minimum": 1}


def path_id(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": ID_IN_PATH}


SLUG_IN_PATH = {"name": "slug", "in": "path", "required": True, "schema": SLUG}
NUMBER_IN_PATH = {"name": "number", "in": "path", "required": True, "schema": ID_IN_PATH}


def _required(properties: dict) -> list[str]:
    return list(properties)


_COMMENT_PLACE = {
    "id": INTEGER,
    "parent_id": NULLABLE_INT,
    "root_id": NULLABLE_INT,
    "depth": {"type": "integer", "minimum": 1, "maximum": 3},
    "created_at": DATETIME,
}
_VISIBLE_COMMENT = {
    **_COMMENT_PLACE,
    "hidden": {"const": False},
    "deleted": {"const": False},
    "body_html": STRING,
    "author": {"type": "string", "description": "pseudonyme"},
    "stance": {"enum": [*STANCES, None]},
    "edited_at": NULLABLE_DATETIME,
    "workshop_id": {
        **NULLABLE_INT,
        "description": "l’atelier où il a été recueilli (sur papier ou à l’oral), sinon null",
    },
}
_HIDDEN_COMMENT = {
    **_COMMENT_PLACE,
    "hidden": {"const": True},
    "deleted": {"type": "boolean"},
    "reason": {"type": "string", "description": "motif de la modération"},
}
_DELETED_COMMENT = {**_COMMENT_PLACE, "hidden": {"const": False}, "deleted": {"const": True}}


def comment_schema(extra: dict | None = None) -> dict:
    """A visible comment, or a placeholder (hidden by moderation, or deleted) with neither text nor author."""
    kinds = [{**kind, **(extra or {})} for kind in (_VISIBLE_COMMENT, _HIDDEN_COMMENT, _DELETED_COMMENT)]
    return {
        "oneOf": [obj(_required(kind), kind) for kind in kinds],
        "description": "Un commentaire masqué par la modération ou supprimé n’a ni texte ni auteur.",
    }


_PROPOSAL = {
    "id": INTEGER,
    "consultation_id": INTEGER,
    "title": STRING,
    "body_html": STRING,
    "theme": nullable(ref("Theme")),
    "author": {"type": "string", "description": "pseudonyme"},
    "created_at": DATETIME,
    "edited_at": NULLABLE_DATETIME,
    "withdrawn": {"type": "boolean"},
    "withdrawn_at": NULLABLE_DATETIME,
    "merged_into_id": NULLABLE_INT,
    "answer": {"enum": [*ANSWERS, None]},
    "answer_label": NULLABLE_STRING,
    "answer_html": NULLABLE_STRING,
    "answered_at": NULLABLE_DATETIME,
    "comment_count": INTEGER,
    "workshop_id": {
        **NULLABLE_INT,
        "description": "l’atelier où elle a été recueillie (sur papier ou à l’oral), sinon null",
    },
    "results_public": {"type": "boolean"},
    "results": {
        "description": "null tant que les résultats du vote ne sont pas publics",
        "anyOf": [ref("SupportResult"), ref("MajorityResult"), {"type": "null"}],
    },
    "url": STRING,
}
_SYNTHESIS_SUMMARY = {
    "id": INTEGER,
    "number": INTEGER,
    "title": STRING,
    "published_at": DATETIME,
    "change_note": STRING,
    "consultation": obj(["id", "title", "territory"], {"id": INTEGER, "title": STRING, "territory": SLUG}),
    "url": STRING,
    "api_url": STRING,
}
_COUNTS = {"proposals": INTEGER, "comments": INTEGER, "votes": INTEGER}
_FIGURES = {
    "computed_at": NULLABLE_STRING,
    "voting_method": {"enum": ["support", "majority", None]},
    **{
        name: INTEGER
        for name in ("participants", "citizens", "agents", "proposals", "comments", "contributions", "votes", "voters")
    },
    "collected": {**NULLABLE_INT, "description": "contributions recueillies en atelier ; null sans atelier"},
    "workshop_attendees": {**NULLABLE_INT, "description": "présent·es aux ateliers ; null sans atelier"},
    "population": NULLABLE_INT,
    "population_share": {"type": ["number", "null"]},
    "representativeness": {
        "description": "qui a participé, comparé à la population, figé à la publication ; null pour une version "
        "publiée avant ; aucun chiffre sur moins de 10 personnes (null : masqué)",
        "anyOf": [ref("Representativeness"), {"type": "null"}],
    },
    "by_theme": {"type": "array", "items": obj(["theme", *_COUNTS], {"theme": STRING, **_COUNTS})},
    "by_week": {
        "type": "array",
        "items": obj(["week", *_COUNTS, "participants"], {"week": STRING, **_COUNTS, "participants": INTEGER}),
    },
}
MASKED_COUNT = {"type": ["integer", "null"], "minimum": 10, "description": "null : masqué (moins de 10 personnes)"}
_REPRESENTATIVENESS_ROW = {
    "key": STRING,
    "label": STRING,
    "count": MASKED_COUNT,
    "share": {**NULLABLE_NUMBER, "description": "part des participant·es, en %"},
    "population": NULLABLE_INT,
    "population_share": {**NULLABLE_NUMBER, "description": "part de la population (15 ans ou plus), en %"},
    "gap": {**NULLABLE_NUMBER, "description": "écart, en points"},
}
_REPRESENTATIVENESS_DIMENSION = {
    "key": {"enum": ["age", "area", "relation"]},
    "title": STRING,
    "shares_among": {
        "enum": ["answered", "all"],
        "description": "parts calculées parmi les personnes qui ont répondu, ou parmi toutes",
    },
    "population_known": {"type": "boolean"},
    "rows": {"type": "array", "items": obj(_required(_REPRESENTATIVENESS_ROW), _REPRESENTATIVENESS_ROW)},
    "unanswered": MASKED_COUNT,
    "unanswered_share": NULLABLE_NUMBER,
    "with_outside": {"type": "boolean"},
    "outside": MASKED_COUNT,
    "outside_share": NULLABLE_NUMBER,
}
_REPRESENTATIVENESS = {
    "computed_at": NULLABLE_STRING,
    "floor": {"type": "integer", "description": "aucun chiffre n’est donné pour un groupe plus petit"},
    "participants": MASKED_COUNT,
    "caution": {"type": "array", "items": STRING, "description": "les limites de ces chiffres"},
    "dimensions": {
        "type": "array",
        "items": obj(_required(_REPRESENTATIVENESS_DIMENSION), _REPRESENTATIVENESS_DIMENSION),
    },
}
_CITATION = {
    "number": INTEGER,
    "kind": {"enum": ["proposal", "comment"]},
    "id": INTEGER,
    "proposal_id": NULLABLE_INT,
    "paragraph": NULLABLE_INT,
    "title": NULLABLE_STRING,
    "excerpt": STRING,
    "author": NULLABLE_STRING,
    "url": STRING,
}
_RETAINED = {
    "id": INTEGER,
    "proposal_id": NULLABLE_INT,
    "position": INTEGER,
    "title": STRING,
    "excerpt": STRING,
    "author": {"type": "string", "description": "pseudonyme, figé à la publication"},
    "theme": NULLABLE_STRING,
    "answer_text": STRING,
    "support_count": INTEGER,
    "grade_count": INTEGER,
    "majority_mention": NULLABLE_MENTION,
    "majority_label": {"enum": [*MENTIONS, None]},
}
_SOURCE_PROPOSAL = {
    "id": NULLABLE_INT,
    "title": STRING,
    "author": STRING,
    "theme": NULLABLE_STRING,
    "supports": INTEGER,
    "grades": INTEGER,
    "majority_mention": {"enum": [*MENTIONS, None]},
    "url": NULLABLE_STRING,
}
_SOURCE = {
    "territory": STRING,
    "consultation": obj(["id", "title", "url"], {"id": INTEGER, "title": STRING, "url": STRING}),
    "synthesis": obj(
        ["id", "title", "version", "published_at", "url", "participants", "citizens", "agents"],
        {
            "id": INTEGER,
            "title": STRING,
            "version": INTEGER,
            "published_at": DATETIME,
            "url": STRING,
            "participants": NULLABLE_INT,
            "citizens": NULLABLE_INT,
            "agents": NULLABLE_INT,
        },
    ),
    "section": NULLABLE_STRING,
    "proposal": nullable(obj(_required(_SOURCE_PROPOSAL), _SOURCE_PROPOSAL)),
}
_AMENDMENT = {
    "number": INTEGER,
    "kind": {"type": "string", "enum": ["replace", "delete", "add_after"]},
    "point_uid": INTEGER,
    "result_uid": NULLABLE_INT,
    "territory": STRING,
    "cosigned_by": {"type": "array", "items": STRING},
    "status": {"type": "string", "enum": ["accepted", "accepted_changed"]},
    "proposed_text": STRING,
    "adopted_text": STRING,
    "justification": STRING,
    "answer": STRING,
    "url": STRING,
}

_POINT = {
    "uid": INTEGER,
    "title": STRING,
    "text": STRING,
    "sources": {"type": "array", "items": obj(_required(_SOURCE), _SOURCE)},
}

SCHEMAS.update(
    {
        "SupportResult": obj(["method", "support_count"], {"method": {"const": "support"}, "support_count": INTEGER}),
        "MajorityResult": obj(
            ["method", "judges", "majority_mention", "majority_label", "distribution"],
            {
                "method": {"const": "majority"},
                "judges": {"type": "integer", "minimum": 0},
                "majority_mention": NULLABLE_MENTION,
                "majority_label": {"enum": [*MENTIONS, None]},
                "distribution": {
                    "type": "array",
                    "minItems": len(MENTIONS),
                    "maxItems": len(MENTIONS),
                    "items": obj(
                        ["mention", "label", "count"],
                        {"mention": MENTION, "label": {"enum": MENTIONS}, "count": INTEGER},
                    ),
                },
            },
        ),
        "Proposal": obj(_required(_PROPOSAL), _PROPOSAL),
        "ProposalDetail": obj(
            [*_required(_PROPOSAL), "comments_url", "stances"],
            {
                **_PROPOSAL,
                "comments_url": STRING,
                "stances": obj(list(STANCES), {stance: INTEGER for stance in STANCES}),
            },
        ),
        "Comment": comment_schema(),
        "CommentThread": comment_schema({"replies": {"type": "array", "items": ref("Comment")}}),
        "Representativeness": obj(_required(_REPRESENTATIVENESS), _REPRESENTATIVENESS),
        "SynthesisSummary": obj(_required(_SYNTHESIS_SUMMARY), _SYNTHESIS_SUMMARY),
        "Synthesis": obj(
            [*_required(_SYNTHESIS_SUMMARY), "versions", "introduction_html", "figures", "sections", "retained"],
            {
                **_SYNTHESIS_SUMMARY,
                "versions": {"type": "array", "items": INTEGER},
                "introduction_html": STRING,
                "figures": obj(_required(_FIGURES), _FIGURES),
                "sections": {
                    "type": "array",
                    "items": obj(
                        ["title", "theme", "body_html", "citations"],
                        {
                            "title": STRING,
                            "theme": NULLABLE_STRING,
                            "body_html": STRING,
                            "citations": {"type": "array", "items": obj(_required(_CITATION), _CITATION)},
                        },
                    ),
                },
                "retained": {"type": "array", "items": obj(_required(_RETAINED), _RETAINED)},
            },
        ),
        "ManifestoSummary": obj(
            ["slug", "title", "latest_version", "published_versions", "url", "api_url"],
            {
                "slug": STRING,
                "title": STRING,
                "latest_version": INTEGER,
                "published_versions": INTEGER,
                "url": STRING,
                "api_url": STRING,
            },
        ),
        "Manifesto": obj(
            ["slug", "title", "url", "versions"],
            {
                "slug": STRING,
                "title": STRING,
                "url": STRING,
                "versions": {
                    "type": "array",
                    "items": obj(
                        ["number", "title", "published_at", "change_note", "signatories", "api_url"],
                        {
                            "number": INTEGER,
                            "title": STRING,
                            "published_at": DATETIME,
                            "change_note": STRING,
                            "signatories": {"type": "integer", "description": "nombre de territoires signataires"},
                            "api_url": STRING,
                        },
                    ),
                },
            },
        ),
        "ManifestoVersion": obj(
            [
                "manifesto",
                "version",
                "introduction",
                "chapters",
                "amendments",
                "contribution",
                "signatories",
                "earlier_signatories",
            ],
            {
                "manifesto": obj(["title", "slug", "url"], {"title": STRING, "slug": STRING, "url": STRING}),
                "version": obj(
                    ["number", "published_at", "change_note"],
                    {"number": INTEGER, "published_at": DATETIME, "change_note": STRING},
                ),
                "introduction": STRING,
                "chapters": {
                    "type": "array",
                    "items": obj(
                        ["title", "points"],
                        {"title": STRING, "points": {"type": "array", "items": obj(_required(_POINT), _POINT)}},
                    ),
                },
                "amendments": {
                    "type": "array",
                    "description": "les amendements des territoires acceptés dans cette version, au nom des "
                    "territoires seulement",
                    "items": obj(_required(_AMENDMENT), _AMENDMENT),
                },
                "contribution": obj(
                    ["territories", "consultations", "participants", "citizens", "agents", "method"],
                    {
                        "territories": {"type": "array", "items": STRING},
                        "consultations": INTEGER,
                        "participants": INTEGER,
                        "citizens": INTEGER,
                        "agents": INTEGER,
                        "method": STRING,
                    },
                ),
                "signatories": {
                    "type": "array",
                    "description": "les territoires signataires, jamais qui a signé",
                    "items": obj(
                        ["territory", "signed_at", "statement"],
                        {"territory": STRING, "signed_at": DATETIME, "statement": STRING},
                    ),
                },
                "earlier_signatories": {
                    "type": "array",
                    "items": obj(["territory", "signed_version"], {"territory": STRING, "signed_version": INTEGER}),
                },
            },
        ),
    }
)

PATHS = {
    "/territories": operation("Les territoires", page_of("Territory"), PAGE_PARAMETERS, "territoires"),
    "/territories/{slug}": operation(
        "Un territoire",
        one("Territory"),
        [{"name": "slug", "in": "path", "required": True, "schema": SLUG}],
        "territoires",
    ),
    "/consultations": operation(
        "Les consultations publiques",
        page_of("Consultation"),
        [
            *PAGE_PARAMETERS,
            {
                "name": "territory",
                "in": "query",
                "required": False,
                "schema": SLUG,
                "description": "slug d’un territoire",
            },
        ],
    ),
    "/consultations/{consultation_id}": operation(
        "Une consultation, avec ses phases, thèmes et ressources",
        one("Consultation"),
        [{"name": "consultation_id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}],
    ),
    "/consultations/{consultation_id}/proposals": operation(
        "Les propositions visibles d’une consultation, par identifiant ; votes seulement une fois les résultats "
        "publics",
        page_of("Proposal"),
        [
            path_id("consultation_id"),
            *PAGE_PARAMETERS,
            {
                "name": "theme",
                "in": "query",
                "required": False,
                "schema": {"type": "integer", "minimum": 1, "maximum": 999_999_999},
                "description": "identifiant d’un thème",
            },
            {
                "name": "answer",
                "in": "query",
                "required": False,
                "schema": {"enum": [*ANSWERS, "none"]},
                "description": "réponse de la collectivité (none : pas encore de réponse)",
            },
        ],
        "propositions",
    ),
    "/proposals/{proposal_id}": operation(
        "Une proposition, avec les positions de ses commentaires",
        one("ProposalDetail"),
        [path_id("proposal_id")],
        "propositions",
    ),
    "/proposals/{proposal_id}/comments": operation(
        "Les fils de commentaires d’une proposition (pagination sur les commentaires de premier niveau)",
        page_of("CommentThread"),
        [path_id("proposal_id"), *PAGE_PARAMETERS],
        "propositions",
    ),
    "/syntheses": operation(
        "La dernière version publiée de chaque synthèse",
        page_of("SynthesisSummary"),
        [
            *PAGE_PARAMETERS,
            {
                "name": "territory",
                "in": "query",
                "required": False,
                "schema": SLUG,
                "description": "slug d’un territoire",
            },
        ],
        "synthèses",
    ),
    "/consultations/{consultation_id}/synthesis": operation(
        "La dernière version publiée de la synthèse d’une consultation",
        one("Synthesis"),
        [path_id("consultation_id")],
        "synthèses",
    ),
    "/consultations/{consultation_id}/synthesis/versions/{number}": operation(
        "Une version publiée de la synthèse, figée",
        one("Synthesis"),
        [path_id("consultation_id"), NUMBER_IN_PATH],
        "synthèses",
    ),
    "/manifestos": operation("Les manifestes publiés", page_of("ManifestoSummary"), PAGE_PARAMETERS, "manifeste"),
    "/manifestos/{slug}": operation(
        "Un manifeste et ses versions publiées", one("Manifesto"), [SLUG_IN_PATH], "manifeste"
    ),
    "/manifestos/{slug}/versions/{number}": operation(
        "Une version publiée du manifeste : points, sources, territoires signataires",
        one("ManifestoVersion"),
        [SLUG_IN_PATH, NUMBER_IN_PATH],
        "manifeste",
    ),
}


def spec() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "API ouverte de Concertation",
            "version": "1.0.0",
            "description": (
                "Données publiques des consultations territoriales sur l’intelligence artificielle, "
                "en lecture seule. Aucune donnée personnelle : les contributions sont signées de "
                "pseudonymes. Erreurs au format RFC 9457 (problem details), en français."
            ),
            "license": {
                "name": "Licence Ouverte / Open Licence 2.0",
                "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
            },
        },
        "servers": [{"url": url_for("api.openapi", _external=True).removesuffix("/openapi.json")}],
        "paths": PATHS,
        "components": {"schemas": SCHEMAS},
    }


# The library of territorial AI ------------------------------------------------

DATE_OR_NULL = {"type": ["string", "null"], "format": "date"}
_LIBRARY_ENTRY = {
    "id": INTEGER,
    "title": STRING,
    "territory": {"type": "string", "description": "slug du territoire"},
    "metier": {"enum": list(METIERS)},
    "service": STRING,
    "audience": {"enum": list(AUDIENCES)},
    "status": {"enum": list(STATUSES)},
    "started_on": DATE_OR_NULL,
    "deployed_on": DATE_OR_NULL,
    "ended_on": DATE_OR_NULL,
    "abandon_reason": STRING,
    "need_html": STRING,
    "description_html": STRING,
    "data_used_html": STRING,
    "personal_data": {"type": "boolean"},
    "dpia_done": {"type": "boolean", "description": "analyse d’impact (AIPD) faite"},
    "hosting": {"enum": list(HOSTINGS)},
    "host_name": STRING,
    "open_source": {"type": "boolean"},
    "vendor": STRING,
    "cost_band": {"enum": list(COST_BANDS)},
    "human_oversight_html": STRING,
    "human_reachable": {"type": "boolean", "description": "une personne peut toujours joindre un humain"},
    "frugality_html": STRING,
    "training_html": STRING,
    "agents_concerned": {"type": ["integer", "null"], "description": "agents qui utilisent l’outil"},
    "agents_trained": {"type": ["integer", "null"], "description": "dont agents formés"},
    "results_html": STRING,
    "adoptions": {"type": "integer", "description": "nombre d’autres collectivités qui l’utilisent aussi"},
    "updated_at": DATETIME,
    "url": STRING,
    "api_url": STRING,
}
_RETOUR = {
    "territory": {"type": "string", "description": "slug du territoire qui l’utilise aussi"},
    "context_html": STRING,
    "gains_html": STRING,
    "difficulties_html": STRING,
    "would_recommend": {"type": "boolean"},
    "updated_at": DATETIME,
}
_ENTRY_COMMITMENT = {
    "id": INTEGER,
    "realises": {"type": "boolean", "description": "l’outil réalise cet engagement"},
    "api_url": STRING,
}
_ASSESSMENT = {
    "manifesto": {"type": "string", "description": "slug du manifeste"},
    "version": {"type": "integer", "description": "numéro de la version sur laquelle l’évaluation a été faite"},
    "point_uid": {"type": "integer", "description": "identifiant du point, le même d’une version à l’autre"},
    "verdict": {"enum": ["respects", "partly", "breaks", "na"]},
    "justification_html": STRING,
    "current_version": {"type": "boolean", "description": "faite sur la version en vigueur du manifeste"},
}
SCHEMAS["LibraryEntry"] = obj(_required(_LIBRARY_ENTRY), _LIBRARY_ENTRY)
SCHEMAS["LibraryEntryDetail"] = obj(
    [*_required(_LIBRARY_ENTRY), "retours", "commitments", "assessments"],
    {
        **_LIBRARY_ENTRY,
        "retours": {"type": "array", "items": obj(_required(_RETOUR), _RETOUR)},
        "commitments": {"type": "array", "items": obj(_required(_ENTRY_COMMITMENT), _ENTRY_COMMITMENT)},
        "assessments": {"type": "array", "items": obj(_required(_ASSESSMENT), _ASSESSMENT)},
    },
)
PATHS["/library"] = operation(
    "Les fiches de la bibliothèque d’IA territoriales, par identifiant (sans contact ni donnée personnelle)",
    page_of("LibraryEntry"),
    [
        *PAGE_PARAMETERS,
        {"name": "metier", "in": "query", "required": False, "schema": {"enum": list(METIERS)}},
        {"name": "status", "in": "query", "required": False, "schema": {"enum": list(STATUSES)}},
    ],
    "bibliothèque",
)
PATHS["/library/{entry_id}"] = operation(
    "Une fiche de la bibliothèque, avec les retours d’expérience des collectivités qui l’utilisent aussi",
    one("LibraryEntryDetail"),
    [path_id("entry_id")],
    "bibliothèque",
)


# Commitments -------------------------------------------------------------------

NULLABLE_DATE = {"type": ["string", "null"], "format": "date"}
IDS = {"type": "array", "items": INTEGER}
_COMMITMENT = {
    "id": INTEGER,
    "title": STRING,
    "territory": {"type": "string", "description": "slug du territoire qui s’engage"},
    "description_html": STRING,
    "responsible_service": STRING,
    "status": {"enum": list(COMMITMENT_STATUSES)},
    "status_reason": STRING,
    "progress": {"type": "integer", "minimum": 0, "maximum": 100},
    "proposals": IDS,
    "synthesis_versions": IDS,
    "manifesto_points": IDS,
    "created_at": DATETIME,
    "updated_at": DATETIME,
    "url": STRING,
    "api_url": STRING,
}
_MILESTONE = {"title": STRING, "due_on": NULLABLE_DATE, "done_on": NULLABLE_DATE}
_CHANGE = {
    "changed_at": DATETIME,
    "changes": {"type": "object", "description": "champ → [avant, après]"},
    "note_html": STRING,
}
SCHEMAS["Commitment"] = obj(_required(_COMMITMENT), _COMMITMENT)
SCHEMAS["CommitmentDetail"] = obj(
    [*_required(_COMMITMENT), "milestones", "history"],
    {
        **_COMMITMENT,
        "milestones": {"type": "array", "items": obj(_required(_MILESTONE), _MILESTONE)},
        "history": {"type": "array", "items": obj(_required(_CHANGE), _CHANGE)},
    },
)
PATHS["/commitments"] = operation(
    "Les engagements des territoires, par identifiant (sans donnée personnelle)",
    page_of("Commitment"),
    [
        *PAGE_PARAMETERS,
        {"name": "status", "in": "query", "required": False, "schema": {"enum": list(COMMITMENT_STATUSES)}},
        {"name": "territory", "in": "query", "required": False, "schema": SLUG},
    ],
    "engagements",
)
PATHS["/commitments/{commitment_id}"] = operation(
    "Un engagement, avec ses jalons et l’historique public de ses changements (notes, jamais qui les a faits)",
    one("CommitmentDetail"),
    [path_id("commitment_id")],
    "engagements",
)


# Participatory texts -------------------------------------------------------------

NULLABLE_COUNT = {
    "type": ["integer", "null"],
    "description": "nombre de soutiens ; null tant que les résultats des votes ne sont pas publics",
}
_TEXT = {
    "id": INTEGER,
    "title": STRING,
    "status": {"enum": [s for s in TEXT_STATUSES if s != "draft"]},
    "opened_at": NULLABLE_DATETIME,
    "consultation": obj(
        ["id", "title", "territory"],
        {"id": INTEGER, "title": STRING, "territory": {"type": "string", "description": "slug du territoire"}},
    ),
    "paragraph_count": INTEGER,
    "amendment_count": INTEGER,
    "adopted_versions": {"type": "array", "items": INTEGER, "description": "numéros des versions adoptées"},
    "url": STRING,
    "api_url": STRING,
}
_TEXT_PARAGRAPH = {"number": INTEGER, "chapter": STRING, "body": STRING, "body_html": STRING}
_AMENDMENT = {
    "id": INTEGER,
    "paragraph": {"type": "integer", "description": "numéro du paragraphe amendé (§)"},
    "kind": {"enum": list(AMENDMENT_KINDS)},
    "hidden": {"const": False},
    "reason": {"type": "null"},
    "wording": {"type": "string", "description": "rédaction proposée, vide pour une suppression"},
    "justification_html": STRING,
    "author": {"type": "string", "description": "pseudonyme public"},
    "created_at": DATETIME,
    "support_count": NULLABLE_COUNT,
    "status": {"enum": list(AMENDMENT_STATUSES)},
    "final_wording": {
        "type": "string",
        "description": "rédaction retenue quand l’amendement est accepté avec modifications",
    },
    "answer_html": STRING,
    "answered_at": NULLABLE_DATETIME,
    "url": STRING,
}
_HIDDEN_AMENDMENT = {
    **_AMENDMENT,
    "hidden": {"const": True},
    "reason": {"type": "string", "description": "motif public de la modération"},
    "wording": {"type": "null"},
    "justification_html": {"type": "null"},
    "author": {"type": "null"},
}


def _visible_or_hidden(visible: dict, hidden: dict, description: str) -> dict:
    return {"oneOf": [obj(_required(visible), visible), obj(_required(hidden), hidden)], "description": description}


AMENDMENT = _visible_or_hidden(
    _AMENDMENT,
    _HIDDEN_AMENDMENT,
    "Un amendement masqué par la modération n’a ni rédaction, ni justification, ni auteur : le motif à la place.",
)
_VERSION_SOURCE = {
    "amendment_id": INTEGER,
    "hidden": {"const": False},
    "reason": {"type": "null"},
    "author": STRING,
    "support_count": NULLABLE_COUNT,
    "judges": {
        "type": ["integer", "null"],
        "description": "jugement majoritaire : nombre d’évaluations à l’adoption ; null sinon, "
        "ou tant que les résultats des votes ne sont pas publics",
    },
    "majority_mention": {**NULLABLE_MENTION, "description": "mention majoritaire à l’adoption, figée"},
    "majority_label": {"enum": [*MENTIONS, None]},
}
VERSION_SOURCE = _visible_or_hidden(
    _VERSION_SOURCE,
    {
        **_VERSION_SOURCE,
        "hidden": {"const": True},
        "reason": {"type": "string", "description": "motif public de la modération"},
        "author": {"type": "null"},
    },
    "L’amendement d’où vient le changement ; masqué depuis par la modération, sans son auteur, avec le motif.",
)
_VERSION_PARAGRAPH = {
    "position": INTEGER,
    "number": {"type": ["integer", "null"], "description": "numéro dans le texte adopté ; null si supprimé"},
    "draft_number": {"type": ["integer", "null"], "description": "numéro dans le projet ; null si ajouté"},
    "chapter": STRING,
    "change": {"enum": list(VERSION_CHANGES)},
    "body_html": STRING,
    "sources": {"type": "array", "items": VERSION_SOURCE},
}
_TEXT_VERSION = {
    "number": INTEGER,
    "title": STRING,
    "published_at": DATETIME,
    "url": STRING,
    "pdf_url": STRING,
    "odt_url": STRING,
    "paragraphs": {"type": "array", "items": obj(_required(_VERSION_PARAGRAPH), _VERSION_PARAGRAPH)},
}
SCHEMAS["Text"] = obj(_required(_TEXT), _TEXT)
SCHEMAS["TextDetail"] = obj(
    [*_required(_TEXT), "supports_public", "paragraphs", "amendments", "versions"],
    {
        **_TEXT,
        "supports_public": {"type": "boolean"},
        "paragraphs": {"type": "array", "items": obj(_required(_TEXT_PARAGRAPH), _TEXT_PARAGRAPH)},
        "amendments": {"type": "array", "items": AMENDMENT},
        "versions": {"type": "array", "items": obj(_required(_TEXT_VERSION), _TEXT_VERSION)},
    },
)
PATHS["/texts"] = operation(
    "Les textes participatifs ouverts aux amendements ou adoptés, par identifiant",
    page_of("Text"),
    [
        *PAGE_PARAMETERS,
        {"name": "consultation", "in": "query", "required": False, "schema": {**ID_IN_PATH, "maximum": 2**31 - 1}},
    ],
    "textes",
)
PATHS["/texts/{text_id}"] = operation(
    "Un texte participatif : ses paragraphes, ses amendements et leurs réponses, ses versions adoptées "
    "et d’où vient chaque changement (auteurs par pseudonyme, soutiens seulement une fois les résultats publics)",
    one("TextDetail"),
    [path_id("text_id")],
    "textes",
)


# Questionnaires ------------------------------------------------------------------

NUMBER = {"type": "number"}
NULLABLE_NUMBER = {"type": ["number", "null"]}
_QUESTIONNAIRE = {
    "id": INTEGER,
    "consultation_id": INTEGER,
    "title": STRING,
    "audience": {"enum": list(QUESTIONNAIRE_AUDIENCES)},
    "question_count": INTEGER,
    "results_published": {"type": "boolean", "description": "résultats en données ouvertes (consultation close)"},
    "url": STRING,
    "results_url": STRING,
}
_ROW = {"label": STRING, "count": INTEGER, "share": NUMBER, "mean_rank": NULLABLE_NUMBER}
_MATRIX_ROW = {
    "label": STRING,
    "counts": {"type": "array", "items": INTEGER},
    "respondents": INTEGER,
    "mean": NULLABLE_NUMBER,
}
_SCALE = {"max": {"enum": [5, 10]}, "min_label": STRING, "max_label": STRING}
_QUESTION_RESULT = {
    "id": INTEGER,
    "section": STRING,
    "label": STRING,
    "kind": {"enum": list(QUESTION_KINDS)},
    "respondents": {"type": "integer", "description": "personnes qui ont répondu à cette question"},
    "scale": nullable(obj(_required(_SCALE), _SCALE)),
    "mean": NULLABLE_NUMBER,
    "rows": {"type": "array", "items": obj(_required(_ROW), _ROW)},
    "matrix": {"type": "array", "items": obj(_required(_MATRIX_ROW), _MATRIX_ROW)},
    "free_text": {"type": "boolean", "description": "question à réponse libre : les textes ne sont jamais publiés"},
}
_RESULTS = {
    **_QUESTIONNAIRE,
    "respondents": {**NULLABLE_INT, "description": "nombre de répondant·es, connu à la clôture de la consultation"},
    "floor": {"type": "integer", "description": "aucun résultat publié sous ce nombre de répondant·es"},
    "results": {
        "type": ["array", "null"],
        "items": obj(_required(_QUESTION_RESULT), _QUESTION_RESULT),
        "description": "null avant la clôture de la consultation, ou sous le seuil de répondant·es",
    },
    "csv_url": NULLABLE_STRING,
}
SCHEMAS["Questionnaire"] = obj(_required(_QUESTIONNAIRE), _QUESTIONNAIRE)
SCHEMAS["QuestionnaireResults"] = obj(_required(_RESULTS), _RESULTS)
PATHS["/consultations/{consultation_id}/questionnaires"] = operation(
    "Les questionnaires publiés d’une consultation publique, par identifiant",
    page_of("Questionnaire"),
    [path_id("consultation_id"), *PAGE_PARAMETERS],
    "questionnaires",
)
PATHS["/questionnaires/{questionnaire_id}/results"] = operation(
    "Les résultats agrégés d’un questionnaire, publiés à la clôture de la consultation à partir de 10 répondant·es "
    "(jamais les réponses libres ni qui a répondu)",
    one("QuestionnaireResults"),
    [path_id("questionnaire_id")],
    "questionnaires",
)
