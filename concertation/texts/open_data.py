"""Open data of a participatory text: its paragraphs, and its amendments with their answers (CSV and JSON).

Pseudonymised like every export: authors appear by their public pseudonym only, never by an email,
a name or an id. The CSV and JSON writers are the syntheses' (BOM, formulas neutralised, streamed).
"""

from collections.abc import Iterator

from flask import url_for
from sqlalchemy import func, select

from concertation.accounts.models import User
from concertation.consultations.models import Consultation
from concertation.db import utcnow
from concertation.extensions import db
from concertation.synthesis.exports.csv_json import LICENCE, Column
from concertation.synthesis.services import author_name
from concertation.texts import services
from concertation.voting.results import counts_shown
from concertation.texts.models import (
    AMENDMENT_KINDS,
    AMENDMENT_STATUSES,
    Amendment,
    Chapter,
    DraftText,
    Paragraph,
    TextVersion,
    VersionSource,
)
from concertation.voting.models import MENTIONS

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
        Column(
            "moderation",
            "texte",
            "« visible », ou « masqué » par la modération : la rédaction, la justification et l’auteur·rice "
            "d’un amendement masqué sont alors vides.",
        ),
        Column("motif_moderation", "texte", "Motif public du masquage (vide pour un amendement visible)."),
    ],
}
MODERATION_VALUES = {"visible": "visible", "hidden": "masqué"}


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
            author_name(User).label("author"),
            Amendment.created_at,
            Amendment.support_count,
            Amendment.status,
            Amendment.final_wording,
            Amendment.answer_text,
            Amendment.answered_at,
            Amendment.moderation,
            Amendment.moderation_reason,
        )
        .join(Paragraph, Amendment.paragraph_id == Paragraph.id)
        .join(User, Amendment.author_id == User.id)
        # Pending amendments are not published; hidden ones are, by the moderation's reason instead of their text.
        .where(Amendment.text_id == text.id, Amendment.moderation != "pending")
        .order_by(Paragraph.number, Amendment.id)
    )
    # The one rule for vote counts, supports of amendments included; no supports under majority judgment.
    shown = counts_shown(text.consultation) and text.consultation.voting_method == "support"
    for row in db.session.execute(query):
        # A hidden amendment keeps its place and its answer, not its text nor its author.
        visible = row.moderation == "visible"
        yield [
            row.id,
            row.number,
            AMENDMENT_KINDS[row.kind],
            row.wording if visible else "",
            row.justification if visible else "",
            row.author if visible else "",
            _iso(row.created_at),
            row.support_count if shown else None,
            AMENDMENT_STATUSES[row.status],
            row.final_wording,
            row.answer_text,
            _iso(row.answered_at),
            MODERATION_VALUES[row.moderation],
            "" if visible else row.moderation_reason or "",
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


# The open API (/api/v1/texts) --------------------------------------------------


def public_texts_query(consultation_id: int | None = None):
    """The texts the API shows: opened (or adopted) in a consultation open to everyone, in the order of their ids."""
    query = (
        select(DraftText)
        .join(Consultation, DraftText.consultation_id == Consultation.id)
        .where(Consultation.is_public, DraftText.status != "draft")
        .order_by(DraftText.id)
    )
    if consultation_id is not None:
        query = query.where(DraftText.consultation_id == consultation_id)
    return query


def public_text(text_id: int) -> DraftText | None:
    return db.session.scalar(public_texts_query().where(DraftText.id == text_id))


def _counts(model, text_ids: list[int]) -> dict[int, int]:
    if not text_ids:
        return {}
    query = select(model.text_id, func.count(model.id)).where(model.text_id.in_(text_ids)).group_by(model.text_id)
    if model is Amendment:
        query = query.where(Amendment.moderation != "pending")  # the amendments the text publishes
    return {text_id: count for text_id, count in db.session.execute(query).all()}


def _summary(text: DraftText, paragraphs: int, amendments: int, versions: list[int]) -> dict:
    consultation = text.consultation
    return {
        "id": text.id,
        "title": text.title,
        "status": text.status,
        "opened_at": _iso(text.opened_at) or None,
        "consultation": {"id": consultation.id, "title": consultation.title, "territory": consultation.territory.slug},
        "paragraph_count": paragraphs,
        "amendment_count": amendments,
        "adopted_versions": versions,
        "url": url_for("texts.show", text_id=text.id, _external=True),
        "api_url": url_for("api.text", text_id=text.id, _external=True),
    }


def api_texts(page: list[DraftText]) -> list[dict]:
    """A page of texts, with their counts and versions in one query each (not one per text)."""
    ids = [t.id for t in page]
    paragraphs, amendments = _counts(Paragraph, ids), _counts(Amendment, ids)
    versions: dict[int, list[int]] = {i: [] for i in ids}
    if ids:
        query = select(TextVersion.text_id, TextVersion.number).where(TextVersion.text_id.in_(ids))
        for text_id, number in db.session.execute(query.order_by(TextVersion.number)):
            versions[text_id].append(number)
    return [_summary(t, paragraphs.get(t.id, 0), amendments.get(t.id, 0), versions[t.id]) for t in page]


def _amendment(a: Amendment, shown: bool) -> dict:
    """An amendment; one hidden by the moderation without its wording, justification and author, with the reason."""
    hidden = not a.is_visible
    return {
        "id": a.id,
        "paragraph": a.paragraph.number,
        "kind": a.kind,
        "hidden": hidden,
        "reason": (a.moderation_reason or "Motif non précisé") if hidden else None,
        "wording": None if hidden else a.wording,
        "justification_html": None if hidden else a.justification_html,
        "author": None if hidden else a.author.public_name,
        "created_at": _iso(a.created_at),
        "support_count": a.support_count if shown else None,
        "status": a.status,
        "final_wording": a.final_wording,
        "answer_html": a.answer_html,
        "answered_at": _iso(a.answered_at) or None,
        "url": url_for("texts.paragraph", paragraph_id=a.paragraph_id, _anchor=f"amendement-{a.id}", _external=True),
    }


def _source(s: VersionSource, shown: bool, judgment: services.Judgment | None) -> dict:
    """Where a change came from: the amendment by its author's pseudonym (none when the moderation hid it since),
    its support or its judges and majority mention as frozen at adoption, when counts may be shown."""
    hidden = not s.amendment.is_visible
    mention = judgment.majority_mention if judgment is not None else None
    return {
        "amendment_id": s.amendment_id,
        "hidden": hidden,
        "reason": (s.amendment.moderation_reason or "Motif non précisé") if hidden else None,
        "author": None if hidden else s.amendment.author.public_name,
        "support_count": s.support_count if shown else None,
        "judges": judgment.judges if judgment is not None else None,
        "majority_mention": mention,
        "majority_label": MENTIONS[mention] if mention is not None else None,
    }


def _version(v: TextVersion, shown: bool) -> dict:
    judgments = services.version_judgments(v, utcnow())
    return {
        "number": v.number,
        "title": v.title,
        "published_at": _iso(v.published_at),
        "url": url_for("texts.version", version_id=v.id, _external=True),
        "pdf_url": url_for("texts.download", version_id=v.id, fmt="pdf", _external=True),
        "odt_url": url_for("texts.download", version_id=v.id, fmt="odt", _external=True),
        "paragraphs": [
            {
                "position": p.position,
                "number": p.number,
                "draft_number": p.draft_number,
                "chapter": p.chapter_title,
                "change": p.change,
                "body_html": p.body_html,
                "sources": [_source(s, shown, judgments.get(s.id)) for s in p.sources],
            }
            for p in v.paragraphs
        ],
    }


def api_text(text: DraftText) -> dict:
    """A text with its paragraphs, its amendments and their answers, and its adopted versions.

    Supports are votes: they are given only when ``counts_shown`` allows, as on the pages."""
    shown = counts_shown(text.consultation)
    supports = shown and text.consultation.voting_method == "support"
    paragraphs = services.paragraphs_of(text)
    amendments = services.published_amendments(text)
    versions = services.versions_of(text)
    chapters = {c.id: c.title for c in text.chapters}
    return {
        **_summary(text, len(paragraphs), len(amendments), [v.number for v in versions]),
        "supports_public": shown,
        "paragraphs": [
            {"number": p.number, "chapter": chapters.get(p.chapter_id, ""), "body": p.body, "body_html": p.body_html}
            for p in paragraphs
        ],
        "amendments": [_amendment(a, supports) for a in amendments],
        "versions": [_version(v, supports) for v in versions],
    }
