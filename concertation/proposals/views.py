"""Proposal pages: the list, writing (with a preview that shows similar proposals), editing, withdrawing."""

import hashlib

from flask import Blueprint, jsonify, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user, login_required

from concertation import permissions, query_args
from concertation.comments import services as comments
from concertation.comments.forms import CommentForm
from concertation.consultations import progress
from concertation.consultations.models import Consultation
from concertation.db import utcnow
from concertation.extensions import contribution_limit, limiter, person_or_address
from concertation.forms import commit_and_redirect, form_status, refusal_shown
from concertation.notifications import services as notifications
from concertation.permissions import require_found
from concertation.proposals import answers, search, services, views_answers
from concertation.proposals.forms import BulkAnswerForm, FilterForm, ProposalForm
from concertation.proposals.models import ANSWERS, Proposal
from concertation.text import to_html
from concertation.voting import services as voting
from concertation.voting.results import counts_shown

bp = Blueprint("proposals", __name__)
# The organisers' answers have a module of their own, on this one blueprint.
views_answers.routes.add_to(bp)


def _filters(form: FilterForm, consultation: Consultation, default_sort: str = "random") -> services.ProposalFilters:
    theme = form.theme.data
    sorts = [choice.value for choice in form.sort.choices]
    if form.sort.data not in sorts:
        form.sort.data = default_sort
    return services.ProposalFilters(
        theme_id=query_args.parse_int(theme),
        answer=form.answer.data if form.answer.data in (*ANSWERS, "none") else None,
        mine=bool(form.mine.data),
        supported=bool(form.supported.data),
        q=(form.q.data or "")[:200],
        sort=form.sort.data,
    )


def _shuffle_seed() -> int:
    """The random order of the list: a new one every day, the same for every visitor on that day (so
    that no proposal is always first, and pages stay cacheable: nothing is kept per visitor)."""
    today = utcnow().date().isoformat().encode()
    return int.from_bytes(hashlib.sha256(today).digest()[:4], "big") % (2**31 - 3) + 1


def render_index(consultation: Consultation, bulk_form: BulkAnswerForm | None = None, status: int = 200):
    """The list page; organisers also get the bulk-answer form (kept filled in when it failed)."""
    form = FilterForm(request.args)
    counts_public = counts_shown(consultation)
    form.set_choices(consultation.themes, counts_public)
    organiser = permissions.can(current_user, "consultation.answer", consultation)
    # Organisers answer what arrived last; participants get a random order, so that no proposal is always first.
    filters = _filters(form, consultation, default_sort="recent" if organiser else "random")
    page = query_args.page_number()
    proposals = services.list_proposals(consultation, current_user, filters, page, seed=_shuffle_seed())
    if proposals.pages and page > proposals.pages:
        # After a bulk answer, the last page of a filtered list may have emptied: show the new last page.
        proposals = services.list_proposals(consultation, current_user, filters, proposals.pages, seed=_shuffle_seed())
    templates, unanswered = [], None
    if organiser:
        templates = answers.templates_of(consultation)
        if bulk_form is None:
            bulk_form = BulkAnswerForm(formdata=None, prefix="bulk")
        bulk_form.set_templates(templates)
        unanswered = services.unanswered_count(consultation)
    supported = voting.supported_ids(current_user, [p.id for p in proposals.items])
    actions = progress.open_actions(current_user, consultation, utcnow())
    most = services.most_supports(consultation) if counts_public and consultation.voting_method == "support" else 0
    return render_template(
        "proposals/index.html",
        consultation=consultation,
        proposals=proposals,
        actions=actions,
        counts_public=counts_public,
        supported=supported,
        most_supports=most,
        filter_form=form,
        filters=filters,
        bulk_form=bulk_form if organiser else None,
        answer_templates=templates,
        unanswered_count=unanswered,
        answers=ANSWERS,
    ), status


@bp.route("/consultations/<int:consultation_id>/propositions")
def index(consultation_id: int):
    consultation = require_found("consultation.view", Consultation, consultation_id)
    return render_index(consultation)


@bp.route("/consultations/<int:consultation_id>/propositions/reponses", methods=["POST"])
@login_required
def bulk_answer(consultation_id: int):
    consultation = require_found("consultation.answer", Consultation, consultation_id)
    form = BulkAnswerForm(prefix="bulk")
    form.set_templates(answers.templates_of(consultation))
    if form.validate_on_submit():
        with refusal_shown(form):
            template = answers.template_or_refuse(consultation, form.template_id())
            chosen = (form.page_ids.data or []) if form.all_on_page.data else (form.proposal_ids.data or [])
            count = answers.bulk_answer(
                current_user, consultation, chosen, form.answer.data, form.text.data or "", utcnow(), template=template
            )
            # Back to the list as it was filtered (the form's address carries the filters), through the
            # one filter of query arguments for url_for.
            kept = query_args.link_args()
            return commit_and_redirect(
                ngettext(
                    "%(num)d proposition a reçu cette réponse.", "%(num)d propositions ont reçu cette réponse.", count
                ),
                url_for("proposals.index", consultation_id=consultation.id, **kept, _anchor="liste"),
            )
    return render_index(consultation, bulk_form=form, status=422)


