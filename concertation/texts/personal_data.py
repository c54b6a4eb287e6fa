"""What a person's data download holds of their amendments and supports to participatory texts."""

from sqlalchemy import select

from concertation.accounts.personal_data import entries
from concertation.texts.models import Amendment, AmendmentGrade, AmendmentSupport, DraftText, Paragraph, TextFollow


def amendments_of(user) -> list[dict]:
    return entries(
        select(
            Amendment.id,
            DraftText.title.label("text"),
            Paragraph.number.label("paragraph"),
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
    )


def amendment_supports_of(user) -> list[dict]:
    return entries(
        select(AmendmentSupport.amendment_id, AmendmentSupport.created_at)
        .where(AmendmentSupport.user_id == user.id)
        .order_by(AmendmentSupport.id)
    )


def text_follows_of(user) -> list[dict]:
    return entries(
        select(TextFollow.text_id, DraftText.title.label("text"), TextFollow.created_at)
        .join(DraftText, TextFollow.text_id == DraftText.id)
        .where(TextFollow.user_id == user.id)
        .order_by(TextFollow.id)
    )


def amendment_grades_of(user) -> list[dict]:
    return entries(
        select(AmendmentGrade.amendment_id, AmendmentGrade.mention, AmendmentGrade.updated_at)
        .where(AmendmentGrade.user_id == user.id)
        .order_by(AmendmentGrade.id)
    )
