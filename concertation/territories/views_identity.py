"""The territory's identity: its organisers choose the logo and accent colour; everyone gets the files."""

from flask import Response, abort, current_app, flash, redirect, render_template, request, send_from_directory, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import select

from concertation.errors import ActionRefused
from concertation.extensions import db
from concertation.forms import show_refusal
from concertation.permissions import require
from concertation.routing import Routes
from concertation.territories import branding
from concertation.territories.forms import IdentityForm
from concertation.territories.models import Territory

routes = Routes()


@routes.route("/territoires/<slug>/identite", methods=["GET", "POST"])
@login_required
def identity(slug: str):
    territory = db.first_or_404(select(Territory).where(Territory.slug == slug))
    require("territory.organise", territory)
    form = IdentityForm(data={"accent_color": territory.accent_color or ""})
    if form.validate_on_submit():
        upload_dir = current_app.config["UPLOAD_DIR"]
        try:
            branding.set_accent_colour(territory, form.accent_color.data)
            upload = request.files.get(form.logo.name)
            if upload is not None and upload.filename:
                branding.set_logo(territory, upload, upload_dir)
            elif form.remove_logo.data:
                branding.remove_logo(territory, upload_dir)
        except ActionRefused as error:
            db.session.rollback()
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("L’identité du territoire est enregistrée."), "success")
            return redirect(url_for("territories.identity", slug=territory.slug))
    status = 422 if form.is_submitted() else 200
    return render_template("territories/identity.html", territory=territory, form=form), status


@routes.route("/territoires/<slug>/logo")
def logo(slug: str):
    territory = db.first_or_404(select(Territory).where(Territory.slug == slug))
    if not territory.logo_key:
        abort(404)
    extension = territory.logo_key.rsplit(".", 1)[-1]
    response = send_from_directory(
        current_app.config["UPLOAD_DIR"], territory.logo_key, mimetype=branding.IMAGE_TYPES[extension], max_age=3600
    )
    return response


@routes.route("/territoires/<slug>/couleur.css")
def accent_css(slug: str):
    """The territory's accent colour as a stylesheet: the pages' CSP refuses inline styles."""
    territory = db.first_or_404(select(Territory).where(Territory.slug == slug))
    css = f":root {{ --accent: {territory.accent_color}; }}\n" if territory.accent_color else ""
    return Response(css, mimetype="text/css", headers={"Cache-Control": "public, max-age=300"})
