"""Every "who may do what" rule of the platform, and nothing else.

Each action is named once, as a composition of small predicates. Views call
``require`` (403 when refused), templates call ``can`` to show or hide a
button, services trust that the caller asked. What a phase allows is asked of
``phases.allows``; it is not re-implemented here.
"""

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from flask import abort, g, has_request_context
from flask_login import current_user
from sqlalchemy import inspect

from concertation import phases
from concertation.db import utcnow
from concertation.extensions import db

T = TypeVar("T")
Rule = Callable[[object, object, datetime], bool]
RULES: dict[str, Rule] = {}


def rule(*actions: str):
    """Register `predicate` as the rule of each of `actions` (several actions may share one rule)."""

    def register(predicate: Rule) -> Rule:
        for action in actions:
            RULES[action] = predicate
        return predicate

    return register


def can(user, action: str, target=None, now: datetime | None = None) -> bool:
    """Whether `user` (possibly anonymous) may do `action` on `target`."""
    predicate = RULES.get(action)
    if predicate is None:
        raise KeyError(f"unknown permission {action!r}")
    return bool(predicate(user, target, now or utcnow()))


def require(action: str, target=None, now: datetime | None = None) -> None:
    """For views: answer 403 unless the current user may do `action` on `target`."""
    if not can(current_user, action, target, now):
        abort(403)


def require_found(action: str, model: type[T], ident: int, now: datetime | None = None) -> T:
    """For views: the `model` row `ident` (404 when there is none) once the current user may do `action` on it."""
    target = db.get_or_404(model, ident)
    require(action, target, now)
    return target


# Small predicates -----------------------------------------------------------


def signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.deleted_at is None


def confirmed(user) -> bool:
    return signed_in(user) and user.is_confirmed


def is_admin(user) -> bool:
    return signed_in(user) and user.is_admin


def is_editor(user) -> bool:
    return signed_in(user) and (user.is_editor or user.is_admin)


def has_role(user, territory_id: int, *roles: str) -> bool:
    return signed_in(user) and bool(user.roles_in(territory_id) & set(roles))


def is_organiser(user, territory_id: int) -> bool:
    return has_role(user, territory_id, "organiser")


# The territory's own people: they see its consultations that are not public (viewable_consultations).
STAFF_ROLES = ("agent", "organiser", "elu")


def is_staff(user, territory_id: int) -> bool:
    """Agents, organisers and élus all belong to the territory's own people."""
    return has_role(user, territory_id, *STAFF_ROLES)


def is_agent(user, territory_id: int) -> bool:
    return has_role(user, territory_id, "agent", "organiser")


def blocked_in(user, territory_id: int) -> bool:
    """Blocked by the territory's moderation: no new contributions (votes already cast are kept).

    Asked once per request and territory: a page of 100 comments checks it for each of them. The signed-in
    person's blocks in force come with them (accounts.models.load_user): then no statement at all.
    """
    from concertation.moderation.services import is_blocked

    if not signed_in(user):
        return False
    if not has_request_context():
        return is_blocked(user.id, territory_id)
    known = g.setdefault("blocked_in", {})
    if (user.id, territory_id) not in known:
        state = inspect(user, raiseerr=False)
        loaded = state.dict.get("active_blocks") if state is not None else None
        if loaded is not None:
            known[(user.id, territory_id)] = any(block.territory_id == territory_id for block in loaded)
        else:
            known[(user.id, territory_id)] = is_blocked(user.id, territory_id)
    return known[(user.id, territory_id)]


# Platform and territories ---------------------------------------------------


@rule("admin.access")
def _admin_access(user, target, now):
    return is_admin(user)


@rule("territory.manage")
def _territory_manage(user, territory, now):
    return is_admin(user)


@rule(
    "territory.invite_agents",
    "territory.accessibility_audit",  # publish the result of its own accessibility audit on its statement
    "territory.organise",  # open its back office (its consultations, invitations)
    "consultation.create",
    "moderation.manage",  # see the queue and the log, decide on contributions, block participants
)
def _territory_organiser(user, territory, now):
    """The territory's organisers (and the platform's administrators) run it."""
    return is_admin(user) or is_organiser(user, territory.id)


