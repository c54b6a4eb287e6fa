"""Open data of a participatory text: its paragraphs, and its amendments with their answers (CSV and JSON).

Pseudonymised like every export: authors appear by their public pseudonym only, never by an email,
a name or an id. The CSV and JSON writers are the syntheses' (BOM, formulas neutralised, streamed).
"""

from collections.abc import Iterator

from sqlalchemy import select

from concertation.accounts.models import User
from concertation.db import utcnow
from concertation.extensions import db
from concertation.synthesis.exports.csv_json import LICENCE, Column
from concertation.synthesis.services import author_name
from concertation.voting.results import counts_shown
from concertation.texts.models import AMENDMENT_KINDS, AMENDMENT_STATUSES, Amendment, Chapter, Paragraph

DATASETS = {
    "paragraphes": ("Paragraphes du projet de texte", "Chaque paragraphe du projet soumis aux amendements."),
    "amendements": (
        "Amendements et réponses",
        "Chaque amendement proposé, ses soutiens et la réponse de la collectivité.",
    ),
}

COLUMNS = {
    "paragraphes": [
        Column("numero", "entier", "Numéro du paragraphe dans le projet (§)."),
        Column("chapitre", "texte", "Titre du chapitre (vide avant le premier titre)."),
        Column("texte", "texte", "Texte du paragraphe, tel qu’importé (Markdown)."),
    ],
    "amendements": [
        Column("id", "entier", "Identifiant de l’amendement sur la plateforme (stable)."),
        Column("paragraphe", "entier", "Numéro du paragraphe amendé (§)."),
        Column("type", "texte", "Nouvelle rédaction, suppression ou nouveau paragraphe après celui-ci."),
        Column("redaction", "texte", "Rédaction proposée (vide pour une suppression)."),
        Column("justification", "texte", "Justification donnée par l’auteur·rice."),
        Column("auteur", "texte", "Pseudonyme public de l’auteur·rice ; jamais son nom ni son adresse."),
        Column("propose_le", "date-heure", "Date et heure du dépôt (ISO 8601, UTC)."),
        Column(
            "soutiens",
            "entier",
            "Nombre de soutiens reçus ; vide tant que les résultats des votes ne sont pas publics.",
        ),
        Column("reponse", "texte", "Réponse de la collectivité."),
        Column("redaction_retenue", "texte", "Rédaction retenue quand l’amendement est accepté avec modifications."),
        Column("raison", "texte", "Raison de la réponse."),
        Column("repondu_le", "date-heure", "Date et heure de la réponse (ISO 8601, UTC)."),
    ],
}


def _iso(value) -> str:
    return value.isoformat() if value else ""


def rows_of(text, dataset: str) -> Iterator[list]:
    """The rows of one dataset, from one joined query (a text has at most a few thousand of them)."""
    if dataset == "paragraphes":
        query = (
            select(Paragraph.number, Chapter.title, Paragraph.body)
            .join(Chapter, Paragraph.chapter_id == Chapter.id)
            .where(Paragraph.text_id == text.id)
            .order_by(Paragraph.number)
        )
        for number, chapter, body in db.session.execute(query):
            yield [number, chapter, body]
        return
    query = (
        select(
            Amendment.id,
            Paragraph.number,
            Amendment.kind,
            Amendment.wording,
            Amendment.justification,
            author_name(User),
            Amendment.created_at,
            Amendment.support_count,
            Amendment.status,
            Amendment.final_wording,
            Amendment.answer_text,
            Amendment.answered_at,
        )
        .join(Paragraph, Amendment.paragraph_id == Paragraph.id)
        .join(User, Amendment.author_id == User.id)
        # Hidden or pending amendments are not published, as on the text's pages.
        .where(Amendment.text_id == text.id, Amendment.moderation == "visible")
        .order_by(Paragraph.number, Amendment.id)
    )
    # The one rule for vote counts, supports of amendments included; no supports under majority judgment.
    shown = counts_shown(text.consultation) and text.consultation.voting_method == "support"
    for row in db.session.execute(query):
        (id_, number, kind, wording, justification, author, created, supports, status, final, reason, answered) = row
        yield [
            id_,
            number,
            AMENDMENT_KINDS[kind],
            wording,
            justification,
            author,
            _iso(created),
            supports if shown else None,
            AMENDMENT_STATUSES[status],
            final,
            reason,
            _iso(answered),
        ]


def metadata(text, dataset: str) -> dict:
    title, description = DATASETS[dataset]
    consultation = text.consultation
    return {
        "title": f"{title} — {text.title}",
        "description": description,
        "text": {"id": text.id, "title": text.title, "consultation": consultation.title},
        "publisher": consultation.territory.name,
        "licence": LICENCE,
        "generated_at": utcnow().isoformat(),
        "pseudonymised": True,
        "columns": [{"name": c.name, "type": c.type, "description": c.description} for c in COLUMNS[dataset]],
    }
