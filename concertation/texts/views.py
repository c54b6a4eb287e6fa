"""Participatory text pages: the text, a paragraph with its amendments, supports, the adopted versions."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from concertation import permissions, query_args
from concertation.comments import services as comments
from concertation.comments.forms import ParagraphCommentForm
from concertation.consultations.models import Consultation
from concertation.db import utcnow
from concertation.errors import ActionRefused
from concertation.extensions import contribution_limit, db
from concertation.forms import commit_and_redirect, form_status, refusal_shown
from concertation.permissions import require, require_found
from concertation.security import local_path
from concertation.synthesis.exports import csv_json
from concertation.texts import diff, open_data, services, views_organisers
from concertation.texts.exports import document, odt, pdf
from concertation.texts.forms import AmendmentForm
from concertation.voting.forms import GradeForm
from concertation.voting.models import MENTIONS
from concertation.texts.models import VERSION_CHANGES, Amendment, DraftText, Paragraph, TextVersion

bp = Blueprint("texts", __name__)
views_organisers.routes.add_to(bp)
bp.add_app_template_global(diff.diff_html, "word_diff")


@bp.app_template_global("participatory_texts")
def participatory_texts(consultation: Consultation) -> list[DraftText]:
    """The texts a consultation page lists: drafts too for its organisers."""
    return services.texts_of(consultation, with_drafts=permissions.can(current_user, "text.manage", consultation))


def _amendments(paragraphs: list[Paragraph], text: DraftText) -> dict[int, list[Amendment]]:
    """The amendments this person sees: the visible ones, their own, all of them for the organisers."""
    return services.amendments_of(
        paragraphs,
        author_id=current_user.id if current_user.is_authenticated else None,
        all_states=permissions.can(current_user, "text.manage", text.consultation),
    )


@bp.route("/consultations/<int:consultation_id>/textes")
def index(consultation_id: int):
    consultation = require_found("consultation.view", Consultation, consultation_id)
    return render_template("texts/index.html", consultation=consultation, texts=participatory_texts(consultation))


@bp.route("/textes/<int:text_id>")
def show(text_id: int):
    text = require_found("text.view", DraftText, text_id)
    paragraphs = services.paragraphs_of(text)
    amendments = _amendments(paragraphs, text)
    ids = [a.id for items in amendments.values() for a in items]
    return render_template(
        "texts/show.html",
        mentions=services.mentions_given(current_user, ids),
        judgments=services.judgments(text, ids, utcnow()),
        text=text,
        consultation=text.consultation,
        amendments=amendments,
        supported=services.supported_ids(current_user, ids),
        versions=services.versions_of(text),
        comment_counts=comments.paragraph_counts(paragraphs),
        following=services.is_following(current_user, text),
        pending=sum(1 for items in amendments.values() for a in items if a.status == "pending" and a.is_visible),
    )


@bp.route("/textes/paragraphes/<int:paragraph_id>", methods=["GET", "POST"])
@contribution_limit("PROPOSALS", deduct_when=lambda response: response.status_code == 302)
def paragraph(paragraph_id: int):
    """A paragraph, its amendments side by side with the differences, and the form to amend it."""
    item = db.get_or_404(Paragraph, paragraph_id)
    text = item.text
    require("text.view", text)
    form = AmendmentForm()
    if form.is_submitted():
        if not current_user.is_authenticated:
            return redirect(url_for("accounts.login", next=request.path))
        require("text.amend", text)
    if form.validate_on_submit():
        with refusal_shown(form):
            amendment = services.propose_amendment(
                current_user, item, form.kind.data, form.wording.data or "", form.justification.data or "", utcnow()
            )
            return commit_and_redirect(
                _("Votre amendement est publié."),
                url_for("texts.paragraph", paragraph_id=item.id, _anchor=f"amendement-{amendment.id}"),
            )
    elif request.method == "GET":
        form.wording.data = item.body
    amendments = _amendments([item], text)[item.id]
    return render_template(
        "texts/paragraph.html",
        text=text,
        consultation=text.consultation,
        paragraph=item,
        amendments=amendments,
        supported=services.supported_ids(current_user, [a.id for a in amendments]),
        mentions=services.mentions_given(current_user, [a.id for a in amendments]),
        judgments=services.judgments(text, [a.id for a in amendments], utcnow()),
        form=form,
        thread=comments.thread_page(query_args.page_number(), paragraph=item),
        comment_count=comments.paragraph_counts([item])[item.id],
        comment_form=ParagraphCommentForm(formdata=None),
    ), form_status(form)


@bp.route("/textes/amendements/<int:amendment_id>/soutien", methods=["POST"])
@login_required
@contribution_limit("VOTES")
def support(amendment_id: int):
    """Support an amendment, or take the support back when it is already given."""
    amendment = db.get_or_404(Amendment, amendment_id)
    if not permissions.can(current_user, "amendment.view", amendment):
        abort(404)
    require("text.support", amendment)
    back = local_path(request.form.get("next")) or url_for(
        "texts.paragraph", paragraph_id=amendment.paragraph_id, _anchor=f"amendement-{amendment.id}"
    )
    try:
        if services.supports(current_user, amendment):
            services.withdraw_support(current_user, amendment, utcnow())
            message = _("Votre soutien est retiré.")
        else:
            services.support(current_user, amendment, utcnow())
            message = _("Votre soutien est enregistré.")
    except ActionRefused as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(back)
    return commit_and_redirect(message, back)


@bp.route("/textes/amendements/<int:amendment_id>/mention", methods=["POST"])
@login_required
@contribution_limit("VOTES")
def grade(amendment_id: int):
    """Give (or change) a mention to an amendment, when the consultation votes by majority judgment."""
    amendment = db.get_or_404(Amendment, amendment_id)
    if not permissions.can(current_user, "amendment.view", amendment):
        abort(404)
    require("text.grade", amendment)
    form = GradeForm()
    back = local_path(form.next.data) or url_for(
        "texts.paragraph", paragraph_id=amendment.paragraph_id, _anchor=f"amendement-{amendment.id}"
    )
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        flash(_("Choisissez une des six mentions."), "error")
        return redirect(back), 422
    try:
        services.grade(current_user, amendment, form.mention.data, utcnow())
    except ActionRefused as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(back)
    return commit_and_redirect(
        _("Votre mention « %(label)s » est enregistrée.", label=_(MENTIONS[form.mention.data])), back
    )


@bp.route("/textes/<int:text_id>/suivre", methods=["POST"])
@login_required
def follow(text_id: int):
    """Follow the text, or stop following it when already following."""
    text = require_found("text.view", DraftText, text_id)
    require("text.follow", text)
    if services.is_following(current_user, text):
        services.unfollow(current_user, text)
        message = _("Vous ne suivez plus ce texte.")
    else:
        services.follow(current_user, text, utcnow())
        message = _("Vous suivez ce texte : vous serez prévenu·e de la publication de sa version adoptée.")
    return commit_and_redirect(message, url_for("texts.show", text_id=text.id))


@bp.route("/textes/<int:text_id>/<any(paragraphes, amendements):dataset>.<any(csv, json):fmt>")
def data(text_id: int, dataset: str, fmt: str):
    """Open data of a text (Licence Ouverte 2.0): its paragraphs, or its amendments and their answers."""
    text = require_found("text.view", DraftText, text_id)
    rows = open_data.rows_of(text, dataset)
    columns = open_data.COLUMNS[dataset]
    if fmt == "csv":
        body, mimetype = csv_json.stream_csv(columns, rows), "text/csv"
    else:
        body, mimetype = csv_json.stream_json(open_data.metadata(text, dataset), columns, rows), "application/json"
    return csv_json.download(body, mimetype, f"texte-{text.id}-{dataset}.{fmt}")


def _version_or_404(version_id: int) -> TextVersion:
    item = db.get_or_404(TextVersion, version_id)
    require("text.view", item.text)
    if not item.paragraphs:
        abort(404)
    return item


@bp.route("/textes/versions/<int:version_id>")
def version(version_id: int):
    """An adopted version: each changed paragraph with the difference and the amendments it came from."""
    item = _version_or_404(version_id)
    text = item.text
    return render_template(
        "texts/version.html",
        text=text,
        consultation=text.consultation,
        version=item,
        versions=services.versions_of(text),
        changes=VERSION_CHANGES,
        judgments=services.version_judgments(item, utcnow()),
    )


@bp.route("/textes/versions/<int:version_id>/texte-adopte.<any(pdf, odt):fmt>")
def download(version_id: int, fmt: str):
    """The adopted version with its amendment table, as a PDF or an ODT (Licence Ouverte 2.0)."""
    item = _version_or_404(version_id)
    printed = document.prepare(item, current_app.config["UPLOAD_DIR"])
    renderer, mimetype = (
        (pdf.render, "application/pdf") if fmt == "pdf" else (odt.render, "application/vnd.oasis.opendocument.text")
    )
    body = renderer(printed, current_app.config["PLATFORM_NAME"])
    return csv_json.download(body, mimetype, f"texte-adopte-{item.text_id}-v{item.number}.{fmt}")
