"""Comment routes: write, reply, correct, delete; and the debate page of a consultation."""

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from concertation import query_args
from concertation.comments import publication, services
from concertation.comments.forms import CommentForm, ParagraphCommentForm, ReplyForm
from concertation.comments.models import Comment
from concertation.consultations.models import Consultation
from concertation.db import utcnow
from concertation.extensions import contribution_limit, db
from concertation.forms import commit_and_redirect, form_status, refusal_shown
from concertation.notifications import services as notifications
from concertation.permissions import require
from concertation.proposals.models import Proposal
from concertation.texts.models import Paragraph

bp = Blueprint("comments", __name__)


def _render_form(form, status: int, proposal=None, consultation=None, parent=None, comment=None, paragraph=None):
    """A failed comment form comes back alone on its page, with what was typed and the message."""
    return render_template(
        "comments/form.html",
        form=form,
        proposal=proposal,
        paragraph=paragraph,
        parent=parent,
        comment=comment,
        consultation=consultation or (proposal.consultation if proposal else None),
    ), status


def _write(
    form,
    consultation: Consultation,
    proposal: Proposal | None = None,
    parent: Comment | None = None,
    paragraph: Paragraph | None = None,
):
    if form.validate_on_submit():
        with refusal_shown(form, missing_is_404=True):
            comment = services.add_comment(
                current_user,
                consultation,
                form.body.data,
                utcnow(),
                proposal=proposal,
                parent=parent,
                stance=getattr(form, "stance", None) and form.stance.data,
                paragraph=paragraph,
            )
            return commit_and_redirect(_("Votre commentaire est publié."), publication.comment_path(comment))
    return _render_form(form, 422, proposal=proposal, consultation=consultation, parent=parent, paragraph=paragraph)


@bp.route("/propositions/<int:proposal_id>/commentaires", methods=["POST"])
@contribution_limit("COMMENTS")
@login_required
def create_on_proposal(proposal_id: int):
    proposal = db.get_or_404(Proposal, proposal_id)
    require("proposal.comment", proposal)
    return _write(CommentForm(), proposal.consultation, proposal=proposal)


@bp.route("/textes/paragraphes/<int:paragraph_id>/commentaires", methods=["POST"])
@contribution_limit("COMMENTS")
@login_required
def create_on_paragraph(paragraph_id: int):
    paragraph = db.get_or_404(Paragraph, paragraph_id)
    require("text.view", paragraph.text)
    require("text.comment", paragraph.text)
    return _write(ParagraphCommentForm(), paragraph.text.consultation, paragraph=paragraph)


@bp.route("/consultations/<int:consultation_id>/debat")
def consultation(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    require("consultation.view", consultation)
    thread = services.thread_page(query_args.page_number(), consultation=consultation)
    return render_template(
        "comments/consultation.html",
        consultation=consultation,
        thread=thread,
        comment_form=CommentForm(formdata=None),
        following=notifications.is_following(current_user, consultation=consultation),
    )


@bp.route("/consultations/<int:consultation_id>/debat", methods=["POST"])
@contribution_limit("COMMENTS")
@login_required
def create_on_consultation(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    require("consultation.comment", consultation)
    return _write(CommentForm(), consultation)


@bp.route("/commentaires/<int:comment_id>/repondre", methods=["POST"])
@contribution_limit("COMMENTS")
@login_required
def reply(comment_id: int):
    parent = db.get_or_404(Comment, comment_id)
    require("comment.reply", parent)
    return _write(ReplyForm(), parent.consultation, proposal=parent.proposal, parent=parent, paragraph=parent.paragraph)


@bp.route("/commentaires/<int:comment_id>/modifier", methods=["GET", "POST"])
@login_required
def edit(comment_id: int):
    comment = db.get_or_404(Comment, comment_id)
    require("comment.edit", comment)
    form = ReplyForm(obj=comment if request.method == "GET" else None)
    if form.validate_on_submit():
        with refusal_shown(form):
            services.edit_comment(comment, form.body.data, utcnow())
            return commit_and_redirect(_("Votre commentaire est modifié."), publication.comment_path(comment))
    return _render_form(
        form,
        form_status(form),
        proposal=comment.proposal,
        consultation=comment.consultation,
        comment=comment,
        paragraph=comment.paragraph,
    )


@bp.route("/commentaires/<int:comment_id>/supprimer", methods=["POST"])
@login_required
def delete(comment_id: int):
    comment = db.get_or_404(Comment, comment_id)
    require("comment.delete", comment)
    services.delete_comment(comment, utcnow())
    return commit_and_redirect(_("Votre commentaire est supprimé."), publication.comment_path(comment))
