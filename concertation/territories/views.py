"""Territory pages, the admin's territory management and organisers' agent invitations."""

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from concertation.accounts.services import find_by_email
from concertation.consultations.services import consultations_of
from concertation.db import utcnow
from concertation.extensions import db
from concertation.forms import BaseForm, commit_and_redirect, form_status, refusal_shown
from concertation.jobs import enqueue_email
from concertation.permissions import require
from concertation.territories import services, views_identity
from concertation.security import public_url
from concertation.territories.forms import InvitationForm, RoleForm, TerritoryForm
from concertation.territories.models import TERRITORY_ROLES, Territory
from concertation.territories.names import territory_name

bp = Blueprint("territories", __name__)
# The identity routes (logo, colour) have a module of their own, on this one blueprint.
views_identity.routes.add_to(bp)


def territory_or_404(slug: str) -> Territory:
    territory = db.session.scalar(select(Territory).where(Territory.slug == slug))
    if territory is None:
        abort(404)
    return territory


@bp.route("/territoires")
def index():
    territories = db.session.scalars(
        select(Territory).options(selectinload(Territory.domains)).order_by(Territory.name)
    ).all()
    return render_template("territories/index.html", territories=territories)


@bp.route("/territoires/<slug>")
def show(slug: str):
    territory = territory_or_404(slug)
    return render_template(
        "territories/show.html", territory=territory, consultations=consultations_of(territory, current_user, utcnow())
    )


def _territory_fields(form: TerritoryForm) -> dict:
    """What the territory form gives to create_territory and update_territory."""
    return {
        "name": form.name.data,
        "kind": form.kind.data,
        "slug": form.slug.data,
        "code": form.code.data or None,
        "domains": services.parse_domains(form.domains.data),
        "population": form.population.data,
        "description": form.description.data or "",
        "name_article": form.name_article.data,
    }


@bp.route("/admin/territoires", methods=["GET", "POST"])
@login_required
def admin_index():
    require("admin.access")
    form = TerritoryForm()
    if form.validate_on_submit():
        with refusal_shown(form):
            territory = services.create_territory(**_territory_fields(form))
            services.set_siren(territory, form.siren.data)
            return commit_and_redirect(
                _("Le territoire « %(name)s » est créé.", name=territory.name),
                url_for("territories.admin_roles", slug=territory.slug),
            )
    territories = db.session.scalars(
        select(Territory).options(selectinload(Territory.domains)).order_by(Territory.name)
    ).all()
    status = form_status(form)
    return render_template("territories/admin_index.html", form=form, territories=territories), status


@bp.route("/admin/territoires/<slug>/modifier", methods=["GET", "POST"])
@login_required
def admin_edit(slug: str):
    territory = territory_or_404(slug)
    require("territory.manage", territory)
    form = TerritoryForm(obj=territory if request.method == "GET" else None)
    if request.method == "GET":
        form.domains.data = "\n".join(d.domain for d in territory.domains)
    if form.validate_on_submit():
        with refusal_shown(form):
            services.update_territory(territory, **_territory_fields(form))
            services.set_siren(territory, form.siren.data)
            return commit_and_redirect(
                _("Le territoire est enregistré."), url_for("territories.admin_roles", slug=territory.slug)
            )
    status = form_status(form)
    return render_template("territories/admin_edit.html", form=form, territory=territory), status


@bp.route("/admin/territoires/<slug>/roles", methods=["GET", "POST"])
@login_required
def admin_roles(slug: str):
    territory = territory_or_404(slug)
    require("territory.manage", territory)
    form = RoleForm()
    if form.validate_on_submit():
        user = find_by_email(form.email.data)
        if user is None:
            form.email.errors = [_("Aucun compte n’utilise cette adresse : la personne doit d’abord s’inscrire.")]
        else:
            services.grant_role(territory, user, form.role.data)
            return commit_and_redirect(
                _(
                    "%(name)s est désormais %(role)s %(of_territory)s.",
                    name=user.pseudonym,
                    role=_(TERRITORY_ROLES[form.role.data]).lower(),
                    of_territory=territory_name(territory, "of"),
                ),
                url_for("territories.admin_roles", slug=slug),
            )
    people = {role: services.members(territory, role) for role in TERRITORY_ROLES}
    status = form_status(form)
    return render_template(
        "territories/admin_roles.html", territory=territory, form=form, people=people, revoke_form=BaseForm()
    ), status


@bp.route("/admin/territoires/<slug>/roles/<int:user_id>/<role>/retirer", methods=["POST"])
@login_required
def admin_revoke(slug: str, user_id: int, role: str):
    territory = territory_or_404(slug)
    require("territory.manage", territory)
    form = BaseForm()
    if not form.validate_on_submit():
        abort(400)
    from concertation.accounts.models import User

    user = db.session.get(User, user_id)
    if user is None or role not in TERRITORY_ROLES:
        abort(404)
    services.revoke_role(territory, user, role)
    return commit_and_redirect(_("Le rôle a été retiré."), url_for("territories.admin_roles", slug=slug))


@bp.route("/territoires/<slug>/invitations", methods=["GET", "POST"])
@login_required
def invitations(slug: str):
    territory = territory_or_404(slug)
    require("territory.invite_agents", territory)
    form = InvitationForm()
    if form.validate_on_submit():
        invitation, token = services.create_invitation(current_user, territory, form.email.data, utcnow())
        link = public_url("territories.accept_invitation", token=token)
        enqueue_email(
            invitation.email,
            _("Invitation à rejoindre les agents %(of_territory)s", of_territory=territory_name(territory, "of")),
            _(
                "Vous êtes invité·e à participer aux concertations réservées aux agents %(of_territory)s.\n"
                "Ouvrez ce lien pour accepter l’invitation (valable 14 jours) :\n%(link)s",
                of_territory=territory_name(territory, "of"),
                link=link,
            ),
        )
        db.session.commit()
        flash(_("L’invitation a été envoyée à %(email)s.", email=invitation.email), "success")
        # Shown once on the page the organiser is sent back to (POST → redirect → GET), then forgotten.
        session["invitation_link"] = link
        return redirect(url_for("territories.invitations", slug=territory.slug))
    status = form_status(form)
    return render_template(
        "territories/invitations.html",
        territory=territory,
        form=form,
        pending=services.pending_invitations(territory, utcnow()),
        link=session.pop("invitation_link", None),
    ), status


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@login_required
def accept_invitation(token: str):
    invitation = services.invitation_for_token(token, utcnow())
    form = BaseForm()
    if form.validate_on_submit():
        services.accept_invitation(current_user, token, utcnow())
        return commit_and_redirect(
            _(
                "Vous êtes désormais reconnu·e comme agent %(of_territory)s.",
                of_territory=territory_name(invitation.territory, "of"),
            ),
            url_for("territories.show", slug=invitation.territory.slug),
        )
    return render_template("territories/accept_invitation.html", invitation=invitation, form=form)
