"""Open data of a consultation as CSV and JSON, streamed batch by batch.

Each batch of rows comes from ONE joined query (keyset pagination on the
proposal or comment id, vote and comment counts aggregated for that batch
only), and is written out before the next is read: the memory used does not
grow with the size of the export. Rows are plain tuples, never ORM objects, so
the session's identity map does not fill up either.

CSV choices: UTF-8 *with* a byte-order mark, comma-separated, a header row,
CRLF line ends (RFC 4180). The mark is there because the spreadsheet most
people in French administrations open a CSV with reads UTF-8 without it as
Windows-1252 and garbles every accent; Python (`utf-8-sig`), R, LibreOffice
and the open-data portals read it fine. A cell that begins with = + - @, a
tab or a carriage return is prefixed with an apostrophe, so that no
spreadsheet runs it as a formula.

Pseudonymised: authors appear by their public pseudonym only; no email, name
or user id is ever exported.
"""

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass

from flask import Response, stream_with_context
from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import aliased

from concertation.accounts.models import User
from concertation.comments.models import Comment
from concertation.consultations.models import Theme
from concertation.db import utcnow
from concertation.extensions import db
from concertation.i18n import N_
from concertation.proposals.models import Proposal
from concertation.synthesis.figures import majority_mention_column, visible_comment, visible_proposal
from concertation.synthesis.services import author_name
from concertation.texts.models import Paragraph
from concertation.voting.models import MENTIONS, Grade, Support

