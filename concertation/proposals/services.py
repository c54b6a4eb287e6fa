"""Proposals: writing, editing, withdrawing, and the consultation's list of them."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import BigInteger, Select, and_, exists, func, literal, or_, select
from sqlalchemy.orm import lazyload
from flask_babel import lazy_gettext as _l

from concertation import phases, query_args
from concertation.accounts.models import User
from concertation.consultations.models import Consultation, Theme
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.i18n import N_
from concertation.moderation import services as moderation
from concertation.notifications import services as notifications
from concertation.proposals import search
from concertation.proposals.models import ANSWERS, Proposal
from concertation.text import to_html
from concertation.voting.models import Grade, Support

TITLE_MIN, TITLE_MAX = 10, 150
BODY_MAX = 5000
PER_PAGE = 20
SORTS = {
    "random": N_("Ordre aléatoire"),
    "supports": N_("Les plus soutenues"),
    "recent": N_("Les plus récentes"),
    "comments": N_("Les plus commentées"),
}
# A prime above any id: ordering by (id × a + b) mod it shuffles the ids, the same way for one seed.
_SHUFFLE_MODULUS = 2_147_483_647


@dataclass
class ProposalFilters:
    """What a visitor chose above the list: every field is optional."""

    theme_id: int | None = None
    answer: str | None = None  # one of ANSWERS, or "none" for proposals still awaiting an answer
    mine: bool = False
    supported: bool = False
    q: str = ""
    sort: str = "random"


def check_draft(consultation: Consultation, title: str, body: str, theme_id: int | None) -> Theme | None:
    """Refuse a proposal that breaks a rule (length, theme); return its theme."""
    title, body = (title or "").strip(), (body or "").strip()
    if not TITLE_MIN <= len(title) <= TITLE_MAX:
        raise ActionRefused(
            _l("Le titre doit faire entre %(min)d et %(max)d caractères.", min=TITLE_MIN, max=TITLE_MAX), field="title"
        )
    if not body:
        raise ActionRefused(_l("Décrivez votre proposition."), field="body")
    if len(body) > BODY_MAX:
        raise ActionRefused(_l("La description doit faire au plus 5 000 caractères."), field="body")
    if theme_id is None:
        if consultation.themes:
            raise ActionRefused(_l("Choisissez le thème de votre proposition."), field="theme")
        return None
    theme = next((t for t in consultation.themes if t.id == theme_id), None)
    if theme is None:
        raise ActionRefused(_l("Ce thème n’existe pas dans cette consultation."), field="theme")
    return theme


def _write(proposal: Proposal, title: str, body: str, theme: Theme | None) -> None:
    proposal.title = title.strip()
    proposal.body = body.strip()
    proposal.body_html = to_html(proposal.body)
    proposal.search_text = search.search_text_of(proposal.title, proposal.body)
    proposal.theme = theme


def submit_proposal(
    author: User, consultation: Consultation, title: str, body: str, theme_id: int | None, now: datetime
) -> Proposal:
    """Publish a proposal (or, under pre-moderation, submit it to the organisers); its author follows it."""
    # The phase and the moderation's blocks hold here too, whoever calls (a view, the CLI, a script).
    if not phases.allows(consultation, "propose", now):
        raise ActionRefused(_l("La phase des propositions n’est pas ouverte."), status=403)
    _refuse_blocked(author, consultation)
    theme = check_draft(consultation, title, body, theme_id)
    proposal = Proposal(
        consultation=consultation,
        author=author,
        created_at=now,
        updated_at=now,
        moderation=moderation.initial_state(consultation),
    )
    _write(proposal, title, body, theme)
    db.session.add(proposal)
    db.session.flush()
    notifications.follow(author, proposal=proposal, now=now)
    if proposal.moderation == "pending":
        moderation.notify_organisers(
            consultation.territory,
            f"Proposition en attente de modération : {proposal.title}",
            moderation.target_url(proposal),
            now,
        )
    return proposal


def _back_to_premoderation(proposal: Proposal, now: datetime) -> None:
    """Under pre-moderation an edited text is new text: it waits for the organisers again."""
    consultation = proposal.consultation
    if consultation.premoderation and proposal.moderation == "visible":
        proposal.moderation, proposal.moderated_at = "pending", now
        moderation.notify_organisers(
            consultation.territory,
            f"Proposition modifiée, en attente de modération : {proposal.title}",
            moderation.target_url(proposal),
            now,
        )


def has_votes(proposal: Proposal) -> bool:
    """Whether the proposal received a support or a grade: from then on its text is frozen."""
    if proposal.support_count > 0:
        return True
    return bool(db.session.scalar(select(exists().where(Grade.proposal_id == proposal.id))))


def rewrite_text(proposal: Proposal, title: str, body: str) -> None:
    """New title and text, and every copy made of them: stored HTML, search index, snapshots, notifications."""
    from concertation.synthesis import snapshots

    old_title = proposal.title
    _write(proposal, title, body, proposal.theme)
    notifications.rewrite_messages(
        old_title, proposal.title, [notifications.path_for("proposals.show", proposal_id=proposal.id)]
    )
    snapshots.follow_text(proposal)
    db.session.flush()


def _refuse_blocked(author: User, consultation: Consultation) -> None:
    if moderation.is_blocked(author.id, consultation.territory_id):
        raise ActionRefused(_l("Vous ne pouvez plus contribuer dans ce territoire."), status=403)


def update_proposal(proposal: Proposal, title: str, body: str, theme_id: int | None, now: datetime) -> Proposal:
    """The author's correction: in the proposals phase, before any vote; under pre-moderation it waits again."""
    if proposal.is_withdrawn:
        raise ActionRefused(_l("Une proposition retirée ne peut plus être modifiée."))
    if not phases.allows(proposal.consultation, "edit_proposal", now):
        raise ActionRefused(_l("Une proposition ne se modifie que pendant la phase des propositions."), status=403)
    _refuse_blocked(proposal.author, proposal.consultation)
    if has_votes(proposal):
        raise ActionRefused(_l("Cette proposition a déjà reçu des votes : elle ne peut plus être modifiée."))
    theme = check_draft(proposal.consultation, title, body, theme_id)
    proposal.theme = theme
    rewrite_text(proposal, title, body)
    proposal.edited_at = now
    _back_to_premoderation(proposal, now)
    db.session.flush()
    return proposal


