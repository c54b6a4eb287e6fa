"""What a person's data download holds of their amendments and supports to participatory texts."""

from sqlalchemy import select

from concertation.accounts.personal_data import iso
from concertation.extensions import db
from concertation.texts.models import Amendment, AmendmentGrade, AmendmentSupport, DraftText, Paragraph, TextFollow


def amendments_of(user) -> list[dict]:
    rows = db.session.execute(
        select(
            Amendment.id,
            DraftText.title,
            Paragraph.number,
            Amendment.kind,
            Amendment.wording,
            Amendment.justification,
            Amendment.created_at,
            Amendment.status,
        )
        .join(Paragraph, Amendment.paragraph_id == Paragraph.id)
        .join(DraftText, Amendment.text_id == DraftText.id)
        .where(Amendment.author_id == user.id)
        .order_by(Amendment.id)
    ).all()
    return [
        {
            "id": r[0],
            "text": r[1],
            "paragraph": r[2],
            "kind": r[3],
            "wording": r[4],
            "justification": r[5],
            "created_at": iso(r[6]),
            "status": r[7],
        }
        for r in rows
    ]


def amendment_supports_of(user) -> list[dict]:
    rows = db.session.execute(
        select(AmendmentSupport.amendment_id, AmendmentSupport.created_at)
        .where(AmendmentSupport.user_id == user.id)
        .order_by(AmendmentSupport.id)
    ).all()
    return [{"amendment_id": r[0], "created_at": iso(r[1])} for r in rows]


def text_follows_of(user) -> list[dict]:
    rows = db.session.execute(
        select(TextFollow.text_id, DraftText.title, TextFollow.created_at)
        .join(DraftText, TextFollow.text_id == DraftText.id)
        .where(TextFollow.user_id == user.id)
        .order_by(TextFollow.id)
    ).all()
    return [{"text_id": r[0], "text": r[1], "created_at": iso(r[2])} for r in rows]


def amendment_grades_of(user) -> list[dict]:
    rows = db.session.execute(
        select(AmendmentGrade.amendment_id, AmendmentGrade.mention, AmendmentGrade.updated_at)
        .where(AmendmentGrade.user_id == user.id)
        .order_by(AmendmentGrade.id)
    ).all()
    return [{"amendment_id": r[0], "mention": r[1], "updated_at": iso(r[2])} for r in rows]