BATCH = 1000
LICENCE = {
    "name": "Licence Ouverte / Open Licence 2.0",
    "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}
DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r")
MENTION_KEYS = ["a_rejeter", "passable", "assez_bien", "bien", "tres_bien", "excellent"]
# The values of the open data are French, like the column names (the database keeps its codes).
ANSWER_VALUES = {"retained": "retenue", "under_study": "à l’étude", "not_retained": "non retenue"}
STANCE_VALUES = {"for": "pour", "against": "contre", "neutral": "neutre"}
MODERATION_VALUES = {"visible": "visible", "pending": "en attente", "hidden": "masquée"}
VOTING_VALUES = {"support": "soutiens", "majority": "jugement majoritaire"}
# The coded values of the datasets' columns, written in French.
FRENCH_VALUES = {"reponse": ANSWER_VALUES, "position": STANCE_VALUES, "moderation": MODERATION_VALUES}


def french(values: dict, code: str | None) -> str:
    return values.get(code, code) if code else ""


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str


PROPOSAL_COLUMNS = [
    Column("id", "entier", "Identifiant de la proposition sur la plateforme (stable)."),
    Column("titre", "texte", "Titre de la proposition."),
    Column("texte", "texte", "Texte de la proposition, tel que saisi (Markdown)."),
    Column("theme", "texte", "Thème choisi par l’auteur·rice (vide si aucun)."),
    Column("auteur", "texte", "Pseudonyme public de l’auteur·rice ; jamais son nom ni son adresse."),
    Column("deposee_le", "date-heure", "Date et heure de dépôt (ISO 8601, UTC)."),
    Column("soutiens", "entier", "Nombre de soutiens reçus (vote par soutiens)."),
    Column("jugements", "entier", "Nombre de mentions reçues (jugement majoritaire)."),
    *[
        Column(f"mentions_{key}", "entier", f"Nombre de mentions « {label} ».")
        for key, label in zip(MENTION_KEYS, MENTIONS)
    ],
    Column("mention_majoritaire", "texte", "Mention majoritaire (médiane inférieure des mentions), vide sans mention."),
    Column("commentaires", "entier", "Nombre de commentaires visibles sur la proposition."),
    Column(
        "reponse",
        "texte",
        "Réponse des organisateur·rices : « retenue », « à l’étude » ou « non retenue », "
        "vide si pas encore de réponse.",
    ),
    Column("reponse_texte", "texte", "Texte de la réponse (Markdown)."),
    Column("repondue_le", "date-heure", "Date et heure de la réponse (ISO 8601, UTC)."),
    Column(
        "workshop_id",
        "entier",
        "Identifiant public de l’atelier où la proposition a été recueillie (sur papier ou à l’oral) ; "
        "vide pour une proposition déposée en ligne.",
    ),
]
PROPOSAL_FULL_COLUMNS = PROPOSAL_COLUMNS + [
    Column("moderation", "texte", "« visible », « en attente » ou « masquée »."),
    Column("motif_moderation", "texte", "Motif donné par la modération."),
    Column("retiree_le", "date-heure", "Date du retrait par son auteur·rice."),
    Column("fusionnee_dans", "entier", "Identifiant de la proposition dans laquelle ce doublon a été fusionné."),
]
COMMENT_COLUMNS = [
    Column("id", "entier", "Identifiant du commentaire (stable)."),
    Column(
        "proposition_id",
        "entier",
        "Proposition commentée (vide pour un commentaire sur la consultation ou sur un paragraphe de texte).",
    ),
    Column(
        "texte_participatif_id",
        "entier",
        "Texte participatif dont un paragraphe est commenté (vide pour un commentaire hors des textes).",
    ),
    Column(
        "paragraphe",
        "entier",
        "Numéro (§) du paragraphe commenté dans ce texte (vide pour un commentaire hors des textes).",
    ),
    Column("reponse_a", "entier", "Commentaire auquel celui-ci répond (vide s’il ouvre un fil)."),
    Column("auteur", "texte", "Pseudonyme public de l’auteur·rice ; jamais son nom ni son adresse."),
    Column("position", "texte", "Position déclarée : « pour », « contre », « neutre » ou vide."),
    Column("texte", "texte", "Texte du commentaire, tel que saisi (Markdown)."),
    Column("publie_le", "date-heure", "Date et heure de publication (ISO 8601, UTC)."),
    Column(
        "workshop_id",
        "entier",
        "Identifiant public de l’atelier où le commentaire a été recueilli (sur papier ou à l’oral) ; "
        "vide pour un commentaire publié en ligne.",
    ),
]
COMMENT_FULL_COLUMNS = COMMENT_COLUMNS + [
    Column("moderation", "texte", "« visible », « en attente » ou « masquée »."),
    Column("motif_moderation", "texte", "Motif donné par la modération."),
    Column("supprime_le", "date-heure", "Date de suppression par son auteur·rice."),
]
DATASETS = {
    "propositions": (
        N_("Propositions, votes agrégés et réponses"),
        N_(
            "Une ligne par proposition visible : son texte, ses soutiens ou mentions comptés par "
            "proposition (jamais qui a voté), ses commentaires et la réponse des organisateur·rices."
        ),
    ),
    "commentaires": (N_("Commentaires"), N_("Une ligne par commentaire visible.")),
}


def columns_of(dataset: str, full: bool = False) -> list[Column]:
    if dataset == "propositions":
        return PROPOSAL_FULL_COLUMNS if full else PROPOSAL_COLUMNS
    return COMMENT_FULL_COLUMNS if full else COMMENT_COLUMNS


def metadata(consultation, dataset: str, full: bool = False) -> dict:
    title, description = DATASETS[dataset]
    return {
        "title": f"{title} — {consultation.title}",
        "description": description
        if not full
        else description + " Export complet réservé aux organisateur·rices : "
        "contenus masqués, en attente, retirés et fusionnés compris.",
        "consultation": {
            "id": consultation.id,
            "title": consultation.title,
            "territory": consultation.territory.name,
            "voting_method": french(VOTING_VALUES, consultation.voting_method),
        },
        "publisher": consultation.territory.name,
        "licence": LICENCE,
        "generated_at": utcnow().isoformat(),
        "pseudonymised": True,
        "columns": [{"name": c.name, "type": c.type, "description": c.description} for c in columns_of(dataset, full)],
    }


def _iso(value) -> str:
    return value.isoformat() if value is not None else ""


def _batch_of(query, id_column, after: int):
    return query.where(id_column > after).order_by(id_column).limit(BATCH)


@dataclass(frozen=True)
class VoteDisclosure:
    """Which vote figures an export may carry, as ``voting.results`` decides for every output."""

    counts: bool = True  # the vote's counts are public (after the vote, or live results)
    floor: int = 0  # while live: no distribution of mentions under this many judges

    @classmethod
    def of(cls, consultation, now) -> "VoteDisclosure":
        from concertation.voting import results

        if not results.counts_shown(consultation, now):
            return cls(counts=False)
        return cls(floor=0 if results.is_final(consultation, now) else results.live_floor())

    def apply(self, row: list) -> list:
        """Blank the vote cells (soutiens … mention_majoritaire) of one row when they may not be shown."""
        judges = row[7]
        if not self.counts:
            row[6:15] = [""] * 9
        elif judges and judges < self.floor:
            row[7:15] = [judges, *[""] * 6, ""]
        return row


def _cells(row, columns: list[Column]) -> list:
    """A row's values in the dataset's column order, read by column name: dates in ISO 8601, nothing as ""."""
    cells = []
    for column in columns:
        value = row._mapping[column.name]
        if column.name == "mention_majoritaire":
            value = MENTIONS[value] if value is not None else ""
        elif column.name in FRENCH_VALUES:
            value = french(FRENCH_VALUES[column.name], value)
        elif column.type == "date-heure":
            value = _iso(value)
        cells.append("" if value is None else value)
    return cells


def proposal_rows(consultation, full: bool = False, votes: VoteDisclosure = VoteDisclosure()) -> Iterator[list]:
    """The rows of the proposals dataset, in id order, fetched BATCH at a time; vote cells as `votes` allows."""
    author, theme = aliased(User), aliased(Theme)
    condition = Proposal.consultation_id == consultation.id if full else visible_proposal(consultation.id)
    last = 0
    while True:
        ids = _batch_of(select(Proposal.id).where(condition), Proposal.id, last).subquery("batch")
        in_batch = select(ids.c.id)
        supports = (
            select(Support.proposal_id.label("pid"), func.count().label("n"))
            .where(Support.proposal_id.in_(in_batch))
            .group_by(Support.proposal_id)
            .subquery("s")
        )
        grades = (
            select(
                Grade.proposal_id.label("pid"),
                func.count().label("n"),
                *[func.sum(case((Grade.mention == m, 1), else_=0)).label(f"m{m}") for m in range(6)],
                majority_mention_column(Grade.mention).label("majority"),
            )
            .where(Grade.proposal_id.in_(in_batch))
            .group_by(Grade.proposal_id)
            .subquery("g")
        )
        comments = (
            select(Comment.proposal_id.label("pid"), func.count().label("n"))
            .where(Comment.proposal_id.in_(in_batch), visible_comment(consultation.id))
            .group_by(Comment.proposal_id)
            .subquery("c")
        )
        # Each value is labelled with the name of its column in the dataset, and read by that name.
        query = (
            select(
                Proposal.id.label("id"),
                Proposal.title.label("titre"),
                Proposal.body.label("texte"),
                theme.name.label("theme"),
                author_name(author).label("auteur"),
                Proposal.created_at.label("deposee_le"),
                func.coalesce(supports.c.n, 0).label("soutiens"),
                func.coalesce(grades.c.n, 0).label("jugements"),
                *[func.coalesce(grades.c[f"m{m}"], 0).label(f"mentions_{key}") for m, key in enumerate(MENTION_KEYS)],
                grades.c.majority.label("mention_majoritaire"),
                func.coalesce(comments.c.n, 0).label("commentaires"),
                Proposal.answer.label("reponse"),
                Proposal.answer_text.label("reponse_texte"),
                Proposal.answered_at.label("repondue_le"),
                Proposal.workshop_id.label("workshop_id"),
                Proposal.moderation.label("moderation"),
                Proposal.moderation_reason.label("motif_moderation"),
                Proposal.withdrawn_at.label("retiree_le"),
                Proposal.merged_into_id.label("fusionnee_dans"),
            )
            .join(ids, ids.c.id == Proposal.id)
            .join(author, author.id == Proposal.author_id)
            .outerjoin(theme, theme.id == Proposal.theme_id)
            .outerjoin(supports, supports.c.pid == Proposal.id)
            .outerjoin(grades, grades.c.pid == Proposal.id)
            .outerjoin(comments, comments.c.pid == Proposal.id)
            .order_by(Proposal.id)
        )
        rows = db.session.execute(query).all()
        if not rows:
            return
        columns = columns_of("propositions", full)
        for r in rows:
            yield votes.apply(_cells(r, columns))
        last = rows[-1].id


def comment_rows(consultation, full: bool = False) -> Iterator[list]:
    author = aliased(User)
    condition = Comment.consultation_id == consultation.id if full else visible_comment(consultation.id)
    if not full:
        # A comment under a proposal that is no longer visible is not published either.
        hidden_parent = select(Proposal.id).where(
            Proposal.consultation_id == consultation.id, ~visible_proposal(consultation.id)
        )
        condition = and_(condition, Comment.proposal_id.is_(None) | Comment.proposal_id.not_in(hidden_parent))
    last = 0
    while True:
        query = _batch_of(
            select(
                Comment.id.label("id"),
                Comment.proposal_id.label("proposition_id"),
                Paragraph.text_id.label("texte_participatif_id"),
                Paragraph.number.label("paragraphe"),
                Comment.parent_id.label("reponse_a"),
                author_name(author).label("auteur"),
                Comment.stance.label("position"),
                Comment.body.label("texte"),
                Comment.created_at.label("publie_le"),
                Comment.workshop_id.label("workshop_id"),
                Comment.moderation.label("moderation"),
                Comment.moderation_reason.label("motif_moderation"),
                Comment.deleted_at.label("supprime_le"),
            )
            .join(author, author.id == Comment.author_id)
            .outerjoin(Paragraph, Paragraph.id == Comment.paragraph_id)
            .where(condition),
            Comment.id,
            last,
        )
        rows = db.session.execute(query).all()
        if not rows:
            return
        columns = columns_of("commentaires", full)
        for r in rows:
            yield _cells(r, columns)
        last = rows[-1].id


def rows_of(consultation, dataset: str, full: bool = False, votes: VoteDisclosure = VoteDisclosure()) -> Iterator[list]:
    return proposal_rows(consultation, full, votes) if dataset == "propositions" else comment_rows(consultation, full)


def neutralise(value):
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(DANGEROUS_STARTS):
        return "'" + value
    return value


def stream_csv(columns: list[Column], rows: Iterator[list]) -> Iterator[bytes]:
    """CSV bytes, BOM and header first, then one chunk per BATCH rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([c.name for c in columns])
    for count, row in enumerate(rows, start=1):
        writer.writerow([neutralise(v) for v in row])
        if count % BATCH == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def stream_json(meta: dict, columns: list[Column], rows: Iterator[list]) -> Iterator[bytes]:
    """A JSON document {"metadata": …, "data": [{column: value}, …]} written row by row."""
    names = [c.name for c in columns]
    yield ('{"metadata": ' + json.dumps(meta, ensure_ascii=False) + ', "data": [').encode("utf-8")
    separator = "\n"
    for row in rows:
        yield (separator + json.dumps(dict(zip(names, row)), ensure_ascii=False)).encode("utf-8")
        separator = ",\n"
    yield b"\n]}\n"


def download(body, mimetype: str, filename: str) -> Response:
    """A published file (open data, or a document under the same licence) as a download, with its licence."""
    return Response(
        stream_with_context(body) if not isinstance(body, (bytes, str)) else body,
        mimetype=mimetype,
        headers={
            "Content-Disposition": f"attachment; filename={filename}",
            "Link": '<https://www.etalab.gouv.fr/licence-ouverte-open-licence/>; rel="license"',
        },
    )
