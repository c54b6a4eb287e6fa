"""The territories' amendments to the manifesto's draft: opening, proposing, co-signing, answering, reading."""

from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select

from concertation.db import utcnow
from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.forms import BaseForm, choices, commit_and_redirect, form_status, refusal_shown
from concertation.manifesto import amendments, services
from concertation.manifesto.forms import AmendmentAnswerForm, AmendmentForm, BulkAmendmentAnswerForm, CosignForm
from concertation.manifesto.models import Manifesto, ManifestoAmendment, ManifestoVersion
from concertation.permissions import can, manifesto_amending_territories, require
from concertation.routing import Routes
from concertation.territories.models import Territory
from concertation.territories.names import territory_name

routes = Routes()


def _manifesto(slug: str) -> Manifesto:
    return db.first_or_404(select(Manifesto).filter_by(slug=slug))


def _draft_or_404(manifesto: Manifesto) -> ManifestoVersion:
    draft = services.draft_of(manifesto)
    if draft is None:
        abort(404)
    return draft


def _amendment_or_404(version: ManifestoVersion, number: int) -> ManifestoAmendment:
    amendment = amendments.amendment_of(version, number)
    if amendment is None:
        abort(404)
    return amendment


def _territory_for(territory_id: int | None) -> Territory:
    """The territory chosen in a form (404 if none), once the current user may speak in its name (403)."""
    # An id beyond the database's integers is no territory (PostgreSQL would refuse the query).
    territory = db.session.get(Territory, territory_id) if territory_id and 0 < territory_id < 2**31 else None
    if territory is None:
        abort(404)
    require("manifesto.amend", territory)
    return territory


def _amendments_url(manifesto: Manifesto, version: ManifestoVersion, number: int | None = None) -> str:
    anchor = f"#amendement-{number}" if number else ""
    return url_for("manifesto.amendments", slug=manifesto.slug, number=version.number) + anchor


def _render_list(manifesto: Manifesto, version: ManifestoVersion, bulk_form=None, status: int = 200):
    grouped, elsewhere = amendments.by_point(version)
    is_draft = not version.is_published
    territories = manifesto_amending_territories(current_user) if is_draft and version.amendments_open else []
    return render_template(
        "manifesto/amendments.html",
        manifesto=manifesto,
        version=version,
        chapters=services.chapters(version),
        grouped=grouped,
        elsewhere=elsewhere,
        is_draft=is_draft,
        territories=territories,
        can_answer=is_draft and can(current_user, "manifesto.edit"),
        bulk_form=bulk_form or BulkAmendmentAnswerForm(formdata=None),
        waiting=sorted(
            (a for items in [*grouped.values(), elsewhere] for a in items if a.status == "pending"),
            key=lambda a: a.number,
        ),
    ), status


@routes.route("/manifeste/<slug>/versions/<int:number>/amendements", endpoint="amendments")
def amendments_list(slug: str, number: int):
    """A published version's amendments are public; the draft's are for the editors and the territories' organisers."""
    manifesto = _manifesto(slug)
    version = services.version_of(manifesto, number)
    if version is None:
        abort(404)
    if not version.is_published:
        require("manifesto.amendments_view")
    return _render_list(manifesto, version)


# Opening the draft -------------------------------------------------------------------


def _set_open(slug: str, opened: bool):
    manifesto = _manifesto(slug)
    require("manifesto.edit")
    draft = _draft_or_404(manifesto)
    if not BaseForm().validate_on_submit():
        abort(400)
    if opened:
        amendments.open_amendments(draft)
        message = _("Le brouillon est ouvert aux amendements des territoires.")
    else:
        amendments.close_amendments(draft)
        message = _("Le brouillon est fermé aux amendements ; ceux déjà proposés attendent votre réponse.")
    return commit_and_redirect(message, url_for("manifesto.draft", slug=slug) + "#amendements")


@routes.route("/manifeste/<slug>/brouillon/amendements/ouvrir", methods=["POST"])
@login_required
def open_amendments(slug: str):
    return _set_open(slug, True)


@routes.route("/manifeste/<slug>/brouillon/amendements/fermer", methods=["POST"])
@login_required
def close_amendments(slug: str):
    return _set_open(slug, False)


# Proposing and co-signing ------------------------------------------------------------


