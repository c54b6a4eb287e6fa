"""The library as open data (CSV, JSON, and the API's representations), under Licence Ouverte 2.0.

No personal data leaves: neither who wrote an entry or a retour, nor the contact in the territory
(shown to signed-in people of territories only). Territories appear by their name and slug.
"""

from collections.abc import Iterator

from flask import url_for
from sqlalchemy import func, select

from concertation.extensions import db
from concertation.library.models import AUDIENCES, COST_BANDS, HOSTINGS, METIERS, STATUSES, LibraryAdoption
from concertation.library.models import LibraryEntry
from concertation.library.services import adoption_counts, adoptions_of
from concertation.synthesis.exports.csv_json import LICENCE, Column

COLUMNS = [
    Column("id", "entier", "Identifiant de la fiche sur la plateforme (stable)."),
    Column("titre", "texte", "Nom de l’outil ou de l’usage."),
    Column("territoire", "texte", "Collectivité qui utilise l’outil et a écrit la fiche."),
    Column("territoire_slug", "texte", "Identifiant du territoire dans l’adresse de ses pages."),
    Column("metier", "texte", "Métier concerné."),
    Column("service", "texte", "Service ou direction."),
    Column("public", "texte", "Pour qui : les agents, les usagers ou les deux."),
    Column("etat", "texte", "Idée, expérimentation, déployé ou abandonné."),
    Column("debut", "date", "Début du projet (AAAA-MM-JJ)."),
    Column("mise_en_service", "date", "Mise en service (AAAA-MM-JJ)."),
    Column("abandon", "date", "Date de l’abandon (AAAA-MM-JJ)."),
    Column("raison_abandon", "texte", "Pourquoi l’outil a été abandonné."),
    Column("besoin", "texte (Markdown)", "Le besoin auquel l’outil répond."),
    Column("description", "texte (Markdown)", "Ce que fait l’outil."),
    Column("donnees_utilisees", "texte (Markdown)", "Les données utilisées."),
    Column("donnees_personnelles", "oui/non", "L’outil traite-t-il des données personnelles ?"),
    Column("aipd", "oui/non", "Une analyse d’impact relative à la protection des données a-t-elle été faite ?"),
    Column("hebergement", "texte", "Lieu d’hébergement."),
    Column("hebergeur", "texte", "Hébergeur."),
    Column("logiciel_libre", "oui/non", "L’outil est-il un logiciel libre ?"),
    Column("editeur", "texte", "Éditeur ou projet."),
    Column("cout_annuel", "texte", "Tranche de coût annuel."),
    Column("controle_humain", "texte (Markdown)", "Qui décide, qui relit, comment une erreur est corrigée."),
    Column("humain_joignable", "oui/non", "Une personne peut-elle toujours joindre un humain ?"),
    Column("sobriete", "texte (Markdown)", "Énergie et sobriété."),
    Column("formation", "texte (Markdown)", "Formation des agents."),
    Column("agents_concernes", "entier", "Nombre d’agents qui utilisent l’outil (vide si non renseigné)."),
    Column("agents_formes", "entier", "Dont agents formés (vide si non renseigné)."),
    Column("resultats", "texte (Markdown)", "Résultats observés."),
    Column("autres_collectivites", "entier", "Nombre d’autres collectivités qui disent l’utiliser aussi."),
    Column("mise_a_jour", "date et heure", "Dernière mise à jour de la fiche (UTC, ISO 8601)."),
    Column("url", "texte", "Adresse de la fiche sur la plateforme."),
]


def _yes_no(value: bool) -> str:
    return "oui" if value else "non"


def _day(value) -> str | None:
    return value.isoformat() if value else None


def metadata() -> dict:
    return {
        "title": "Bibliothèque d’IA territoriales",
        "description": "Les outils d’intelligence artificielle en service dans les collectivités, décrits par "
        "elles : besoin, données, hébergement, contrôle humain, coût, résultats, et combien d’autres "
        "collectivités les utilisent aussi. Sans donnée personnelle ni contact.",
        "licence": LICENCE,
        "columns": [{"name": c.name, "type": c.type, "description": c.description} for c in COLUMNS],
    }


