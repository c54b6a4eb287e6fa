"""Vote routes: support, take back, grade one or a page of proposals, and the results page.

Each POST answers a redirect to the page it came from (a local path only) with a
message, or JSON for the small script of static/js/enhance.js when it asks for it.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user, login_required
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import joinedload, lazyload

from concertation import query_args
from concertation.consultations.models import Consultation
from concertation.db import utcnow
from concertation.errors import ActionRefused, render_error, wants_json
from concertation.extensions import contribution_limit, db
from concertation.forms import commit_and_redirect
from concertation.permissions import can, require
from concertation.proposals.models import Proposal
from concertation.voting import results as vote_results, services
from concertation.security import local_path
from concertation.voting.forms import GradeForm, VoteForm, chosen_mentions, field_name, grading_form
from concertation.voting.models import MENTIONS

bp = Blueprint("voting", __name__)

GRADING_PAGE_SIZE = 30
bp.add_app_template_global(MENTIONS, "MENTION_LABELS")
bp.add_app_template_global(vote_results.counts_shown, "counts_shown")
RESULTS_PAGE_SIZE = 100


def _consultation_or_404(consultation_id: int) -> Consultation:
    consultation = db.session.get(Consultation, consultation_id)
    if consultation is None:
        abort(404)
    require("consultation.view", consultation)
    return consultation


# A vote needs the proposal, its consultation and phases (in the same statement); not its author, theme or
# territory.
_FOR_A_VOTE = (
    lazyload(Proposal.author),
    lazyload(Proposal.theme),
    joinedload(Proposal.consultation).lazyload(Consultation.territory),
    joinedload(Proposal.consultation).lazyload(Consultation.themes),
    joinedload(Proposal.consultation).joinedload(Consultation.phases),
)
_A_PROPOSAL_FOR_A_VOTE = select(Proposal).where(Proposal.id == bindparam("proposal")).options(*_FOR_A_VOTE)


def _proposal_or_404(consultation_id: int, proposal_id: int) -> Proposal:
    proposal = db.session.execute(_A_PROPOSAL_FOR_A_VOTE, {"proposal": proposal_id}).unique().scalar_one_or_none()
    if proposal is None or proposal.consultation_id != consultation_id:
        abort(404)
    require("consultation.view", proposal.consultation)
    return proposal


def _back(consultation_id: int) -> str:
    return (
        local_path(request.form.get("next"))
        or local_path(request.referrer)
        or url_for("consultations.show", consultation_id=consultation_id)
    )


def _refused(error: ActionRefused, consultation_id: int):
    db.session.rollback()
    if wants_json():
        return render_error(error.status, error.message)
    return render_template("voting/refused.html", message=error.message, back=_back(consultation_id)), error.status


def _checked_form(form: VoteForm) -> None:
    if not form.validate_on_submit():
        abort(400)


def _support_answer(proposal: Proposal, supported: bool, change: services.SupportChange, message: str):
    """Commit, then answer JSON for the script (with its texts ready to show), or a message and a redirect.

    The count of supports is given only once the results may be shown. The answer is prepared
    before the commit, which would expire the objects it reads.
    """
    consultation = proposal.consultation
    count, remaining = change.count, change.remaining
    visible = can(current_user, "consultation.results", consultation)
    remaining_text = None
    if remaining is not None:
        remaining_text = ngettext(
            "Il vous reste %(num)d soutien sur %(limit)d dans cette consultation.",
            "Il vous reste %(num)d soutiens sur %(limit)d dans cette consultation.",
            remaining,
            limit=consultation.support_limit,
        )
        message += " " + remaining_text
    back = _back(consultation.id)
    db.session.commit()
    if not wants_json():
        flash(message, "success")
        return redirect(back)
    return {
        "supported": supported,
        "support_count": count if visible else None,
        "remaining": remaining,
        "message": message,
        "remaining_text": remaining_text,
        "count_text": ngettext("%(num)d soutien", "%(num)d soutiens", count) if visible else None,
    }


@bp.route(
    "/consultations/<int:consultation_id>/propositions/<int:proposal_id>/soutien",
    methods=["POST"],
    defaults={"giving": True},
)
@bp.route(
    "/consultations/<int:consultation_id>/propositions/<int:proposal_id>/soutien/retrait",
    methods=["POST"],
    defaults={"giving": False},
    endpoint="withdraw_support",
)
@contribution_limit("VOTES")
@login_required
def support(consultation_id: int, proposal_id: int, giving: bool):
    """Give a support, or take it back (the same checks, then one service or the other)."""
    proposal = _proposal_or_404(consultation_id, proposal_id)
    require("consultation.participate", proposal.consultation)
    _checked_form(VoteForm())
    try:
        if giving:
            change = services.give_support(current_user, proposal, utcnow())
        else:
            change = services.take_back_support(current_user, proposal, utcnow())
    except ActionRefused as error:
        return _refused(error, consultation_id)
    message = _("Votre soutien est enregistré.") if giving else _("Votre soutien est retiré.")
    return _support_answer(proposal, giving, change, message)


@bp.route("/consultations/<int:consultation_id>/propositions/<int:proposal_id>/mention", methods=["POST"])
@contribution_limit("VOTES")
@login_required
def grade(consultation_id: int, proposal_id: int):
    proposal = _proposal_or_404(consultation_id, proposal_id)
    require("consultation.participate", proposal.consultation)
    form = GradeForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        return _refused(ActionRefused(_("Choisissez une des six mentions."), status=422), consultation_id)
    try:
        services.grade(current_user, proposal, form.mention.data, utcnow())
    except ActionRefused as error:
        return _refused(error, consultation_id)
    db.session.commit()
    message = _("Votre mention « %(label)s » est enregistrée.", label=_(MENTIONS[form.mention.data]))
    if wants_json():
        return {"mention": form.mention.data, "message": message}
    flash(message, "success")
    return redirect(_back(consultation_id))


@bp.route("/consultations/<int:consultation_id>/evaluer", methods=["GET", "POST"])
@contribution_limit("VOTES")
@login_required
def grade_many(consultation_id: int):
    consultation = _consultation_or_404(consultation_id)
    require("consultation.participate", consultation)
    if consultation.voting_method != "majority":
        abort(404)
    page = query_args.page_number()
    open_proposals = select(Proposal).where(
        Proposal.consultation_id == consultation.id, Proposal.moderation == "visible", Proposal.withdrawn_at.is_(None)
    )
    total = db.session.scalar(select(func.count()).select_from(open_proposals.subquery())) or 0
    proposals = list(
        db.session.scalars(
            open_proposals.order_by(Proposal.created_at, Proposal.id)
            .limit(GRADING_PAGE_SIZE)
            .offset((page - 1) * GRADING_PAGE_SIZE)
        )
    )
    given = services.mentions_given(current_user, [p.id for p in proposals])
    form = grading_form(proposals, given)
    status = 200
    if form.is_submitted():
        if not form.validate():
            if form.errors.get("csrf_token"):
                abort(400)
            status = 422
        else:
            changed = {pid: m for pid, m in chosen_mentions(form, proposals).items() if given.get(pid) != m}
            try:
                count = services.grade_many(current_user, consultation, changed, utcnow())
            except ActionRefused as error:
                return _refused(error, consultation_id)
            return commit_and_redirect(
                ngettext(
                    "Vos mentions sont enregistrées (%(num)d modifiée).",
                    "Vos mentions sont enregistrées (%(num)d modifiées).",
                    count,
                ),
                url_for("voting.grade_many", consultation_id=consultation.id, page=page),
            )
    pages = max(1, -(-total // GRADING_PAGE_SIZE))
    return render_template(
        "voting/grade_many.html",
        consultation=consultation,
        proposals=proposals,
        form=form,
        field_name=field_name,
        page=page,
        pages=pages,
        total=total,
        graded=len(given),
    ), status


@bp.route("/consultations/<int:consultation_id>/resultats")
def results(consultation_id: int):
    consultation = _consultation_or_404(consultation_id)
    if not can(current_user, "consultation.results", consultation):
        return render_template("voting/results.html", consultation=consultation, results=None), 200
    outcome = vote_results.results(consultation, utcnow())
    page = query_args.page_number()
    pages = max(1, -(-len(outcome.rows) // RESULTS_PAGE_SIZE))
    rows = outcome.rows[(page - 1) * RESULTS_PAGE_SIZE : page * RESULTS_PAGE_SIZE]
    return render_template(
        "voting/results.html",
        consultation=consultation,
        results=outcome,
        rows=rows,
        page=page,
        pages=pages,
        MENTIONS=MENTIONS,
        verified=vote_results.verified_votes(consultation, utcnow()),
    )