@routes.route("/manifeste/<slug>/brouillon/points/<int:uid>/amender", methods=["GET", "POST"])
@login_required
def amend(slug: str, uid: int):
    manifesto = _manifesto(slug)
    territories = manifesto_amending_territories(current_user)
    if not territories:
        abort(403)
    draft = _draft_or_404(manifesto)
    point = amendments.draft_point(draft, uid)
    if point is None:
        abort(404)
    amendments.refuse_unless_open(draft)
    form = AmendmentForm()
    form.territory.choices = choices([(t.id, t.name) for t in territories])
    if form.validate_on_submit():
        territory = _territory_for(form.territory.data)
        with refusal_shown(form):
            amendment = amendments.propose(
                current_user,
                territory,
                draft,
                point.uid,
                form.kind.data,
                form.wording.data or "",
                form.justification.data,
                utcnow(),
                title=form.title.data or "",
            )
            return commit_and_redirect(
                _(
                    "L’amendement n° %(n)d est proposé au nom %(of_territory)s.",
                    n=amendment.number,
                    of_territory=territory_name(territory, "of"),
                ),
                _amendments_url(manifesto, draft, amendment.number),
            )
    return render_template(
        "manifesto/amend.html", manifesto=manifesto, draft=draft, point=point, form=form
    ), form_status(form)


def _cosignature(slug: str, number: int):
    """The draft, the amendment and the territory named in the form, for co-signing or withdrawing."""
    manifesto = _manifesto(slug)
    if not manifesto_amending_territories(current_user):
        abort(403)
    draft = _draft_or_404(manifesto)
    amendment = _amendment_or_404(draft, number)
    form = CosignForm()
    form.territory.choices = choices([(t.id, t.name) for t in manifesto_amending_territories(current_user)])
    if not form.validate_on_submit():
        abort(400)
    return manifesto, draft, amendment, _territory_for(form.territory.data)


@routes.route("/manifeste/<slug>/brouillon/amendements/<int:number>/cosigner", methods=["POST"])
@login_required
def cosign(slug: str, number: int):
    manifesto, draft, amendment, territory = _cosignature(slug, number)
    added = amendments.cosign(current_user, territory, amendment, utcnow())
    message = (
        _("%(territory)s cosigne l’amendement n° %(n)d.", territory=territory_name(territory, "Article"), n=number)
        if added
        else _(
            "%(territory)s cosignait déjà l’amendement n° %(n)d.",
            territory=territory_name(territory, "Article"),
            n=number,
        )
    )
    return commit_and_redirect(message, _amendments_url(manifesto, draft, number))


@routes.route("/manifeste/<slug>/brouillon/amendements/<int:number>/retirer-cosignature", methods=["POST"])
@login_required
def withdraw_cosignature(slug: str, number: int):
    manifesto, draft, amendment, territory = _cosignature(slug, number)
    amendments.withdraw_cosignature(territory, amendment)
    return commit_and_redirect(
        _("La cosignature %(of_territory)s est retirée.", of_territory=territory_name(territory, "of")),
        _amendments_url(manifesto, draft, number),
    )


# Answering ---------------------------------------------------------------------------


@routes.route("/manifeste/<slug>/brouillon/amendements/<int:number>/repondre", methods=["GET", "POST"])
@login_required
def answer_amendment(slug: str, number: int):
    manifesto = _manifesto(slug)
    require("manifesto.edit")
    draft = _draft_or_404(manifesto)
    amendment = _amendment_or_404(draft, number)
    if amendment.status != "pending":
        raise ActionRefused(_("Cet amendement a déjà reçu sa réponse."), status=409)
    form = AmendmentAnswerForm()
    if request.method == "GET" and amendment.kind != "delete":
        form.changed_wording.data = amendment.wording
    if form.validate_on_submit():
        with refusal_shown(form):
            amendments.answer(
                current_user, amendment, form.status.data, form.reason.data or "", utcnow(), form.changed_wording.data
            )
            return commit_and_redirect(
                _("La réponse à l’amendement n° %(n)d est enregistrée ; le territoire en est informé.", n=number),
                _amendments_url(manifesto, draft, number),
            )
    return render_template(
        "manifesto/answer_amendment.html",
        manifesto=manifesto,
        draft=draft,
        amendment=amendment,
        point=amendments.draft_point(draft, amendment.point_uid),
        form=form,
    ), form_status(form)


@routes.route("/manifeste/<slug>/brouillon/amendements/repondre", methods=["POST"])
@login_required
def answer_amendments(slug: str):
    manifesto = _manifesto(slug)
    require("manifesto.edit")
    draft = _draft_or_404(manifesto)
    form = BulkAmendmentAnswerForm()
    if form.validate_on_submit():
        with refusal_shown(form):
            count = amendments.answer_many(
                current_user, draft, form.numbers(), form.status.data, form.reason.data or "", utcnow()
            )
            return commit_and_redirect(
                ngettext("%(num)d amendement a reçu sa réponse.", "%(num)d amendements ont reçu leur réponse.", count),
                _amendments_url(manifesto, draft),
            )
    return _render_list(manifesto, draft, bulk_form=form, status=422)