# Consultations --------------------------------------------------------------


@rule(
    "consultation.edit",
    "consultation.answer",  # answer its proposals (one by one or in bulk) and keep its answer templates
    "synthesis.prepare",  # read the draft, the synthesis aid and the organisers' own exports, whatever the phase
    "manifesto.suggest",  # suggest items of its published synthesis for the manifesto
)
def _consultation_organiser(user, consultation, now):
    """The organisers of the consultation's territory (and the platform's administrators)."""
    return is_admin(user) or is_organiser(user, consultation.territory_id)


@rule("consultation.view")
def _consultation_view(user, consultation, now):
    if consultation.is_public:
        return True
    return is_admin(user) or is_staff(user, consultation.territory_id)


def viewable_consultations(user):
    """consultation.view in SQL: a condition on Consultation for the queries that list what `user` may see."""
    from sqlalchemy import or_, select, true
    from concertation.consultations.models import Consultation
    from concertation.territories.models import Membership

    if is_admin(user):
        return true()
    if signed_in(user):
        staff_of = select(Membership.territory_id).where(
            Membership.user_id == user.id, Membership.role.in_(STAFF_ROLES)
        )
        return or_(Consultation.is_public, Consultation.territory_id.in_(staff_of))
    return Consultation.is_public


def consultations_seen_as(user) -> str:
    """Whom `user` sees the same consultations as (viewable_consultations, from the roles already loaded):
    "all" for an administrator, "public" for a visitor or anyone without a staff role, else the territories
    whose consultations they see besides the public ones. Lists shared between people are keyed by it."""
    if is_admin(user):
        return "all"
    if not signed_in(user):
        return "public"
    staff_of = sorted({m.territory_id for m in user.memberships if m.role in STAFF_ROLES})
    return "staff:" + ",".join(map(str, staff_of)) if staff_of else "public"


@rule("consultation.participate")
def _consultation_participate(user, consultation, now):
    """Take part (propose, vote, comment) in a consultation open to this person."""
    if not confirmed(user) or blocked_in(user, consultation.territory_id):
        return False
    if consultation.audience == "agents":
        return is_agent(user, consultation.territory_id)
    return True


def meets_vote_assurance(user, consultation) -> bool:
    """The identity a consultation's vote asks for: verified by FranceConnect or, where the organisers
    accept it, residence in the territory declared on the profile. Without a requirement, anyone."""
    level = getattr(consultation, "vote_assurance", "") or ""
    if not level:
        return True
    if not signed_in(user):
        return False
    from concertation.identity.services import is_franceconnect_verified  # the rule of the domain, asked where it lives

    if is_franceconnect_verified(user):
        return True
    return level == "residence" and user.residence_territory_id == consultation.territory_id


@rule("consultation.propose")
def _consultation_propose(user, consultation, now):
    return _consultation_participate(user, consultation, now) and phases.allows(consultation, "propose", now)


@rule("consultation.comment")
def _consultation_comment(user, consultation, now):
    return _consultation_participate(user, consultation, now) and phases.allows(consultation, "comment", now)


@rule("consultation.support")
def _consultation_support(user, consultation, now):
    return (
        _consultation_participate(user, consultation, now)
        and phases.allows(consultation, "support", now)
        and meets_vote_assurance(user, consultation)
    )


@rule("consultation.grade")
def _consultation_grade(user, consultation, now):
    return (
        _consultation_participate(user, consultation, now)
        and phases.allows(consultation, "grade", now)
        and meets_vote_assurance(user, consultation)
    )


# Moderation -----------------------------------------------------------------


@rule("content.report")
def _content_report(user, target, now):
    """Report someone else's visible proposal, comment or amendment, where this person may read it."""
    return (
        confirmed(user)
        and target.author_id != user.id
        and target.moderation == "visible"
        and _content_view(user, target, now)
    )


@rule("consultation.follow")
def _consultation_follow(user, consultation, now):
    return confirmed(user) and _consultation_view(user, consultation, now)


