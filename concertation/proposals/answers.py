"""The organisers' answers to proposals: one at a time, in bulk, and the templates they reuse."""

from datetime import datetime

from sqlalchemy import select, update
from flask_babel import lazy_gettext as _l

from concertation.accounts.models import User
from concertation.consultations.models import Consultation
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.notifications import services as notifications
from concertation.proposals.models import ANSWERS, AnswerTemplate, Proposal
from concertation.text import to_html

TEXT_MAX = 5000


def check_answer(answer: str | None, text: str) -> None:
    if answer not in ANSWERS:
        raise ActionRefused(_l("Choisissez une réponse : retenue, à l’étude ou non retenue."), field="answer")
    if answer == "not_retained" and not (text or "").strip():
        raise ActionRefused(
            _l("Expliquez pourquoi la proposition n’est pas retenue : la justification est obligatoire."), field="text"
        )
    if len(text or "") > TEXT_MAX:
        raise ActionRefused(_l("La justification doit faire au plus 5 000 caractères."), field="text")


def _from_template(
    consultation: Consultation, template: AnswerTemplate | None, answer: str | None, text: str
) -> tuple[str | None, str]:
    if template is None:
        return answer, (text or "").strip()
    if template.consultation_id != consultation.id:
        raise ActionRefused(_l("Ce modèle de réponse n’appartient pas à cette consultation."), field="template")
    return template.answer, template.text.strip()


def answer_proposal(
    organiser: User,
    proposal: Proposal,
    answer: str | None,
    text: str,
    now: datetime,
    template: AnswerTemplate | None = None,
) -> Proposal:
    """Give the territory's answer, public, and tell the people who wrote, supported or follow it."""
    answer, text = _from_template(proposal.consultation, template, answer, text)
    check_answer(answer, text)
    proposal.answer, proposal.answer_text, proposal.answer_html = answer, text, to_html(text)
    proposal.answered_at, proposal.answered_by_id = now, organiser.id
    db.session.flush()
    notifications.notify_answer([proposal], organiser, now)
    return proposal


def bulk_answer(
    organiser: User,
    consultation: Consultation,
    proposal_ids: list[int],
    answer: str | None,
    text: str,
    now: datetime,
    template: AnswerTemplate | None = None,
) -> int:
    """Apply one answer to many proposals of the consultation in one UPDATE; how many were answered."""
    ids = sorted(set(proposal_ids or []))
    if not ids:
        raise ActionRefused(_l("Cochez au moins une proposition."), field="proposal_ids")
    answer, text = _from_template(consultation, template, answer, text)
    check_answer(answer, text)
    proposals = db.session.scalars(
        select(Proposal).where(Proposal.id.in_(ids), Proposal.consultation_id == consultation.id)
    ).all()
    if len(proposals) != len(ids):
        raise ActionRefused(
            _l("Certaines propositions cochées n’appartiennent pas à cette consultation."), field="proposal_ids"
        )
    db.session.execute(
        update(Proposal)
        .where(Proposal.id.in_(ids), Proposal.consultation_id == consultation.id)
        .values(
            answer=answer,
            answer_text=text,
            answer_html=to_html(text),
            answered_at=now,
            answered_by_id=organiser.id,
            updated_at=now,
        )
        .execution_options(synchronize_session="evaluate")
    )
    notifications.notify_answer(list(proposals), organiser, now)
    return len(ids)


# Templates ------------------------------------------------------------------


def template_or_refuse(consultation: Consultation, template_id: int | None) -> AnswerTemplate | None:
    """The template an organiser chose for an answer, refused when it is not one of the consultation's."""
    if template_id is None:
        return None
    template = db.session.get(AnswerTemplate, template_id) if template_id > 0 else None
    if template is None or template.consultation_id != consultation.id:
        raise ActionRefused(_l("Ce modèle de réponse n’existe pas dans cette consultation."), field="template")
    return template


def templates_of(consultation: Consultation) -> list[AnswerTemplate]:
    return list(
        db.session.scalars(
            select(AnswerTemplate)
            .where(AnswerTemplate.consultation_id == consultation.id)
            .order_by(AnswerTemplate.name, AnswerTemplate.id)
        )
    )


def _check_template(name: str, answer: str, text: str) -> None:
    if not (name or "").strip():
        raise ActionRefused(_l("Donnez un nom au modèle."), field="name")
    if len(name.strip()) > 100:
        raise ActionRefused(_l("Le nom du modèle doit faire au plus 100 caractères."), field="name")
    check_answer(answer, text)


def create_template(consultation: Consultation, name: str, answer: str, text: str) -> AnswerTemplate:
    _check_template(name, answer, text)
    template = AnswerTemplate(
        consultation_id=consultation.id, name=name.strip(), answer=answer, text=(text or "").strip()
    )
    db.session.add(template)
    db.session.flush()
    return template


def update_template(template: AnswerTemplate, name: str, answer: str, text: str) -> AnswerTemplate:
    _check_template(name, answer, text)
    template.name, template.answer, template.text = name.strip(), answer, (text or "").strip()
    db.session.flush()
    return template


def delete_template(template: AnswerTemplate) -> None:
    db.session.delete(template)
    db.session.flush()
