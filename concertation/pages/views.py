"""The home page, the legal and accessibility pages, and the choice of language."""

from flask import redirect, render_template, request, session, url_for
from flask_login import current_user

from concertation import query_args
from concertation.consultations.services import open_consultations
from concertation.db import utcnow
from concertation.extensions import db
from concertation.forms import BaseForm
from concertation.pages import bp


@bp.route("/")
def home():
    page = query_args.page_number()
    consultations = open_consultations(current_user, utcnow(), page=max(page, 1), per_page=12)
    return render_template("pages/home.html", consultations=consultations)


@bp.route("/conditions-d-utilisation")
def terms():
    return render_template("pages/terms.html")


@bp.route("/confidentialite")
def privacy():
    return render_template("pages/privacy.html")


@bp.route("/accessibilite")
def accessibility():
    return render_template("pages/accessibility.html")


@bp.route("/langue", methods=["POST"])
def set_language():
    form = BaseForm()
    locale = request.form.get("locale")
    if form.validate_on_submit() and locale in ("fr", "en"):
        session["locale"] = locale
        if current_user.is_authenticated:
            current_user.locale = locale
            db.session.commit()
    target = request.form.get("next", "")
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("pages.home")
    return redirect(target)