# Proposals ------------------------------------------------------------------


def is_author(user, item) -> bool:
    return signed_in(user) and item.author_id == user.id


def _has_votes(proposal) -> bool:
    from concertation.proposals.services import has_votes  # the rule of the domain, asked where it lives

    return has_votes(proposal)


@rule("proposal.view")
def _proposal_view(user, proposal, now):
    """Pending proposals are seen only by their author and the organisers."""
    if not _consultation_view(user, proposal.consultation, now):
        return False
    # A hidden proposal keeps its page, which shows the moderation's reason instead of its text.
    return (
        proposal.moderation != "pending"
        or is_author(user, proposal)
        or _consultation_organiser(user, proposal.consultation, now)
    )


@rule("proposal.edit")
def _proposal_edit(user, proposal, now):
    """The author edits during the proposals phase, until the first support or grade."""
    return (
        is_author(user, proposal)
        and confirmed(user)
        and not proposal.is_withdrawn
        and not blocked_in(user, proposal.consultation.territory_id)
        and phases.allows(proposal.consultation, "edit_proposal", now)
        and not _has_votes(proposal)
    )


@rule("proposal.withdraw")
def _proposal_withdraw(user, proposal, now):
    return (
        is_author(user, proposal)
        and not proposal.is_withdrawn
        and phases.allows(proposal.consultation, "withdraw_proposal", now)
    )


@rule("proposal.answer")
def _proposal_answer(user, proposal, now):
    return _consultation_organiser(user, proposal.consultation, now)


@rule("proposal.follow")
def _proposal_follow(user, proposal, now):
    return confirmed(user) and _proposal_view(user, proposal, now)


@rule("proposal.comment")
def _proposal_comment(user, proposal, now):
    return proposal.is_visible and _consultation_comment(user, proposal.consultation, now)


# Comments -------------------------------------------------------------------


@rule("comment.view")
def _comment_view(user, comment, now):
    """Where its proposal, paragraph (or consultation) is seen; a pending comment only by its author and the organisers."""
    if comment.proposal is not None:
        if not _proposal_view(user, comment.proposal, now):
            return False
    elif comment.paragraph is not None:
        if not _text_view(user, comment.paragraph.text, now):
            return False
    elif not _consultation_view(user, comment.consultation, now):
        return False
    return (
        comment.moderation != "pending"
        or is_author(user, comment)
        or _consultation_organiser(user, comment.consultation, now)
    )


@rule("content.view")
def _content_view(user, target, now):
    """The page of a proposal, a comment or an amendment: every route naming one asks this, as the page itself does."""
    from concertation.proposals.models import Proposal
    from concertation.texts.models import Amendment

    if isinstance(target, Proposal):
        return _proposal_view(user, target, now)
    if isinstance(target, Amendment):
        return _amendment_view(user, target, now)
    return _comment_view(user, target, now)


@rule("comment.reply")
def _comment_reply(user, comment, now):
    from concertation.comments.models import MAX_DEPTH

    under_visible = (comment.proposal is None or comment.proposal.is_visible) and (
        comment.paragraph is None or comment.paragraph.text.status == "open"
    )
    return (
        comment.depth < MAX_DEPTH
        and not comment.is_deleted
        and comment.is_visible
        and under_visible
        and _consultation_comment(user, comment.consultation, now)
    )


@rule("comment.edit")
def _comment_edit(user, comment, now):
    """The author corrects a comment within a few minutes of writing it, while the debate is open."""
    from concertation.comments.models import EDIT_WINDOW

    return (
        is_author(user, comment)
        and not comment.is_deleted
        and now - comment.created_at <= EDIT_WINDOW
        and _consultation_comment(user, comment.consultation, now)
    )


@rule("comment.delete")
def _comment_delete(user, comment, now):
    return is_author(user, comment) and not comment.is_deleted


# Notifications --------------------------------------------------------------


@rule("notifications.read")
def _notifications_read(user, target, now):
    return signed_in(user)