def withdraw_proposal(proposal: Proposal, now: datetime) -> Proposal:
    """The proposal stays visible, marked withdrawn, and takes no more votes."""
    if proposal.is_withdrawn:
        raise ActionRefused(_l("Cette proposition est déjà retirée."))
    proposal.withdrawn_at = now
    db.session.flush()
    return proposal


# The list -------------------------------------------------------------------


def visible_to(query: Select, viewer) -> Select:
    """Only visible proposals, and the viewer's own ones waiting for moderation."""
    if viewer is not None and getattr(viewer, "is_authenticated", False):
        return query.where(
            or_(
                Proposal.moderation == "visible",
                and_(Proposal.author_id == viewer.id, Proposal.moderation == "pending"),
            )
        )
    return query.where(Proposal.moderation == "visible")


def shuffle_key(seed: int):
    """An SQL expression ordering proposals in a random order that stays the same for one seed."""
    # Spread even small seeds over the whole range, so that consecutive ids wrap around the modulus.
    multiplier = (seed * 2_654_435_761) % (_SHUFFLE_MODULUS - 2) + 2
    offset = (seed * 40_503) % _SHUFFLE_MODULUS
    return (Proposal.id * literal(multiplier, BigInteger) + literal(offset, BigInteger)) % literal(
        _SHUFFLE_MODULUS, BigInteger
    )


def list_query(consultation: Consultation, viewer, filters: ProposalFilters, seed: int = 1) -> Select:
    # Every proposal listed belongs to `consultation`, already loaded: its many-to-one is read from the
    # session, not joined again with its territory (nor its phases and themes selected once more).
    query = visible_to(
        select(Proposal).where(Proposal.consultation_id == consultation.id).options(lazyload(Proposal.consultation)),
        viewer,
    )
    if filters.theme_id is not None:
        query = query.where(Proposal.theme_id == filters.theme_id)
    if filters.answer == "none":
        query = query.where(Proposal.answer.is_(None))
    elif filters.answer in ANSWERS:
        query = query.where(Proposal.answer == filters.answer)
    signed_in = viewer is not None and getattr(viewer, "is_authenticated", False)
    if filters.mine and signed_in:
        query = query.where(Proposal.author_id == viewer.id)
    if filters.supported and signed_in:
        query = query.where(Proposal.id.in_(select(Support.proposal_id).where(Support.user_id == viewer.id)))
    if filters.q:
        condition = search.matching(filters.q)
        if condition is not None:
            query = query.where(condition)
    order = {
        "supports": [Proposal.support_count.desc(), Proposal.id.desc()],
        "recent": [Proposal.created_at.desc(), Proposal.id.desc()],
        "comments": [Proposal.comment_count.desc(), Proposal.id.desc()],
    }.get(filters.sort, [shuffle_key(seed), Proposal.id])
    return query.order_by(*order)


def list_proposals(
    consultation: Consultation, viewer, filters: ProposalFilters, page: int = 1, seed: int = 1, per_page: int = PER_PAGE
):
    """One page of the list, with its exact total (one COUNT query, one query for the page)."""
    return query_args.paginate(list_query(consultation, viewer, filters, seed), per_page, page=page)


def most_supports(consultation: Consultation) -> int:
    """The highest support count among the consultation's visible proposals (the scale of the list's bars).

    Callers show it only where vote counts may be shown (phases.results_visible).
    """
    return (
        db.session.scalar(
            select(func.max(Proposal.support_count)).where(
                Proposal.consultation_id == consultation.id, Proposal.moderation == "visible"
            )
        )
        or 0
    )


def unanswered_count(consultation: Consultation) -> int:
    """How many published proposals still await the organisers' answer."""
    return (
        db.session.scalar(
            select(func.count(Proposal.id)).where(
                Proposal.consultation_id == consultation.id,
                Proposal.answer.is_(None),
                Proposal.moderation == "visible",
                Proposal.withdrawn_at.is_(None),
            )
        )
        or 0
    )