@bp.route("/consultations/<int:consultation_id>/propositions/similaires")
@limiter.limit("120 per minute")
def similar(consultation_id: int):
    """JSON for the title field's script: proposals that look like what is being typed."""
    consultation = require_found("consultation.view", Consultation, consultation_id)
    title = request.args.get("titre", "")[:150]
    found = search.similar_proposals(consultation.id, title)
    counts = counts_shown(consultation) and consultation.voting_method == "support"
    return jsonify(
        proposals=[
            {
                "id": p.id,
                "title": p.title,
                "url": url_for("proposals.show", proposal_id=p.id),
                "withdrawn": p.is_withdrawn,
                **({"support_count": p.support_count} if counts else {}),
            }
            for p in found
        ]
    )


def _published(response) -> bool:
    """Only a published proposal (answered by a redirect to it) uses up the limit; previews do not."""
    return response.status_code == 302 and "/propositions/" in response.headers.get("Location", "")


@bp.route("/consultations/<int:consultation_id>/propositions/nouvelle", methods=["GET", "POST"])
@contribution_limit("PROPOSALS", deduct_when=_published)
@limiter.limit("120 per hour", methods=["POST"], key_func=person_or_address)  # previews, which search
@login_required
def create(consultation_id: int):
    consultation = require_found("consultation.propose", Consultation, consultation_id)
    form = ProposalForm()
    form.set_themes(consultation.themes)
    action = request.form.get("action", "preview")
    if form.validate_on_submit() and action != "edit":
        now = utcnow()
        with refusal_shown(form):
            if action == "publish":
                proposal = services.submit_proposal(
                    current_user, consultation, form.title.data, form.body.data, form.theme_id(), now
                )
            else:
                theme = services.check_draft(consultation, form.title.data, form.body.data, form.theme_id())
            if action == "publish":
                return commit_and_redirect(
                    _(
                        "Votre proposition est publiée. Vous serez prévenu·e des commentaires et de la réponse "
                        "de la collectivité."
                    ),
                    url_for("proposals.show", proposal_id=proposal.id),
                )
            similar_found = search.similar_proposals(consultation.id, form.title.data, form.body.data)
            return render_template(
                "proposals/preview.html",
                consultation=consultation,
                form=form,
                theme=theme,
                preview_html=to_html(form.body.data),
                similar=similar_found,
            )
    status = 422 if form.errors or (form.is_submitted() and action != "edit") else 200
    return render_template("proposals/edit.html", consultation=consultation, form=form, proposal=None), status


@bp.route("/propositions/<int:proposal_id>")
def show(proposal_id: int):
    proposal = require_found("proposal.view", Proposal, proposal_id)
    thread = comments.thread_page(query_args.page_number(), proposal=proposal)
    return render_template(
        "proposals/show.html",
        proposal=proposal,
        consultation=proposal.consultation,
        thread=thread,
        stances=comments.stance_summary(proposal),
        # Built for people who may comment only: a form makes a CSRF token, hence a session, and a
        # visitor's page must have none to be shared (caching.py).
        comment_form=CommentForm(formdata=None) if current_user.is_authenticated else None,
        following=notifications.is_following(current_user, proposal=proposal),
        vote_panel=voting.panel(current_user, proposal, utcnow()),
    )


@bp.route("/propositions/<int:proposal_id>/modifier", methods=["GET", "POST"])
@login_required
def edit(proposal_id: int):
    proposal = require_found("proposal.edit", Proposal, proposal_id)
    form = ProposalForm(obj=proposal if request.method == "GET" else None)
    form.set_themes(proposal.consultation.themes)
    if request.method == "GET":
        form.theme.data = str(proposal.theme_id or "")
    if form.validate_on_submit():
        with refusal_shown(form):
            services.update_proposal(proposal, form.title.data, form.body.data, form.theme_id(), utcnow())
            return commit_and_redirect(
                _("Votre proposition est modifiée."), url_for("proposals.show", proposal_id=proposal.id)
            )
    status = form_status(form)
    return render_template(
        "proposals/edit.html", consultation=proposal.consultation, form=form, proposal=proposal
    ), status


@bp.route("/propositions/<int:proposal_id>/retirer", methods=["POST"])
@login_required
def withdraw(proposal_id: int):
    proposal = require_found("proposal.withdraw", Proposal, proposal_id)
    services.withdraw_proposal(proposal, utcnow())
    return commit_and_redirect(
        _("Votre proposition est retirée : elle reste visible mais ne reçoit plus de votes."),
        url_for("proposals.show", proposal_id=proposal.id),
    )