@rule("proposal.read_text")
def _proposal_read_text(user, proposal, now):
    """The text of a hidden proposal is shown only to its author and to the organisers."""
    return proposal.is_visible or is_author(user, proposal) or _consultation_organiser(user, proposal.consultation, now)


@rule("consultation.results")
def _consultation_results(user, consultation, now):
    """See the vote's results: anyone who sees the consultation, once the results are published."""
    return _consultation_view(user, consultation, now) and phases.results_visible(consultation, now)


# Syntheses and exports ------------------------------------------------------


@rule("synthesis.write")
def _synthesis_write(user, consultation, now):
    """Draft, cite, choose the retained proposals, merge duplicates and publish: in the synthesis phase."""
    return _consultation_organiser(user, consultation, now) and phases.allows(consultation, "synthesise", now)


@rule("synthesis.read")
def _synthesis_read(user, consultation, now):
    """Published syntheses and open data: whoever may see the consultation."""
    return _consultation_view(user, consultation, now)


@rule("territory.dashboard")
def _territory_dashboard(user, territory, now):
    """The élus' dashboard of their territory (its organisers see it too)."""
    return is_admin(user) or has_role(user, territory.id, "elu", "organiser")


# The shared manifesto -------------------------------------------------------


@rule(
    "manifesto.edit",  # create a manifesto, write the draft's points and sources, answer the territories' suggestions
    "manifesto.publish",
)
def _manifesto_editor(user, target, now):
    return is_editor(user)


# "manifesto.suggest" (suggest items of the consultation's published synthesis for the manifesto)
# belongs to the consultation's organisers: registered with _consultation_organiser above.


@rule("manifesto.endorse")
def _manifesto_endorse(user, territory, now):
    """Sign (or withdraw the signature of) the manifesto in the territory's name: its élus only."""
    return has_role(user, territory.id, "elu")


def manifesto_amending_territories(user) -> list:
    """The territories in whose name `user` may propose or co-sign amendments to the manifesto's draft."""
    if not signed_in(user):
        return []
    found = {m.territory.id: m.territory for m in user.memberships if m.role == "organiser"}
    return sorted(found.values(), key=lambda t: (t.name, t.id))


@rule("manifesto.amend")
def _manifesto_amend(user, territory, now):
    """Propose or co-sign an amendment to the manifesto's draft in the territory's name: its organisers only
    (an administrator is no territory's voice, and an organiser speaks for their own territories alone)."""
    return is_organiser(user, territory.id)


@rule("manifesto.amendments_view")
def _manifesto_amendments_view(user, target, now):
    """Read the draft open to amendments and its amendments before publication: the editors who answer them
    and the organisers of any territory, who may propose or co-sign."""
    return is_editor(user) or bool(manifesto_amending_territories(user))


# Commitments ----------------------------------------------------------------


@rule("commitment.manage")
def _commitment_manage(user, target, now):
    """Create, edit and follow up a territory's commitments: its organisers.

    ``target`` is the territory, or anything of it that names it (a commitment, a consultation)."""
    territory_id = target.territory_id if hasattr(target, "territory_id") else target.id
    return is_admin(user) or is_organiser(user, territory_id)


# The library of territorial AI ----------------------------------------------


def is_staff_somewhere(user) -> bool:
    """An agent, organiser or élu of any territory (the library's contacts are for them)."""
    return signed_in(user) and any(m.role in STAFF_ROLES for m in user.memberships)


def library_adopter_territories(user, entry) -> list:
    """The territories in whose name `user` may say « nous l’utilisons aussi » of `entry`."""
    if not signed_in(user):
        return []
    found = {m.territory.id: m.territory for m in user.memberships if m.role == "organiser"}
    found.pop(entry.territory_id, None)
    return sorted(found.values(), key=lambda t: (t.name, t.id))


@rule("library.create")
def _library_create(user, territory, now):
    """Write a new entry in the territory's name: its agents and organisers."""
    return is_admin(user) or is_agent(user, territory.id)


@rule(
    "library.edit",
    "library.assess",  # judge the entry against the manifesto's points, in its territory's name
)
def _library_edit(user, entry, now):
    return is_admin(user) or is_agent(user, entry.territory_id)