def rows() -> Iterator[list]:
    """One row per entry, with its adoption count, in one joined query."""
    adopted = select(LibraryAdoption.entry_id, func.count().label("n")).group_by(LibraryAdoption.entry_id).subquery()
    query = (
        select(LibraryEntry, func.coalesce(adopted.c.n, 0))
        .outerjoin(adopted, adopted.c.entry_id == LibraryEntry.id)
        .order_by(LibraryEntry.id)
    )
    for e, n in db.session.execute(query):
        yield [
            e.id,
            e.title,
            e.territory.name,
            e.territory.slug,
            METIERS.get(e.metier, e.metier),
            e.service,
            AUDIENCES.get(e.audience, e.audience),
            STATUSES.get(e.status, e.status),
            _day(e.started_on),
            _day(e.deployed_on),
            _day(e.ended_on),
            e.abandon_reason,
            e.need,
            e.description,
            e.data_used,
            _yes_no(e.personal_data),
            _yes_no(e.dpia_done),
            HOSTINGS.get(e.hosting, e.hosting),
            e.host_name,
            _yes_no(e.open_source),
            e.vendor,
            COST_BANDS.get(e.cost_band, e.cost_band),
            e.human_oversight,
            _yes_no(e.human_reachable),
            e.frugality,
            e.training,
            e.agents_concerned,
            e.agents_trained,
            e.results,
            n,
            e.updated_at.isoformat(),
            url_for("library.show", entry_id=e.id, _external=True),
        ]


# The API (/api/v1/library): codes rather than labels, HTML as stored, for scripts.


def api_entry(e: LibraryEntry, adoptions: int) -> dict:
    return {
        "id": e.id,
        "title": e.title,
        "territory": e.territory.slug,
        "metier": e.metier,
        "service": e.service,
        "audience": e.audience,
        "status": e.status,
        "started_on": _day(e.started_on),
        "deployed_on": _day(e.deployed_on),
        "ended_on": _day(e.ended_on),
        "abandon_reason": e.abandon_reason,
        "need_html": e.need_html,
        "description_html": e.description_html,
        "data_used_html": e.data_used_html,
        "personal_data": e.personal_data,
        "dpia_done": e.dpia_done,
        "hosting": e.hosting,
        "host_name": e.host_name,
        "open_source": e.open_source,
        "vendor": e.vendor,
        "cost_band": e.cost_band,
        "human_oversight_html": e.human_oversight_html,
        "human_reachable": e.human_reachable,
        "frugality_html": e.frugality_html,
        "training_html": e.training_html,
        "agents_concerned": e.agents_concerned,
        "agents_trained": e.agents_trained,
        "results_html": e.results_html,
        "adoptions": adoptions,
        "updated_at": e.updated_at.isoformat(),
        "url": url_for("library.show", entry_id=e.id, _external=True),
        "api_url": url_for("api.library_entry", entry_id=e.id, _external=True),
    }


def api_entries(entries: list[LibraryEntry]) -> list[dict]:
    counts = adoption_counts([e.id for e in entries])
    return [api_entry(e, counts.get(e.id, 0)) for e in entries]


def api_entry_detail(e: LibraryEntry) -> dict:
    """The entry with its visible retours (a hidden one is left out), its links and its assessments."""
    from concertation.library.assessments import grid_manifestos
    from concertation.library.models import LibraryAssessment
    from concertation.library.services import commitment_links

    adoptions = adoptions_of(e)
    data = api_entry(e, len(adoptions))
    data["commitments"] = [
        {
            "id": link.commitment_id,
            "realises": link.realises,
            "api_url": url_for("api.commitment", commitment_id=link.commitment_id, _external=True),
        }
        for link in commitment_links(e)
    ]
    current = {manifesto.id: version.id for manifesto, version in grid_manifestos()}
    assessments = db.session.scalars(
        select(LibraryAssessment)
        .where(LibraryAssessment.entry_id == e.id)
        .order_by(LibraryAssessment.manifesto_id, LibraryAssessment.point_uid)
    )
    data["assessments"] = [
        {
            "manifesto": a.version.manifesto.slug,
            "version": a.version.number,
            "point_uid": a.point_uid,
            "verdict": a.verdict,
            "justification_html": a.justification_html,
            "current_version": current.get(a.manifesto_id) == a.version_id,
        }
        for a in assessments
    ]
    data["retours"] = [
        {
            "territory": a.territory.slug,
            "context_html": a.context_html,
            "gains_html": a.gains_html,
            "difficulties_html": a.difficulties_html,
            "would_recommend": a.would_recommend,
            "updated_at": a.updated_at.isoformat(),
        }
        for a in adoptions
        if a.moderation == "visible"
    ]
    return data