@rule("library.adopt")
def _library_adopt(user, entry, now):
    """Declare « nous l’utilisons aussi », with a retour d’expérience: organisers of another territory."""
    return bool(library_adopter_territories(user, entry))


@rule("library.link")
def _library_link(user, entry, now):
    """Link an entry to the commitments and proposals of its territory (and say which commitment it
    carries out): the territory's organisers, who answer for its commitments."""
    return is_admin(user) or is_organiser(user, entry.territory_id)


@rule("library.report_retour")
def _library_report_retour(user, adoption, now):
    """Report a visible retour d’expérience: any confirmed account, except the one who wrote it."""
    return confirmed(user) and adoption.moderation == "visible" and adoption.declared_by_id != user.id


@rule("library.moderate_retour")
def _library_moderate_retour(user, adoption, now):
    """Hide, restore a retour or close its reports: the moderators of the entry's territory."""
    return is_admin(user) or is_organiser(user, adoption.entry.territory_id)


@rule("library.contact")
def _library_contact(user, entry, now):
    """The contact in the territory: for the people of territories, never the public."""
    return is_admin(user) or is_staff_somewhere(user)


def library_author_territories(user) -> list:
    """The territories in whose name `user` may write library entries (library.create)."""
    if is_admin(user):
        from sqlalchemy import select
        from concertation.extensions import db
        from concertation.territories.models import Territory

        return list(db.session.scalars(select(Territory).order_by(Territory.name, Territory.id)))
    if not signed_in(user):
        return []
    found = {m.territory.id: m.territory for m in user.memberships if m.role in ("agent", "organiser")}
    return sorted(found.values(), key=lambda t: (t.name, t.id))


# Participatory texts --------------------------------------------------------


@rule("text.manage")
def _text_manage(user, consultation, now):
    """Import a draft text, open it, answer its amendments and publish the adopted version."""
    return is_admin(user) or is_organiser(user, consultation.territory_id)


@rule("text.view")
def _text_view(user, text, now):
    """A text being prepared is seen by its organisers only; once open, by whoever sees the consultation."""
    if text.status == "draft":
        return _text_manage(user, text.consultation, now)
    return _consultation_view(user, text.consultation, now)


@rule("text.amend")
def _text_amend(user, text, now):
    return (
        text.status == "open"
        and _consultation_participate(user, text.consultation, now)
        and phases.allows(text.consultation, "amend", now)
    )


@rule("amendment.view")
def _amendment_view(user, amendment, now):
    """Where its text is seen; one waiting for or hidden by the moderation only by its author and the organisers."""
    text = amendment.paragraph.text
    if not _text_view(user, text, now):
        return False
    return amendment.is_visible or is_author(user, amendment) or _text_manage(user, text.consultation, now)


@rule("text.follow")
def _text_follow(user, text, now):
    """Follow a text seen by this person, to hear of its adopted versions."""
    return confirmed(user) and _text_view(user, text, now)


@rule("text.comment")
def _text_comment(user, text, now):
    """Comment on the paragraphs of an open text, while the consultation's debate is open."""
    return text.status == "open" and _consultation_comment(user, text.consultation, now)


@rule("text.support")
def _text_support(user, amendment, now):
    """Support someone else's amendment still awaiting its answer, while the text is open."""
    text = amendment.paragraph.text
    return (
        text.status == "open" and text.consultation.voting_method == "support" and _amendment_vote(user, amendment, now)
    )


@rule("text.grade")
def _text_grade(user, amendment, now):
    """Grade someone else's amendment awaiting its answer, when the consultation votes by majority judgment."""
    text = amendment.paragraph.text
    return (
        text.status == "open"
        and text.consultation.voting_method == "majority"
        and _amendment_vote(user, amendment, now)
    )


def _amendment_vote(user, amendment, now) -> bool:
    text = amendment.paragraph.text
    return (
        amendment.status == "pending"
        and amendment.is_visible
        and amendment.author_id != getattr(user, "id", None)
        and _consultation_participate(user, text.consultation, now)
        and phases.allows(text.consultation, "support_amendment", now)
    )


# Questionnaires -------------------------------------------------------------


@rule("questionnaire.manage")
def _questionnaire_manage(user, consultation, now):
    """Create and edit a consultation's questionnaires, read their cross-tabulations: its territory's organisers."""
    return is_admin(user) or is_organiser(user, consultation.territory_id)


@rule("questionnaire.view")
def _questionnaire_view(user, questionnaire, now):
    """A published questionnaire is seen where its consultation is; a draft only by the organisers."""
    consultation = questionnaire.consultation
    if _questionnaire_manage(user, consultation, now):
        return True
    return questionnaire.published_at is not None and _consultation_view(user, consultation, now)


@rule("questionnaire.answer")
def _questionnaire_answer(user, questionnaire, now):
    """Answer it: published, open (the consultation's proposals or vote phase), and meant for this person."""
    consultation = questionnaire.consultation
    if questionnaire.published_at is None or not _consultation_participate(user, consultation, now):
        return False
    if questionnaire.audience == "agents" and not is_agent(user, consultation.territory_id):
        return False
    return phases.questionnaire_open(consultation, now)


@rule("questionnaire.results")
def _questionnaire_results(user, questionnaire, now):
    """Its results: the organisers at any time, everyone who sees the consultation once it is closed."""
    consultation = questionnaire.consultation
    if _questionnaire_manage(user, consultation, now):
        return True
    return (
        questionnaire.published_at is not None
        and _consultation_view(user, consultation, now)
        and phases.is_closed(consultation, now)
    )


# Workshops ------------------------------------------------------------------


@rule("workshop.manage")
def _workshop_manage(user, consultation, now):
    """Announce a consultation's workshops, see who registered, write the minutes, enter the
    contributions collected there: its territory's organisers."""
    return is_admin(user) or is_organiser(user, consultation.territory_id)


@rule("workshop.view")
def _workshop_view(user, workshop, now):
    return _consultation_view(user, workshop.consultation, now)


@rule("workshop.register")
def _workshop_register(user, workshop, now):
    """Register (or join the waiting list): people who may take part in the consultation, until it starts."""
    return (
        _consultation_participate(user, workshop.consultation, now)
        and not workshop.has_started(now)
        and not workshop.is_cancelled
    )


@rule("workshop.cancel")
def _workshop_cancel(user, workshop, now):
    """Cancel a coming workshop, with a reason told to the people registered: its territory's organisers."""
    return (
        _workshop_manage(user, workshop.consultation, now)
        and not workshop.has_started(now)
        and not workshop.is_cancelled
    )


@rule("workshop.remove_registrant")
def _workshop_remove_registrant(user, workshop, now):
    """Take a person off a coming workshop (with a reason told to them): its territory's organisers."""
    return _workshop_manage(user, workshop.consultation, now) and not workshop.has_started(now)


# Who took part (representativeness) -------------------------------------------


@rule("participation.profile")
def _participation_profile(user, target, now):
    """Answer, change or delete one's own optional profile questions: anyone signed in."""
    return signed_in(user)


@rule("population.manage")
def _population_manage(user, territory, now):
    """Enter or import the territory's population by age band and by commune or quartier: its organisers."""
    return is_admin(user) or is_organiser(user, territory.id)


@rule("consultation.representativeness")
def _consultation_representativeness(user, consultation, now):
    """The live comparison of participants with the population: the territory's organisers and élus.

    Not public while it changes: two readings a few votes apart could tell one person's answers by
    difference. The public reads the comparison frozen in the published synthesis."""
    return is_admin(user) or has_role(user, consultation.territory_id, "organiser", "elu")


@rule("questionnaire.open_data")
def _questionnaire_open_data(user, questionnaire, now):
    """Its results as open data (files, API): for everyone, whoever asks, once its public consultation is closed."""
    consultation = questionnaire.consultation
    return questionnaire.published_at is not None and consultation.is_public and phases.is_closed(consultation, now)
